import Foundation
import GuruStore
import Logging

/// Writes audit events with the who and where filled in from the request.
struct AuditTrail: Sendable {
    /// Longest `detail` kept; server-written details are far shorter.
    static let maxDetailBytes = 512
    let store: any AuditRepository
    let logger: Logger

    func record(
        _ action: String, _ outcome: AuditEvent.Outcome, context: AppRequestContext,
        actor: User? = nil, target: String? = nil, detail: String? = nil
    ) async {
        let who = actor ?? context.identity?.user
        // Targets and addresses may come straight from an anonymous request (a 60 kB username): each
        // field is bounded, so one row stays a few hundred bytes whatever was sent.
        let event = AuditEvent(
            at: .now, actorId: who?.id, actorName: who?.username, sourceAddress: BoundedText.key(context.clientAddress),
            action: action, target: target.map(BoundedText.key), outcome: outcome,
            detail: detail.map { BoundedText.truncated($0, maxBytes: Self.maxDetailBytes) }
        )
        do {
            try await store.append(event)
        } catch {
            // Losing an audit row is serious but must not turn a done action into a reported failure.
            logger.error("audit write failed", metadata: ["action": "\(action)", "error": "\(error)"])
        }
    }
}
