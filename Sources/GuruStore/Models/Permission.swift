/// What a role lets its holder do. Stored as bits; the bit positions are stable forever.
public struct Permission: OptionSet, Sendable, Hashable {
    public let rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }

    public static let createSupportCode = Permission(rawValue: 1 << 0)
    public static let viewTeamSessions = Permission(rawValue: 1 << 1)
    public static let joinTeamSessions = Permission(rawValue: 1 << 2)
    public static let viewAllSessions = Permission(rawValue: 1 << 3)
    public static let joinAllSessions = Permission(rawValue: 1 << 4)
    public static let endAnySession = Permission(rawValue: 1 << 5)
    public static let accessUnattended = Permission(rawValue: 1 << 6)
    public static let runCommands = Permission(rawValue: 1 << 7)
    public static let transferFiles = Permission(rawValue: 1 << 8)
    public static let buildInstallers = Permission(rawValue: 1 << 9)
    public static let manageUsers = Permission(rawValue: 1 << 10)
    public static let manageSettings = Permission(rawValue: 1 << 11)
    public static let viewAudit = Permission(rawValue: 1 << 12)
    public static let viewRecordings = Permission(rawValue: 1 << 13)
    public static let assignSupportCodes = Permission(rawValue: 1 << 14)

    /// Every permission with its wire name, label and description, in display order.
    public static let catalog: [(permission: Permission, name: String, label: String, description: String)] = [
        (.createSupportCode, "createSupportCode", "Create support codes", "Generate 6-digit codes for attended sessions."),
        (.assignSupportCodes, "assignSupportCodes", "Assign codes to others", "Generate support codes for another technician, who is notified."),
        (.viewTeamSessions, "viewTeamSessions", "View team sessions", "Spectate sessions of technicians in the same team."),
        (.joinTeamSessions, "joinTeamSessions", "Join team sessions", "Take control in sessions of technicians in the same team."),
        (.viewAllSessions, "viewAllSessions", "View all sessions", "Spectate any session on this server."),
        (.joinAllSessions, "joinAllSessions", "Join all sessions", "Take control in any session on this server."),
        (.endAnySession, "endAnySession", "End any session", "End or transfer sessions owned by others."),
        (.accessUnattended, "accessUnattended", "Access unattended machines", "Connect to machines with the permanent agent."),
        (.runCommands, "runCommands", "Run commands", "Use the remote shell, process and service tools."),
        (.transferFiles, "transferFiles", "Transfer files", "Upload and download files on remote machines."),
        (.buildInstallers, "buildInstallers", "Build installers", "Build unattended agent installers."),
        (.manageUsers, "manageUsers", "Manage users", "Create and edit users, roles and teams."),
        (.manageSettings, "manageSettings", "Manage settings", "Change server settings and branding."),
        (.viewAudit, "viewAudit", "View audit log", "Read and export the audit log."),
        (.viewRecordings, "viewRecordings", "View recordings", "Play back recorded sessions."),
    ]

    public static let all = Permission(catalog.map(\.permission))

    /// The wire names of the permissions in this set, in catalog order.
    public var names: [String] { Self.catalog.filter { contains($0.permission) }.map(\.name) }

    /// Parses wire names; returns nil naming the first unknown one.
    public static func parse(_ names: [String]) -> Result<Permission, UnknownPermission> {
        var set = Permission()
        for name in names {
            guard let entry = catalog.first(where: { $0.name == name }) else { return .failure(UnknownPermission(name: name)) }
            set.insert(entry.permission)
        }
        return .success(set)
    }
}

/// A permission name that the catalog does not know.
public struct UnknownPermission: Error, Sendable {
    public let name: String
}
