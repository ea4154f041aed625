import Foundation
import GuruProtocol
import GuruStore
import Hummingbird

/// Enrolling agents, removing them, and handing out join tokens for viewers. Every route on one machine
/// checks the caller's scope first (`AgentScopes`): outside it, the machine does not exist. The list and
/// its groups are `AgentListController`'s.
struct AgentController: RouteCollection {
    let dependencies: ServerDependencies
    let support: SupportSessions
    let facts: AccessFacts
    let agentNotices: AgentChangeNotices
    var hub: RelayHub { support.hub }

    struct EnrolRequest: Decodable { let name: String }
    /// A request to join an agent (or a support session) as a viewer.
    struct JoinRequest: Decodable {
        let mode: String?

        /// The mode asked for; control when none is given.
        func viewerMode() throws -> ViewerMode {
            switch mode ?? "control" {
            case "control": .control
            case "view": .view
            default: throw APIError.badRequest("mode must be control or view.")
            }
        }
    }
    struct Enrolled: ResponseEncodable { let agent: AgentDTO; let credential: String }
    struct JoinTicket: ResponseEncodable {
        let sessionId: String
        let joinToken: String
        let mode: String
        let expiresInSeconds: Int
        let webSocketPath: String

        /// The ticket for a single-use join token of `sessionId`.
        init(sessionId: String, joinToken: String, mode: ViewerMode) {
            self.sessionId = sessionId
            self.joinToken = joinToken
            self.mode = mode == .control ? "control" : "view"
            expiresInSeconds = Int(RelayHub.grantLifetime)
            webSocketPath = "/api/viewer/ws"
        }
    }

    func register(on routes: RouteTable) {
        let relay = RelayConnections(hub: hub, dependencies: dependencies, support: support, agentNotices: agentNotices)
        let scopes = facts.scopes
        routes.ws("/api/agent/ws", .anyone) { inbound, outbound, context in try await relay.agent(inbound, outbound, context) }
        routes.ws("/api/viewer/ws", .anyone) { inbound, outbound, context in try await relay.viewer(inbound, outbound, context) }

        routes.post("/api/agents", .permission(.buildInstallers)) { request, context in
            let body = try await request.decode(as: EnrolRequest.self, context: context)
            let name = try Validation.name(body.name, field: "Name", maxLength: 80)
            let (agent, credential) = try await AgentEnrolment.enrol(
                name: name, createdBy: try context.requireIdentity().user.username, store: dependencies.store
            )
            await dependencies.audit.record("agent.enrol", .success, context: context, target: agent.id, detail: name)
            agentNotices.changed()
            return EditedResponse(status: .created, response: Enrolled(agent: AgentDTO(agent, online: false), credential: credential))
        }
        routes.delete("/api/agents/{id}", .permission(.buildInstallers)) { _, context in
            let id = try await scopes.require(try context.parameter("id"), for: try context.requireIdentity()).record.id
            try await mapStoreErrors(notFound: .notFound("No such agent.")) { () async throws(StoreError) in
                try await dependencies.store.agents.delete(id: id)
            }
            await hub.disconnect(agentId: id)
            await dependencies.audit.record("agent.delete", .success, context: context, target: id)
            agentNotices.changed()
            return Response(status: .noContent)
        }
        // A machine whose identity key was lost (its key file or DPAPI value gone) is refused until this:
        // the next agent that proves any key with the credential binds it, and viewers warn it changed.
        routes.post("/api/agents/{id}/identity/reset", .permission(.buildInstallers)) { _, context in
            let id = try await scopes.require(try context.parameter("id"), for: try context.requireIdentity()).record.id
            let forgotten = try await mapStoreErrors(notFound: .notFound("No such agent.")) { () async throws(StoreError) in
                try await dependencies.store.identities.reset(.enrolledAgent(id: id))
            }
            await hub.disconnect(agentId: id)
            await dependencies.audit.record("agent.identity.reset", .success, context: context, target: id,
                                            detail: forgotten.map { "forgot key \($0.prefix(16))…" } ?? "no key was bound")
            return Response(status: .noContent)
        }
        routes.post("/api/agents/{id}/join", .permission(.accessUnattended)) { request, context in
            let identity = try context.requireIdentity()
            let id = try await scopes.require(try context.parameter("id"), for: identity).record.id
            let mode = try await request.decode(as: JoinRequest.self, context: context).viewerMode()
            guard await hub.isOnline(id) else { throw APIError.conflict("The agent is offline.") }
            let user = identity.user
            let token = await hub.grant(agentId: id, userId: user.id, displayName: user.displayName, mode: mode)
            try await dependencies.store.agents.markAccessed(id: id, at: .now)
            await dependencies.audit.record("session.join", .success, context: context, target: id, detail: mode == .control ? "control" : "view")
            return JoinTicket(sessionId: id, joinToken: token, mode: mode)
        }
    }

}

/// Creates an agent identity: a random 16-byte id and a credential returned once, stored hashed.
public enum AgentEnrolment {
    public static func enrol(
        name: String, createdBy: String?, store: Store, metadata: MachineMetadata = MachineMetadata()
    ) async throws -> (agent: AgentRecord, credential: String) {
        let credential = SecureToken.make()
        let agent = AgentRecord(
            id: RelayHub.idHex(SecureToken.randomBytes(16)), name: name, credentialHash: SecureToken.sha256Hex(credential),
            createdAt: .now, createdBy: createdBy, metadata: metadata
        )
        try await store.agents.create(agent)
        return (agent, credential)
    }
}
