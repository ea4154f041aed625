import GuruStore

/// Who may see, join, view, end, cancel and transfer a support session (docs/support.md §7).
struct SupportAccess: Sendable, Equatable {
    /// Where the session is listed for this caller.
    enum Section: String, Sendable { case mine, team, request }

    let section: Section?
    let canJoin: Bool
    let canView: Bool
    let canEnd: Bool
    let canCancel: Bool
    let canTransfer: Bool

    var canSee: Bool { section != nil }

    /// The caller's rights on `session`, whose owner is in `ownerTeamId`.
    init(caller: Identity, session: SupportSession, ownerTeamId: String?) {
        let user = caller.user
        let active = session.status.isActive
        let own = session.ownerId == user.id
        let sameTeam = user.teamId != nil && user.teamId == ownerTeamId
        let shared = session.visibility == .company || (session.visibility == .team && sameTeam)
        let unassigned = session.ownerId == nil

        let seesAll = caller.has(.viewAllSessions)
        let seesShared = shared && caller.has(.viewTeamSessions)
        let joinsAll = caller.has(.joinAllSessions)
        let joinsShared = shared && caller.has(.joinTeamSessions)
        let claims = unassigned && caller.has(.createSupportCode)

        if own {
            section = .mine
        } else if unassigned && (claims || seesAll) {
            section = .request
        } else if seesAll || seesShared || joinsAll || joinsShared {
            section = .team
        } else {
            section = nil
        }
        let live = active && session.status != .pending
        canJoin = live && (own || claims || joinsAll || joinsShared)
        canView = live && (own || seesAll || seesShared || joinsAll || joinsShared)
        let manages = own || caller.has(.endAnySession)
        canEnd = active && manages
        canCancel = session.status == .pending && (manages || (unassigned && session.createdBy == user.id))
        canTransfer = active && manages
    }
}
