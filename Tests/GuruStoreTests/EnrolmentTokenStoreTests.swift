import Foundation
import Testing
@testable import GuruStore

/// Enrolment tokens on every backend: uses are counted in one statement, so the last use goes to exactly one caller.
@Suite("Enrolment tokens on every backend")
struct EnrolmentTokenStoreTests {
    static func token(_ n: Int, maxUses: Int64?, expiresIn: TimeInterval = 3600) -> EnrolmentToken {
        let now = Date(milliseconds: Date().millisecondsSince1970)
        return EnrolmentToken(
            id: String(format: "%032x", n), name: "token \(n)", tokenHash: "hash-\(n)", createdBy: "admin", createdAt: now,
            expiresAt: now.addingTimeInterval(expiresIn), maxUses: maxUses, metadataJSON: #"{"company":"Glaztech"}"#, platform: "windows64"
        )
    }

    @Test(arguments: Backend.available)
    func tokensRoundTripAndRefuseForEachReason(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let tokens = store.enrolmentTokens
            try await tokens.create(Self.token(1, maxUses: 2))
            try await tokens.create(Self.token(2, maxUses: nil, expiresIn: -1))
            try await tokens.create(Self.token(3, maxUses: nil))
            #expect(try await tokens.find(id: Self.token(1, maxUses: 2).id)?.metadataJSON == #"{"company":"Glaztech"}"#)
            #expect(try await tokens.list().count == 3)
            let now = Date()
            #expect(try await tokens.consume(tokenHash: "hash-1", at: now).map(\.uses) == .success(1))
            #expect(try await tokens.consume(tokenHash: "hash-1", at: now).map(\.uses) == .success(2))
            #expect(try await tokens.consume(tokenHash: "hash-1", at: now).map(\.uses) == .failure(.usedUp))
            #expect(try await tokens.consume(tokenHash: "hash-2", at: now).map(\.uses) == .failure(.expired))
            try await tokens.revoke(id: Self.token(3, maxUses: nil).id, at: now)
            #expect(try await tokens.consume(tokenHash: "hash-3", at: now).map(\.uses) == .failure(.revoked))
            #expect(try await tokens.consume(tokenHash: "nope", at: now).map(\.uses) == .failure(.unknown))
            await #expect(throws: StoreError.notFound) { try await tokens.revoke(id: "missing", at: now) }
            #expect(try await tokens.find(id: Self.token(1, maxUses: 2).id)?.uses == 2, "refused uses are not counted")
        }
    }

    @Test(arguments: Backend.available)
    func racingUsesOfTheLastSlotHaveExactlyOneWinner(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.enrolmentTokens.create(Self.token(7, maxUses: 3))
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        if case .success = try await store.enrolmentTokens.consume(tokenHash: "hash-7", at: Date()) { return true }
                        return false
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 3)
            #expect(try await store.enrolmentTokens.find(id: Self.token(7, maxUses: 3).id)?.uses == 3)
        }
    }
}
