import GuruStore

/// Who may store and read diagnostics reports: the rights on the session they belong to.
/// An Access session is the enrolled agent itself (anyone with `accessUnattended` may join it); a
/// support session follows `SupportAccess`. A caller who may not see a report's session gets 404, as
/// for the session itself.
struct DiagnosticsAccess: Sendable {
    let store: Store

    /// The machine and session a support session's reports belong to, if the caller may see it; and
    /// whether they may store one now (a live session they may control or view).
    func support(_ sessionId: String, caller: Identity) async throws -> (session: SupportSession, mayCollect: Bool) {
        guard let session = try await store.support.find(id: sessionId) else { throw APIError.notFound("No such support session.") }
        let access = try await rights(on: session, caller: caller)
        guard access.canSee else { throw APIError.notFound("No such support session.") }
        return (session, access.canJoin || access.canView)
    }

    /// An enrolled agent in the caller's scope; 404 when there is none (or it lies outside the scope).
    func machine(_ agentId: String, caller: Identity) async throws -> AgentRecord {
        try await AgentScopes(store: store).require(agentId, for: caller).record
    }

    /// Whether the caller may read a stored report.
    func mayRead(_ report: DiagnosticReportSummary, caller: Identity) async throws -> Bool {
        switch report.sessionKind {
        case .access:
            guard caller.has(.accessUnattended) else { return false }
            let scope = try await AgentScopes(store: store).filter(for: caller)
            if scope == .constant(true) { return true }
            return try await store.directory.find(id: report.agentId, scope: scope, context: FilterContext()) != nil
        case .support:
            guard let session = try await store.support.find(id: report.sessionId) else { return false }
            return try await rights(on: session, caller: caller).canSee
        }
    }

    private func rights(on session: SupportSession, caller: Identity) async throws -> SupportAccess {
        var ownerTeam: String?
        if let ownerId = session.ownerId { ownerTeam = try await store.users.find(id: ownerId)?.teamId }
        return SupportAccess(caller: caller, session: session, ownerTeamId: ownerTeam)
    }
}
