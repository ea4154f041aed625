import Foundation
import GuruStore
import Hummingbird

/// The signed-in user's API keys: list, create (secret shown once), revoke.
struct ApiKeyController: RouteCollection {
    let dependencies: ServerDependencies

    struct CreateRequest: Decodable { let name: String; let expiresInDays: Int? }
    struct Created: ResponseEncodable { let key: ApiKeyDTO; let secret: String }

    func register(on routes: RouteTable) {
        routes.get("/api/account/api-keys", .signedIn) { _, context in
            try await dependencies.store.apiKeys.list(userId: try context.requireIdentity().user.id).map(ApiKeyDTO.init)
        }
        // Minting or revoking keys changes the caller's credentials: the Authorizer refuses API keys here
        // (a key that could mint keys would outlive its own revocation).
        let own = Access.signedIn.changingCredentials(of: .caller)
        routes.post("/api/account/api-keys", own) { request, context in try await create(request, context) }
        routes.delete("/api/account/api-keys/{id}", own) { _, context in
            let id = try context.parameter("id")
            let userId = try context.requireIdentity().user.id
            try await mapStoreErrors(notFound: APIError.notFound("No active API key with that id.")) { () async throws(StoreError) in
                try await dependencies.store.apiKeys.revoke(id: id, userId: userId, at: .now)
            }
            await dependencies.audit.record("apikey.revoke", .success, context: context, target: id)
            return Response(status: .noContent)
        }
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<Created> {
        let identity = try context.requireIdentity()
        let body = try await request.decode(as: CreateRequest.self, context: context)
        let name = try Validation.name(body.name, field: "Name", maxLength: 80)
        if let days = body.expiresInDays, !(1...3650).contains(days) {
            throw APIError.badRequest("expiresInDays must be 1 to 3650, or null for no expiry.")
        }
        let (id, secret) = ApiKeyFormat.make()
        let now = Date()
        let key = ApiKey(
            id: id, userId: identity.user.id, name: name, secretHash: SecureToken.sha256Hex(secret), createdAt: now,
            expiresAt: body.expiresInDays.map { now.addingTimeInterval(Double($0) * 86_400) }
        )
        try await dependencies.store.apiKeys.create(key)
        await dependencies.audit.record("apikey.create", .success, context: context, target: id, detail: name)
        return EditedResponse(status: .created, response: Created(key: ApiKeyDTO(key), secret: secret))
    }
}
