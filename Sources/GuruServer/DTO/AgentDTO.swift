import Foundation
import GuruStore
import Hummingbird

/// An enrolled machine as the Access tab shows it: its live state, where it belongs, and what it last
/// reported (docs/api.md). `name` is the display name: the custom name, else the hostname.
struct AgentDTO: ResponseEncodable, Sendable {
    /// The Device section's operating system.
    struct OS: Encodable, Sendable {
        let name: String?
        let version: String?
        let build: String?
        let installedAt: Date?
    }
    /// The Device section's hardware.
    struct Hardware: Encodable, Sendable {
        let manufacturer: String?
        let model: String?
        let serial: String?
        let serviceTag: String?
        let cpu: String?
        let ramBytes: Int64?
    }
    /// The Network section.
    struct Network: Encodable, Sendable {
        let internalIPs: [String]
        let macs: [String]
        let externalIP: String?
    }

    let id: String
    let name: String
    let online: Bool
    let createdAt: Date
    let lastSeenAt: Date?
    let agentVersion: String?
    /// The bound identity key's fingerprint, as the viewer shows it; nil until the agent first connects.
    let identityFingerprint: String?
    let hostname: String?
    let customName: String?
    let company: String?
    let site: String?
    let department: String?
    let deviceType: String?
    let tag: String?
    let properties: [String: String]
    let os: OS
    let hardware: Hardware
    let network: Network
    let loggedOnUser: String?
    let idleSeconds: Int64?
    let bootAt: Date?
    let firstSeenAt: Date?
    let lastAccessedAt: Date?
    let inventoryAt: Date?
    let attention: Bool
    let attentionNote: String?
    /// Online, and a user is logged on who was active in the last 15 minutes.
    let guestConnected: Bool
    /// Detail only (`GET /api/agents/{id}`): how many viewers are connected now.
    var hostsConnected: Int?
    /// Detail only, from the last inventory.
    var disks: [Disk]?
    var memoryAvailableBytes: Int64?

    /// A disk of the last inventory.
    struct Disk: Encodable, Sendable { let mount: String; let totalBytes: Int64?; let freeBytes: Int64? }

    init(_ agent: AgentRecord, online: Bool) {
        let i = agent.inventory
        let m = agent.metadata
        id = agent.id
        name = agent.displayName
        self.online = online
        createdAt = agent.createdAt
        lastSeenAt = agent.lastSeenAt
        agentVersion = agent.agentVersion
        identityFingerprint = agent.identityKey.map { IdentityFingerprint.of(hex: $0) }
        hostname = i.hostname
        customName = m.name
        company = m.company
        site = m.site
        department = m.department
        deviceType = m.deviceType?.rawValue
        tag = m.tag
        properties = m.properties
        os = OS(name: i.osName, version: i.osVersion, build: i.osBuild, installedAt: i.osInstalledAt)
        hardware = Hardware(manufacturer: i.manufacturer, model: i.model, serial: i.serial, serviceTag: i.serviceTag, cpu: i.cpu, ramBytes: i.ramBytes)
        network = Network(internalIPs: i.internalIPs, macs: i.macs, externalIP: i.externalIP)
        loggedOnUser = i.loggedOnUser
        idleSeconds = i.idleSeconds
        bootAt = i.bootAt
        firstSeenAt = agent.firstSeenAt
        lastAccessedAt = agent.lastAccessedAt
        inventoryAt = i.reportedAt
        attention = agent.attention
        attentionNote = agent.attentionNote
        guestConnected = online && !(i.loggedOnUser ?? "").isEmpty && (i.idleSeconds.map { $0 < FilterFlag.guestIdleLimitSeconds } ?? false)
    }

    /// A row of the list: online as the database records it, like the filters that chose the row.
    init(_ listing: AgentListing) {
        self.init(listing.record, online: listing.online)
    }

    /// The list's machine plus what only the detail panel shows: viewers now, disks and free memory.
    static func detail(_ listing: AgentListing, hostsConnected: Int) -> AgentDTO {
        var dto = AgentDTO(listing)
        dto.hostsConnected = hostsConnected
        if let object = listing.record.inventory.json.flatMap(Self.object) {
            dto.disks = (object["disks"] as? [[String: Any]])?.prefix(64).map {
                Disk(mount: ($0["mount"] as? String) ?? "?", totalBytes: ($0["totalBytes"] as? NSNumber)?.int64Value,
                     freeBytes: ($0["freeBytes"] as? NSNumber)?.int64Value)
            }
            dto.memoryAvailableBytes = ((object["memory"] as? [String: Any])?["availableBytes"] as? NSNumber)?.int64Value
        }
        return dto
    }

    /// A JSON object's text as a dictionary; nil when it is not one (the detail then leaves those parts out).
    private static func object(_ json: String) -> [String: Any]? {
        do {
            return try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        } catch {
            return nil
        }
    }
}

/// One page of `GET /api/agents`.
struct AgentPageDTO: ResponseEncodable, Sendable {
    let total: Int
    let offset: Int
    let items: [AgentDTO]
}
