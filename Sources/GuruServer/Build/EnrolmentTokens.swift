import Foundation
import GuruStore

/// Issues enrolment tokens and trades them for agent credentials (FLEET-CONTRACT "Enrolment").
struct EnrolmentTokens: Sendable {
    static let defaultLifetimeDays = 30
    static let maxLifetimeDays = 365
    static let maxUsesLimit: Int64 = 1_000_000
    static let platforms: Set<String> = ["windows64", "windows32", "linux64", "any"]

    let store: Store

    /// What a form asks of a new token.
    struct Request: Decodable, Sendable {
        var name: String?
        var expiresInDays: Int?
        /// nil or absent: unlimited.
        var maxUses: Int64?
        var metadata: InstallerMetadata?
        var platform: String?
    }

    /// Creates a token; the secret is returned once and only its hash is kept.
    func create(_ request: Request, createdBy: String?, now: Date = .now) async throws -> (token: EnrolmentToken, secret: String) {
        let days = request.expiresInDays ?? Self.defaultLifetimeDays
        guard (1...Self.maxLifetimeDays).contains(days) else {
            throw APIError.badRequest("A token expires after 1 to \(Self.maxLifetimeDays) days.")
        }
        if let maxUses = request.maxUses, !(1...Self.maxUsesLimit).contains(maxUses) {
            throw APIError.badRequest("Uses must be between 1 and \(Self.maxUsesLimit), or unlimited.")
        }
        let platform = request.platform ?? "any"
        guard Self.platforms.contains(platform) else { throw APIError.badRequest("Unknown platform \(platform).") }
        let metadata = try (request.metadata ?? InstallerMetadata()).validated()
        let name = try request.name.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            .map { try Validation.name($0, field: "Token name", maxLength: 100) } ?? Self.defaultName(metadata, platform: platform, now: now)
        let secret = SecureToken.make()
        let token = EnrolmentToken(
            id: RelayHub.idHex(SecureToken.randomBytes(16)), name: name, tokenHash: SecureToken.sha256Hex(secret), createdBy: createdBy,
            createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(days) * 86_400), maxUses: request.maxUses,
            metadataJSON: try metadata.json(), platform: platform
        )
        try await store.enrolmentTokens.create(token)
        return (token, secret)
    }

    /// "Glaztech · Phoenix Office" or "Installer 2026-12-04": a name a list can show when the form gave none.
    static func defaultName(_ metadata: InstallerMetadata, platform: String, now: Date) -> String {
        let parts = [metadata.company, metadata.site, metadata.department].filter { !$0.isEmpty }
        if !parts.isEmpty { return String(parts.joined(separator: " · ").prefix(100)) }
        let day = ISO8601DateFormatter.string(from: now, timeZone: TimeZone(secondsFromGMT: 0) ?? .current, formatOptions: [.withFullDate])
        return "Installer \(day)"
    }
}
