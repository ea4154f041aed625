import Foundation
import GuruStore
import Hummingbird

/// Custom roles built from the permission catalog (`manageUsers`). Built-in roles are read-only.
struct RoleController: RouteCollection {
    let dependencies: ServerDependencies
    private var store: Store { dependencies.store }

    struct PermissionInfo: ResponseEncodable { let name: String; let label: String; let description: String }
    struct RoleRequest: Decodable { let name: String; let permissions: [String]; let scope: RoleDTO.ScopeDTO? }

    func register(on routes: RouteTable) {
        let access = Access.permission(.manageUsers)
        routes.get("/api/permissions", access) { _, _ in
            Permission.catalog.map { PermissionInfo(name: $0.name, label: $0.label, description: $0.description) }
        }
        routes.get("/api/roles", access) { _, _ in try await store.roles.list().map(RoleDTO.init) }
        routes.post("/api/roles", access) { request, context in
            let (name, permissions, scope) = try await parse(request, context)
            let role = Role(id: UUID().uuidString, name: name, builtin: false, permissions: permissions, createdAt: .now, scope: scope)
            try await mapStoreErrors(conflict: APIError.conflict("A role named '\(name)' exists.")) { () async throws(StoreError) in
                try await store.roles.create(role)
            }
            await dependencies.audit.record("role.create", .success, context: context, target: name, detail: Self.describe(permissions, scope))
            return EditedResponse(status: .created, response: RoleDTO(role))
        }
        routes.patch("/api/roles/{id}", access) { request, context in
            var role = try await existing(context)
            let (name, permissions, scope) = try await parse(request, context)
            role.name = name
            role.permissions = permissions
            role.scope = scope
            try await mapStoreErrors(conflict: APIError.conflict("A role named '\(name)' exists.")) { () async throws(StoreError) in
                try await store.roles.update(role)
            }
            await dependencies.audit.record("role.update", .success, context: context, target: name, detail: Self.describe(permissions, scope))
            return RoleDTO(role)
        }
        routes.delete("/api/roles/{id}", access) { _, context in
            let role = try await existing(context)
            try await mapStoreErrors(conflict: APIError.conflict("Users still have the role '\(role.name)'. Give them another role first.")) { () async throws(StoreError) in
                try await store.roles.delete(id: role.id)
            }
            await dependencies.audit.record("role.delete", .success, context: context, target: role.name)
            return Response(status: .noContent)
        }
    }

    private func existing(_ context: AppRequestContext) async throws -> Role {
        guard let role = try await store.roles.find(id: try context.parameter("id")) else { throw APIError.notFound("No such role.") }
        guard !role.builtin else { throw APIError.conflict("Built-in roles cannot be changed. Create a custom role instead.") }
        return role
    }

    private func parse(_ request: Request, _ context: AppRequestContext) async throws -> (String, Permission, AgentScope) {
        let body = try await request.decode(as: RoleRequest.self, context: context)
        let name = try Validation.name(body.name, field: "Role name", maxLength: 60)
        let permissions: Permission
        switch Permission.parse(body.permissions) {
        case .success(let parsed): permissions = parsed
        case .failure(let unknown): throw APIError.badRequest("Unknown permission '\(unknown.name)'.")
        }
        guard let scope = body.scope else { return (name, permissions, .all) }
        let companies = try scope.companies.map { try Validation.name($0, field: "Company", maxLength: 255) }
        guard companies.count <= 200, scope.filters.count <= 50 else { throw APIError.badRequest("A scope names at most 200 companies and 50 filters.") }
        let found = try await store.savedFilters.find(ids: scope.filters)
        if let missing = scope.filters.first(where: { id in !found.contains { $0.id == id } }) {
            throw APIError.badRequest("No saved filter has the id '\(missing.prefix(40))'.")
        }
        if let unshared = found.first(where: { !$0.shared }) {
            throw APIError.badRequest("The filter '\(unshared.name)' is not shared with the team; share it before a role's scope uses it.")
        }
        return (name, permissions, .limited(companies: companies, filterIds: scope.filters))
    }

    /// The audit detail: the permissions, and the scope when it is limited.
    static func describe(_ permissions: Permission, _ scope: AgentScope) -> String {
        let names = permissions.names.joined(separator: ",")
        guard case .limited(let companies, let filters) = scope else { return names }
        return "\(names); scope companies [\(companies.joined(separator: ", "))] filters [\(filters.joined(separator: ", "))]"
    }
}
