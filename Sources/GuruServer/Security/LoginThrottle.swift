import Foundation

/// Slows down password and second-factor guessing, per source address and per account
/// (`AttemptBudget`: counted when admitted, given back on success).
///
/// - per address (an IPv6 /64): 20 free failures, forgotten after 30 min without one; a success gives
///   back only its own attempt, so one good account does not launder a campaign against others;
/// - per account: 5 free failures, forgotten after 24 h without one, cleared by a full sign-in; and one
///   attempt at a time, so at most one bcrypt per account is ever in flight;
/// - then locks of 1 s, 2 s, 4 s … up to 15 min. The worst case per account is in docs/support.md §6.
struct LoginThrottle: Sendable {
    static let policy = AttemptBudget.Policy(dimensions: [
        .init(name: "address", freeFailures: 20, forgetAfter: 30 * 60),
        .init(name: "account", freeFailures: 5, forgetAfter: 24 * 3600, clearsOnSuccess: true, oneAtATime: true),
    ])

    private let budget: AttemptBudget

    init(policy: AttemptBudget.Policy = Self.policy, now: @escaping @Sendable () -> Date = { Date() }) {
        budget = AttemptBudget(policy: policy, now: now)
    }

    /// Admits one attempt on `account` from `address` and counts it, or throws how long to wait.
    func reserve(address: String, account: String) async throws(Throttled) -> AttemptBudget.Reservation {
        try await budget.reserve([AddressBlock.of(address), account.lowercased()])
    }

    /// Settles an admitted attempt: `.succeeded` only for a full sign-in (a right password that still
    /// needs its second factor is `.notTried`, so it cannot reset the account's count).
    func settle(_ reservation: AttemptBudget.Reservation, as outcome: AttemptBudget.Outcome) async {
        await budget.settle(reservation, as: outcome)
    }
}
