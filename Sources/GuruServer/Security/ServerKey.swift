import Crypto
import Foundation
import GuruProtocol

/// The server's own 256-bit key: it seals TOTP secrets at rest and derives CSRF tokens.
/// It lives in `<data dir>/server.key` (mode 0600); nodes sharing a database must share it.
struct ServerKey: Sendable {
    let key: SymmetricKey

    /// An ephemeral key, for in-memory test servers.
    static func ephemeral() -> ServerKey { ServerKey(key: SymmetricKey(size: .bits256)) }

    /// Loads the key file, creating it on first start.
    static func load(directory: String) throws(ServerKeyError) -> ServerKey {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("server.key").path
        let manager = FileManager.default
        if let data = manager.contents(atPath: path) {
            guard data.count == 32 else { throw .malformed(path: path) }
            return ServerKey(key: SymmetricKey(data: data))
        }
        let bytes = Data(SecureToken.randomBytes(32))
        guard manager.createFile(atPath: path, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw .unwritable(path: path)
        }
        return ServerKey(key: SymmetricKey(data: bytes))
    }

    /// Seals text with AES-256-GCM; the result is base64.
    func seal(_ plaintext: String) throws(ServerKeyError) -> String {
        do {
            guard let combined = try AES.GCM.seal(Data(plaintext.utf8), using: key).combined else { throw ServerKeyError.sealFailed }
            return combined.base64EncodedString()
        } catch {
            throw .sealFailed
        }
    }

    /// Opens what `seal` produced; fails on any tampering.
    func open(_ sealed: String) throws(ServerKeyError) -> String {
        guard let data = Data(base64Encoded: sealed) else { throw .sealFailed }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw .sealFailed
        }
    }

    /// The CSRF token that belongs to a session token: stable for the session, useless without the key.
    func csrfToken(forSession token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("csrf:\(token)".utf8), using: key)
        return SecureToken.base64URL(Array(mac))
    }
}

/// Problems with the server key file.
enum ServerKeyError: Error, CustomStringConvertible {
    case malformed(path: String)
    case unwritable(path: String)
    case sealFailed

    var description: String {
        switch self {
        case .malformed(let path): "\(path) is not a 32-byte key"
        case .unwritable(let path): "cannot write \(path)"
        case .sealFailed: "sealed value could not be processed"
        }
    }
}

extension ServerKey {
    /// A keyed MAC of `label`, as lower-case hex: for secrets the server can recompute instead of storing.
    func mac(_ label: String) -> String {
        Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: Data(label.utf8), using: key)))
    }
}
