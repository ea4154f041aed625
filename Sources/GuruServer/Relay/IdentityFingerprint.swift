import Crypto
import GuruProtocol

/// The short, readable fingerprint of an agent's identity key that the viewer shows too
/// (`identityFingerprint` in js/protocol/e2e.js): SHA-256 of the key, 8 bytes, in groups of 4 hex digits.
enum IdentityFingerprint {
    /// "1A2B-3C4D-5E6F-7081" for a key given in hex; the hex itself if it is not hex.
    static func of(hex key: String) -> String {
        guard let bytes = Hex.decode(key) else { return key }
        let digits = Hex.encode(SHA256.hash(data: bytes).prefix(8)).uppercased()
        return stride(from: 0, to: digits.count, by: 4).map { start in
            let from = digits.index(digits.startIndex, offsetBy: start)
            return String(digits[from..<digits.index(from, offsetBy: 4)])
        }.joined(separator: "-")
    }
}
