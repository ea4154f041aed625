import Foundation
import HummingbirdOTP

/// Time-based one-time passwords (RFC 6238, SHA-1, 6 digits, 30 s), as authenticator apps expect.
struct TOTPAuthenticator: Sendable {
    static let timeStep = 30
    static let issuer = "GuruConnect"

    /// A new secret: 32 random characters whose bytes are the HMAC key (about 190 bits).
    static func makeSecret() -> String {
        SecureToken.random(length: 32, alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
    }

    /// The `otpauth://` URI to put in the QR code.
    static func provisioningURI(secret: String, account: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "\(issuer):\(account)", issuer: issuer)
    }

    /// The base32 form of the secret, for typing into an app by hand.
    static func manualEntryKey(secret: String) -> String {
        let uri = provisioningURI(secret: secret, account: "x")
        return URLComponents(string: uri)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
    }

    /// The time step a code matches, allowing one step of clock drift either way; nil if none.
    static func matchingStep(code: String, secret: String, at date: Date) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let totp = TOTP(secret: secret)
        let current = Int64(date.timeIntervalSince1970) / Int64(timeStep)
        for step in [current, current - 1, current + 1] {
            let candidate = String(format: "%06d", totp.compute(date: Date(timeIntervalSince1970: Double(step * Int64(timeStep)))))
            if SecureToken.constantTimeEquals(candidate, digits) { return step }
        }
        return nil
    }
}
