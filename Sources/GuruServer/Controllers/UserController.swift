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

    struct PasswordReset: Decodable { let newPassword: String }

    func register(on routes: RouteTable) {
        let access = Access.permission(.manageUsers)
        routes.get("/api/users", access) { _, _ in
            var users: [UserDTO] = []
            for user in try await store.users.list() { users.append(try await dependencies.userDTO(user)) }
            return users
        }
        routes.post("/api/users", access) { request, context in try await create(request, context) }
        routes.patch("/api/users/{id}", access) { request, context in try await update(request, context) }
        routes.post("/api/users/{id}/password", access) { request, context in try await resetPassword(request, context) }
        routes.post("/api/users/{id}/totp/disable", access) { _, context in
            let user = try await target(context)
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
        var user = try await target(context)
        let body = try await request.decode(as: UpdateRequest.self, context: context)
        let isSelf = user.id == (try context.requireIdentity().user.id)
        var changes: [String] = []
        if let displayName = body.displayName {
            user.displayName = try Validation.name(displayName, field: "Display name")
            changes.append("displayName")
        }
        if let roleId = body.roleId, roleId != user.roleId {
            let role = try await requireRole(roleId)
            if isSelf && !role.permissions.contains(.manageUsers) {
                throw APIError.conflict("You cannot take user management away from yourself.")
            }
            user.roleId = roleId
            changes.append("role=\(roleId)")
        }
        if let teamId = body.teamId {
            let cleaned = teamId.flatMap { $0.isEmpty ? nil : $0 }
            try await requireTeam(cleaned)
            user.teamId = cleaned
            changes.append("team=\(cleaned ?? "none")")
        }
        if let disabled = body.disabled, disabled != user.disabled {
            if isSelf && disabled { throw APIError.conflict("You cannot disable your own account.") }
            user.disabled = disabled
            changes.append(disabled ? "disabled" : "enabled")
        }
        try await store.users.update(user)
        if user.disabled { try await store.webSessions.deleteAll(userId: user.id, keeping: nil) }
        await dependencies.audit.record(
            "user.update", .success, context: context, target: user.username, detail: changes.joined(separator: ", ")
        )
        return try await dependencies.userDTO(user)
    }

    private func resetPassword(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var user = try await target(context)
        let body = try await request.decode(as: PasswordReset.self, context: context)
        try PasswordHasher.validate(body.newPassword)
        user.passwordHash = try await dependencies.hasher.hash(body.newPassword)
        try await store.users.update(user)
        try await store.webSessions.deleteAll(userId: user.id, keeping: nil)
        await dependencies.audit.record("user.password", .success, context: context, target: user.username)
        return Response(status: .noContent)
    }
}
