import Foundation
import GuruStore
import Hummingbird

/// A user as the API shows it: never a hash or a secret.
struct UserDTO: ResponseCodable, Sendable {
    struct RoleRef: Codable, Sendable { let id: String; let name: String }
    struct TeamRef: Codable, Sendable { let id: String; let name: String }

    let id: String
    let username: String
    let displayName: String
    let role: RoleRef
    let team: TeamRef?
    let permissions: [String]
    let totpEnabled: Bool
    let disabled: Bool
    let createdAt: Date
    let lastLoginAt: Date?
    /// API keys that still work, so an admin resetting a password sees what else opens the account.
    let activeApiKeys: Int

    init(_ user: User, role: Role?, team: Team?, activeApiKeys: Int) {
        id = user.id
        username = user.username
        displayName = user.displayName
        self.role = RoleRef(id: user.roleId, name: role?.name ?? user.roleId)
        self.team = team.map { TeamRef(id: $0.id, name: $0.name) }
        permissions = role?.permissions.names ?? []
        totpEnabled = user.totpEnabled
        disabled = user.disabled
        createdAt = user.createdAt
        lastLoginAt = user.lastLoginAt
        self.activeApiKeys = activeApiKeys
    }
}

extension ServerDependencies {
    /// Builds the DTO, looking up the role and team.
    func userDTO(_ user: User) async throws -> UserDTO {
        let role = try await store.roles.find(id: user.roleId)
        let team = try await user.teamId.asyncMap { try await store.teams.find(id: $0) } ?? nil
        let keys = try await store.apiKeys.list(userId: user.id).filter { $0.isActive(at: .now) }.count
        return UserDTO(user, role: role, team: team, activeApiKeys: keys)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
