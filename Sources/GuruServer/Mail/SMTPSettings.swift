import Foundation
import GuruStore
import Hummingbird

/// The outgoing mail server (Settings → Email). The password is sealed with the server key at rest and is never
/// returned by the API nor written to a log.
struct SMTPSettings: Codable, Sendable, Equatable {
    /// How the connection is protected.
    enum Security: String, Codable, Sendable {
        /// Plain SMTP upgraded with STARTTLS before anything is sent; refused when the server does not offer it.
        case starttls
        /// No encryption (a relay on the same host or network).
        case none
    }

    var host: String = ""
    var port: Int = 587
    var security: Security = .starttls
    var username: String = ""
    /// AES-GCM sealed with the server key (ServerKey.seal), base64; "" when no password is set.
    var sealedPassword: String = ""
    var from: String = ""

    static let documentKey = "smtp"

    var isConfigured: Bool { !host.isEmpty && !from.isEmpty }

    static func load(_ store: Store) async throws -> SMTPSettings {
        guard let json = try await store.settings.document(documentKey) else { return SMTPSettings() }
        return try JSONDecoder().decode(SMTPSettings.self, from: Data(json.utf8))
    }

    func save(_ store: Store) async throws {
        try await store.settings.saveDocument(Self.documentKey, String(decoding: try JSONEncoder().encode(self), as: UTF8.self))
    }
}

/// SMTP settings as the API shows them: whether a password is set, never the password.
struct SMTPSettingsDTO: ResponseCodable, Sendable {
    let host: String
    let port: Int
    let security: SMTPSettings.Security
    let username: String
    /// Read: whether one is stored. Never the password itself.
    let passwordSet: Bool?
    /// Write only: a new password; absent keeps the stored one, "" removes it.
    let password: String?
    let from: String

    init(_ settings: SMTPSettings) {
        host = settings.host
        port = settings.port
        security = settings.security
        username = settings.username
        passwordSet = !settings.sealedPassword.isEmpty
        password = nil
        from = settings.from
    }
}
