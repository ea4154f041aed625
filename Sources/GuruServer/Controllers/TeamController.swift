import Foundation
import GuruStore
import Hummingbird

/// Teams of technicians (`manageUsers`).
struct TeamController: RouteCollection {
    let dependencies: ServerDependencies
    private var store: Store { dependencies.store }

    struct TeamRequest: Decodable { let name: String }

    func register(on routes: RouteTable) {
        let access = Access.permission(.manageUsers)
        routes.get("/api/teams", access) { _, _ in try await store.teams.list().map(TeamDTO.init) }
        routes.post("/api/teams", access) { request, context in
            let name = try await parseName(request, context)
            let team = Team(id: UUID().uuidString, name: name, createdAt: .now)
            try await mapStoreErrors(conflict: APIError.conflict("A team named '\(name)' exists.")) { () async throws(StoreError) in
                try await store.teams.create(team)
            }
            await dependencies.audit.record("team.create", .success, context: context, target: name)
            return EditedResponse(status: .created, response: TeamDTO(team))
        }
        routes.patch("/api/teams/{id}", access) { request, context in
            let id = try context.parameter("id")
            let name = try await parseName(request, context)
            try await mapStoreErrors(conflict: APIError.conflict("A team named '\(name)' exists."), notFound: APIError.notFound("No such team.")) { () async throws(StoreError) in
                try await store.teams.rename(id: id, to: name)
            }
            await dependencies.audit.record("team.update", .success, context: context, target: name)
            guard let team = try await store.teams.find(id: id) else { throw APIError.notFound("No such team.") }
            return TeamDTO(team)
        }
        routes.delete("/api/teams/{id}", access) { _, context in
            let id = try context.parameter("id")
            guard let team = try await store.teams.find(id: id) else { throw APIError.notFound("No such team.") }
            try await store.teams.delete(id: id)
            await dependencies.audit.record("team.delete", .success, context: context, target: team.name)
            return Response(status: .noContent)
        }
    }

    private func parseName(_ request: Request, _ context: AppRequestContext) async throws -> String {
        try Validation.name(try await request.decode(as: TeamRequest.self, context: context).name, field: "Team name", maxLength: 60)
    }
}
