import Foundation
import GuruStore
import Hummingbird
import HummingbirdWebSocket

/// An unattended agent's `agentInventory` reports (docs/protocol.md §2.6): bounded per connection, parsed,
/// stored with the address the server sees, and a change to the machine's metadata audited.
extension RelayConnections {
    /// How many reports a connection may send: 3 at once, then one per 5 s. More are dropped (and logged):
    /// the agent re-sends its whole inventory on the next change, so nothing is lost for good.
    static let inventoryPolicy = TokenBucket.Policy(burst: 3, refillPerHour: 720)

    /// Stores one report of `agentId`; a refused or throttled report changes nothing.
    func recordInventory(
        _ json: [UInt8], agentId: String, allowance: inout TokenBucket, context: WebSocketRouterContext<AppRequestContext>
    ) async throws {
        let now = Date.now
        guard allowance.wait(at: now) == nil else {
            context.logger.notice("inventory report dropped: over the rate limit", metadata: ["agent": "\(agentId)"])
            return
        }
        allowance.take(at: now)
        let external = context.requestContext.clientAddress
        let report: InventoryReport
        do {
            report = try InventoryReport(json: json, externalIP: external == "unknown" ? nil : external, at: now)
        } catch {
            context.logger.notice("inventory report refused", metadata: ["agent": "\(agentId)", "error": "\(error)"])
            return
        }
        guard let stored = try await dependencies.store.agents.find(id: agentId) else { return }
        let metadata: MachineMetadata
        do {
            metadata = try report.metadata.applied(to: stored.metadata)
        } catch {
            context.logger.notice("inventory report refused", metadata: ["agent": "\(agentId)", "error": "\(error)"])
            return
        }
        let previous = try await dependencies.store.agents.updateInventory(id: agentId, inventory: report.inventory, metadata: metadata)
        agentNotices.changed() // the Access list re-reads the machine
        let changed = metadata.changedFields(from: previous)
        if !changed.isEmpty {
            await dependencies.audit.record("agent.reconfigured", .success, context: context.requestContext, target: agentId,
                                            detail: changed.joined(separator: ", "))
        }
    }
}
