/// Server-wide settings an admin edits; stored as key/value rows so new keys need no migration.
public struct ServerSettings: Sendable, Hashable, Codable {
    /// Who may see a new session by default.
    public enum Visibility: String, Sendable, Codable, CaseIterable {
        case `private`, team, company
    }

    public var companyName: String
    public var defaultVisibility: Visibility
    public var consentRequired: Bool
    public var sessionIdleMinutes: Int
    /// How often an unattended agent checks in (its heartbeat, and how often it re-reads its inventory).
    public var checkInSeconds: Int

    /// The check-in intervals an admin may choose.
    public static let checkInRange = 10...3600

    public init(
        companyName: String = "GuruConnect", defaultVisibility: Visibility = .team,
        consentRequired: Bool = true, sessionIdleMinutes: Int = 60, checkInSeconds: Int = 60
    ) {
        self.companyName = companyName
        self.defaultVisibility = defaultVisibility
        self.consentRequired = consentRequired
        self.sessionIdleMinutes = sessionIdleMinutes
        self.checkInSeconds = checkInSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case companyName, defaultVisibility, consentRequired, sessionIdleMinutes, checkInSeconds
    }

    /// Reads settings saved by any version: a key added later takes its default when absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ServerSettings()
        companyName = try container.decode(String.self, forKey: .companyName)
        defaultVisibility = try container.decode(Visibility.self, forKey: .defaultVisibility)
        consentRequired = try container.decode(Bool.self, forKey: .consentRequired)
        sessionIdleMinutes = try container.decode(Int.self, forKey: .sessionIdleMinutes)
        checkInSeconds = try container.decodeIfPresent(Int.self, forKey: .checkInSeconds) ?? defaults.checkInSeconds
    }
}
