import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing
@testable import GuruServer

@Suite("Two-factor sign-in")
struct TwoFactorTests {
    /// Decodes the base32 secret the API shows, back to the raw key TOTP uses.
    static func code(secret base32: String, at date: Date = .now) throws -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0, value = 0
        var bytes: [UInt8] = []
        for character in base32 {
            guard let index = alphabet.firstIndex(of: character) else { continue }
            value = (value << 5) | index
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((value >> (bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        let raw = try #require(String(bytes: bytes, encoding: .utf8))
        return String(format: "%06d", TOTP(secret: raw).compute(date: date))
    }

    /// Enrols the admin and returns the base32 secret, the recovery codes and the code that confirmed it.
    static func enrol(_ client: some TestClientProtocol, _ caller: Caller) async throws -> (secret: String, recovery: [String], confirmation: String) {
        let enrolment = try client.json(try await client.call(.post, "/api/account/totp/enroll", as: caller))
        let secret = try #require(enrolment["secret"] as? String)
        #expect((enrolment["otpauthUri"] as? String)?.hasPrefix("otpauth://totp/GuruConnect") == true)
        #expect((enrolment["qrSvg"] as? String)?.hasPrefix("<svg") == true)
        let wrong = try await client.call(.post, "/api/account/totp/confirm", as: caller, json: #"{"code":"000000"}"#)
        if try code(secret: secret) != "000000" { #expect(wrong.status == .unauthorized) }
        let confirmation = try code(secret: secret)
        let confirmed = try await client.call(.post, "/api/account/totp/confirm", as: caller, json: #"{"code":"\#(confirmation)"}"#)
        #expect(confirmed.status == .ok)
        let recovery = try #require(try client.json(confirmed)["recoveryCodes"] as? [String])
        return (secret, recovery, confirmation)
    }

    static func challenge(_ client: some TestClientProtocol) async throws -> String {
        let step = try client.json(try await client.call(.post, "/api/auth/login", json: #"{"username":"admin","password":"\#(TestServer.password)"}"#))
        #expect(step["status"] as? String == "totp_required")
        #expect(step["csrfToken"] == nil)
        return try #require(step["challenge"] as? String)
    }

    @Test func enrolmentThenSignInWithCodeRejectsWrongAndReplayedCodes() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let (secret, recovery, confirmation) = try await Self.enrol(client, admin)
            #expect(recovery.count == 10)
            #expect(Set(recovery).count == 10)
            let stored = try #require(try await server.store.users.find(username: "admin"))
            #expect(stored.totpSecret?.contains(secret) == false, "the TOTP secret is sealed at rest")

            // The confirmation code's step is spent: the same code cannot sign in (the very code: a new 30-second
            // step may have begun since, whose code is not spent).
            let replayed = try await client.call(.post, "/api/auth/totp", json: #"{"challenge":"\#(try await Self.challenge(client))","code":"\#(confirmation)"}"#)
            #expect(replayed.status == .unauthorized)

            let challenge = try await Self.challenge(client)
            let wrong = try await client.call(.post, "/api/auth/totp", json: #"{"challenge":"\#(challenge)","code":"12345x"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(try client.json(wrong)["error"] as? String == "totp_invalid")
            let next = try Self.code(secret: secret, at: Date().addingTimeInterval(30))
            let good = try await client.call(.post, "/api/auth/totp", json: #"{"challenge":"\#(challenge)","code":"\#(next)"}"#)
            #expect(good.status == .ok)
            let session = try client.session(from: good, name: "admin")
            #expect(try await client.call(.get, "/api/session", as: session).status == .ok)
            // The challenge is single-use.
            let reuse = try await client.call(.post, "/api/auth/totp", json: #"{"challenge":"\#(challenge)","code":"\#(next)"}"#)
            #expect(reuse.status == .unauthorized)
        }
    }

    @Test func recoveryCodesWorkOnce() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            try await client.setUpAdmin()
            let (_, recovery, _) = try await Self.enrol(client, try await client.signIn("admin"))
            let code = try #require(recovery.first)
            let first = try await client.call(.post, "/api/auth/totp", json: #"{"challenge":"\#(try await Self.challenge(client))","recoveryCode":"\#(code.lowercased())"}"#)
            #expect(first.status == .ok)
            let second = try await client.call(.post, "/api/auth/totp", json: #"{"challenge":"\#(try await Self.challenge(client))","recoveryCode":"\#(code)"}"#)
            #expect(second.status == .unauthorized)
            let userId = try #require(try await server.store.users.find(username: "admin")?.id)
            #expect(try await server.store.users.remainingRecoveryCodes(userId: userId) == 9)
        }
    }

    @Test func aChallengeDiesAfterFiveWrongCodes() async throws {
        let server = try await TestServer.make()
        try await server.application.test(.router) { client in
            try await client.setUpAdmin()
            let (secret, _, _) = try await Self.enrol(client, try await client.signIn("admin"))
            let challenge = try await Self.challenge(client)
            for _ in 0..<5 {
                _ = try await client.call(.post, "/api/auth/totp", json: #"{"challenge":"\#(challenge)","code":"999999x"}"#)
            }
            let late = try await client.call(.post, "/api/auth/totp", json: #"{"challenge":"\#(challenge)","code":"\#(try Self.code(secret: secret, at: Date().addingTimeInterval(30)))"}"#)
            #expect(late.status == .unauthorized)
        }
    }

    @Test func adminCanTurnOffSomeoneElsesTwoFactorAndItIsAudited() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            _ = try await Self.enrol(client, tech)
            let techId = try #require(try await server.store.users.find(username: "tech")?.id)
            #expect(try await client.call(.post, "/api/users/\(techId)/totp/disable", as: tech).status == .forbidden)
            #expect(try await client.call(.post, "/api/users/\(techId)/totp/disable", as: admin).status == .noContent)
            #expect(try await server.store.users.find(id: techId)?.totpEnabled == false)
            let login = try client.json(try await client.call(.post, "/api/auth/login", json: #"{"username":"tech","password":"\#(TestServer.password)"}"#))
            #expect(login["status"] as? String == "ok")
            let events = try await server.store.audit.list(AuditFilter(actionPrefix: "totp.", outcome: .success))
            #expect(events.events.map(\.action).sorted() == ["totp.disable", "totp.enable"])
        }
    }

    @Test func selfDisableNeedsThePasswordAndACode() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let (secret, _, _) = try await Self.enrol(client, admin)
            #expect(try await client.call(.post, "/api/account/totp/disable", as: admin, json: #"{"password":"wrong-password-x"}"#).status == .unauthorized)
            let noCode = try await client.call(.post, "/api/account/totp/disable", as: admin, json: #"{"password":"\#(TestServer.password)"}"#)
            #expect(noCode.status == .unauthorized)
            #expect(try client.json(noCode)["error"] as? String == "reauthentication_required")
            #expect(try await server.store.users.find(username: "admin")?.totpEnabled == true)
            // The enrolment used this step's code; the next step's is fresh.
            let code = try Self.code(secret: secret, at: Date().addingTimeInterval(30))
            let body = #"{"password":"\#(TestServer.password)","code":"\#(code)"}"#
            #expect(try await client.call(.post, "/api/account/totp/disable", as: admin, json: body).status == .noContent)
            #expect(try await server.store.users.find(username: "admin")?.totpEnabled == false)
        }
    }
}
