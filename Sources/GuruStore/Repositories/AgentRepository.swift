import Foundation

/// Enrolled agents.
public protocol AgentRepository: Sendable {
    func create(_ agent: AgentRecord) async throws(StoreError)
    func find(id: String) async throws(StoreError) -> AgentRecord?
    func list() async throws(StoreError) -> [AgentRecord]
    /// Records a successful connection (and the first one's time).
    func markSeen(id: String, at: Date, agentVersion: String) async throws(StoreError)
    /// Stores an inventory report and the metadata it carries; returns the metadata it replaced.
    func updateInventory(id: String, inventory: MachineInventory, metadata: MachineMetadata) async throws(StoreError) -> MachineMetadata
    /// Flags the machine for follow-up, or clears the flag (`note` is dropped then).
    func setAttention(id: String, flagged: Bool, note: String?) async throws(StoreError)
    /// Records that a technician joined the machine.
    func markAccessed(id: String, at: Date) async throws(StoreError)
    func delete(id: String) async throws(StoreError)
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLAgentRepository: AgentRepository {
    let db: any SQLExecutor

    func create(_ agent: AgentRecord) async throws(StoreError) {
        let m = agent.metadata
        try await db.query(
            """
            INSERT INTO agents (id, name, credential_hash, created_at, created_by, last_seen_at, agent_version,
              display_name_custom, company, site, department, device_type, tag, properties_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(agent.id), .text(agent.name), .text(agent.credentialHash), .from(agent.createdAt),
            .from(agent.createdBy), .from(agent.lastSeenAt), .from(agent.agentVersion),
            .from(m.name), .from(m.company), .from(m.site), .from(m.department), .from(m.deviceType?.rawValue), .from(m.tag),
            .text(try Self.propertiesJSON(m.properties))
        )
    }

    func find(id: String) async throws(StoreError) -> AgentRecord? {
        try await db.first("SELECT * FROM agents WHERE id = ?", .text(id)).map(Self.agent)
    }

    func list() async throws(StoreError) -> [AgentRecord] {
        try await db.query("SELECT * FROM agents ORDER BY name, id").map(Self.agent)
    }

    func markSeen(id: String, at: Date, agentVersion: String) async throws(StoreError) {
        try await db.query(
            "UPDATE agents SET last_seen_at = ?, agent_version = ?, first_seen_at = COALESCE(first_seen_at, ?) WHERE id = ?",
            .from(at), .text(agentVersion), .from(at), .text(id)
        )
    }

    func updateInventory(id: String, inventory i: MachineInventory, metadata m: MachineMetadata) async throws(StoreError) -> MachineMetadata {
        try await db.transaction { (tx) async throws(StoreError) in
            guard let row = try await tx.first("SELECT * FROM agents WHERE id = ?", .text(id)) else { throw .notFound }
            let previous = try Self.agent(row).metadata
            try await tx.query(
                """
                UPDATE agents SET hostname = ?, os_name = ?, os_version = ?, os_build = ?, os_installed_at = ?, manufacturer = ?,
                  model = ?, serial = ?, service_tag = ?, cpu = ?, ram_bytes = ?, boot_at = ?, logged_on_user = ?, idle_seconds = ?,
                  internal_ips = ?, macs = ?, external_ip = ?, inventory_json = ?, inventory_at = ?,
                  display_name_custom = ?, company = ?, site = ?, department = ?, device_type = ?, tag = ?, properties_json = ?
                WHERE id = ?
                """,
                .from(i.hostname), .from(i.osName), .from(i.osVersion), .from(i.osBuild), .from(i.osInstalledAt), .from(i.manufacturer),
                .from(i.model), .from(i.serial), .from(i.serviceTag), .from(i.cpu), .from(i.ramBytes), .from(i.bootAt),
                .from(i.loggedOnUser), .from(i.idleSeconds), .text(i.internalIPs.joined(separator: " ")), .text(i.macs.joined(separator: " ")),
                .from(i.externalIP), .from(i.json), .from(i.reportedAt),
                .from(m.name), .from(m.company), .from(m.site), .from(m.department), .from(m.deviceType?.rawValue), .from(m.tag),
                .text(try Self.propertiesJSON(m.properties)), .text(id)
            )
            return previous
        }
    }

    func setAttention(id: String, flagged: Bool, note: String?) async throws(StoreError) {
        let rows = try await db.query(
            "UPDATE agents SET attention = ?, attention_note = ? WHERE id = ? RETURNING id",
            .from(flagged), .from(flagged ? note : nil), .text(id)
        )
        if rows.isEmpty { throw .notFound }
    }

    func markAccessed(id: String, at: Date) async throws(StoreError) {
        try await db.query("UPDATE agents SET last_accessed_at = ? WHERE id = ?", .from(at), .text(id))
    }

    func delete(id: String) async throws(StoreError) {
        let rows = try await db.query("DELETE FROM agents WHERE id = ? RETURNING id", .text(id))
        if rows.isEmpty { throw .notFound }
    }

    /// Properties as a JSON object with sorted keys, so equal sets store equal text.
    static func propertiesJSON(_ properties: [String: String]) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        do {
            return String(decoding: try encoder.encode(properties), as: UTF8.self)
        } catch {
            throw .corrupt(column: "properties_json")
        }
    }

    /// The inverse of `propertiesJSON`; NULL (a machine enrolled before properties existed) reads as none.
    static func properties(_ json: String?) throws(StoreError) -> [String: String] {
        guard let json else { return [:] }
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        } catch {
            throw .corrupt(column: "properties_json")
        }
    }

    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: " ").map(String.init)
    }

    static func agent(_ row: DBRow) throws(StoreError) -> AgentRecord {
        let inventory = MachineInventory(
            hostname: row.optionalText("hostname"), osName: row.optionalText("os_name"), osVersion: row.optionalText("os_version"),
            osBuild: row.optionalText("os_build"), osInstalledAt: row.optionalDate("os_installed_at"),
            manufacturer: row.optionalText("manufacturer"), model: row.optionalText("model"), serial: row.optionalText("serial"),
            serviceTag: row.optionalText("service_tag"), cpu: row.optionalText("cpu"), ramBytes: row.optionalInt("ram_bytes"),
            bootAt: row.optionalDate("boot_at"), loggedOnUser: row.optionalText("logged_on_user"), idleSeconds: row.optionalInt("idle_seconds"),
            internalIPs: list(row.optionalText("internal_ips")), macs: list(row.optionalText("macs")),
            externalIP: row.optionalText("external_ip"), json: row.optionalText("inventory_json"), reportedAt: row.optionalDate("inventory_at")
        )
        let metadata = MachineMetadata(
            name: row.optionalText("display_name_custom"), company: row.optionalText("company"), site: row.optionalText("site"),
            department: row.optionalText("department"), deviceType: row.optionalText("device_type").flatMap(MachineMetadata.DeviceType.init),
            tag: row.optionalText("tag"), properties: try properties(row.optionalText("properties_json"))
        )
        return AgentRecord(
            id: try row.text("id"), name: try row.text("name"), credentialHash: try row.text("credential_hash"),
            createdAt: try row.date("created_at"), createdBy: row.optionalText("created_by"),
            lastSeenAt: row.optionalDate("last_seen_at"), agentVersion: row.optionalText("agent_version"),
            identityKey: row.optionalText("identity_key"), inventory: inventory, metadata: metadata,
            firstSeenAt: row.optionalDate("first_seen_at"), lastAccessedAt: row.optionalDate("last_accessed_at"),
            attention: (row.optionalInt("attention") ?? 0) != 0, attentionNote: row.optionalText("attention_note")
        )
    }
}
