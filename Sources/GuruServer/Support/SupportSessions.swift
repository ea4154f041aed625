import Foundation
import GuruProtocol
import GuruStore
import Logging

/// The support-session rules shared by the dashboard API, the portal and the relay: issuing codes,
/// the agent's secret, status changes from the agent, ending, cancelling and transferring.
/// Every change is announced to the dashboards.
struct SupportSessions: Sendable {
    let store: Store
    let hub: RelayHub
    let dashboards: DashboardHub
    let serverKey: ServerKey
    let logger: Logger

    /// Errors the API turns into responses.
    enum Failure: Error, Equatable {
        case noCodeAvailable
        case notFound
        case notActive(SupportSession.Status)
    }

    // MARK: - Issuing

    /// A new pending session with a fresh code. Retries when another node took the same code meanwhile.
    func create(
        owner: User?, createdBy: User, visibility: ServerSettings.Visibility, expiresAt: Date?
    ) async throws -> SupportSession {
        for _ in 0..<8 {
            let active = try await store.support.activeCodes()
            guard let code = SupportCodes.draw(excluding: active) else { throw Failure.noCodeAvailable }
            let session = SupportSession(
                id: RelayHub.idHex(SecureToken.randomBytes(16)), code: code, ownerId: owner?.id, createdBy: createdBy.id,
                visibility: visibility, createdAt: .now, expiresAt: expiresAt
            )
            do throws(StoreError) {
                try await store.support.create(session)
            } catch {
                if case .conflict = error { continue }
                throw error
            }
            await dashboards.supportChanged(session.id)
            if let owner { await announceAssignment(session, to: owner, by: createdBy, via: .code) }
            return session
        }
        throw Failure.noCodeAvailable
    }

    // MARK: - The agent

    /// The session an agent proves with its id and the secret of one of the session's downloads, while it is
    /// active. Each download has its own secret; only its SHA-256 is stored (docs/support.md §4).
    func verifyAgent(id: String, credential: String) async throws -> SupportSession? {
        guard let session = try await store.support.find(id: id), session.status.isActive else { return nil }
        guard try await store.supportDownloads.hasSecret(sessionId: id, secretHash: SecureToken.sha256Hex(credential)) else { return nil }
        return session
    }

    /// Applies what the agent reports; returns false when the session is over and the agent must go.
    func agentReported(_ state: AgentState, sessionId: String) async throws -> Bool {
        let now = Date()
        switch state {
        case .waitingForConsent:
            _ = try await store.support.transition(id: sessionId, from: [.pending], to: .waitingConsent, at: now, reason: nil)
        case .consentGiven:
            _ = try await store.support.transition(id: sessionId, from: [.pending, .waitingConsent], to: .connected, at: now, reason: nil)
        case .consentDeclined:
            _ = try await store.support.transition(id: sessionId, from: SupportSession.Status.active, to: .declined, at: now, reason: "declined by the end user")
            await hub.endSession(sessionId, reason: .declined)
            await dashboards.supportChanged(sessionId)
            return false
        case .endedByUser:
            _ = try await store.support.transition(id: sessionId, from: SupportSession.Status.active, to: .ended, at: now, reason: "ended by the end user")
            await hub.endSession(sessionId, reason: .endedByTechnician)
            await dashboards.supportChanged(sessionId)
            return false
        }
        await dashboards.supportChanged(sessionId)
        return true
    }

    /// Records the machine's name once the agent reports it.
    func agentDescribed(sessionId: String, machineName: String) async throws {
        guard let session = try await store.support.find(id: sessionId), session.machineName != machineName else { return }
        try await store.support.setMachineName(id: session.id, machineName)
        await dashboards.supportChanged(sessionId)
    }

    /// The agent's connection came or went.
    func agentPresenceChanged(sessionId: String) async {
        await dashboards.supportChanged(sessionId)
    }

    // MARK: - Technicians

    /// Ends an active session from the dashboard (or the idle sweeper); the agent exits.
    func end(_ session: SupportSession, reason: String, wire: SessionEndReason) async throws {
        guard try await store.support.transition(id: session.id, from: SupportSession.Status.active, to: .ended, at: .now, reason: reason) else {
            throw Failure.notActive(session.status)
        }
        await hub.endSession(session.id, reason: wire)
        await dashboards.supportChanged(session.id)
    }

    /// Cancels a pending code.
    func cancel(_ session: SupportSession) async throws {
        guard try await store.support.transition(id: session.id, from: [.pending], to: .cancelled, at: .now, reason: "cancelled") else {
            throw Failure.notActive(session.status)
        }
        await hub.endSession(session.id, reason: .cancelled)
        await dashboards.supportChanged(session.id)
    }

    /// Gives the session to another technician, who is told; the previous owner's viewers are closed.
    func transfer(_ session: SupportSession, to user: User, by caller: User) async throws {
        guard try await store.support.transfer(id: session.id, to: user.id) else {
            throw Failure.notActive(try await store.support.find(id: session.id)?.status ?? session.status)
        }
        await hub.closeViewers(of: session.id, reason: .transferred)
        await dashboards.supportChanged(session.id)
        await announceAssignment(session, to: user, by: caller, via: .transfer)
    }

    /// Tells `owner`'s dashboards, and nobody else's, that someone else made the session theirs.
    private func announceAssignment(_ session: SupportSession, to owner: User, by assigner: User, via: AssignedNotice.Via) async {
        guard owner.id != assigner.id else { return }
        let notice = AssignedNotice(sessionId: session.id, code: session.code, assignedBy: assigner.displayName, via: via)
        do {
            await dashboards.send(String(decoding: try JSONEncoder().encode(notice), as: UTF8.self), toUser: owner.id)
        } catch {
            logger.error("support assignment notice not encoded", metadata: ["session": "\(session.id)", "error": "\(error)"])
        }
    }

    /// Makes an unassigned session the caller's (joining a support request claims it). When another
    /// technician claimed it first, theirs it stays: the session as stored is returned.
    func claim(_ session: SupportSession, by user: User) async throws -> SupportSession {
        guard session.ownerId == nil else { return session }
        if try await store.support.claim(id: session.id, by: user.id) { await dashboards.supportChanged(session.id) }
        return try await store.support.find(id: session.id) ?? session
    }

    // MARK: - Sweeping

    /// Expires pending codes past their expiry and ends sessions idle for longer than `idle`.
    func sweep(idle: TimeInterval, now: Date = .now) async throws {
        for id in try await store.support.expirePending(now: now) {
            await hub.endSession(id, reason: .cancelled)
            await dashboards.supportChanged(id)
        }
        let live = try await store.support.list(endedSince: now).filter { $0.status.isActive && $0.status != .pending }
        let idleIds = await hub.idleSessions(live.map(\.id), longerThan: idle, now: now)
        for session in live where idleIds.contains(session.id) {
            try? await end(session, reason: "idle timeout", wire: .idleTimeout)
            logger.info("support session ended: idle", metadata: ["session": "\(session.id)"])
        }
    }
}

/// What a technician's dashboards get when someone else gives them a session: a new code assigned to
/// them, or a session transferred to them (docs/support.md §5).
struct AssignedNotice: Encodable, Sendable {
    /// How the session became theirs.
    enum Via: String, Encodable, Sendable {
        case code
        case transfer
    }

    let type = "support.assigned"
    let sessionId: String
    let code: String
    /// The display name of whoever assigned it.
    let assignedBy: String
    let via: Via
}
