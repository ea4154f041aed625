import Foundation
import GuruStore
import Hummingbird

/// The Access tab's reads: a page of machines (filtered, searched, sorted and paged in the database), one
/// machine, and the sidebar's counts. Everything stays inside the caller's scope.
struct AgentListController: RouteCollection {
    let dependencies: ServerDependencies
    let facts: AccessFacts
    /// Distinct values a sidebar group lists at most.
    static let groupLimit = 500

    struct GroupValue: Encodable, Sendable { let value: String?; let count: Int }
    struct FieldGroups: Encodable, Sendable { let field: String; let label: String; let values: [GroupValue] }
    struct SmartCount: Encodable, Sendable { let id: String; let label: String; let count: Int }
    struct GroupsDTO: ResponseEncodable, Sendable {
        let total: Int
        let online: Int
        let fields: [FieldGroups]
        let smart: [SmartCount]
    }

    /// The sidebar's fields, as shared/REQUIREMENTS.md lists them.
    static let sidebarFields: [(FilterField, String)] = [
        (.company, "By Company"), (.site, "By Site"), (.os, "By OS"), (.tag, "By Tag"), (.deviceType, "By Device Type"),
    ]

    func register(on routes: RouteTable) {
        let store = dependencies.store
        routes.get("/api/agents", .permission(.accessUnattended)) { request, context in
            let now = Date.now
            let parameters = try AgentListParameters(Self.query(request), now: now)
            var filters = [try await facts.scopes.filter(for: try context.requireIdentity(), now: now)]
            filters += [parameters.filter, parameters.status, parameters.group].compactMap { $0 }
            if let smart = parameters.smart { filters.append(try await facts.filter(smart, now: now)) }
            let query = AgentQuery(filters: filters, search: parameters.search, sort: parameters.sort, offset: parameters.offset, limit: parameters.limit)
            let page = try await store.directory.page(query, context: await facts.context(now: now))
            return AgentPageDTO(total: page.total, offset: query.offset, items: page.items.map(AgentDTO.init))
        }
        routes.get("/api/agents/groups", .permission(.accessUnattended)) { request, context in
            let now = Date.now
            let scope = try await facts.scopes.filter(for: try context.requireIdentity(), now: now)
            let filterContext = await facts.context(now: now)
            var fields = Self.sidebarFields.map { (FilterTarget.field($0.0), $0.0.rawValue, $0.1) }
            // ?by=Department or ?by=Property.Asset adds one more grouping.
            if let by = request.uri.queryParameters.get("by"), !by.isEmpty {
                let target = try AgentListParameters.groupTarget(by)
                if !fields.contains(where: { $0.0 == target }) { fields.append((target, by, "By \(by)")) }
            }
            var groups: [FieldGroups] = []
            for (target, name, label) in fields {
                let counts = try await store.directory.counts(by: target, scope: scope, context: filterContext, limit: Self.groupLimit)
                groups.append(FieldGroups(field: name, label: label, values: counts.map { GroupValue(value: $0.value, count: $0.count) }))
            }
            let smart = SmartGroup.allCases
            var smartFilters: [AgentFilter] = [.constant(true), .flag(.online)]
            for group in smart { smartFilters.append(try await facts.filter(group, now: now)) }
            let counts = try await store.directory.countEach(smartFilters, scope: scope, context: filterContext)
            return GroupsDTO(
                total: counts[0], online: counts[1], fields: groups,
                smart: zip(smart, counts.dropFirst(2)).map { SmartCount(id: $0.rawValue, label: $0.label, count: $1) }
            )
        }
        routes.get("/api/agents/{id}", .permission(.accessUnattended)) { _, context in
            let listing = try await facts.scopes.require(try context.parameter("id"), for: try context.requireIdentity(), context: await facts.context())
            return AgentDTO.detail(listing, hostsConnected: await facts.hub.viewerUsers(of: listing.record.id).count)
        }
    }

    /// The query parameters `AgentListParameters` reads, decoded.
    static func query(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for name in ["filter", "q", "status", "group", "smart", "sort", "order", "offset", "limit"] {
            if let value = request.uri.queryParameters.get(name) { result[name] = value }
        }
        return result
    }
}
