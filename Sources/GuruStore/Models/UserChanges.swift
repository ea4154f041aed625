/// The profile columns one administrative edit changes; a nil field leaves its column untouched.
///
/// There is no whole-row write: a request that read a `User`, awaited (bcrypt, the network), and
/// wrote it back would undo whatever an administrator changed meanwhile (issue #11).
public struct UserChanges: Sendable, Hashable {
    public var displayName: String?
    public var roleId: String?
    /// `.some(nil)` clears the team.
    public var teamId: String??
    public var disabled: Bool?

    public init(displayName: String? = nil, roleId: String? = nil, teamId: String?? = nil, disabled: Bool? = nil) {
        self.displayName = displayName
        self.roleId = roleId
        self.teamId = teamId
        self.disabled = disabled
    }

    public var isEmpty: Bool { displayName == nil && roleId == nil && teamId == nil && disabled == nil }
}
