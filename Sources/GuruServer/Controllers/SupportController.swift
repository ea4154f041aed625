import Foundation
import GuruProtocol
import GuruStore
import Hummingbird
import HummingbirdWebSocket

/// The Support tab's API: issuing codes, listing sessions by what the caller may see, joining, ending,
/// cancelling and transferring, and the dashboard WebSocket that announces every change.
struct SupportController: RouteCollection {
    let dependencies: ServerDependencies
    let support: SupportSessions

    struct CreateRequest: Decodable {
        /// False for a first-come code; true (the default) for an assigned one.
        let assigned: Bool?
        /// Who the code is assigned to; the caller when absent.
        let assigneeId: String?
        let expiresInMinutes: Int?
        let visibility: String?
    }
    struct TransferRequest: Decodable { let userId: String }
    struct SessionDTO: ResponseEncodable, Sendable {
        let id: String
        let code: String
        let status: String
        let machineName: String?
        let ownerId: String?
        let ownerName: String?
        /// Who issued the code; differs from the owner when it was assigned to them.
        let createdById: String
        let createdByName: String?
        let createdAt: Date
        let connectedAt: Date?
        let endedAt: Date?
        let expiresAt: Date?
        let endReason: String?
        let visibility: String
        let agentOnline: Bool
        /// Where the caller's list shows it; nil only in the answer to the one who assigned a code to
        /// someone else and whose role does not list others' sessions.
        let section: String?
        let canJoin: Bool
        let canView: Bool
        let canEnd: Bool
        let canCancel: Bool
        let canTransfer: Bool
        let portalUrl: String?
        /// The session's diagnostics reports (docs/api.md, Diagnostics): how many, and the newest one.
        let diagnosticsCount: Int
        let latestDiagnosticsId: String?
    }
    struct SessionList: ResponseEncodable { let sessions: [SessionDTO] }
    /// A technician as the assignee picker sees them: a name and an id, nothing more.
    struct Technician: ResponseEncodable { let id: String; let displayName: String }

    /// Ended sessions stay listed this long, so a technician sees how one ended.
    static let recentWindow: TimeInterval = 15 * 60

    func register(on routes: RouteTable) {
        let hub = support.hub
        let technicians = SupportTechnicians(store: dependencies.store)
        routes.get("/api/support/sessions", .signedIn) { _, context in
            let identity = try context.requireIdentity()
            let users = try await usersById()
            let online = await hub.onlineAgents()
            let sessions = try await dependencies.store.support.list(endedSince: Date().addingTimeInterval(-Self.recentWindow))
            let reports = try await dependencies.store.diagnostics.digests(sessionKind: .support, sessionIds: sessions.map(\.id))
            return SessionList(sessions: sessions.compactMap { dto($0, identity: identity, users: users, online: online, reports: reports) })
        }
        routes.post("/api/support/sessions", .permission(.createSupportCode)) { request, context in
            let identity = try context.requireIdentity()
            let body = try await request.decode(as: CreateRequest.self, context: context)
            let settings = try await dependencies.store.settings.load()
            var visibility = settings.defaultVisibility
            if let asked = body.visibility {
                guard let parsed = ServerSettings.Visibility(rawValue: asked) else { throw APIError.badRequest("visibility must be private, team or company.") }
                visibility = parsed
            }
            var expiresAt: Date?
            if let minutes = body.expiresInMinutes {
                guard (1...43_200).contains(minutes) else { throw APIError.badRequest("expiresInMinutes must be 1 to 43200 (30 days).") }
                expiresAt = Date().addingTimeInterval(TimeInterval(minutes * 60))
            }
            let assignment: SupportAssignment
            do {
                assignment = try await SupportAssignment.resolve(
                    assigned: body.assigned, assigneeId: body.assigneeId, caller: identity, technicians: technicians
                )
            } catch let refusal as SupportAssignment.Refusal {
                await dependencies.audit.record("support.create", .denied, context: context, detail: "assign to \(body.assigneeId ?? "nobody"): \(refusal.apiError.code)")
                throw refusal.apiError
            }
            let session: SupportSession
            do {
                session = try await support.create(owner: assignment.owner, createdBy: identity.user, visibility: visibility, expiresAt: expiresAt)
            } catch SupportSessions.Failure.noCodeAvailable {
                throw APIError(.serviceUnavailable, "no_code", "No free support code right now; try again.")
            }
            await dependencies.audit.record("support.create", .success, context: context, target: session.id, detail: assignment.auditDetail)
            let users = try await usersById()
            let created = describe(session, identity: identity, users: users, online: [], portal: portalURL(request, code: session.code))
            return EditedResponse(status: .created, response: created)
        }
        routes.get("/api/support/technicians", .signedIn) { _, _ in
            try await technicians.all().map { Technician(id: $0.id, displayName: $0.displayName) }
        }
        routes.post("/api/support/sessions/{id}/join", .signedIn) { request, context in
            let identity = try context.requireIdentity()
            let (session, access) = try await load(context, identity: identity)
            let mode = try await request.decode(as: AgentController.JoinRequest.self, context: context).viewerMode()
            guard mode == .control ? access.canJoin : access.canView else {
                await dependencies.audit.record("support.join", .denied, context: context, target: session.id)
                throw APIError.forbidden(session.status.isActive ? "Your role does not allow joining this session." : "This session has ended.")
            }
            guard await hub.isOnline(session.id) else { throw APIError.conflict("The end user's agent is not connected.") }
            if mode == .control { _ = try await support.claim(session, by: identity.user) }
            let token = await hub.grant(agentId: session.id, userId: identity.user.id, displayName: identity.user.displayName, mode: mode)
            await dependencies.audit.record("support.join", .success, context: context, target: session.id, detail: mode == .control ? "control" : "view")
            return AgentController.JoinTicket(sessionId: session.id, joinToken: token, mode: mode)
        }
        routes.post("/api/support/sessions/{id}/end", .signedIn) { _, context in
            let identity = try context.requireIdentity()
            let (session, access) = try await load(context, identity: identity)
            guard access.canEnd else { return try await deny("support.end", session, context) }
            try await mapFailures { try await support.end(session, reason: "ended by \(identity.user.displayName)", wire: .endedByTechnician) }
            await dependencies.audit.record("support.end", .success, context: context, target: session.id)
            return Response(status: .noContent)
        }
        routes.post("/api/support/sessions/{id}/cancel", .signedIn) { _, context in
            let identity = try context.requireIdentity()
            let (session, access) = try await load(context, identity: identity)
            guard access.canCancel else {
                if session.status != .pending && access.canEnd { throw APIError.conflict("Only a pending code can be cancelled; end the session instead.") }
                return try await deny("support.cancel", session, context)
            }
            try await mapFailures { try await support.cancel(session) }
            await dependencies.audit.record("support.cancel", .success, context: context, target: session.id)
            return Response(status: .noContent)
        }
        routes.post("/api/support/sessions/{id}/transfer", .signedIn) { request, context in
            let identity = try context.requireIdentity()
            let (session, access) = try await load(context, identity: identity)
            guard access.canTransfer else { return try await deny("support.transfer", session, context) }
            let body = try await request.decode(as: TransferRequest.self, context: context)
            guard let target = try await dependencies.store.users.find(id: body.userId),
                  try await technicians.eligibility(of: target) == .eligible
            else { throw APIError.badRequest("That user cannot take support sessions.") }
            guard target.id != session.ownerId else { throw APIError.conflict("The session already belongs to \(target.displayName).") }
            try await mapFailures { try await support.transfer(session, to: target, by: identity.user) }
            await dependencies.audit.record("support.transfer", .success, context: context, target: session.id, detail: "to \(target.username)")
            return Response(status: .noContent)
        }
        routes.ws("/api/dashboard/ws", .signedIn) { inbound, outbound, context in
            // The access check ran before the upgrade; the identity says whose notices this dashboard gets.
            let identity = try context.requestContext.requireIdentity()
            let (id, notices) = await support.dashboards.add(userId: identity.user.id)
            try await withCleanup {
                try await DashboardSocket.serve(notices: notices, inbound: inbound, outbound: outbound)
            } cleanup: {
                await support.dashboards.remove(id)
            }
        }
    }

    // MARK: - Helpers

    private func usersById() async throws -> [String: User] {
        Dictionary(try await dependencies.store.users.list().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The session named in the path, with the caller's rights; 404 when the caller may not even see it.
    private func load(_ context: AppRequestContext, identity: Identity) async throws -> (SupportSession, SupportAccess) {
        let id = try context.parameter("id")
        guard let session = try await dependencies.store.support.find(id: id) else { throw APIError.notFound("No such support session.") }
        var ownerTeam: String?
        if let ownerId = session.ownerId { ownerTeam = try await dependencies.store.users.find(id: ownerId)?.teamId }
        let access = SupportAccess(caller: identity, session: session, ownerTeamId: ownerTeam)
        guard access.canSee else { throw APIError.notFound("No such support session.") }
        return (session, access)
    }

    private func deny(_ action: String, _ session: SupportSession, _ context: AppRequestContext) async throws -> Response {
        await dependencies.audit.record(action, .denied, context: context, target: session.id)
        throw APIError.forbidden()
    }

    private func mapFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as SupportSessions.Failure {
            switch failure {
            case .notActive(let status): throw APIError.conflict("The session is \(status.rawValue) already.")
            case .notFound: throw APIError.notFound("No such support session.")
            case .noCodeAvailable: throw APIError.internalError
            }
        }
    }

    /// The session as the caller's list shows it; nil when the caller may not see it.
    private func dto(
        _ session: SupportSession, identity: Identity, users: [String: User], online: Set<String>, reports: [String: DiagnosticReportDigest]
    ) -> SessionDTO? {
        let dto = describe(session, identity: identity, users: users, online: online, reports: reports[session.id])
        return dto.section == nil ? nil : dto
    }

    /// The session with the caller's rights on it, whether or not their list shows it.
    private func describe(
        _ session: SupportSession, identity: Identity, users: [String: User], online: Set<String>, portal: String? = nil,
        reports: DiagnosticReportDigest? = nil
    ) -> SessionDTO {
        let owner = session.ownerId.flatMap { users[$0] }
        let creator = users[session.createdBy]
        let access = SupportAccess(caller: identity, session: session, ownerTeamId: owner?.teamId)
        return SessionDTO(
            id: session.id, code: session.code, status: session.status.rawValue, machineName: session.machineName,
            ownerId: session.ownerId, ownerName: owner?.displayName, createdById: session.createdBy, createdByName: creator?.displayName,
            createdAt: session.createdAt, connectedAt: session.connectedAt,
            endedAt: session.endedAt, expiresAt: session.expiresAt, endReason: session.endReason, visibility: session.visibility.rawValue,
            agentOnline: online.contains(session.id), section: access.section?.rawValue, canJoin: access.canJoin, canView: access.canView,
            canEnd: access.canEnd, canCancel: access.canCancel, canTransfer: access.canTransfer, portalUrl: portal,
            diagnosticsCount: reports?.count ?? 0, latestDiagnosticsId: reports?.latestId
        )
    }

    private func portalURL(_ request: Request, code: String) -> String {
        "\(PortalController.serverURL(request, configuration: dependencies.configuration))/?code=\(code)"
    }
}
