import Foundation

/// Sign-ins that passed the password step and wait for a second factor. Short-lived and bounded.
actor PendingSignIns {
    /// Who passed the password step, and with which password hash: the sign-in completes only while the
    /// account still has it (`UserRepository.recordLogin`), so a reset in between ends the challenge.
    struct Challenge: Sendable {
        let userId: String
        let passwordHash: String
    }

    private struct Pending {
        let challenge: Challenge
        let expires: Date
        var attempts: Int
    }

    static let lifetime: TimeInterval = 5 * 60
    static let maxAttempts = 5
    private let capacity = 10_000
    private var pending: [String: Pending] = [:]

    /// Starts a challenge for the user and returns its token.
    func begin(userId: String, passwordHash: String) -> String {
        let now = Date()
        if pending.count >= capacity { pending = pending.filter { $0.value.expires > now } }
        if pending.count >= capacity, let oldest = pending.min(by: { $0.value.expires < $1.value.expires }) {
            pending[oldest.key] = nil
        }
        let token = SecureToken.make()
        pending[token] = Pending(challenge: Challenge(userId: userId, passwordHash: passwordHash), expires: now.addingTimeInterval(Self.lifetime), attempts: 0)
        return token
    }

    /// The user a live challenge belongs to, counting one attempt on it now, before the code is checked,
    /// so concurrent guesses cannot all pass; the challenge dies after `maxAttempts`.
    func claimAttempt(_ token: String) -> Challenge? {
        guard var entry = pending[token] else { return nil }
        guard entry.expires > Date() else {
            pending[token] = nil
            return nil
        }
        entry.attempts += 1
        pending[token] = entry.attempts >= Self.maxAttempts ? nil : entry
        return entry.challenge
    }

    func finish(_ token: String) {
        pending[token] = nil
    }
}
