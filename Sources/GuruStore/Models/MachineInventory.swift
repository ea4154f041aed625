import Foundation

/// What an unattended agent last reported about its machine (docs/protocol.md §2.6), in the columns the
/// Access tab searches, filters and sorts on. `json` keeps the whole report as received, for the detail panel.
public struct MachineInventory: Sendable, Hashable {
    public var hostname: String?
    public var osName: String?
    public var osVersion: String?
    public var osBuild: String?
    public var osInstalledAt: Date?
    public var manufacturer: String?
    public var model: String?
    public var serial: String?
    public var serviceTag: String?
    public var cpu: String?
    public var ramBytes: Int64?
    public var bootAt: Date?
    public var loggedOnUser: String?
    public var idleSeconds: Int64?
    /// Addresses without their prefix length, IPv4 first.
    public var internalIPs: [String]
    /// Lower-case, colon-separated.
    public var macs: [String]
    /// The address the server saw the agent's connection come from.
    public var externalIP: String?
    /// The report's JSON as the agent sent it.
    public var json: String?
    public var reportedAt: Date?

    public init(
        hostname: String? = nil, osName: String? = nil, osVersion: String? = nil, osBuild: String? = nil,
        osInstalledAt: Date? = nil, manufacturer: String? = nil, model: String? = nil, serial: String? = nil,
        serviceTag: String? = nil, cpu: String? = nil, ramBytes: Int64? = nil, bootAt: Date? = nil,
        loggedOnUser: String? = nil, idleSeconds: Int64? = nil, internalIPs: [String] = [], macs: [String] = [],
        externalIP: String? = nil, json: String? = nil, reportedAt: Date? = nil
    ) {
        self.hostname = hostname
        self.osName = osName
        self.osVersion = osVersion
        self.osBuild = osBuild
        self.osInstalledAt = osInstalledAt
        self.manufacturer = manufacturer
        self.model = model
        self.serial = serial
        self.serviceTag = serviceTag
        self.cpu = cpu
        self.ramBytes = ramBytes
        self.bootAt = bootAt
        self.loggedOnUser = loggedOnUser
        self.idleSeconds = idleSeconds
        self.internalIPs = internalIPs
        self.macs = macs
        self.externalIP = externalIP
        self.json = json
        self.reportedAt = reportedAt
    }
}

/// Where a machine belongs, set by the installer's form and changed with `--reconfigure`: the fields the
/// Access tab groups by. `name` nil means "use the machine name".
public struct MachineMetadata: Sendable, Hashable, Codable {
    /// The three kinds of device the Build tab offers.
    public enum DeviceType: String, Sendable, Codable, CaseIterable {
        case workstation, server, laptop
    }

    public var name: String?
    public var company: String?
    public var site: String?
    public var department: String?
    public var deviceType: DeviceType?
    public var tag: String?
    /// Custom properties by name, e.g. "Asset" → "A-17".
    public var properties: [String: String]

    public init(
        name: String? = nil, company: String? = nil, site: String? = nil, department: String? = nil,
        deviceType: DeviceType? = nil, tag: String? = nil, properties: [String: String] = [:]
    ) {
        self.name = name
        self.company = company
        self.site = site
        self.department = department
        self.deviceType = deviceType
        self.tag = tag
        self.properties = properties
    }

    /// The fields whose values differ between `self` and `other`, by their wire names, for the audit trail.
    public func changedFields(from other: MachineMetadata) -> [String] {
        var fields: [String] = []
        if name != other.name { fields.append("name") }
        if company != other.company { fields.append("company") }
        if site != other.site { fields.append("site") }
        if department != other.department { fields.append("department") }
        if deviceType != other.deviceType { fields.append("deviceType") }
        if tag != other.tag { fields.append("tag") }
        if properties != other.properties { fields.append("properties") }
        return fields
    }
}
