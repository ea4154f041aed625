import Foundation
import GuruStore
import Hummingbird

/// User administration (`manageUsers`). An admin cannot lock themself out of user management.
struct UserController: RouteCollection {
    let dependencies: ServerDependencies
    private var store: Store { dependencies.store }

    struct CreateRequest: Decodable {
        let username: String
        let displayName: String
        let password: String
        let roleId: String
        let teamId: String?
    }

    /// A partial update; `teamId: null` clears the team, an absent key leaves it.
    struct UpdateRequest: Decodable {
        var displayName: String?
        var roleId: String?
        var teamId: String??
        var disabled: Bool?

        enum CodingKeys: String, CodingKey { case displayName, roleId, teamId, disabled }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
            roleId = try container.decodeIfPresent(String.self, forKey: .roleId)
            disabled = try container.decodeIfPresent(Bool.self, forKey: .disabled)
            if container.contains(.teamId) { teamId = .some(try container.decodeIfPresent(String.self, forKey: .teamId)) }
        }
    }

    /// An admin's password reset. `revokeApiKeys` also revokes the user's API keys (otherwise they are listed
    /// in the answer, so the admin sees what still works); on their own account the admin re-authenticates.
    struct PasswordReset: Decodable {
        let newPassword: String
        let revokeApiKeys: Bool?
        let currentPassword: String?
        let code: String?
    }
    /// What a password reset did to the user's other credentials.
    struct PasswordResetResult: ResponseEncodable {
        let revokedApiKeys: Int
        /// The user's API keys that still work.
        let activeApiKeys: [ApiKeyDTO]
    }
    /// On their own account an admin re-authenticates; for anyone else the body may be empty.
    struct SelfProof: Decodable { let currentPassword: String?; let code: String? }

    func register(on routes: RouteTable) {
        let access = Access.permission(.manageUsers)
        routes.get("/api/users", access) { _, _ in
            var users: [UserDTO] = []
            for user in try await store.users.list() { users.append(try await dependencies.userDTO(user)) }
            return users
        }
        routes.post("/api/users", access) { request, context in try await create(request, context) }
        routes.patch("/api/users/{id}", access) { request, context in try await update(request, context) }
        // Both change the credentials of the user in the path: an admin's API key is refused on its own account.
        let credentials = access.changingCredentials(of: .pathUser)
        routes.post("/api/users/{id}/password", credentials) { request, context in try await resetPassword(request, context) }
        routes.post("/api/users/{id}/totp/disable", credentials) { request, context in
            let user = try await target(context)
            let identity = try context.requireIdentity()
            if user.id == identity.user.id {
                let proof = try await request.decode(as: SelfProof.self, context: context)
                try await Reauthentication(dependencies: dependencies).verify(
                    identity.user, currentPassword: proof.currentPassword, code: proof.code, action: "totp.disable", context: context
                )
            }
            try await TwoFactorReset(store: store).reset(userId: user.id)
            await dependencies.audit.record("totp.disable", .success, context: context, target: user.username, detail: "by admin")
            return Response(status: .noContent)
        }
        routes.delete("/api/users/{id}", access) { _, context in
            let user = try await target(context)
            guard user.id != (try context.requireIdentity().user.id) else {
                throw APIError.conflict("You cannot delete your own account.")
            }
            try await store.users.delete(id: user.id)
            await dependencies.audit.record("user.delete", .success, context: context, target: user.username)
            return Response(status: .noContent)
        }
    }

    private func target(_ context: AppRequestContext) async throws -> User {
        guard let user = try await store.users.find(id: try context.parameter("id")) else { throw APIError.notFound("No such user.") }
        return user
    }

    private func requireRole(_ id: String) async throws -> Role {
        guard let role = try await store.roles.find(id: id) else { throw APIError.badRequest("Unknown role '\(id)'.") }
        return role
    }

    private func requireTeam(_ id: String?) async throws {
        guard let id else { return }
        guard try await store.teams.find(id: id) != nil else { throw APIError.badRequest("Unknown team '\(id)'.") }
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<UserDTO> {
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let username = try Validation.username(body.username)
        let displayName = try Validation.name(body.displayName, field: "Display name")
        try PasswordHasher.validate(body.password)
        _ = try await requireRole(body.roleId)
        let teamId = body.teamId.flatMap { $0.isEmpty ? nil : $0 }
        try await requireTeam(teamId)
        let user = User(
            id: UUID().uuidString, username: username, displayName: displayName,
            passwordHash: try await dependencies.hasher.hash(body.password), roleId: body.roleId, teamId: teamId,
            createdAt: .now
        )
        try await mapStoreErrors(conflict: APIError.conflict("The username '\(username)' is taken.")) { () async throws(StoreError) in
            try await store.users.create(user)
        }
        await dependencies.audit.record("user.create", .success, context: context, target: username, detail: "role \(body.roleId)")
        return EditedResponse(status: .created, response: try await dependencies.userDTO(user))
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> UserDTO {
        let user = try await target(context)
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        let isSelf = user.id == (try context.requireIdentity().user.id)
        var changes = UserChanges()
        var described: [String] = []
        if let displayName = body.displayName {
            changes.displayName = try Validation.name(displayName, field: "Display name")
            described.append("displayName")
        }
        if let roleId = body.roleId, roleId != user.roleId {
            let role = try await requireRole(roleId)
            if isSelf && !role.permissions.contains(.manageUsers) {
                throw APIError.conflict("You cannot take user management away from yourself.")
            }
            changes.roleId = roleId
            described.append("role=\(roleId)")
        }
        if let teamId = body.teamId {
            let cleaned = teamId.flatMap { $0.isEmpty ? nil : $0 }
            try await requireTeam(cleaned)
            changes.teamId = .some(cleaned)
            described.append("team=\(cleaned ?? "none")")
        }
        if let disabled = body.disabled, disabled != user.disabled {
            if isSelf && disabled { throw APIError.conflict("You cannot disable your own account.") }
            changes.disabled = disabled
            described.append(disabled ? "disabled" : "enabled")
        }
        // Only the columns this request names are written, so nothing another request changed is undone.
        let updated = try await mapStoreErrors(notFound: APIError.notFound("No such user.")) { () async throws(StoreError) in
            try await store.users.update(id: user.id, changes)
        }
        if updated.disabled { try await store.webSessions.deleteAll(userId: updated.id, keeping: nil) }
        await dependencies.audit.record(
            "user.update", .success, context: context, target: updated.username, detail: described.joined(separator: ", ")
        )
        return try await dependencies.userDTO(updated)
    }

    private func resetPassword(_ request: Request, _ context: AppRequestContext) async throws -> PasswordResetResult {
        let user = try await target(context)
        let body = try await request.decode(as: PasswordReset.self, context: context)
        let identity = try context.requireIdentity()
        let isSelf = user.id == identity.user.id
        if isSelf {
            try await Reauthentication(dependencies: dependencies).verify(
                identity.user, currentPassword: body.currentPassword, code: body.code, action: "user.password", context: context
            )
        }
        try PasswordHasher.validate(body.newPassword)
        let newHash = try await dependencies.hasher.hash(body.newPassword)
        guard try await store.users.setPasswordHash(userId: user.id, to: newHash, expected: nil) else {
            throw APIError.notFound("No such user.")
        }
        // Every session of the user ends; an admin resetting their own password keeps the one they act from.
        var keep: String?
        if isSelf, case .session(let hash, _) = identity.credential { keep = hash }
        try await store.webSessions.deleteAll(userId: user.id, keeping: keep)
        var revoked = 0
        if body.revokeApiKeys == true { revoked = try await store.apiKeys.revokeAll(userId: user.id, at: .now) }
        let remaining = try await store.apiKeys.list(userId: user.id).filter { $0.isActive(at: .now) }
        await dependencies.audit.record(
            "user.password", .success, context: context, target: user.username,
            detail: "sessions revoked, \(revoked) API key(s) revoked, \(remaining.count) still active"
        )
        return PasswordResetResult(revokedApiKeys: revoked, activeApiKeys: remaining.map(ApiKeyDTO.init))
    }
}
