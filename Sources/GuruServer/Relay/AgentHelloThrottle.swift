import Foundation

/// Slows down credential guessing on the agent endpoint, per source address and per agent id, with the
/// same reserve-first rule as sign-in (`AttemptBudget`). A throttled AgentHello is answered
/// `Reject(RateLimited)`, never `BadCredential`, so a real agent backs off instead of giving up.
struct AgentHelloThrottle: Sendable {
    /// Per address (an IPv6 /64): 10 free failures, many agents share an office's address; per agent id:
    /// 5. Then locks of 1 s doubling to 15 min; forgotten after 30 min without a failure.
    static let policy = AttemptBudget.Policy(dimensions: [
        .init(name: "address", freeFailures: 10, forgetAfter: 30 * 60),
        .init(name: "agent", freeFailures: 5, forgetAfter: 30 * 60, clearsOnSuccess: true),
    ])

    private let budget: AttemptBudget

    init(policy: AttemptBudget.Policy = Self.policy, now: @escaping @Sendable () -> Date = { Date() }) {
        budget = AttemptBudget(policy: policy, now: now)
    }

    /// Admits one AgentHello for `agentId` from `address` and counts it, or throws how long to wait.
    func reserve(address: String, agentId: String) async throws(Throttled) -> AttemptBudget.Reservation {
        try await budget.reserve([AddressBlock.of(address), agentId])
    }

    /// A verified agent gives its reservation back; a bad credential keeps it.
    func settle(_ reservation: AttemptBudget.Reservation, as outcome: AttemptBudget.Outcome) async {
        await budget.settle(reservation, as: outcome)
    }
}
