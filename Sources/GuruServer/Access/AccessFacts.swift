import Foundation
import GuruStore

/// What the Access tab's queries need from outside the database: the relay's live viewers, the server's
/// current agent version, and the caller's scope.
struct AccessFacts: Sendable {
    let store: Store
    let hub: RelayHub
    /// The agent version this server ships; older reported versions are "Outdated Clients".
    let currentAgentVersion: String

    var scopes: AgentScopes { AgentScopes(store: store) }

    func context(now: Date = .now) async -> FilterContext {
        FilterContext(now: now, hostConnected: await hub.agentsWithViewers())
    }

    /// The reported versions older than `currentAgentVersion`.
    func outdatedVersions() async throws -> [String] {
        try await store.directory.agentVersions().filter { AgentVersionOrder.isOlder($0, than: currentAgentVersion) }
    }

    func filter(_ smart: SmartGroup, now: Date) async throws -> AgentFilter {
        smart.filter(now: now, outdatedVersions: smart == .outdatedClients ? try await outdatedVersions() : [])
    }
}
