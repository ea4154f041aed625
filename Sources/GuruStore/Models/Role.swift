import Foundation

/// A named set of permissions. The three built-in roles follow the seed's matrix and cannot be edited.
public struct Role: Sendable, Hashable {
    public var id: String
    public var name: String
    public var builtin: Bool
    public var permissions: Permission
    public var createdAt: Date
    /// The machines the role reaches in the Access tab and every agent route; built-in roles reach all.
    public var scope: AgentScope

    public init(id: String, name: String, builtin: Bool, permissions: Permission, createdAt: Date, scope: AgentScope = .all) {
        self.id = id
        self.name = name
        self.builtin = builtin
        self.permissions = permissions
        self.createdAt = createdAt
        self.scope = scope
    }

    /// Own sessions: full access. Team sessions: view only when a custom role grants it. All sessions: none.
    public static let technician: Permission = [.createSupportCode, .accessUnattended, .runCommands, .transferFiles]
    /// Team sessions: view and join. All sessions: view. Hands codes out to other technicians.
    public static let seniorTech: Permission = technician.union([
        .viewTeamSessions, .joinTeamSessions, .viewAllSessions, .buildInstallers, .viewRecordings, .assignSupportCodes,
    ])
    /// Everything.
    public static let admin: Permission = .all

    /// The built-in roles as (id, name, permissions).
    public static let builtins: [(id: String, name: String, permissions: Permission)] = [
        ("technician", "Technician", technician),
        ("senior", "Senior Tech", seniorTech),
        ("admin", "Admin", admin),
    ]
}
