import Foundation

/// Where each filter field lives in the `agents` table: the one table from field to SQL.
/// Every SQL text here is a constant of ours; nothing a caller typed ever becomes SQL.
enum AgentColumns {
    /// The name people see: the custom name, else the reported hostname, else the enrolment name.
    static let displayName = "COALESCE(NULLIF(display_name_custom, ''), NULLIF(hostname, ''), name)"

    /// The column (or expression) of a field.
    static func column(_ field: FilterField) -> String {
        switch field {
        case .name: displayName
        case .hostname: "hostname"
        case .company: "company"
        case .site: "site"
        case .department: "department"
        case .deviceType: "device_type"
        case .tag: "tag"
        case .os: "os_name"
        case .osVersion: "os_version"
        case .osBuild: "os_build"
        case .manufacturer: "manufacturer"
        case .model: "model"
        case .serial: "serial"
        case .serviceTag: "service_tag"
        case .cpu: "cpu"
        case .user: "logged_on_user"
        case .internalIP: "internal_ips"
        case .externalIP: "external_ip"
        case .mac: "macs"
        case .agentVersion: "agent_version"
        case .id: "id"
        case .ram: "ram_bytes"
        case .idleSeconds: "idle_seconds"
        case .lastSeen: "last_seen_at"
        case .firstSeen: "first_seen_at"
        case .enrolled: "created_at"
        case .lastBoot: "boot_at"
        case .osInstalled: "os_installed_at"
        case .lastAccessed: "last_accessed_at"
        case .inventoryAt: "inventory_at"
        }
    }

    /// Every time column holds milliseconds since 1970, like the rest of the schema.
    static func timeValue(_ date: Date) -> Int64 { date.millisecondsSince1970 }

    /// The columns a list may sort by, by the name the API takes.
    static let sortable: [String: String] = [
        "name": displayName, "company": "company", "site": "site", "department": "department", "devicetype": "device_type",
        "tag": "tag", "os": "os_name", "osversion": "os_version", "user": "logged_on_user", "internalip": "internal_ips",
        "externalip": "external_ip", "serial": "serial", "agentversion": "agent_version", "lastseen": "last_seen_at",
        "firstseen": "first_seen_at", "enrolled": "created_at", "lastboot": "boot_at", "manufacturer": "manufacturer",
        "model": "model", "online": "connection_id", "attention": "attention", "lastaccessed": "last_accessed_at", "id": "id",
    ]

    /// Sort keys whose column is text (sorted without regard to case).
    static let textSorts: Set<String> = [
        "name", "company", "site", "department", "devicetype", "tag", "os", "osversion", "user", "internalip", "externalip",
        "serial", "agentversion", "manufacturer", "model",
    ]
}
