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

    /// An enrolled agent; 404 when there is none.
    func machine(_ agentId: String) async throws -> AgentRecord {
        guard let agent = try await store.agents.find(id: agentId) else { throw APIError.notFound("No such agent.") }
        return agent
    }

    /// Whether the caller may read a stored report.
    func mayRead(_ report: DiagnosticReportSummary, caller: Identity) async throws -> Bool {
        switch report.sessionKind {
        case .access:
            return caller.has(.accessUnattended)
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
