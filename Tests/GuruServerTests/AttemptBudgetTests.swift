import Foundation
import Testing
@testable import GuruServer

/// The reserve-first throttles: counted when admitted, given back on success, bounded under bursts.
@Suite("Attempt budgets")
struct AttemptBudgetTests {
    @Test func reservationsMadeBeforeAnyIsSettledStillRespectTheBudget() async {
        // 1,000 guesses from 250 addresses, all admitted or refused before any answer is known: the
        // old check-then-record throttle let every one through.
        let clock = TestClock()
        let throttle = CodeGuessThrottle(now: { clock.now })
        let admitted = await withTaskGroup(of: AttemptBudget.Reservation?.self) { group in
            for index in 0..<1000 {
                group.addTask {
                    do throws(Throttled) { return try await throttle.reserve(address: "198.51.100.\(index % 250)") } catch { return nil }
                }
            }
            var reservations: [AttemptBudget.Reservation] = []
            for await reservation in group { if let reservation { reservations.append(reservation) } }
            return reservations
        }
        #expect(admitted.count == 60, "the server-wide bucket holds 60; got \(admitted.count)")
        for reservation in admitted { await throttle.settle(reservation, as: .failed) }
        #expect(await !throttle.guessWrong(address: "192.0.2.1"))
    }

    @Test func concurrentWrongPasswordsForOneAccountAdmitOneAtATime() async {
        let clock = TestClock()
        let throttle = LoginThrottle(now: { clock.now })
        let outcomes = await withTaskGroup(of: Int?.self) { group in
            for index in 0..<200 {
                group.addTask {
                    do throws(Throttled) {
                        _ = try await throttle.reserve(address: "203.0.113.\(index % 200)", account: "Admin")
                        return nil
                    } catch {
                        return error.retryAfter
                    }
                }
            }
            var refusals: [Int?] = []
            for await outcome in group { refusals.append(outcome) }
            return refusals
        }
        #expect(outcomes.filter { $0 == nil }.count == 1, "one attempt per account in flight")
        #expect(outcomes.compactMap { $0 }.allSatisfy { $0 >= 1 })
    }

    @Test func theNextAttemptOnAnAccountWaitsForTheOneInFlight() async throws {
        let throttle = LoginThrottle()
        let first = try await throttle.reserve(address: "a", account: "bob")
        #expect(await throttle.refusal(address: "b", account: "BOB") == 1, "accounts match case-insensitively")
        #expect(await throttle.refusal(address: "b", account: "carol") == nil)
        await throttle.settle(first, as: .failed)
        #expect(await throttle.refusal(address: "b", account: "bob") == nil)
    }

    @Test func aSuccessGivesItsReservationBack() async throws {
        let clock = TestClock()
        let codes = CodeGuessThrottle(now: { clock.now })
        // Right codes never drain the server-wide bucket or lock the address.
        for _ in 0..<200 {
            let attempt = try await codes.reserve(address: "203.0.113.7")
            await codes.settle(attempt, as: .succeeded)
        }
        for _ in 0..<5 { #expect(await codes.guessWrong(address: "203.0.113.7")) }
        // A full sign-in clears the account, but gives back only its own attempt on the address.
        let logins = LoginThrottle(now: { clock.now })
        for index in 0..<20 { try await logins.fail(address: "10.0.0.1", account: "user\(index)") }
        let signIn = try await logins.reserve(address: "10.0.0.1", account: "bob")
        await logins.settle(signIn, as: .succeeded)
        try await logins.fail(address: "10.0.0.1", account: "carol")  // the 21st failure of the address
        #expect(await logins.refusal(address: "10.0.0.1", account: "dave") == 1)
    }

    @Test func anAttemptNeverTriedRestoresTheLockItSet() async throws {
        let clock = TestClock()
        let throttle = LoginThrottle(now: { clock.now })
        for _ in 0..<5 { try await throttle.fail(address: "a", account: "bob") }
        let sixth = try await throttle.reserve(address: "a", account: "bob")
        await throttle.settle(sixth, as: .notTried)
        await throttle.settle(sixth, as: .failed)  // a second settle does nothing
        #expect(await throttle.refusal(address: "a", account: "bob") == nil)
        try await throttle.fail(address: "a", account: "bob")
        #expect(await throttle.refusal(address: "a", account: "bob") == 1)
    }

    @Test func aFullTableNeverDropsALockedKey() async throws {
        let clock = TestClock()
        let policy = AttemptBudget.Policy(dimensions: [.init(name: "key", freeFailures: 0, forgetAfter: 3600)], capacity: 10)
        let budget = AttemptBudget(policy: policy, now: { clock.now })
        let locked = try await budget.reserve(["victim"])
        await budget.settle(locked, as: .failed)
        for index in 0..<9 {
            try await budget.settle(budget.reserve(["filler\(index)"]), as: .failed)
        }
        // Every key is locked now: a new key waits rather than pushing the victim out.
        await #expect(throws: Throttled.self) { try await budget.reserve(["newcomer"]) }
        #expect(await budget.rememberedKeys == 10)
        await #expect(throws: Throttled.self) { try await budget.reserve(["victim"]) }
        clock.advance(by: 2)  // the 1 s locks are over; unlocked keys may go to make room
        try await budget.settle(budget.reserve(["newcomer"]), as: .failed)
        #expect(await budget.rememberedKeys <= 10)
    }

    @Test func keysFromRequestsAreBounded() async throws {
        let budget = AttemptBudget(policy: LoginThrottle.policy)
        let huge = String(repeating: "x", count: 60_000)
        let first = try await budget.reserve(["a", huge])
        await #expect(throws: Throttled.self, "the same long name is the same key") { try await budget.reserve(["b", huge]) }
        await budget.settle(first, as: .failed)
        #expect(BoundedText.key(huge) == "sha256:" + SecureToken.sha256Hex(huge))
        #expect(BoundedText.key(huge).utf8.count == 71)
        #expect(BoundedText.key("admin") == "admin")
        let cut = BoundedText.truncated(String(repeating: "é", count: 400), maxBytes: 512)
        #expect(cut.utf8.count <= 512 && cut.hasSuffix("…"))
    }

    @Test func anIPv6SubscriberIsOneAddress() {
        #expect(AddressBlock.of("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64")
        #expect(AddressBlock.of("2001:db8:1:2::7") == "2001:db8:1:2::/64")
        #expect(AddressBlock.of("203.0.113.7") == "203.0.113.7")
        #expect(AddressBlock.of("unknown") == "unknown")
    }

    @Test func agentHellosAreCountedPerAddressAndPerAgent() async throws {
        let clock = TestClock()
        let throttle = AgentHelloThrottle(now: { clock.now })
        for index in 0..<11 {
            try await throttle.settle(throttle.reserve(address: "198.51.100.1", agentId: "agent\(index)"), as: .failed)
        }
        await #expect(throws: Throttled.self) { try await throttle.reserve(address: "198.51.100.1", agentId: "fresh") }
        let elsewhere = try await throttle.reserve(address: "198.51.100.2", agentId: "fresh")
        await throttle.settle(elsewhere, as: .succeeded)
        for _ in 0..<6 { try await throttle.settle(throttle.reserve(address: "198.51.100.3", agentId: "target"), as: .failed) }
        await #expect(throws: Throttled.self, "5 free failures per agent id") {
            try await throttle.reserve(address: "198.51.100.4", agentId: "target")
        }
    }

    /// The figures in docs/support.md §6: a patient attacker with unlimited addresses, who tries again
    /// the moment each lock ends, for one day from a fresh start.
    @Test func worstCaseADayIsWhatTheDocsSay() async {
        let clock = TestClock()
        let start = clock.now
        let logins = LoginThrottle(now: { clock.now })
        var passwords = 0
        var address = 0
        while clock.now.timeIntervalSince(start) <= 86_400 {
            address += 1
            switch await logins.refusal(address: "a\(address)", account: "admin", keep: true) {
            case nil: passwords += 1
            case let wait?: clock.advance(by: TimeInterval(wait))
            }
        }
        #expect(passwords == 110, "wrong passwords per account per day: \(passwords)")

        let codeClock = TestClock()
        let codeStart = codeClock.now
        let codes = CodeGuessThrottle(now: { codeClock.now })
        var guesses = 0
        while codeClock.now.timeIntervalSince(codeStart) <= 86_400 {
            address += 1
            if await codes.guessWrong(address: "c\(address)") { guesses += 1 } else { codeClock.advance(by: 30) }
        }
        #expect(guesses == 60 + 120 * 24, "wrong codes per day: \(guesses)")
    }

    @Test func bcryptQueueRefusesPastItsBoundAndRecovers() async throws {
        let queue = BcryptQueue(slots: 2, maxWaiting: 3)
        let gate = Gate()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<5 {
                group.addTask { try await queue.run { await gate.wait(); return index } }
            }
            // Bounded: wait until two run and three wait.
            var polls = 0
            while await queue.load != (2, 3) {
                polls += 1
                try #require(polls < 100_000, "the queue never filled")
                await Task.yield()
            }
            let busy = await #expect(throws: BcryptQueue.Busy.self) { try await queue.run { 0 } }
            #expect((busy?.retryAfter ?? 0) >= 1)
            await gate.open()
            var finished = 0
            for try await _ in group { finished += 1 }
            #expect(finished == 5)
        }
        #expect(try await queue.run { 7 } == 7)
        #expect(await queue.load == (0, 0))
    }
}

/// Holds tasks until opened.
actor Gate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiting { waiter.resume() }
        waiting.removeAll()
    }
}

extension LoginThrottle {
    /// One wrong password: admitted, then settled as failed.
    func fail(address: String, account: String) async throws {
        let attempt = try await reserve(address: address, account: account)
        await settle(attempt, as: .failed)
    }

    /// The Retry-After a new attempt gets, or nil when it is admitted (then given back, or kept as a
    /// failure with `keep`).
    func refusal(address: String, account: String, keep: Bool = false) async -> Int? {
        do throws(Throttled) {
            let attempt = try await reserve(address: address, account: account)
            await settle(attempt, as: keep ? .failed : .notTried)
            return nil
        } catch {
            return error.retryAfter
        }
    }
}

extension CodeGuessThrottle {
    /// Tries a wrong code: true when it was admitted (and so counted).
    func guessWrong(address: String) async -> Bool {
        do throws(Throttled) {
            let attempt = try await reserve(address: address)
            await settle(attempt, as: .failed)
            return true
        } catch {
            return false
        }
    }
}
