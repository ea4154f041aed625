import Foundation
import GuruStore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import GuruServer

/// The Access tab's API: paging, sorting, search and filters on the server, the sidebar's counts,
/// saved filters, flags, and role scopes on every agent route.
@Suite("Access API")
struct AccessApiTests {
    /// Enrols `name` and gives it inventory columns straight in the database (the agent would report them).
    static func machine(_ client: any TestClientProtocol, _ server: GuruServerApp, admin: Caller, _ name: String,
                        _ columns: [String: DBValue] = [:]) async throws -> String {
        let id = try await client.enrolAgent(name, admin: admin)
        for (column, value) in columns.sorted(by: { $0.key < $1.key }) {
            try await server.store.database.query("UPDATE agents SET \(column) = ? WHERE id = ?", [value, .text(id)])
        }
        return id
    }

    static func fleet(_ client: any TestClientProtocol, _ server: GuruServerApp, admin: Caller) async throws -> [String: String] {
        var ids: [String: String] = [:]
        ids["front"] = try await machine(client, server, admin: admin, "PC-FRONT01", [
            "company": .text("Glaztech"), "site": .text("Phoenix"), "os_name": .text("Windows 11 Pro"), "serial": .text("8XKJF93"),
            "internal_ips": .text("192.168.1.45"), "properties_json": .text(#"{"Asset":"A-17"}"#), "agent_version": .text("0.0.9"),
        ])
        ids["dc"] = try await machine(client, server, admin: admin, "SERVER-DC01", [
            "company": .text("Glaztech"), "site": .text("Tucson"), "os_name": .text("Windows Server 2022"), "agent_version": .text("0.1.0"),
        ])
        ids["acg"] = try await machine(client, server, admin: admin, "ACG-LAPTOP", ["company": .text("ACG"), "os_name": .text("Windows 10 Pro"), "tag": .text("Laptop")])
        ids["bare"] = try await machine(client, server, admin: admin, "NO-INVENTORY")
        return ids
    }

    static func page(_ client: any TestClientProtocol, _ query: String, as caller: Caller) async throws -> (total: Int, names: [String]) {
        let response = try await client.call(.get, "/api/agents?\(query)", as: caller)
        #expect(response.status == .ok, "GET /api/agents?\(query): \(response.status) \(String(buffer: response.body))")
        let body = try client.json(response)
        let items = try #require(body["items"] as? [[String: Any]])
        return (try #require(body["total"] as? Int), items.compactMap { $0["name"] as? String })
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    @Test(arguments: ServerBackend.available)
    func listIsPagedSortedSearchedAndFilteredOnTheServer(_ backend: ServerBackend) async throws {
        try await TestServer.withAdmin(on: backend) { server, client, admin async throws in
            _ = try await Self.fleet(client, server, admin: admin)
            let all = try await Self.page(client, "limit=2", as: admin)
            #expect(all.total == 4)
            #expect(all.names == ["ACG-LAPTOP", "NO-INVENTORY"])
            let second = try client.json(try await client.call(.get, "/api/agents?limit=2&offset=2", as: admin))
            #expect(second["offset"] as? Int == 2)
            #expect((second["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["PC-FRONT01", "SERVER-DC01"])
            #expect(try await Self.page(client, "sort=company&order=desc", as: admin).names == ["PC-FRONT01", "SERVER-DC01", "ACG-LAPTOP", "NO-INVENTORY"])
            #expect(try await Self.page(client, "q=8xkjf", as: admin).names == ["PC-FRONT01"])
            #expect(try await Self.page(client, "q=\(Self.encoded("192.168.1"))", as: admin).names == ["PC-FRONT01"])
            #expect(try await Self.page(client, "q=\(Self.encoded("a-17"))", as: admin).names == ["PC-FRONT01"])
            let filter = Self.encoded("Company = 'Glaztech' AND OS LIKE '%Server%'")
            #expect(try await Self.page(client, "filter=\(filter)", as: admin).names == ["SERVER-DC01"])
            #expect(try await Self.page(client, "group=company:ACG", as: admin).names == ["ACG-LAPTOP"])
            #expect(try await Self.page(client, "group=company:", as: admin).names == ["NO-INVENTORY"])
            #expect(try await Self.page(client, "group=Property.Asset:A-17", as: admin).names == ["PC-FRONT01"])
            #expect(try await Self.page(client, "smart=outdatedClients", as: admin).names == ["PC-FRONT01"])
            #expect(try await Self.page(client, "status=offline", as: admin).total == 4)
            #expect(try await Self.page(client, "status=online", as: admin).total == 0)

            // A filter that does not parse says where; nothing runs.
            let broken = try await client.call(.get, "/api/agents?filter=\(Self.encoded("Company = 'Glaztech' AND Site ="))", as: admin)
            #expect(broken.status == .badRequest)
            #expect(try client.json(broken)["error"] as? String == "filter_syntax")
            #expect(try client.json(broken)["message"] as? String == "Filter at column 32: expected a value after '='.")
            let injected = try await client.call(.get, "/api/agents?filter=\(Self.encoded("Company = 'x'; DROP TABLE agents; --"))", as: admin)
            #expect(try client.json(injected)["message"] as? String == "Filter at column 14: unexpected character ';'.")
            #expect(try await Self.page(client, "", as: admin).total == 4)
            for bad in ["sort=password", "order=sideways", "limit=501", "limit=0", "offset=-1", "smart=everything", "status=maybe", "group=password:x"] {
                #expect(try await client.call(.get, "/api/agents?\(bad)", as: admin).status == .badRequest, "\(bad)")
            }
        }
    }

    @Test(arguments: ServerBackend.available)
    func groupsCountFieldsAndSmartGroupsAndFlagsAreAudited(_ backend: ServerBackend) async throws {
        try await TestServer.withAdmin(on: backend) { server, client, admin async throws in
            let ids = try await Self.fleet(client, server, admin: admin)
            let flagged = try await client.call(.post, "/api/agents/\(ids["acg"]!)/attention", as: admin, json: #"{"flagged":true,"note":"fan noise"}"#)
            #expect(flagged.status == .ok)
            #expect(try client.json(flagged)["attention"] as? Bool == true)
            #expect(try client.json(flagged)["attentionNote"] as? String == "fan noise")
            let groups = try client.json(try await client.call(.get, "/api/agents/groups?by=Property.Asset", as: admin))
            #expect(groups["total"] as? Int == 4)
            #expect(groups["online"] as? Int == 0)
            let fields = try #require(groups["fields"] as? [[String: Any]])
            #expect(fields.compactMap { $0["field"] as? String } == ["Company", "Site", "OS", "Tag", "DeviceType", "Property.Asset"])
            let companies = try #require(fields.first?["values"] as? [[String: Any]])
            #expect(companies.map { "\($0["value"] ?? "nil"):\($0["count"] ?? 0)" } == ["Glaztech:2", "ACG:1", "nil:1"])
            let assets = try #require(fields.last?["values"] as? [[String: Any]])
            #expect(assets.first?["value"] as? String == "A-17")
            let smart = try #require(groups["smart"] as? [[String: Any]])
            #expect(smart.count == 8)
            let count = { (id: String) in smart.first { $0["id"] as? String == id }?["count"] as? Int }
            #expect(count("attention") == 1)
            #expect(count("outdatedClients") == 1)
            #expect(count("hostConnected") == 0)
            #expect(count("offline30Days") == 0)
            #expect(try await Self.page(client, "smart=attention", as: admin).names == ["ACG-LAPTOP"])
            #expect(try await client.call(.post, "/api/agents/\(ids["acg"]!)/attention", as: admin, json: #"{"flagged":false}"#).status == .ok)
            #expect(try await Self.page(client, "smart=attention", as: admin).total == 0)
            let audit = try client.json(try await client.call(.get, "/api/audit?action=agent.attention.flag", as: admin))
            #expect(String(describing: audit).contains("fan noise"))
        }
    }

    @Test(arguments: ServerBackend.available)
    func savedFiltersBelongToTheirOwnerAndAreChecked(_ backend: ServerBackend) async throws {
        try await TestServer.withAdmin(on: backend) { _, client, admin async throws in
            let tech = try await client.makeUser("tech", role: "technician", admin: admin)
            let bad = try await client.call(.post, "/api/saved-filters", as: tech, json: #"{"name":"Broken","expression":"Company ="}"#)
            #expect(bad.status == .badRequest)
            #expect(try client.json(bad)["message"] as? String == "Filter at column 10: expected a value after '='.")
            let created = try await client.call(.post, "/api/saved-filters", as: tech, json: #"{"name":"Mine","expression":"Online","pinned":true}"#)
            #expect(created.status == .created)
            let mineId = try #require(try client.json(created)["id"] as? String)
            let shared = try await client.call(.post, "/api/saved-filters", as: tech, json: #"{"name":"Team","expression":"Tag = 'x'","shared":true}"#)
            let sharedId = try #require(try client.json(shared)["id"] as? String)
            let forAdmin = try client.json(try await client.call(.get, "/api/saved-filters", as: admin))["filters"] as? [[String: Any]]
            #expect(forAdmin?.compactMap { $0["id"] as? String } == [sharedId])
            let forTech = try client.json(try await client.call(.get, "/api/saved-filters", as: tech))["filters"] as? [[String: Any]]
            #expect(forTech?.compactMap { $0["name"] as? String } == ["Mine", "Team"])
            // Another user may not see a private filter, nor change a shared one that is not theirs.
            let senior = try await client.makeUser("senior", role: "senior", admin: admin)
            #expect(try await client.call(.patch, "/api/saved-filters/\(mineId)", as: senior, json: #"{"name":"x","expression":"Online"}"#).status == .notFound)
            #expect(try await client.call(.patch, "/api/saved-filters/\(sharedId)", as: senior, json: #"{"name":"x","expression":"Online"}"#).status == .forbidden)
            #expect(try await client.call(.delete, "/api/saved-filters/\(sharedId)", as: senior).status == .forbidden)
            let renamed = try await client.call(.patch, "/api/saved-filters/\(mineId)", as: tech, json: #"{"name":"Online ones","expression":"Online","pinned":false}"#)
            #expect(renamed.status == .ok)
            #expect(try client.json(renamed)["pinned"] as? Bool == false)
            #expect(try await client.call(.delete, "/api/saved-filters/\(mineId)", as: tech).status == .noContent)
            #expect(try await client.call(.delete, "/api/saved-filters/\(mineId)", as: tech).status == .notFound)
        }
    }

    @Test(arguments: ServerBackend.available)
    func aScopedRoleReachesOnlyItsMachinesOnEveryAgentRoute(_ backend: ServerBackend) async throws {
        try await TestServer.withAdmin(on: backend) { server, client, admin async throws in
            let ids = try await Self.fleet(client, server, admin: admin)
            // A shared filter (by the admin) widens the scope to one more machine.
            let filter = try await client.call(.post, "/api/saved-filters", as: admin, json: #"{"name":"ACG laptops","expression":"Tag = 'Laptop'","shared":true}"#)
            let filterId = try #require(try client.json(filter)["id"] as? String)
            let privateFilter = try await client.call(.post, "/api/saved-filters", as: admin, json: #"{"name":"Mine","expression":"Online"}"#)
            let privateId = try #require(try client.json(privateFilter)["id"] as? String)
            let refused = try await client.call(.post, "/api/roles", as: admin, json: #"{"name":"Bad","permissions":["accessUnattended"],"scope":{"companies":[],"filters":["\#(privateId)"]}}"#)
            #expect(refused.status == .badRequest, "a private filter cannot scope a role")
            let role = try await client.call(.post, "/api/roles", as: admin, json: """
                {"name":"Glaztech techs","permissions":["accessUnattended","buildInstallers"],"scope":{"companies":["glaztech"],"filters":["\(filterId)"]}}
                """)
            #expect(role.status == .created)
            let roleJSON = try client.json(role)
            #expect((roleJSON["scope"] as? [String: Any])?["companies"] as? [String] == ["glaztech"])
            let roleId = try #require(roleJSON["id"] as? String)
            let scoped = try await client.makeUser("scoped", role: roleId, admin: admin)

            #expect(try await Self.page(client, "", as: scoped).names == ["ACG-LAPTOP", "PC-FRONT01", "SERVER-DC01"])
            #expect(try await Self.page(client, "q=inventory", as: scoped).total == 0)
            #expect(try await Self.page(client, "filter=\(Self.encoded("NOT Online"))", as: scoped).total == 3)
            #expect(try await Self.page(client, "group=company:", as: scoped).total == 0)
            let groups = try client.json(try await client.call(.get, "/api/agents/groups", as: scoped))
            #expect(groups["total"] as? Int == 3)

            // Every route on one machine: outside the scope it does not exist; inside, it works as for anyone.
            // DELETE last: it removes the machine the others act on.
            let machineRoutes = server.routes.filter { $0.path.hasPrefix("/api/agents/{id}") }.sorted { ($0.method == .delete ? 1 : 0) < ($1.method == .delete ? 1 : 0) }
            #expect(machineRoutes.count >= 8)
            for route in machineRoutes {
                let body: String? = [.post, .put, .patch].contains(route.method) ? #"{"mode":"view","flagged":true,"note":"x"}"# : nil
                let outside = try await client.call(route.method, route.path.replacingOccurrences(of: "{id}", with: ids["bare"]!), as: scoped, json: body)
                #expect(outside.status == .notFound, "\(route) outside the scope: \(outside.status)")
                let inside = try await client.call(route.method, route.path.replacingOccurrences(of: "{id}", with: ids["dc"]!), as: scoped, json: body)
                #expect(inside.status != .notFound && inside.status != .forbidden, "\(route) inside the scope: \(inside.status)")
            }
            // The scope's filter is the admin's, but only a user manager may now change it.
            let tech = try await client.makeUser("tech2", role: "senior", admin: admin)
            #expect(try await client.call(.patch, "/api/saved-filters/\(filterId)", as: tech, json: #"{"name":"x","expression":"Online"}"#).status == .forbidden)
            // Unscoped again: every machine is back.
            #expect(try await client.call(.patch, "/api/roles/\(roleId)", as: admin, json: #"{"name":"Glaztech techs","permissions":["accessUnattended"],"scope":null}"#).status == .ok)
            #expect(try await Self.page(client, "", as: scoped).total >= 3)
        }
    }

    @Test func wakeRelayPicksAnAgentOnTheTargetsSubnet() throws {
        let target = InventoryInterface.parse(inventoryJSON: #"{"network":[{"name":"eth0","mac":"00:11:22:33:44:55","addresses":["192.168.1.45/24","fe80::1/64"]}]}"#)
        #expect(target == [InventoryInterface(mac: [0, 0x11, 0x22, 0x33, 0x44, 0x55], networks: [try #require(Subnet("192.168.1.45/24"))])])
        let sameLAN = InventoryInterface.parse(inventoryJSON: #"{"network":[{"mac":"aa:bb:cc:dd:ee:01","addresses":["192.168.1.10/24"]}]}"#)
        let wider = InventoryInterface.parse(inventoryJSON: #"{"network":[{"mac":"aa:bb:cc:dd:ee:02","addresses":["192.168.7.9/16"]}]}"#)
        let elsewhere = InventoryInterface.parse(inventoryJSON: #"{"network":[{"mac":"aa:bb:cc:dd:ee:03","addresses":["10.0.0.5/8"]}]}"#)
        let choice = WakeRelay.choose(target: target, candidates: [("z-wider", wider), ("m-lan", sameLAN), ("a-elsewhere", elsewhere)])
        #expect(choice == WakeRelay.Choice(relayId: "m-lan", mac: [0, 0x11, 0x22, 0x33, 0x44, 0x55], broadcast: [192, 168, 1, 255]))
        #expect(WakeRelay.choose(target: target, candidates: [("z-wider", wider)])?.broadcast == [192, 168, 255, 255])
        #expect(WakeRelay.choose(target: target, candidates: [("a-elsewhere", elsewhere)]) == nil)
        // Two relays on the same subnet: the lower id, every time.
        let twin = InventoryInterface.parse(inventoryJSON: #"{"network":[{"addresses":["192.168.1.11/24"]}]}"#)
        #expect(WakeRelay.choose(target: target, candidates: [("m-lan", sameLAN), ("b-twin", twin)])?.relayId == "b-twin")
        #expect(WakeRelay.choose(target: target, candidates: [("b-twin", twin), ("m-lan", sameLAN)])?.relayId == "b-twin")
        // A host route (/32) has no broadcast domain to reach; the target's own address is not a relay.
        let hostRoute = InventoryInterface.parse(inventoryJSON: #"{"network":[{"addresses":["192.168.1.12/32"]}]}"#)
        #expect(WakeRelay.choose(target: target, candidates: [("h", hostRoute)]) == nil)
        let itself = InventoryInterface.parse(inventoryJSON: #"{"network":[{"addresses":["192.168.1.45/24"]}]}"#)
        #expect(WakeRelay.choose(target: target, candidates: [("self", itself)]) == nil)
        // No MAC, a broadcast or all-zero MAC: nothing to wake.
        #expect(WakeRelay.choose(target: InventoryInterface.parse(inventoryJSON: #"{"network":[{"addresses":["192.168.1.45/24"]}]}"#), candidates: [("m-lan", sameLAN)]) == nil)
        #expect(InventoryInterface.mac("ff:ff:ff:ff:ff:ff") == nil)
        #expect(InventoryInterface.mac("00:00:00:00:00:00") == nil)
        #expect(InventoryInterface.mac("00-11-22-33-44-5g") == nil)
        #expect(InventoryInterface.parse(inventoryJSON: "not json").isEmpty)
        #expect(AgentVersionOrder.isOlder("0.9.1", than: "0.10.0"))
        #expect(!AgentVersionOrder.isOlder("0.10.0", than: "0.10.0"))
        #expect(!AgentVersionOrder.isOlder("1.0", than: "0.10.0"))
    }

    @Test func wakeWithoutARelayIsAClearConflict() async throws {
        try await TestServer.withAdmin { server, client, admin async throws in
            let target = try await Self.machine(client, server, admin: admin, "SLEEPER", [
                "macs": .text("00:11:22:33:44:55"), "internal_ips": .text("192.168.1.45"),
                "inventory_json": .text(#"{"hostname":"SLEEPER","network":[{"name":"eth0","mac":"00:11:22:33:44:55","addresses":["192.168.1.45/24"]}]}"#),
            ])
            let response = try await client.call(.post, "/api/agents/\(target)/wake", as: admin)
            #expect(response.status == .conflict)
            #expect(try client.json(response)["message"] as? String == "No online agent shares a subnet with this machine, so nothing can send its wake-up packet.")
            let unknown = try await Self.machine(client, server, admin: admin, "NO-MAC")
            #expect(try client.json(try await client.call(.post, "/api/agents/\(unknown)/wake", as: admin))["message"] as? String
                    == "The machine has not reported a MAC address with an IPv4 address, so it cannot be woken.")
            let audit = try client.json(try await client.call(.get, "/api/audit?action=agent.wake", as: admin))
            #expect(String(describing: audit).contains("no online agent on its subnet"))
        }
    }
}
