import Foundation
import GuruStore
import Hummingbird

/// First-run setup: creates the first admin exactly once. Afterwards the route answers 404 and does nothing
/// (ScreenConnect's CVE-2024-1709 was a setup wizard that stayed reachable). On a bind the network can reach,
/// setup also needs the one-time token printed to the console at start: whoever reaches the port first must
/// not become the admin.
struct SetupController: RouteCollection {
    let dependencies: ServerDependencies

    struct SetupStatus: ResponseEncodable { let needsSetup: Bool; let tokenRequired: Bool }
    struct SetupRequest: Decodable { let username: String; let displayName: String; let password: String; let setupToken: String? }
    struct SetupResponse: ResponseEncodable { let user: UserDTO }

    func register(on routes: RouteTable) {
        routes.get("/api/setup/status", .anyone) { _, _ in
            SetupStatus(needsSetup: try await !dependencies.store.users.isSetupComplete(), tokenRequired: dependencies.setupToken != nil)
        }
        routes.post("/api/setup", .anyone) { request, context in
            try await setup(request, context)
        }
    }

    private func setup(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<SetupResponse> {
        let notFound = APIError.notFound("Setup is already complete.")
        guard try await !dependencies.store.users.isSetupComplete() else {
            await dependencies.audit.record("setup.create_admin", .denied, context: context, detail: "setup already complete")
            throw notFound
        }
        let body = try await request.decode(as: SetupRequest.self, context: context)
        if let expected = dependencies.setupToken {
            guard let given = body.setupToken?.trimmingCharacters(in: .whitespaces), SecureToken.constantTimeEquals(given, expected) else {
                await dependencies.audit.record("setup.create_admin", .denied, context: context, detail: "missing or wrong setup token")
                throw APIError(
                    .forbidden, "setup_token",
                    "This server is reachable from the network: enter the one-time setup token printed in the server's console at start."
                )
            }
        }
        let username = try Validation.username(body.username)
        let displayName = try Validation.name(body.displayName, field: "Display name")
        try PasswordHasher.validate(body.password)
        let user = User(
            id: UUID().uuidString, username: username, displayName: displayName,
            passwordHash: try await dependencies.hasher.hash(body.password), roleId: "admin", createdAt: .now
        )
        try await mapStoreErrors(conflict: notFound) { () async throws(StoreError) in
            try await dependencies.store.users.createFirstAdmin(user)
        }
        await dependencies.audit.record("setup.create_admin", .success, context: context, actor: user, target: user.username)
        dependencies.logger.notice("first admin created", metadata: ["username": "\(user.username)"])
        return EditedResponse(status: .created, response: SetupResponse(user: try await dependencies.userDTO(user)))
    }
}
