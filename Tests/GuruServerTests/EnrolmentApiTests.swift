import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// Enrolment tokens over HTTP: created by those who build installers, traded once per use for an agent credential,
/// refused (and audited) when expired, used up, revoked or unknown.
@Suite("Enrolment tokens and POST /api/agent/enrol")
struct EnrolmentApiTests {
    /// Creates a token as `caller`; its id and secret.
    static func createToken(
        _ client: any TestClientProtocol, as caller: Caller, _ body: String = #"{"metadata":{"company":"Glaztech","site":"Phoenix Office","deviceType":"workstation","tag":"Front"}}"#
    ) async throws -> (id: String, secret: String) {
        let response = try await client.call(.post, "/api/enrolment-tokens", as: caller, json: body)
        #expect(response.status == .created)
        let json = try client.json(response)
        let token = try #require(json["token"] as? [String: Any])
        return (try #require(token["id"] as? String), try #require(json["secret"] as? String))
    }

    static func enrol(_ client: any TestClientProtocol, _ secret: String, hostname: String = "PC-FRONT01", metadata: String = "{}") async throws -> TestResponse {
        try await client.call(.post, "/api/agent/enrol", json: #"{"token":"\#(secret)","hostname":"\#(hostname)","metadata":\#(metadata)}"#)
    }

    static func auditDetails(_ client: any TestClientProtocol, _ admin: Caller, action: String) async throws -> [(outcome: String, detail: String)] {
        let response = try await client.call(.get, "/api/audit?action=\(action)&limit=100", as: admin)
        #expect(response.status == .ok)
        let events = try #require(try client.json(response)["events"] as? [[String: Any]])
        return events.map { (($0["outcome"] as? String) ?? "", ($0["detail"] as? String) ?? "") }
    }

    @Test func aTokenIsStoredHashedListedWithItsUsesAndEnrolsAMachineWithItsMetadata() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let (id, secret) = try await Self.createToken(client, as: admin)
            let stored = try #require(try await server.store.enrolmentTokens.find(id: id))
            #expect(stored.tokenHash == SecureToken.sha256Hex(secret) && stored.tokenHash != secret)
            #expect(abs(stored.expiresAt.timeIntervalSince(stored.createdAt) - 30 * 86_400) < 1, "30 days by default")
            #expect(stored.maxUses == nil, "unlimited by default")

            let enrolled = try await Self.enrol(client, secret, metadata: #"{"tag":"Laptop"}"#)
            #expect(enrolled.status == .created)
            let body = try client.json(enrolled)
            let agentId = try #require(body["agentId"] as? String)
            let credential = try #require(body["credential"] as? String)
            #expect(agentId.count == 32 && (body["server"] as? String)?.hasSuffix("/api/agent/ws") == true)
            let agent = try #require(try await server.store.agents.find(id: agentId))
            #expect(agent.credentialHash == SecureToken.sha256Hex(credential))
            #expect(agent.name == "PC-FRONT01", "a blank name uses the hostname")
            // The form's metadata fills what the agent left blank; what the agent reported wins.
            #expect(agent.metadata.company == "Glaztech" && agent.metadata.site == "Phoenix Office" && agent.metadata.deviceType == .workstation)
            #expect(agent.metadata.tag == "Laptop" && agent.metadata.name == nil)

            let listed = try await client.call(.get, "/api/enrolment-tokens", as: admin)
            #expect(listed.status == .ok)
            let text = String(buffer: listed.body)
            #expect(!text.contains(secret) && !text.contains(stored.tokenHash), "the list never shows a secret or its hash")
            let tokens = try #require(try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as? [[String: Any]])
            #expect(tokens.count == 1 && tokens[0]["uses"] as? Int == 1 && tokens[0]["state"] as? String == "active")
            #expect((tokens[0]["metadata"] as? [String: Any])?["company"] as? String == "Glaztech")

            let audit = try await Self.auditDetails(client, admin, action: "agent.enrol.token")
            #expect(audit.count == 1 && audit[0].outcome == "success" && audit[0].detail.contains(id))
            #expect(try await Self.auditDetails(client, admin, action: "enrolment.token.create").count == 1)
        }
    }

    @Test func expiredUsedUpRevokedAndUnknownTokensAreRefusedWith401AndAudited() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let once = try await Self.createToken(client, as: admin, #"{"maxUses":1}"#)
            #expect(try await Self.enrol(client, once.secret).status == .created)
            let usedUp = try await Self.enrol(client, once.secret)

            let revoked = try await Self.createToken(client, as: admin)
            #expect(try await client.call(.delete, "/api/enrolment-tokens/\(revoked.id)", as: admin).status == .noContent)
            let afterRevoke = try await Self.enrol(client, revoked.secret)

            // Expired: written straight to the store, as no form makes a token that is already past.
            let expiredSecret = SecureToken.make()
            try await server.store.enrolmentTokens.create(EnrolmentToken(
                id: String(repeating: "e", count: 32), name: "old", tokenHash: SecureToken.sha256Hex(expiredSecret), createdBy: "admin",
                createdAt: Date(timeIntervalSinceNow: -100), expiresAt: Date(timeIntervalSinceNow: -1), maxUses: nil,
                metadataJSON: "{}", platform: "any"
            ))
            let expired = try await Self.enrol(client, expiredSecret)
            let unknown = try await Self.enrol(client, SecureToken.make())

            for response in [usedUp, afterRevoke, expired, unknown] {
                #expect(response.status == .unauthorized)
                #expect(try client.json(response)["error"] as? String == "enrolment_refused")
                #expect(try client.json(response)["message"] as? String == "The enrolment token is expired or invalid.", "no reason leaked")
            }
            let refusals = try await Self.auditDetails(client, admin, action: "agent.enrol.token").filter { $0.outcome == "denied" }.map(\.detail)
            #expect(Set(refusals) == ["used-up", "revoked", "expired", "unknown"])
            #expect(try await server.store.agents.list().count == 1, "only the first use made an agent")
            #expect(try await Self.auditDetails(client, admin, action: "enrolment.token.revoke").count == 1)
        }
    }

    @Test func twoEnrolmentsRacingForTheLastUseMakeExactlyOneAgent() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            for round in 0..<5 {
                let token = try await Self.createToken(client, as: admin, #"{"maxUses":1}"#)
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for machine in 0..<2 {
                        group.addTask { try await Self.enrol(client, token.secret, hostname: "RACE-\(round)-\(machine)").status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .unauthorized }.count == 1)
                #expect(try await server.store.enrolmentTokens.find(id: token.id)?.uses == 1)
            }
            #expect(try await server.store.agents.list().count == 5)
        }
    }

    @Test func formValuesAreCheckedAndOnlyInstallerBuildersManageTokens() async throws {
        try await TestServer.withAdmin { _, client, admin async throws in
            for bad in [#"{"expiresInDays":0}"#, #"{"expiresInDays":366}"#, #"{"maxUses":0}"#, #"{"metadata":{"deviceType":"toaster"}}"#,
                        #"{"metadata":{"company":"a\nb"}}"#, #"{"metadata":{"properties":{"":"x"}}}"#, #"{"platform":"amiga"}"#] {
                #expect(try await client.call(.post, "/api/enrolment-tokens", as: admin, json: bad).status == .badRequest, "\(bad)")
            }
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            #expect(try await client.call(.post, "/api/enrolment-tokens", as: tech, json: "{}").status == .forbidden)
            #expect(try await client.call(.get, "/api/enrolment-tokens", as: tech).status == .forbidden)
            let senior = try await client.makeUser("senior", role: "senior", admin: admin)
            let token = try await Self.createToken(client, as: senior, #"{"maxUses":3,"expiresInDays":2,"name":"Phoenix rollout"}"#)
            #expect(try await client.call(.delete, "/api/enrolment-tokens/\(token.id)", as: tech).status == .forbidden)
            #expect(try await client.call(.delete, "/api/enrolment-tokens/\(String(repeating: "0", count: 32))", as: senior).status == .notFound)
            #expect(try await client.call(.delete, "/api/enrolment-tokens/\(token.id)", as: senior).status == .noContent)
        }
    }

    @Test func guessingTokensFromOneAddressIsThrottled() async throws {
        try await TestServer.withAdmin { _, client, admin async throws in
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<12 { statuses.append(try await Self.enrol(client, SecureToken.make()).status) }
            #expect(statuses.prefix(10).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
            let throttled = try await Self.auditDetails(client, admin, action: "agent.enrol.token").filter { $0.detail == "throttled" }
            #expect(!throttled.isEmpty)
        }
    }
}
