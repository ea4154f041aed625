import Foundation
import GuruStore

/// An unattended agent's `AgentInventory` JSON (docs/protocol.md §2.6), read into the store's model.
/// Everything in it is the agent's word: each string is bounded, each list capped, and a report that
/// breaks a bound is refused whole (the machine keeps its last good report).
struct InventoryReport: Sendable {
    /// Longest string, in characters; most entries in a list or in the custom properties.
    static let maxText = 255
    static let maxEntries = 64

    let inventory: MachineInventory
    /// What the report says of each metadata field: absent keys are nil (keep the stored value).
    let metadata: ReportedMetadata

    /// Why a report was refused; `field` names the JSON key.
    enum Failure: Error, Equatable, Sendable {
        case malformedJSON
        case missingHostname
        case tooLong(field: String)
        case tooMany(field: String)
        case invalid(field: String)
    }

    /// The metadata block as sent: a present key (even "") replaces the stored value, "" clears it.
    struct ReportedMetadata: Sendable, Equatable {
        var name: String?
        var company: String?
        var site: String?
        var department: String?
        var deviceType: String?
        var tag: String?
        var properties: [String: String]?

        /// `stored` with every field this report names replaced.
        func applied(to stored: MachineMetadata) throws(Failure) -> MachineMetadata {
            var out = stored
            func value(_ text: String?, _ current: String?) -> String? {
                guard let text else { return current }
                return text.isEmpty ? nil : text
            }
            out.name = value(name, stored.name)
            out.company = value(company, stored.company)
            out.site = value(site, stored.site)
            out.department = value(department, stored.department)
            out.tag = value(tag, stored.tag)
            if let deviceType {
                if deviceType.isEmpty {
                    out.deviceType = nil
                } else {
                    guard let type = MachineMetadata.DeviceType(rawValue: deviceType.lowercased()) else { throw .invalid(field: "metadata.deviceType") }
                    out.deviceType = type
                }
            }
            if let properties { out.properties = properties }
            return out
        }
    }

    private struct Wire: Decodable {
        struct OS: Decodable { let name: String?; let version: String?; let build: String?; let installDate: Int64? }
        struct Hardware: Decodable { let manufacturer: String?; let model: String?; let serial: String?; let serviceTag: String? }
        struct CPU: Decodable { let model: String?; let cores: Int?; let threads: Int? }
        struct Memory: Decodable { let totalBytes: Int64?; let availableBytes: Int64? }
        struct Disk: Decodable { let mount: String?; let totalBytes: Int64?; let freeBytes: Int64? }
        struct Adapter: Decodable { let name: String?; let mac: String?; let addresses: [String]? }
        struct User: Decodable { let name: String?; let idleSeconds: Int64? }
        struct Metadata: Decodable {
            let name: String?; let company: String?; let site: String?; let department: String?
            let deviceType: String?; let tag: String?; let properties: [String: String]?
        }
        let hostname: String?
        let os: OS?
        let hardware: Hardware?
        let cpu: CPU?
        let memory: Memory?
        let disks: [Disk]?
        let network: [Adapter]?
        let user: User?
        let bootTime: Int64?
        let agentVersion: String?
        let metadata: Metadata?
    }

    /// Reads `json`; `externalIP` is the address the server saw the connection come from.
    init(json: [UInt8], externalIP: String?, at time: Date) throws(Failure) {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(json))
        } catch {
            throw .malformedJSON
        }
        func text(_ value: String?, _ field: String) throws(Failure) -> String? {
            guard let value else { return nil }
            guard value.count <= Self.maxText else { throw .tooLong(field: field) }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        func capped<T>(_ list: [T]?, _ field: String) throws(Failure) -> [T] {
            guard let list else { return [] }
            guard list.count <= Self.maxEntries else { throw .tooMany(field: field) }
            return list
        }
        func seconds(_ value: Int64?, _ field: String) throws(Failure) -> Date? {
            guard let value else { return nil }
            // 1970 to 2200: anything else is a broken clock or a hostile report.
            guard (0...7_258_118_400).contains(value) else { throw .invalid(field: field) }
            return Date(timeIntervalSince1970: TimeInterval(value))
        }
        guard let hostname = try text(wire.hostname, "hostname") else { throw .missingHostname }

        var ips: [String] = []
        var macs: [String] = []
        for adapter in try capped(wire.network, "network") {
            if let mac = try text(adapter.mac, "network.mac")?.lowercased() {
                guard Self.isMAC(mac) else { throw .invalid(field: "network.mac") }
                if mac != "00:00:00:00:00:00", !macs.contains(mac) { macs.append(mac) }
            }
            for address in try capped(adapter.addresses, "network.addresses") {
                guard let entry = try text(address, "network.addresses"), let subnet = Subnet(entry) else {
                    throw .invalid(field: "network.addresses")
                }
                if !subnet.isLoopback, !ips.contains(subnet.address) { ips.append(subnet.address) }
            }
        }
        // IPv4 first: the address technicians type.
        ips = ips.filter { !$0.contains(":") } + ips.filter { $0.contains(":") }
        for disk in try capped(wire.disks, "disks") { _ = try text(disk.mount, "disks.mount") }

        let cpu = try text(wire.cpu?.model, "cpu.model")
        if let properties = wire.metadata?.properties {
            guard properties.count <= Self.maxEntries else { throw .tooMany(field: "metadata.properties") }
            for (key, value) in properties {
                guard !key.isEmpty, key.count <= 64 else { throw .invalid(field: "metadata.properties") }
                _ = try text(value, "metadata.properties")
            }
        }
        if let memory = wire.memory?.totalBytes, memory < 0 { throw .invalid(field: "memory.totalBytes") }
        if let idle = wire.user?.idleSeconds, idle < 0 { throw .invalid(field: "user.idleSeconds") }

        inventory = MachineInventory(
            hostname: hostname, osName: try text(wire.os?.name, "os.name"), osVersion: try text(wire.os?.version, "os.version"),
            osBuild: try text(wire.os?.build, "os.build"), osInstalledAt: try seconds(wire.os?.installDate, "os.installDate"),
            manufacturer: try text(wire.hardware?.manufacturer, "hardware.manufacturer"), model: try text(wire.hardware?.model, "hardware.model"),
            serial: try text(wire.hardware?.serial, "hardware.serial"), serviceTag: try text(wire.hardware?.serviceTag, "hardware.serviceTag"),
            cpu: cpu, ramBytes: wire.memory?.totalBytes, bootAt: try seconds(wire.bootTime, "bootTime"),
            loggedOnUser: try text(wire.user?.name, "user.name"), idleSeconds: wire.user?.idleSeconds,
            internalIPs: ips, macs: macs, externalIP: externalIP, json: String(decoding: json, as: UTF8.self), reportedAt: time
        )
        let m = wire.metadata
        metadata = ReportedMetadata(
            name: try Self.present(m?.name, "metadata.name"), company: try Self.present(m?.company, "metadata.company"),
            site: try Self.present(m?.site, "metadata.site"), department: try Self.present(m?.department, "metadata.department"),
            deviceType: try Self.present(m?.deviceType, "metadata.deviceType"), tag: try Self.present(m?.tag, "metadata.tag"),
            properties: m?.properties
        )
    }

    /// A present metadata string, bounded and trimmed ("" stays "", meaning "clear").
    private static func present(_ value: String?, _ field: String) throws(Failure) -> String? {
        guard let value else { return nil }
        guard value.count <= maxText else { throw .tooLong(field: field) }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Six colon-separated pairs of lower-case hex digits.
    static func isMAC(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
    }
}
