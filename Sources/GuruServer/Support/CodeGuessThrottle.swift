import Foundation

/// Slows down guessing of support codes: per source address with exponential backoff, and server-wide
/// with a token bucket, so many addresses together cannot out-guess it either (docs/support.md §6).
/// Each check is reserved before the request body is even read (`AttemptBudget`).
struct CodeGuessThrottle: Sendable {
    /// Per address (an IPv6 /64): 5 free failures, then locks of 1 s doubling to 15 min, forgotten after
    /// 30 min without a failure. Server-wide: 60 at once, refilled at 120 an hour.
    static let policy = AttemptBudget.Policy(
        dimensions: [.init(name: "address", freeFailures: 5, forgetAfter: 30 * 60)],
        shared: .init(burst: 60, refillPerHour: 120)
    )

    private let budget: AttemptBudget

    init(policy: AttemptBudget.Policy = Self.policy, now: @escaping @Sendable () -> Date = { Date() }) {
        budget = AttemptBudget(policy: policy, now: now)
    }

    /// Admits one code check from `address` and counts it, or throws how long to wait.
    func reserve(address: String) async throws(Throttled) -> AttemptBudget.Reservation {
        try await budget.reserve([AddressBlock.of(address)])
    }

    /// A found code or a malformed one gives the reservation back; a wrong code keeps it.
    func settle(_ reservation: AttemptBudget.Reservation, as outcome: AttemptBudget.Outcome) async {
        await budget.settle(reservation, as: outcome)
    }
}
