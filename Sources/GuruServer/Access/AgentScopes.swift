import Foundation
import GuruStore

/// The machines a caller may reach, as a filter every agent route adds to its query (docs/filters.md §Scopes).
/// A role limited to companies and saved filters reaches a machine of one of those companies or matching one
/// of those filters; a saved filter that is gone or no longer parses reaches nothing (fail closed).
struct AgentScopes: Sendable {
    let store: Store

    func filter(for identity: Identity, now: Date = .now) async throws -> AgentFilter {
        switch identity.role.scope {
        case .all: return .constant(true)
        case .limited(let companies, let filterIds):
            var parts = companies.map { AgentFilter.compare(.field(.company), .equal, .text($0)) }
            let saved = try await store.savedFilters.find(ids: filterIds)
            for filter in saved {
                do {
                    if let parsed = try AgentFilterParser.parse(filter.expression, now: now) { parts.append(parsed) }
                } catch {
                    // An expression saved before the language changed; it grants nothing rather than everything.
                    continue
                }
            }
            return .any(parts)
        }
    }

    /// The machine, when it exists and lies in the caller's scope; 404 otherwise (no hint that it exists).
    func require(_ agentId: String, for identity: Identity, context: FilterContext = FilterContext()) async throws -> AgentListing {
        let scope = try await filter(for: identity, now: context.now)
        guard let listing = try await store.directory.find(id: agentId, scope: scope, context: context) else {
            throw APIError.notFound("No such agent.")
        }
        return listing
    }
}
