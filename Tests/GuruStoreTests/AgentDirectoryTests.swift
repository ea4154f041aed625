import Foundation
import Testing
@testable import GuruStore

/// The machine list's queries on every backend: filters compiled to SQL, search, sort, paging, counts,
/// and the injection attempts that must stay plain values.
@Suite("Agent directory on every backend")
struct AgentDirectoryTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let day: Double = 86400

    /// Six machines with varied inventory; ids are m1…m6.
    static func seed(_ store: Store) async throws {
        let rows: [(String, String, [String: DBValue])] = [
            ("m1", "enrol-1", ["hostname": .text("PC-FRONT01"), "company": .text("Glaztech"), "site": .text("Phoenix Office"),
                               "os_name": .text("Windows 11 Pro"), "internal_ips": .text("192.168.1.45 fe80::1"), "macs": .text("00:11:22:33:44:55"),
                               "serial": .text("8XKJF93"), "tag": .text("Laptop"), "ram_bytes": .int(17_179_869_184),
                               "last_seen_at": .from(now.addingTimeInterval(-3600)), "properties_json": .text(#"{"Asset":"A-17","Floor":"3"}"#),
                               "logged_on_user": .text("jsmith"), "idle_seconds": .int(42), "connection_id": .int(7), "agent_version": .text("0.9.0")]),
            ("m2", "enrol-2", ["hostname": .text("SERVER-DC01"), "company": .text("glaztech"), "os_name": .text("Windows Server 2022"),
                               "internal_ips": .text("10.0.0.2"), "last_seen_at": .from(now.addingTimeInterval(-40 * day)), "agent_version": .text("0.8.1")]),
            ("m3", "enrol-3", ["hostname": .text("LAPTOP-SALES"), "company": .text("ACG"), "os_name": .text("Windows 10 Pro"),
                               "display_name_custom": .text("Sales laptop"), "last_seen_at": .from(now.addingTimeInterval(-400 * day)),
                               "attention": .int(1), "attention_note": .text("check disk")]),
            ("m4", "O'Brien's PC", ["company": .text("'; DROP TABLE agents; --"), "tag": .text("100% done"), "connection_id": .int(9)]),
            ("m5", "enrol-5", ["hostname": .text("ubuntu-build"), "os_name": .text("Ubuntu 24.04 LTS"), "ram_bytes": .int(8_000_000_000),
                               "properties_json": .text(#"{"Asset":"B-2","Asset Tag":"x"}"#)]),
            ("m6", "enrol-6", ["hostname": .text("pc-front02"), "company": .text("Glaztech"), "site": .text("Tucson")]),
        ]
        for (id, name, columns) in rows {
            let names = columns.keys.sorted()
            let marks = Array(repeating: "?", count: names.count + 4).joined(separator: ", ")
            try await store.database.query(
                "INSERT INTO agents (id, name, credential_hash, created_at, \(names.joined(separator: ", "))) VALUES (\(marks))",
                [.text(id), .text(name), .text("hash"), .from(now.addingTimeInterval(-500 * day))] + names.map { columns[$0]! }
            )
        }
    }

    func ids(_ store: Store, _ filter: String, search: String? = nil, context: FilterContext = FilterContext(now: now)) async throws -> [String] {
        let filters = try AgentFilterParser.parse(filter, now: Self.now).map { [$0] } ?? []
        let page = try await store.directory.page(AgentQuery(filters: filters, search: search, sort: AgentSort(key: "id", descending: false)!), context: context)
        #expect(page.total == page.items.count)
        return page.items.map(\.record.id)
    }

    @Test(arguments: Backend.available)
    func filtersMatchTheRightMachines(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await Self.seed(store)
            #expect(try await ids(store, "Company = 'GLAZTECH'") == ["m1", "m2", "m6"])
            #expect(try await ids(store, "Company <> 'Glaztech'") == ["m3", "m4", "m5"])
            #expect(try await ids(store, "Company = ''") == ["m5"])
            #expect(try await ids(store, "OS LIKE '%server%'") == ["m2"])
            #expect(try await ids(store, "OS NOT LIKE 'Windows%'") == ["m4", "m5", "m6"])
            #expect(try await ids(store, "Company = 'Glaztech' AND OS LIKE '%Server%' AND LastSeen < $30DAYSAGO") == ["m2"])
            #expect(try await ids(store, "LastSeen >= $24HOURSAGO") == ["m1"])
            #expect(try await ids(store, "NOT LastSeen >= $24HOURSAGO") == ["m2", "m3", "m4", "m5", "m6"])
            #expect(try await ids(store, "Name = 'sales laptop' OR Name = 'PC-FRONT01' OR Name = 'O''Brien''s PC'") == ["m1", "m3", "m4"])
            #expect(try await ids(store, "Site IN ('Tucson', 'phoenix office')") == ["m1", "m6"])
            #expect(try await ids(store, "InternalIP = '192.168.1.45'") == ["m1"])
            #expect(try await ids(store, "InternalIP = '192.168.1.4'") == [])
            #expect(try await ids(store, "IP LIKE '10.%' OR MAC = '00:11:22:33:44:55'") == ["m1", "m2"])
            #expect(try await ids(store, "InternalIP <> '10.0.0.2'") == ["m1", "m3", "m4", "m5", "m6"])
            #expect(try await ids(store, "RAM >= 16GB") == ["m1"])
            #expect(try await ids(store, "RAM < 16GB") == ["m5"])
            #expect(try await ids(store, "Property.Asset = 'a-17'") == ["m1"])
            #expect(try await ids(store, "Property.Asset LIKE '%'") == ["m1", "m5"])
            #expect(try await ids(store, "Property.'Asset Tag' = 'x'") == ["m5"])
            #expect(try await ids(store, "Property.Floor = '3'") == ["m1"])
            #expect(try await ids(store, "Property.Missing = ''") == ["m1", "m2", "m3", "m4", "m5", "m6"])
            #expect(try await ids(store, "Tag LIKE '100\\%%'") == ["m4"])
            #expect(try await ids(store, "Tag LIKE '100_%'") == ["m4"])
            #expect(try await ids(store, "Online") == ["m1", "m4"])
            #expect(try await ids(store, "Online = FALSE AND Attention") == ["m3"])
            #expect(try await ids(store, "GuestConnected") == ["m1"])
            #expect(try await ids(store, "HostConnected") == [])
            #expect(try await ids(store, "HostConnected", context: FilterContext(now: Self.now, hostConnected: ["m5", "m6"])) == ["m5", "m6"])
            #expect(try await ids(store, "(Company = 'ACG' OR Tag = 'Laptop') AND NOT Online") == ["m3"])
            #expect(try await ids(store, "FirstSeen < $1YEARAGO") == [])
            #expect(try await ids(store, "Enrolled < $1YEARAGO") == ["m1", "m2", "m3", "m4", "m5", "m6"])
            // Property and address tests first narrowed by the trigram index give the same answers, negated too.
            #expect(try await ids(store, "NOT Property.Asset = 'A-17'") == ["m2", "m3", "m4", "m5", "m6"])
            #expect(try await ids(store, "Property.Asset LIKE 'a-1%'") == ["m1"])
            #expect(try await ids(store, "Property.Asset LIKE '%-1_'") == ["m1"])
            #expect(try await ids(store, "NOT Property.Asset LIKE 'A-17'") == ["m2", "m3", "m4", "m5", "m6"])
            #expect(try await ids(store, "IP LIKE '192.168.%'") == ["m1"])
            #expect(try await ids(store, "NOT IP LIKE '192.168.%'") == ["m2", "m3", "m4", "m5", "m6"])
            #expect(try await ids(store, "MAC = '00:11:22:33:44:56'") == [])
        }
    }

    @Test func likePatternsGiveTheirLongestLiteral() {
        #expect(AgentFilterCompiler.longestLiteral("%Server%") == "Server")
        #expect(AgentFilterCompiler.longestLiteral("10.20.%") == "10.20.")
        #expect(AgentFilterCompiler.longestLiteral("a_bcd%ef") == "bcd")
        #expect(AgentFilterCompiler.longestLiteral("100\\%%") == "100%")
        #expect(AgentFilterCompiler.longestLiteral("%%") == nil)
    }

    @Test(arguments: Backend.available)
    func injectionAttemptsStayValues(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await Self.seed(store)
            // A quote-breaking value is compared as it is: it matches the one machine that holds exactly it.
            #expect(try await ids(store, "Company = '''; DROP TABLE agents; --'") == ["m4"])
            #expect(try await ids(store, "Company = '; DROP TABLE agents; --'") == [])
            #expect(try await ids(store, "Company = 'x'' OR ''1''=''1'") == [])
            #expect(try await ids(store, "Name LIKE '%'' OR 1=1 --%'") == [])
            #expect(try await ids(store, "Property.Asset = ''') OR 1=1 --'") == [])
            #expect(try await ids(store, "", search: "'; DROP TABLE agents; --") == ["m4"])
            #expect(try await ids(store, "", search: "' OR '1'='1") == [])
            #expect(try await ids(store, "", search: "%") == ["m4"])
            #expect(try await ids(store, "", search: "_") == [])
            // The table is whole afterwards.
            #expect(try await store.database.query("SELECT COUNT(*) AS n FROM agents", []).first?.int("n") == 6)
        }
    }

    @Test(arguments: Backend.available)
    func searchLooksThroughEverySearchableField(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await Self.seed(store)
            #expect(try await ids(store, "", search: "8xkjf93") == ["m1"])
            #expect(try await ids(store, "", search: "192.168.1") == ["m1"])
            #expect(try await ids(store, "", search: "JSMITH") == ["m1"])
            #expect(try await ids(store, "", search: "a-17") == ["m1"])
            #expect(try await ids(store, "", search: "front") == ["m1", "m6"])
            #expect(try await ids(store, "", search: "front tucson") == ["m6"])
            #expect(try await ids(store, "", search: "sales laptop") == ["m3"])
            #expect(try await ids(store, "", search: "0.8.1") == ["m2"])
            #expect(try await ids(store, "Company = 'Glaztech'", search: "server") == ["m2"])
        }
    }

    /// The trigram index (migration 9) follows every write: an edit is found by its new words and no
    /// longer by its old ones, a deleted machine is gone, and a quote or an FTS operator in a word is a
    /// character to find, never query syntax.
    @Test(arguments: Backend.available)
    func searchFollowsEditsAndDeletes(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await Self.seed(store)
            try await store.database.query("UPDATE agents SET site = ?, tag = ? WHERE id = ?", [.text("New York Office"), .text("say \"hi\" OR NOT"), .text("m6")])
            #expect(try await ids(store, "", search: "york") == ["m6"])
            #expect(try await ids(store, "", search: "tucson") == [])
            #expect(try await ids(store, "", search: "\"hi\"") == ["m6"])
            #expect(try await ids(store, "", search: "or not") == ["m6"])
            #expect(try await ids(store, "", search: "NEAR(york") == [])
            #expect(try await ids(store, "", search: "front ny") == [])
            #expect(try await ids(store, "", search: "front 02") == ["m6"])
            try await store.agents.delete(id: "m6")
            #expect(try await ids(store, "", search: "york") == [])
            #expect(try await ids(store, "", search: "front") == ["m1"])
            // A machine added after the index was built is found too.
            try await store.database.query(
                "INSERT INTO agents (id, name, credential_hash, created_at, serial) VALUES (?, ?, ?, ?, ?)",
                [.text("m7"), .text("enrol-7"), .text("hash"), .from(Self.now), .text("ZZ9QX1")]
            )
            #expect(try await ids(store, "", search: "9qx") == ["m7"])
        }
    }

    @Test(arguments: Backend.available)
    func sortsPagesAndCounts(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await Self.seed(store)
            let context = FilterContext(now: Self.now)
            let byName = try await store.directory.page(AgentQuery(limit: 3), context: context)
            #expect(byName.total == 6)
            // O'Brien's PC < PC-FRONT01 < pc-front02 < Sales laptop < SERVER-DC01 < ubuntu-build, case ignored.
            #expect(byName.items.map(\.record.id) == ["m4", "m1", "m6"])
            let next = try await store.directory.page(AgentQuery(offset: 3, limit: 3), context: context)
            #expect(next.items.map(\.record.id) == ["m3", "m2", "m5"])
            let seen = try await store.directory.page(AgentQuery(sort: AgentSort(key: "lastSeen", descending: true)!), context: context)
            #expect(seen.items.map(\.record.id).prefix(3) == ["m1", "m2", "m3"]) // no value goes last either way
            let online = try await store.directory.page(AgentQuery(sort: AgentSort(key: "online", descending: false)!), context: context)
            #expect(Set(online.items.prefix(2).map(\.record.id)) == ["m1", "m4"])
            #expect(online.items.first?.online == true && online.items.last?.online == false)

            let companies = try await store.directory.counts(by: .field(.company), scope: .constant(true), context: context, limit: 10)
            #expect(companies.first == GroupCount(value: companies.first?.value, count: 3))
            #expect(companies.first?.value?.lowercased() == "glaztech")
            #expect(companies.last == GroupCount(value: nil, count: 1))
            #expect(companies.count == 4)
            let assets = try await store.directory.counts(by: .property("Asset"), scope: .constant(true), context: context, limit: 10)
            #expect(Set(assets) == [GroupCount(value: "A-17", count: 1), GroupCount(value: "B-2", count: 1), GroupCount(value: nil, count: 4)])
            let scoped = try await store.directory.counts(by: .field(.company), scope: .compare(.field(.company), .equal, .text("ACG")), context: context, limit: 10)
            #expect(scoped == [GroupCount(value: "ACG", count: 1)])
            let each = try await store.directory.countEach([.constant(true), .flag(.online), .flag(.attention)], scope: .constant(true), context: context)
            #expect(each == [6, 2, 1])
            #expect(try await store.directory.countEach([.flag(.online)], scope: .constant(false), context: context) == [0])
        }
    }

    @Test(arguments: Backend.available)
    func liveFactsFollowConnectionsAndFlags(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await Self.seed(store)
            let context = FilterContext(now: Self.now)
            try await store.directory.connected(id: "m2", connectionId: 11)
            try await store.directory.connected(id: "m2", connectionId: 12) // a reconnect replaced 11
            try await store.directory.disconnected(id: "m2", connectionId: 11) // the old one's late cleanup
            #expect(try await store.directory.find(id: "m2", scope: .constant(true), context: context)?.online == true)
            try await store.directory.disconnected(id: "m2", connectionId: 12)
            #expect(try await store.directory.find(id: "m2", scope: .constant(true), context: context)?.online == false)
            try await store.directory.forgetConnections()
            #expect(try await ids(store, "Online") == [])
            try await store.agents.setAttention(id: "m5", flagged: true, note: "UPS beeping")
            try await store.agents.setAttention(id: "m3", flagged: false, note: nil)
            #expect(try await ids(store, "Attention") == ["m5"])
            try await store.agents.markAccessed(id: "m6", at: Self.now)
            #expect(try await ids(store, "LastAccessed >= $24HOURSAGO") == ["m6"])
            #expect(try await store.directory.find(id: "m6", scope: .compare(.field(.company), .equal, .text("ACG")), context: context) == nil)
            #expect(Set(try await store.directory.agentVersions()) == ["0.9.0", "0.8.1"])
        }
    }

    @Test(arguments: Backend.available)
    func savedFiltersAndRoleScopesRoundTrip(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let owner = makeUser("owner")
            let other = makeUser("other")
            try await store.users.create(owner)
            try await store.users.create(other)
            let at = Date(milliseconds: 1_700_000_000_000)
            let mine = SavedFilter(id: "f1", name: "Servers", expression: "OS LIKE '%Server%'", ownerId: owner.id, shared: false, pinned: true, createdAt: at, updatedAt: at)
            let shared = SavedFilter(id: "f2", name: "ACG", expression: "Company = 'ACG'", ownerId: other.id, shared: true, pinned: false, createdAt: at, updatedAt: at)
            try await store.savedFilters.create(mine)
            try await store.savedFilters.create(shared)
            #expect(try await store.savedFilters.list(visibleTo: owner.id) == [mine, shared])
            #expect(try await store.savedFilters.list(visibleTo: other.id) == [shared])
            var renamed = mine
            renamed.name = "All servers"
            try await store.savedFilters.update(renamed)
            #expect(try await store.savedFilters.find(id: "f1") == renamed)
            #expect(try await store.savedFilters.find(ids: ["f2", "nope"]) == [shared])
            try await store.savedFilters.delete(id: "f1")
            await #expect(throws: StoreError.notFound) { try await store.savedFilters.delete(id: "f1") }

            let role = Role(id: "scoped", name: "Scoped", builtin: false, permissions: [.accessUnattended], createdAt: at,
                            scope: .limited(companies: ["Glaztech"], filterIds: ["f2"]))
            try await store.roles.create(role)
            #expect(try await store.roles.find(id: "scoped") == role)
            var widened = role
            widened.scope = .all
            try await store.roles.update(widened)
            #expect(try await store.roles.find(id: "scoped")?.scope == .all)
            #expect(AgentScope(json: "not json") == .limited(companies: [], filterIds: []))
        }
    }
}
