import Foundation
import GuruStore
import Hummingbird

/// Custom roles built from the permission catalog (`manageUsers`). Built-in roles are read-only.
struct RoleController: RouteCollection {
    let dependencies: ServerDependencies
    private var store: Store { dependencies.store }

    struct PermissionInfo: ResponseEncodable { let name: String; let label: String; let description: String }
    struct RoleRequest: Decodable { let name: String; let permissions: [String] }

    func register(on routes: RouteTable) {
        let access = Access.permission(.manageUsers)
        routes.get("/api/permissions", access) { _, _ in
            Permission.catalog.map { PermissionInfo(name: $0.name, label: $0.label, description: $0.description) }
        }
        routes.get("/api/roles", access) { _, _ in try await store.roles.list().map(RoleDTO.init) }
        routes.post("/api/roles", access) { request, context in
            let (name, permissions) = try await parse(request, context)
            let role = Role(id: UUID().uuidString, name: name, builtin: false, permissions: permissions, createdAt: .now)
            try await mapStoreErrors(conflict: APIError.conflict("A role named '\(name)' exists.")) { () async throws(StoreError) in
                try await store.roles.create(role)
            }
            await dependencies.audit.record("role.create", .success, context: context, target: name, detail: permissions.names.joined(separator: ","))
            return EditedResponse(status: .created, response: RoleDTO(role))
        }
        routes.patch("/api/roles/{id}", access) { request, context in
            var role = try await existing(context)
            let (name, permissions) = try await parse(request, context)
            role.name = name
            role.permissions = permissions
            try await mapStoreErrors(conflict: APIError.conflict("A role named '\(name)' exists.")) { () async throws(StoreError) in
                try await store.roles.update(role)
            }
            await dependencies.audit.record("role.update", .success, context: context, target: name, detail: permissions.names.joined(separator: ","))
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

    private func parse(_ request: Request, _ context: AppRequestContext) async throws -> (String, Permission) {
        let body = try await request.decode(as: RoleRequest.self, context: context)
        let name = try Validation.name(body.name, field: "Role name", maxLength: 60)
        switch Permission.parse(body.permissions) {
        case .success(let permissions): return (name, permissions)
        case .failure(let unknown): throw APIError.badRequest("Unknown permission '\(unknown.name)'.")
        }
    }
}
