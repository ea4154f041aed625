import Foundation
import GuruProtocol
import GuruStore
import Hummingbird

/// What a technician does to a machine from the Access tab besides connecting: flag it for attention, and
/// wake it (Wake-on-LAN through an online agent on its subnet). Both are audited and scope-checked.
struct AgentActionsController: RouteCollection {
    let dependencies: ServerDependencies
    let facts: AccessFacts
    let agentNotices: AgentChangeNotices

    struct AttentionRequest: Decodable { let flagged: Bool; let note: String? }
    struct WakeSent: ResponseEncodable { let relayId: String; let relayName: String; let broadcast: String; let mac: String }

    func register(on routes: RouteTable) {
        let store = dependencies.store
        routes.post("/api/agents/{id}/attention", .permission(.accessUnattended)) { request, context in
            let machine = try await facts.scopes.require(try context.parameter("id"), for: try context.requireIdentity())
            let body = try await request.decode(as: AttentionRequest.self, context: context)
            let note = body.flagged ? String((body.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(500)) : nil
            try await mapStoreErrors(notFound: .notFound("No such agent.")) { () async throws(StoreError) in
                try await store.agents.setAttention(id: machine.record.id, flagged: body.flagged, note: note)
            }
            await dependencies.audit.record(body.flagged ? "agent.attention.flag" : "agent.attention.clear", .success, context: context,
                                            target: machine.record.id, detail: note)
            agentNotices.changed()
            return AgentDTO(try await facts.scopes.require(machine.record.id, for: try context.requireIdentity()))
        }
        routes.post("/api/agents/{id}/wake", .permission(.accessUnattended)) { _, context in
            let machine = try await facts.scopes.require(try context.parameter("id"), for: try context.requireIdentity())
            let target = machine.record.id
            guard !machine.online else { throw APIError.conflict("The machine is online already.") }
            let interfaces = InventoryInterface.parse(inventoryJSON: machine.record.inventory.json)
            let withMAC = interfaces.filter { $0.mac != nil && !$0.networks.isEmpty }
            guard !withMAC.isEmpty else {
                throw APIError.conflict("The machine has not reported a MAC address with an IPv4 address, so it cannot be woken.")
            }
            // Candidates share at least the first octet; the exact subnet is checked in WakeRelay.
            var candidates: [(id: String, interfaces: [InventoryInterface])] = []
            for firstOctet in Set(withMAC.flatMap(\.networks).map { $0.bytes[0] }) {
                for relay in try await store.directory.connectedAgents(withAddressPrefix: "\(firstOctet).", excluding: target) {
                    candidates.append((relay.id, InventoryInterface.parse(inventoryJSON: relay.inventoryJSON)))
                }
            }
            guard let choice = WakeRelay.choose(target: withMAC, candidates: candidates) else {
                await dependencies.audit.record("agent.wake", .failure, context: context, target: target, detail: "no online agent on its subnet")
                throw APIError.conflict("No online agent shares a subnet with this machine, so nothing can send its wake-up packet.")
            }
            guard await facts.hub.send(.wakeOnLan(mac: choice.mac, broadcast: choice.broadcast), toAgent: choice.relayId) else {
                throw APIError.conflict("The relay agent went offline just now; try again.")
            }
            let mac = choice.mac.map { String(format: "%02x", $0) }.joined(separator: ":")
            let broadcast = choice.broadcast.map(String.init).joined(separator: ".")
            await dependencies.audit.record("agent.wake", .success, context: context, target: target, detail: "via \(choice.relayId) to \(broadcast) for \(mac)")
            let relayName = try await store.agents.find(id: choice.relayId)?.name ?? choice.relayId
            return WakeSent(relayId: choice.relayId, relayName: relayName, broadcast: broadcast, mac: mac)
        }
    }
}
