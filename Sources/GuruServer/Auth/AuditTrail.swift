import Foundation
import GuruStore
import Logging

/// Writes audit events with the who and where filled in from the request.
struct AuditTrail: Sendable {
    let store: any AuditRepository
    let logger: Logger

    func record(
        _ action: String, _ outcome: AuditEvent.Outcome, context: AppRequestContext,
        actor: User? = nil, target: String? = nil, detail: String? = nil
    ) async {
        let who = actor ?? context.identity?.user
        let event = AuditEvent(
            at: .now, actorId: who?.id, actorName: who?.username, sourceAddress: context.clientAddress,
            action: action, target: target, outcome: outcome, detail: detail
        )
        do {
            try await store.append(event)
        } catch {
            // Losing an audit row is serious but must not turn a done action into a reported failure.
            logger.error("audit write failed", metadata: ["action": "\(action)", "error": "\(error)"])
        }
    }
}
