import Foundation
import GuruStore

/// The sidebar's eight status groups (shared/REQUIREMENTS.md "Auto-Generated Groups"), each a filter.
enum SmartGroup: String, CaseIterable, Sendable {
    case attention
    case hostConnected
    case guestConnected
    case recentlyAccessed
    case offline30Days
    case offline1Year
    case outdatedClients
    case poweredOnRecently

    var label: String {
        switch self {
        case .attention: "Attention"
        case .hostConnected: "Host Connected"
        case .guestConnected: "Guest Connected"
        case .recentlyAccessed: "Recently Accessed"
        case .offline30Days: "Offline 30 Days"
        case .offline1Year: "Offline 1 Year"
        case .outdatedClients: "Outdated Clients"
        case .poweredOnRecently: "Powered on last 10 min"
        }
    }

    /// The group as a filter. `outdatedVersions` are the reported agent versions older than the server's.
    func filter(now: Date, outdatedVersions: [String]) -> AgentFilter {
        switch self {
        case .attention: return .flag(.attention)
        case .hostConnected: return .flag(.hostConnected)
        case .guestConnected: return .flag(.guestConnected)
        case .recentlyAccessed: return .compare(.field(.lastAccessed), .greaterOrEqual, .time(now.addingTimeInterval(-86400)))
        case .offline30Days: return Self.offline(since: now.addingTimeInterval(-30 * 86400))
        case .offline1Year: return Self.offline(since: now.addingTimeInterval(-365 * 86400))
        case .outdatedClients: return outdatedVersions.isEmpty ? .constant(false) : .oneOf(.field(.agentVersion), outdatedVersions.map(FilterLiteral.text))
        case .poweredOnRecently: return .and(.flag(.online), .compare(.field(.lastBoot), .greaterOrEqual, .time(now.addingTimeInterval(-600))))
        }
    }

    /// Offline, and not seen since `since` (a machine never seen counts from its enrolment).
    private static func offline(since: Date) -> AgentFilter {
        .and(.not(.flag(.online)), .or(
            .compare(.field(.lastSeen), .less, .time(since)),
            .and(.missing(.field(.lastSeen)), .compare(.field(.enrolled), .less, .time(since)))
        ))
    }
}

/// Dotted agent versions compared number by number ("0.10.0" is newer than "0.9.1").
enum AgentVersionOrder {
    static func isOlder(_ version: String, than current: String) -> Bool {
        let lhs = components(version), rhs = components(current)
        for index in 0..<max(lhs.count, rhs.count) {
            let a = index < lhs.count ? lhs[index] : 0, b = index < rhs.count ? rhs[index] : 0
            if a != b { return a < b }
        }
        return false
    }

    private static func components(_ version: String) -> [Int] {
        version.split(whereSeparator: { !$0.isNumber }).prefix(4).map { Int($0.prefix(9)) ?? 0 }
    }
}
