import Foundation
import GuruStore

/// Sends the Build tab's installer links and the Settings test mail through the configured SMTP server.
struct LinkMailer: Sendable {
    let store: Store
    let serverKey: ServerKey

    func isConfigured() async throws -> Bool { try await SMTPSettings.load(store).isConfigured }

    /// A checked e-mail address: one line, one @, no spaces or angle brackets (it goes into SMTP commands).
    static func address(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "<>,;:\"()[]\\"))
        guard trimmed.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
              trimmed.unicodeScalars.allSatisfy({ !forbidden.contains($0) && $0.value >= 0x21 && $0.value < 0x7F })
        else { throw APIError.badRequest("Enter one e-mail address, like name@example.com.") }
        return trimmed
    }

    func sendInstallerLink(to: String, link: String, entry: InstallerDownloads.Entry, sender: String) async throws {
        let expires = ISO8601DateFormatter.string(from: entry.expiresAt, timeZone: TimeZone(secondsFromGMT: 0) ?? .current, formatOptions: [.withInternetDateTime])
        try await send(to: to, subject: "GuruConnect agent installer", body: """
            \(sender) sent you a GuruConnect agent installer.

            Download: \(link)
            File: \(entry.fileName) (\(entry.size) bytes)
            SHA-256: \(entry.sha256)

            Run it on the computer to be supported. The link works until \(expires).
            """)
    }

    func sendTest(to: String) async throws {
        try await send(to: to, subject: "GuruConnect test e-mail", body: "This is a test e-mail from your GuruConnect server. Outgoing mail works.")
    }

    private func send(to: String, subject: String, body: String) async throws {
        let settings = try await SMTPSettings.load(store)
        guard settings.isConfigured else {
            throw APIError(.conflict, "smtp_not_configured", "Set up outgoing e-mail in Settings → Email first.")
        }
        let password: String
        do throws(ServerKeyError) {
            password = settings.sealedPassword.isEmpty ? "" : try serverKey.open(settings.sealedPassword)
        } catch {
            throw APIError(.internalServerError, "smtp_password_unreadable", "The stored SMTP password cannot be read; enter it again in Settings → Email.")
        }
        let client = SMTPClient(host: settings.host, port: settings.port, security: settings.security, username: settings.username, password: password)
        do {
            try await client.send(.init(from: settings.from, to: to, subject: subject, body: body))
        } catch let error as SMTPError {
            throw APIError(.badGateway, "smtp_failed", "The e-mail could not be sent: \(error.description).")
        }
    }
}
