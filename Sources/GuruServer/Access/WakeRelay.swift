import Foundation

/// One network interface from an inventory's `network` array: its MAC and IPv4 subnets.
struct InventoryInterface: Sendable, Equatable {
    let mac: [UInt8]?
    let networks: [Subnet]

    /// The interfaces in an AgentInventory JSON (FLEET-CONTRACT.md); nothing when it does not parse.
    static func parse(inventoryJSON: String?) -> [InventoryInterface] {
        guard let inventoryJSON else { return [] }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(inventoryJSON.utf8))
        } catch {
            return [] // the server stored it after validating; unreadable now means no known address
        }
        guard let network = (object as? [String: Any])?["network"] as? [[String: Any]] else { return [] }
        return network.prefix(64).map { entry in
            let addresses = (entry["addresses"] as? [String]) ?? []
            return InventoryInterface(mac: (entry["mac"] as? String).flatMap(Self.mac),
                                      networks: addresses.prefix(64).compactMap(Subnet.init).filter(\.isIPv4))
        }
    }

    /// "00:11:22:33:44:55" (or with dashes) as 6 bytes; nil for malformed, all-zero or broadcast MACs.
    static func mac(_ text: String) -> [UInt8]? {
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "-" })
        guard parts.count == 6 else { return nil }
        let bytes = parts.compactMap { $0.count == 2 ? UInt8($0, radix: 16) : nil }
        guard bytes.count == 6, bytes != [UInt8](repeating: 0, count: 6), bytes != [UInt8](repeating: 0xff, count: 6) else { return nil }
        return bytes
    }
}

/// Which online agent should broadcast a machine's magic packet: one whose own subnet holds one of the
/// machine's last known IPv4 addresses, so the subnet's broadcast reaches it. The most specific subnet
/// wins, then the lowest agent id (the same answer every time).
enum WakeRelay {
    struct Choice: Sendable, Equatable {
        let relayId: String
        let mac: [UInt8]
        /// The relay subnet's broadcast address (4 bytes), where the agent sends the packet.
        let broadcast: [UInt8]
    }

    static func choose(target: [InventoryInterface], candidates: [(id: String, interfaces: [InventoryInterface])]) -> Choice? {
        var best: (choice: Choice, prefix: Int)?
        for interface in target {
            guard let mac = interface.mac else { continue }
            for address in interface.networks {
                for candidate in candidates {
                    for network in candidate.interfaces.flatMap(\.networks) where network.bytes != address.bytes {
                        guard network.contains(address.bytes), let broadcast = network.broadcast else { continue }
                        if let current = best, current.prefix > network.prefix
                            || (current.prefix == network.prefix && current.choice.relayId <= candidate.id) { continue }
                        best = (Choice(relayId: candidate.id, mac: mac, broadcast: broadcast), network.prefix)
                    }
                }
            }
        }
        return best?.choice
    }
}
