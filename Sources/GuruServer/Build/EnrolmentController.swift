import Foundation
import GuruStore
import Hummingbird

/// Enrolment tokens for those who build installers, and the one unauthenticated route that trades a token for an
/// agent credential (FLEET-CONTRACT "Enrolment").
struct EnrolmentController: RouteCollection {
    let dependencies: ServerDependencies
    /// Per address, like AgentHello: a stranger cannot guess tokens at speed.
    let throttle: AgentHelloThrottle
    var tokens: EnrolmentTokens { EnrolmentTokens(store: dependencies.store) }

    /// A token as the list shows it; never its secret.
    struct TokenDTO: ResponseEncodable, Sendable {
        let id: String
        let name: String
        let createdBy: String?
        let createdAt: Date
        let expiresAt: Date
        let maxUses: Int64?
        let uses: Int64
        let revokedAt: Date?
        /// active, expired, used-up or revoked.
        let state: String
        let platform: String
        let metadata: InstallerMetadata

        init(_ token: EnrolmentToken, now: Date = .now) throws {
            id = token.id
            name = token.name
            createdBy = token.createdBy
            createdAt = token.createdAt
            expiresAt = token.expiresAt
            maxUses = token.maxUses
            uses = token.uses
            revokedAt = token.revokedAt
            state = token.refusal(at: now)?.rawValue ?? "active"
            platform = token.platform
            metadata = try InstallerMetadata.decode(json: token.metadataJSON)
        }
    }
    struct Created: ResponseEncodable { let token: TokenDTO; let secret: String }

    /// What an agent sends: its token, hostname and the metadata it knows (all optional but the token).
    struct EnrolRequest: Decodable {
        let token: String
        let hostname: String?
        let metadata: InstallerMetadata?
    }
    struct Enrolled: ResponseEncodable {
        let agentId: String
        let credential: String
        let server: String
    }

    func register(on routes: RouteTable) {
        routes.get("/api/enrolment-tokens", .permission(.buildInstallers)) { _, _ in
            let now = Date()
            return try await dependencies.store.enrolmentTokens.list().map { try TokenDTO($0, now: now) }
        }
        routes.post("/api/enrolment-tokens", .permission(.buildInstallers)) { request, context in
            let body = try await request.decode(as: EnrolmentTokens.Request.self, context: context)
            let (token, secret) = try await tokens.create(body, createdBy: try context.requireIdentity().user.username)
            await dependencies.audit.record("enrolment.token.create", .success, context: context, target: token.id, detail: token.name)
            return EditedResponse(status: .created, response: Created(token: try TokenDTO(token), secret: secret))
        }
        routes.delete("/api/enrolment-tokens/{id}", .permission(.buildInstallers)) { _, context in
            let id = try context.parameter("id")
            try await mapStoreErrors(notFound: .notFound("No such enrolment token.")) { () async throws(StoreError) in
                try await dependencies.store.enrolmentTokens.revoke(id: id, at: .now)
            }
            await dependencies.audit.record("enrolment.token.revoke", .success, context: context, target: id)
            return Response(status: .noContent)
        }
        routes.post("/api/agent/enrol", .anyone) { request, context in
            try await enrol(request, context)
        }
    }

    /// Trades a token for a new agent record. Every attempt is audited as `agent.enrol.token`; the caller learns
    /// only that the token is "expired or invalid", never which.
    private func enrol(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<Enrolled> {
        let body = try await request.decode(as: EnrolRequest.self, context: context)
        let secret = body.token.trimmingCharacters(in: .whitespacesAndNewlines)
        let tokenHash = SecureToken.sha256Hex(secret)
        let hostname = try body.hostname.map { try Validation.name($0, field: "Hostname", maxLength: 255) } ?? ""
        let reported = try (body.metadata ?? InstallerMetadata()).validated()
        let server = Self.agentSocketURL(try PortalController.agentServerURL(dependencies.configuration))
        let attempt: AttemptBudget.Reservation
        do throws(Throttled) {
            attempt = try await throttle.reserve(address: context.clientAddress, agentId: "enrol:\(tokenHash)")
        } catch {
            await dependencies.audit.record("agent.enrol.token", .denied, context: context, detail: "throttled")
            throw APIError.throttled(retryAfter: error.retryAfter)
        }

        let outcome: Result<EnrolmentToken, EnrolmentRefusal>
        if secret.isEmpty || secret.count > 128 {
            outcome = .failure(.unknown)
        } else {
            do {
                outcome = try await dependencies.store.enrolmentTokens.consume(tokenHash: tokenHash, at: .now)
            } catch {
                await throttle.settle(attempt, as: .notTried)
                throw error
            }
        }
        let token: EnrolmentToken
        switch outcome {
        case .failure(let why):
            await throttle.settle(attempt, as: .failed)
            await dependencies.audit.record("agent.enrol.token", .denied, context: context, target: hostname.isEmpty ? nil : hostname, detail: why.rawValue)
            throw APIError(.unauthorized, "enrolment_refused", "The enrolment token is expired or invalid.")
        case .success(let spent):
            await throttle.settle(attempt, as: .succeeded)
            token = spent
        }
        let metadata = reported.fillingBlanks(from: try InstallerMetadata.decode(json: token.metadataJSON))
        let name = metadata.name.isEmpty ? (hostname.isEmpty ? "Unnamed machine" : hostname) : metadata.name
        let (agent, credential) = try await AgentEnrolment.enrol(
            name: String(name.prefix(100)), createdBy: token.createdBy.map { "token:\($0)" }, store: dependencies.store,
            metadata: metadata.stored
        )
        await dependencies.audit.record(
            "agent.enrol.token", .success, context: context, target: agent.id,
            detail: "token \(token.id) (\(token.name)), use \(token.uses)\(token.maxUses.map { " of \($0)" } ?? ""), host \(hostname)"
        )
        return EditedResponse(status: .created, response: Enrolled(agentId: agent.id, credential: credential, server: server))
    }

    /// ws(s)://host/api/agent/ws for the server URL an agent dials.
    static func agentSocketURL(_ server: String) -> String {
        var url = server
        while url.hasSuffix("/") { url.removeLast() }
        if url.lowercased().hasPrefix("https://") { url = "wss://" + url.dropFirst(8) }
        else if url.lowercased().hasPrefix("http://") { url = "ws://" + url.dropFirst(7) }
        return url + "/api/agent/ws"
    }
}
