import Foundation
import GuruStore
import HummingbirdTesting
import Logging
import Testing
@testable import GuruServer

/// A schema-1 report as an agent sends it (docs/api.md, Diagnostics), and the servers the diagnostics
/// tests run on: in-memory SQLite always, PostgreSQL too when `GURU_TEST_POSTGRES_URL` is set.
enum DiagnosticsFixtures {
    static func report(host: String = "RECEPTION-PC", padding: Int = 0, schema: String = "1") -> String {
        #"""
        {"schema":\#(schema),"collectedAt":"2026-12-03T20:00:00Z","agentVersion":"0.9.0",
         "host":{"name":"\#(host)","os":"Debian GNU/Linux 12 (bookworm)","kernel":"6.1.0-27-amd64","platform":"linux"},
         "uptimeSeconds":12345,
         "cpu":{"model":"Test CPU","logicalCores":2,"usagePercent":12.5},
         "memory":{"totalBytes":8589934592,"availableBytes":4294967296,"swapTotalBytes":0,"swapFreeBytes":0},
         "disks":[{"mount":"/","fileSystem":"ext4","totalBytes":100000000000,"freeBytes":25000000000}],
         "processes":[{"pid":1,"name":"systemd","cpuPercent":0.5,"memoryBytes":12000000}],
         "recentErrors":[{"time":"2026-12-03T19:59:00Z","source":"kernel","message":"café ✓ \#(String(repeating: "x", count: padding))"}],
         "network":{"interfaces":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:ff","up":true,"addresses":["192.168.1.5/24"]}],"gateways":["192.168.1.1"],"dnsServers":["1.1.1.1"]},
         "pendingReboot":{"pending":false,"reasons":[]},
         "sectionErrors":{}}
        """#
    }

    /// A report of exactly `bytes` UTF-8 bytes.
    static func report(ofSize bytes: Int) -> String {
        let base = report().utf8.count
        return report(padding: bytes - base)
    }
}

/// The databases the server tests run on.
enum ServerBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var available: [ServerBackend] {
        ProcessInfo.processInfo.environment["GURU_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }
}

extension TestServer {
    /// `withAdmin` on the backend: for PostgreSQL, a fresh database of its own on the test server.
    static func withAdmin(
        on backend: ServerBackend, _ body: @Sendable (GuruServerApp, any TestClientProtocol, Caller) async throws -> Void
    ) async throws {
        switch backend {
        case .sqlite:
            try await withAdmin({ _ in }, body)
        case .postgres:
            let url = try #require(ProcessInfo.processInfo.environment["GURU_TEST_POSTGRES_URL"])
            let name = "gc_srv_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
            let admin = try PostgresDatabase(url: url, logger: Logger(label: "test.pg"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await admin.run() }
                defer { group.cancelAll() }
                try await admin.query("CREATE DATABASE \(name)", [])
            }
            var components = try #require(URLComponents(string: url))
            components.path = "/\(name)"
            let databaseURL = try #require(components.string)
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gc-srv-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            try await withAdmin({
                $0.inMemoryDatabase = false
                $0.databaseURL = databaseURL
                $0.dataDirectory = directory.path
            }, body)
        }
    }
}

extension TestClientProtocol {
    /// Enrols a machine as `admin`; its id.
    func enrolAgent(_ name: String, admin: Caller) async throws -> String {
        let response = try await call(.post, "/api/agents", as: admin, json: #"{"name":"\#(name)"}"#)
        #expect(response.status == .created)
        return try #require((try json(response)["agent"] as? [String: Any])?["id"] as? String)
    }

    /// Posts `body` as a report to `path`.
    func postReport(_ path: String, as caller: Caller, _ body: String = DiagnosticsFixtures.report()) async throws -> TestResponse {
        try await call(.post, path, as: caller, json: body)
    }
}
