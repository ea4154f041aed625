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

    public init(
        companyName: String = "GuruConnect", defaultVisibility: Visibility = .team,
        consentRequired: Bool = true, sessionIdleMinutes: Int = 60
    ) {
        self.companyName = companyName
        self.defaultVisibility = defaultVisibility
        self.consentRequired = consentRequired
        self.sessionIdleMinutes = sessionIdleMinutes
    }
}
