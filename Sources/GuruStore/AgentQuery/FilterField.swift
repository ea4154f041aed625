/// The fields a filter, a sort or a group can name (docs/filters.md lists them with their kinds).
public enum FilterField: String, Sendable, Equatable, Hashable, CaseIterable {
    case name = "Name"
    case hostname = "Hostname"
    case company = "Company"
    case site = "Site"
    case department = "Department"
    case deviceType = "DeviceType"
    case tag = "Tag"
    case os = "OS"
    case osVersion = "OSVersion"
    case osBuild = "OSBuild"
    case manufacturer = "Manufacturer"
    case model = "Model"
    case serial = "Serial"
    case serviceTag = "ServiceTag"
    case cpu = "CPU"
    case user = "User"
    case internalIP = "InternalIP"
    case externalIP = "ExternalIP"
    case mac = "MAC"
    case agentVersion = "AgentVersion"
    case id = "ID"
    case ram = "RAM"
    case idleSeconds = "IdleSeconds"
    case lastSeen = "LastSeen"
    case firstSeen = "FirstSeen"
    case enrolled = "Enrolled"
    case lastBoot = "LastBoot"
    case osInstalled = "OSInstalled"
    case lastAccessed = "LastAccessed"
    case inventoryAt = "InventoryAt"

    /// What a field holds, which decides the operators and literals it takes.
    public enum Kind: Sendable, Equatable {
        /// Text: = <> < > <= >= LIKE IN, compared without regard to case.
        case text
        /// Several values in one (IP addresses, MACs): = and LIKE match any one of them, IN any of the list.
        case list
        /// A whole number (bytes, seconds): = <> < > <= >= IN; sizes may carry KB/MB/GB/TB.
        case number
        /// A moment: compared with time macros ($7DAYSAGO) or 'YYYY-MM-DD' dates.
        case time
    }

    public var kind: Kind {
        switch self {
        case .internalIP, .mac: .list
        case .ram, .idleSeconds: .number
        case .lastSeen, .firstSeen, .enrolled, .lastBoot, .osInstalled, .lastAccessed, .inventoryAt: .time
        default: .text
        }
    }

    /// Other names a filter may use for the field (compared without regard to case).
    var aliases: [String] {
        switch self {
        case .name: ["DisplayName", "Machine"]
        case .hostname: ["ComputerName"]
        case .os: ["OSName"]
        case .serial: ["SerialNumber"]
        case .user: ["LoggedOnUser"]
        case .internalIP: ["IP", "PrivateIP"]
        case .externalIP: ["PublicIP"]
        case .lastSeen: ["LastCheckIn"]
        case .firstSeen: []
        case .enrolled: ["Created"]
        default: []
        }
    }

    /// The field a filter names, whatever its case, or nil.
    static func named(_ word: String) -> FilterField? {
        let lowered = word.lowercased()
        return allCases.first { $0.rawValue.lowercased() == lowered || $0.aliases.contains { $0.lowercased() == lowered } }
    }

    /// The fields the sidebar may group by (besides custom properties): text fields whose values repeat.
    public static let groupable: [FilterField] = [.company, .site, .department, .deviceType, .tag, .os, .osVersion, .manufacturer, .model, .agentVersion, .user]
}
