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
    }
}
