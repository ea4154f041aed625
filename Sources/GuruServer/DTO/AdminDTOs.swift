import Foundation
import GuruStore
import Hummingbird

/// A role as the API shows it.
struct RoleDTO: ResponseCodable, Sendable {
    let id: String
    let name: String
    let builtin: Bool
    let permissions: [String]
    /// Which machines the role reaches: nil for all, else the companies and saved filter ids.
    let scope: ScopeDTO?

    /// A limited scope: machines of these companies, or matching these saved filters.
    struct ScopeDTO: Codable, Sendable, Equatable {
        let companies: [String]
        let filters: [String]
    }

    init(_ role: Role) {
        id = role.id
        name = role.name
        builtin = role.builtin
        permissions = role.permissions.names
        scope = switch role.scope {
        case .all: nil
        case .limited(let companies, let filters): ScopeDTO(companies: companies, filters: filters)
        }
    }
}

/// A team as the API shows it.
struct TeamDTO: ResponseCodable, Sendable {
    let id: String
    let name: String
    let memberCount: Int

    init(_ team: Team) {
        id = team.id
        name = team.name
        memberCount = team.memberCount
    }
}

/// An API key as the API shows it; the secret appears only once, at creation.
struct ApiKeyDTO: ResponseCodable, Sendable {
    let id: String
    let name: String
    let prefix: String
    let createdAt: Date
    let expiresAt: Date?
    let lastUsedAt: Date?
    let revokedAt: Date?

    init(_ key: ApiKey) {
        id = key.id
        name = key.name
        prefix = "\(ApiKeyFormat.prefix)\(key.id)"
        createdAt = key.createdAt
        expiresAt = key.expiresAt
        lastUsedAt = key.lastUsedAt
        revokedAt = key.revokedAt
    }
}

/// An audit event as the API shows and exports it.
struct AuditEventDTO: ResponseCodable, Sendable {
    let id: Int64
    let at: Date
    let actorId: String?
    let actorName: String?
    let sourceAddress: String?
    let action: String
    let target: String?
    let outcome: String
    let detail: String?

    init(_ event: AuditEvent) {
        id = event.id
        at = event.at
        actorId = event.actorId
        actorName = event.actorName
        sourceAddress = event.sourceAddress
        action = event.action
        target = event.target
        outcome = event.outcome.rawValue
        detail = event.detail
    }
}
