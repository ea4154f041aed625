import Foundation
import GuruStore
import Hummingbird

/// Saved filters ("My Filters"): a name and a filter expression (docs/filters.md), kept by their owner,
/// optionally shared with the team and pinned. Only the owner changes one. A filter that a role's scope
/// names decides what that role reaches, so only a user manager may change or delete it.
struct SavedFilterController: RouteCollection {
    let dependencies: ServerDependencies
    let agentNotices: AgentChangeNotices

    struct FilterRequest: Decodable {
        let name: String
        let expression: String
        let shared: Bool?
        let pinned: Bool?
    }
    struct FilterDTO: ResponseEncodable, Sendable {
        let id: String
        let name: String
        let expression: String
        let shared: Bool
        let pinned: Bool
        let ownerId: String
        let ownerName: String?
        let mine: Bool
        let createdAt: Date
        let updatedAt: Date
    }
    struct FilterList: ResponseEncodable { let filters: [FilterDTO] }

    func register(on routes: RouteTable) {
        let store = dependencies.store
        let access = Access.permission(.accessUnattended)
        routes.get("/api/saved-filters", access) { _, context in
            let identity = try context.requireIdentity()
            let filters = try await store.savedFilters.list(visibleTo: identity.user.id)
            let names = Dictionary(try await store.users.list().map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
            return FilterList(filters: filters.map { dto($0, identity: identity, ownerName: names[$0.ownerId]) })
        }
        routes.post("/api/saved-filters", access) { request, context in
            let identity = try context.requireIdentity()
            let body = try await parse(request, context)
            let now = Date.now
            let filter = SavedFilter(id: UUID().uuidString, name: body.name, expression: body.expression, ownerId: identity.user.id,
                                     shared: body.shared ?? false, pinned: body.pinned ?? false, createdAt: now, updatedAt: now)
            try await mapStoreErrors { () async throws(StoreError) in try await store.savedFilters.create(filter) }
            await dependencies.audit.record("filter.create", .success, context: context, target: filter.id, detail: "\(filter.name): \(filter.expression)")
            return EditedResponse(status: .created, response: dto(filter, identity: identity, ownerName: identity.user.displayName))
        }
        routes.patch("/api/saved-filters/{id}", access) { request, context in
            let identity = try context.requireIdentity()
            var filter = try await changeable(context, identity: identity)
            let body = try await parse(request, context)
            filter.name = body.name
            filter.expression = body.expression
            filter.shared = body.shared ?? filter.shared
            filter.pinned = body.pinned ?? filter.pinned
            filter.updatedAt = .now
            try await mapStoreErrors(notFound: .notFound("No such filter.")) { () async throws(StoreError) in try await store.savedFilters.update(filter) }
            await dependencies.audit.record("filter.update", .success, context: context, target: filter.id, detail: "\(filter.name): \(filter.expression)")
            // A scope may name it: what some roles reach just changed.
            agentNotices.changed()
            return dto(filter, identity: identity, ownerName: nil)
        }
        routes.delete("/api/saved-filters/{id}", access) { _, context in
            let identity = try context.requireIdentity()
            let filter = try await changeable(context, identity: identity)
            try await mapStoreErrors(notFound: .notFound("No such filter.")) { () async throws(StoreError) in try await store.savedFilters.delete(id: filter.id) }
            await dependencies.audit.record("filter.delete", .success, context: context, target: filter.id, detail: filter.name)
            agentNotices.changed()
            return Response(status: .noContent)
        }
    }

    /// The filter in the path, when the caller may change it: 404 when they cannot see it, 403 when it is not theirs.
    private func changeable(_ context: AppRequestContext, identity: Identity) async throws -> SavedFilter {
        let store = dependencies.store
        guard let filter = try await store.savedFilters.find(id: try context.parameter("id")),
              filter.ownerId == identity.user.id || filter.shared else { throw APIError.notFound("No such filter.") }
        let inScope = try await store.roles.list().contains { role in
            if case .limited(_, let ids) = role.scope { return ids.contains(filter.id) }
            return false
        }
        if inScope {
            guard identity.has(.manageUsers) else {
                await dependencies.audit.record("filter.update", .denied, context: context, target: filter.id, detail: "named by a role's scope")
                throw APIError.forbidden("A role's scope uses this filter; only a user manager can change it.")
            }
        } else if filter.ownerId != identity.user.id, !identity.has(.manageUsers) {
            throw APIError.forbidden("Only its owner can change this filter.")
        }
        return filter
    }

    private func parse(_ request: Request, _ context: AppRequestContext) async throws -> (name: String, expression: String, shared: Bool?, pinned: Bool?) {
        let body = try await request.decode(as: FilterRequest.self, context: context)
        let name = try Validation.name(body.name, field: "Name", maxLength: 80)
        do {
            guard try AgentFilterParser.parse(body.expression) != nil else { throw APIError.badRequest("The filter expression is empty.") }
        } catch let error as FilterSyntaxError {
            throw APIError(.badRequest, "filter_syntax", "Filter \(error.description).")
        }
        return (name, body.expression, body.shared, body.pinned)
    }

    private func dto(_ filter: SavedFilter, identity: Identity, ownerName: String?) -> FilterDTO {
        FilterDTO(id: filter.id, name: filter.name, expression: filter.expression, shared: filter.shared, pinned: filter.pinned,
                  ownerId: filter.ownerId, ownerName: ownerName, mine: filter.ownerId == identity.user.id,
                  createdAt: filter.createdAt, updatedAt: filter.updatedAt)
    }
}
