import Foundation
import GuruStore
import Testing
@testable import GuruServer

@Suite("Support codes, guessing and access rules")
struct SupportUnitTests {
    @Test func hundredThousandAllocationsWithTenThousandActiveNeverCollide() {
        var active = Set<String>()
        var order: [String] = []
        order.reserveCapacity(100_000)
        var leadingZero = false
        for index in 0..<100_000 {
            guard let code = SupportCodes.draw(excluding: active) else {
                Issue.record("no code at allocation \(index)")
                return
            }
            #expect(SupportCodes.isWellFormed(code))
            #expect(!active.contains(code), "\(code) reissued while active")
            active.insert(code)
            order.append(code)
            leadingZero = leadingZero || code.hasPrefix("0")
            if active.count > 10_000 { active.remove(order[index - 10_000]) }
        }
        #expect(active.count == 10_000)
        #expect(leadingZero, "codes below 100000 must occur: the space is 000000-999999")
    }

    @Test func technicianNamesAreCutAtCharacterBoundariesForViewerInfo() {
        #expect(RelayHub.fitting("Ana", bytes: 255) == "Ana")
        let long = String(repeating: "é", count: 200)  // 400 bytes
        let cut = RelayHub.fitting(long, bytes: 255)
        #expect(cut.utf8.count == 254)  // 127 whole "é", never half of one
        #expect(cut == String(repeating: "é", count: 127))
        #expect(RelayHub.fitting("👩‍🔧", bytes: 3).isEmpty)
    }

    @Test func drawingFailsCleanlyWhenEveryCodeIsTaken() {
        let all = Set((0..<1_000_000).map { String(format: "%06d", $0) })
        #expect(SupportCodes.draw(excluding: all) == nil)
        #expect(!SupportCodes.isWellFormed("12345"))
        #expect(!SupportCodes.isWellFormed("12345a"))
        #expect(!SupportCodes.isWellFormed("١٢٣٤٥٦"))  // Arabic-Indic digits are not ASCII digits
    }

    @Test func guessingIsThrottledPerAddressAndServerWide() async throws {
        let clock = TestClock()
        let throttle = CodeGuessThrottle(now: { clock.now })
        var admitted = 0
        for _ in 0..<1000 where await throttle.guessWrong(address: "203.0.113.7") {
            admitted += 1
        }
        #expect(admitted == 6, "5 free failures, the 6th locks; got \(admitted)")
        // Many addresses together hit the server-wide bucket: 60 failures, then everyone waits.
        var spread = 0
        for index in 0..<500 where await throttle.guessWrong(address: "198.51.100.\(index % 250)") {
            spread += 1
        }
        #expect(spread == 54, "the bucket held 60 and the first address spent 6; got \(spread)")
        #expect(await !throttle.guessWrong(address: "192.0.2.1"))
        clock.advance(by: 3600)
        #expect(await throttle.guessWrong(address: "192.0.2.1"), "an hour refills 120 tokens")
    }

    // MARK: - Access rules, for every built-in role and every relation to the session

    enum Relation: CaseIterable { case own, teammate, otherTeam, unassigned }

    static func identity(_ role: Permission, team: String? = "t1") -> Identity {
        let user = User(id: "caller", username: "caller", displayName: "Caller", passwordHash: "", roleId: "r", teamId: team, createdAt: .now)
        return Identity(user: user, role: Role(id: "r", name: "r", builtin: false, permissions: role, createdAt: .now), credential: .apiKey(id: "k"))
    }

    static func session(_ relation: Relation, visibility: ServerSettings.Visibility, status: SupportSession.Status = .connected) -> (SupportSession, String?) {
        let owner: String? = switch relation {
        case .own: "caller"
        case .unassigned: nil
        case .teammate, .otherTeam: "someone"
        }
        let team: String? = relation == .otherTeam ? "t2" : "t1"
        return (SupportSession(id: "s", code: "123456", status: status, ownerId: owner, createdBy: "someone", visibility: visibility, createdAt: .now), team)
    }

    /// (role, relation, visibility) → (section, join, view, end/transfer).
    static let expectations: [(String, Permission, Relation, ServerSettings.Visibility, String?, Bool, Bool, Bool)] = [
        ("tech", Role.technician, .own, .private, "mine", true, true, true),
        ("tech", Role.technician, .teammate, .team, nil, false, false, false),
        ("tech", Role.technician, .teammate, .company, nil, false, false, false),
        ("tech", Role.technician, .otherTeam, .company, nil, false, false, false),
        ("tech", Role.technician, .unassigned, .team, "request", true, false, false),
        ("senior", Role.seniorTech, .own, .private, "mine", true, true, true),
        ("senior", Role.seniorTech, .teammate, .private, "team", false, true, false),
        ("senior", Role.seniorTech, .teammate, .team, "team", true, true, false),
        ("senior", Role.seniorTech, .otherTeam, .team, "team", false, true, false),
        ("senior", Role.seniorTech, .otherTeam, .company, "team", true, true, false),
        ("senior", Role.seniorTech, .unassigned, .private, "request", true, true, false),
        ("admin", Role.admin, .own, .private, "mine", true, true, true),
        ("admin", Role.admin, .teammate, .private, "team", true, true, true),
        ("admin", Role.admin, .otherTeam, .private, "team", true, true, true),
        ("admin", Role.admin, .unassigned, .private, "request", true, true, true),
        ("nothing", [], .teammate, .company, nil, false, false, false),
        ("nothing", [], .unassigned, .company, nil, false, false, false),
    ]

    @Test func everyRoleGetsExactlyItsRightsOnEverySession() {
        for (name, permissions, relation, visibility, section, join, view, manage) in Self.expectations {
            let (session, ownerTeam) = Self.session(relation, visibility: visibility)
            let access = SupportAccess(caller: Self.identity(permissions), session: session, ownerTeamId: ownerTeam)
            let label = "\(name) on \(relation) \(visibility)"
            #expect(access.section?.rawValue == section, "\(label): section")
            #expect(access.canJoin == join, "\(label): join")
            #expect(access.canView == view, "\(label): view")
            #expect(access.canEnd == manage && access.canTransfer == manage, "\(label): end/transfer")
            #expect(!access.canCancel, "\(label): only pending codes can be cancelled")
        }
    }

    @Test func pendingAndEndedSessionsCannotBeJoined() {
        for status in [SupportSession.Status.pending, .ended, .cancelled, .declined, .expired] {
            let (session, team) = Self.session(.own, visibility: .private, status: status)
            let access = SupportAccess(caller: Self.identity(Role.admin), session: session, ownerTeamId: team)
            #expect(!access.canJoin && !access.canView, "\(status)")
            #expect(access.canCancel == (status == .pending), "\(status)")
            #expect(access.canEnd == status.isActive, "\(status)")
        }
    }
}

/// A clock tests move by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { lock.withLock { current } }
    func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
}
