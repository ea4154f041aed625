import GuruStore

/// An authenticated caller: a user, the permissions of their role, and how they proved it.
public struct Identity: Sendable {
    /// The credential a request carried.
    public enum Credential: Sendable, Equatable {
        /// A browser session; the hash names the row, the token derives the CSRF token.
        case session(tokenHash: String, csrfToken: String)
        case apiKey(id: String)
    }

    public let user: User
    public let role: Role
    public let credential: Credential

    public var permissions: Permission { role.permissions }

    public func has(_ permission: Permission) -> Bool { permissions.isSuperset(of: permission) }
}
