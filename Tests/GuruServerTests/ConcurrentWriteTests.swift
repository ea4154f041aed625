import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// Requests that hold a row across `await`s (bcrypt among them) must not undo what another request wrote.
@Suite("No write undoes another")
struct ConcurrentWriteTests {
    /// Counts what the login loops saw, and tells them when the administrator's change is done.
    actor LoginLoops {
        private(set) var successes = 0
        private(set) var cookies: [Caller] = []
        private var disabledAt: Int?
        private var attempts = 0
        private var attemptsStartedAfterDisable = 0

        /// Numbers an attempt as it starts; true while the loops should keep going.
        func begin() -> Bool {
            attempts += 1
            if disabledAt != nil { attemptsStartedAfterDisable += 1 }
            // Each loop goes on for a while after the disable, so logins that began before it finish,
            // and some begin after it. Bounded in count whatever happens.
            return attemptsStartedAfterDisable <= 40 && attempts < 2_000
        }

        func succeeded(_ caller: Caller) {
            successes += 1
            cookies.append(caller)
        }

        func markDisabled() { disabledAt = attempts }
    }

    @Test(arguments: 1...3)
    func logins_in_flight_cannot_undo_an_admins_disable(round: Int) async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            _ = try await client.makeUser("racer", role: "technician", admin: admin)
            let racerId = try #require(try await server.store.users.find(username: "racer")?.id)
            let loops = LoginLoops()
            let login = #"{"username":"racer","password":"\#(TestServer.password)"}"#
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        while await loops.begin() {
                            let response = try await client.call(.post, "/api/auth/login", json: login)
                            if response.status == .ok {
                                await loops.succeeded(try client.session(from: response, name: "racer"))
                            }
                        }
                    }
                }
                // The disable lands while the loops are mid-flight: after each has been let through once.
                let deadline = ContinuousClock.now + .seconds(30)
                while await loops.successes < 4, ContinuousClock.now < deadline { await Task.yield() }
                #expect(await loops.successes >= 4, "the loops never signed in before the disable")
                let disable = try await client.call(.patch, "/api/users/\(racerId)", as: admin, json: #"{"disabled":true}"#)
                #expect(disable.status == .ok)
                await loops.markDisabled()
                try await group.waitForAll()
            }
            #expect(try await server.store.users.find(id: racerId)?.disabled == true, "a login undid the disable")
            let after = try await client.call(.post, "/api/auth/login", json: login)
            #expect(after.status != .ok, "the disabled user's password still signs in")
            for caller in await loops.cookies {
                #expect(try await client.call(.get, "/api/session", as: caller).status == .unauthorized)
            }
        }
    }
}
