import Foundation
import GuruStore

/// Who takes a new support code: first come, or one technician (the caller or someone they name).
///
/// The rule (docs/support.md §5, "Assigning a code"): anyone who may create codes may keep a code or
/// leave it first-come; naming somebody else takes `assignSupportCodes` (Admin and Senior Tech), and
/// that somebody must exist, be enabled, and have a role that may take support sessions. The
/// permission is checked before the named user is looked up, so a caller without it learns nothing
/// about which ids exist.
enum SupportAssignment: Sendable, Equatable {
    /// Unassigned: listed under Support Requests until a technician joins it.
    case firstCome
    /// Owned by this technician from the start.
    case technician(User)

    /// Why the requested assignee was refused.
    enum Refusal: Error, Equatable {
        /// `assigned: false` together with an `assigneeId`.
        case contradictory
        /// The caller's role may not assign codes to anyone but themselves.
        case notAllowed
        /// No user has the id.
        case unknownUser
        /// The user's account is disabled.
        case disabledUser(User)
        /// The user's role cannot take support sessions.
        case notEligible(User)
    }

    /// The owner the caller asked for (`assigned` defaults to true, `assigneeId` to the caller), checked.
    static func resolve(
        assigned: Bool?, assigneeId: String?, caller: Identity, technicians: SupportTechnicians
    ) async throws -> SupportAssignment {
        guard let assigneeId else { return (assigned ?? true) ? .technician(caller.user) : .firstCome }
        guard assigned ?? true else { throw Refusal.contradictory }
        if assigneeId == caller.user.id { return .technician(caller.user) }
        guard caller.has(.assignSupportCodes) else { throw Refusal.notAllowed }
        guard let user = try await technicians.store.users.find(id: assigneeId) else { throw Refusal.unknownUser }
        switch try await technicians.eligibility(of: user) {
        case .eligible: return .technician(user)
        case .disabled: throw Refusal.disabledUser(user)
        case .roleCannotTakeSessions: throw Refusal.notEligible(user)
        }
    }

    /// The owner to store, nil for first come.
    var owner: User? {
        switch self {
        case .firstCome: nil
        case .technician(let user): user
        }
    }

    /// The audit detail, which names the assignee.
    var auditDetail: String {
        switch self {
        case .firstCome: "first-come"
        case .technician(let user): "assigned to \(user.username)"
        }
    }
}

extension SupportAssignment.Refusal {
    /// What the caller is told.
    var apiError: APIError {
        switch self {
        case .contradictory:
            .badRequest("assigneeId names a technician, so assigned cannot be false.")
        case .notAllowed:
            APIError(.forbidden, "assign_forbidden", "Your role may keep a code or leave it first-come, but not assign it to someone else.")
        case .unknownUser:
            APIError(.unprocessableContent, "assignee_not_found", "No user has that id.")
        case .disabledUser(let user):
            APIError(.unprocessableContent, "assignee_disabled", "\(user.displayName)'s account is disabled.")
        case .notEligible(let user):
            APIError(.unprocessableContent, "assignee_not_eligible", "\(user.displayName)'s role cannot take support sessions.")
        }
    }
}

/// Who may take support sessions: enabled users whose role holds `createSupportCode`. One rule for the
/// assignee picker, assigned codes and transfers.
struct SupportTechnicians: Sendable {
    /// Whether one user may take support sessions, and if not, why.
    enum Eligibility: Sendable, Equatable {
        case eligible
        case disabled
        case roleCannotTakeSessions
    }

    let store: Store

    func eligibility(of user: User) async throws -> Eligibility {
        if user.disabled { return .disabled }
        guard let role = try await store.roles.find(id: user.roleId), role.permissions.contains(.createSupportCode) else {
            return .roleCannotTakeSessions
        }
        return .eligible
    }

    /// Every user who may take support sessions, by display name.
    func all() async throws -> [User] {
        let eligibleRoles = Set(try await store.roles.list().filter { $0.permissions.contains(.createSupportCode) }.map(\.id))
        return try await store.users.list()
            .filter { !$0.disabled && eligibleRoles.contains($0.roleId) }
            .sorted { $0.displayName.localizedCaseInsensitiveCompare($1.displayName) == .orderedAscending }
    }
}
