import Foundation
import GuruStore

/// The machine metadata an installer bakes in and an agent reports (FLEET-CONTRACT "Inventory JSON", `metadata`):
/// every field optional, "" meaning not set. `name` "" means "use the machine's hostname".
struct InstallerMetadata: Codable, Sendable, Equatable {
    var name: String = ""
    var company: String = ""
    var site: String = ""
    var department: String = ""
    /// workstation, server or laptop ("" = not set).
    var deviceType: String = ""
    var tag: String = ""
    var properties: [String: String] = [:]

    static let deviceTypes: Set<String> = ["workstation", "server", "laptop"]
    static let maxFieldLength = 255
    static let maxProperties = 64

    init(name: String = "", company: String = "", site: String = "", department: String = "", deviceType: String = "",
         tag: String = "", properties: [String: String] = [:]) {
        self.name = name
        self.company = company
        self.site = site
        self.department = department
        self.deviceType = deviceType
        self.tag = tag
        self.properties = properties
    }

    /// Missing keys decode as "": an agent that reports only some fields is not refused.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        company = try container.decodeIfPresent(String.self, forKey: .company) ?? ""
        site = try container.decodeIfPresent(String.self, forKey: .site) ?? ""
        department = try container.decodeIfPresent(String.self, forKey: .department) ?? ""
        deviceType = try container.decodeIfPresent(String.self, forKey: .deviceType) ?? ""
        tag = try container.decodeIfPresent(String.self, forKey: .tag) ?? ""
        properties = try container.decodeIfPresent([String: String].self, forKey: .properties) ?? [:]
    }

    /// Trimmed and checked: one line each, at most 255 characters, a known device type, at most 64 properties
    /// with non-empty names. A 400 naming the field otherwise.
    func validated() throws -> InstallerMetadata {
        func clean(_ value: String, _ field: String) throws -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count <= Self.maxFieldLength, !trimmed.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }) else {
                throw APIError.badRequest("\(field) must be at most \(Self.maxFieldLength) characters on one line.")
            }
            return trimmed
        }
        var result = InstallerMetadata(
            name: try clean(name, "Name"), company: try clean(company, "Company"), site: try clean(site, "Site"),
            department: try clean(department, "Department"), deviceType: try clean(deviceType, "Device type").lowercased(),
            tag: try clean(tag, "Tag")
        )
        guard result.deviceType.isEmpty || Self.deviceTypes.contains(result.deviceType) else {
            throw APIError.badRequest("Device type must be workstation, server or laptop.")
        }
        guard properties.count <= Self.maxProperties else {
            throw APIError.badRequest("At most \(Self.maxProperties) custom properties.")
        }
        for (key, value) in properties {
            let cleanKey = try clean(key, "A custom property's name")
            guard !cleanKey.isEmpty else { throw APIError.badRequest("Every custom property needs a name.") }
            result.properties[cleanKey] = try clean(value, "Custom property \(cleanKey)")
        }
        return result
    }

    /// This metadata with its blank fields filled from `fallback` (the token's form fills what the agent left blank).
    func fillingBlanks(from fallback: InstallerMetadata) -> InstallerMetadata {
        func pick(_ own: String, _ other: String) -> String { own.isEmpty ? other : own }
        return InstallerMetadata(
            name: pick(name, fallback.name), company: pick(company, fallback.company), site: pick(site, fallback.site),
            department: pick(department, fallback.department), deviceType: pick(deviceType, fallback.deviceType),
            tag: pick(tag, fallback.tag), properties: fallback.properties.merging(properties) { _, own in own }
        )
    }

    /// The store's form: "" becomes nil (not set), so the hostname and later reports fill it.
    var stored: MachineMetadata {
        func value(_ text: String) -> String? { text.isEmpty ? nil : text }
        return MachineMetadata(
            name: value(name), company: value(company), site: value(site), department: value(department),
            deviceType: MachineMetadata.DeviceType(rawValue: deviceType), tag: value(tag), properties: properties
        )
    }

    /// The compact JSON stored with a token.
    func json() throws -> String {
        String(decoding: try APIJSON.encoder.encode(self), as: UTF8.self)
    }

    /// The metadata stored as `json()`.
    static func decode(json: String) throws -> InstallerMetadata {
        try APIJSON.decoder.decode(InstallerMetadata.self, from: Data(json.utf8))
    }
}
