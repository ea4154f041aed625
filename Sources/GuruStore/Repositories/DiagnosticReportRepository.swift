import Foundation

/// Diagnostics reports, attached to a machine and to the session they were collected in.
public protocol DiagnosticReportRepository: Sendable {
    func create(_ report: DiagnosticReport) async throws(StoreError)
    func find(id: String) async throws(StoreError) -> DiagnosticReport?
    /// The machine's reports, newest first, at most `limit`.
    func list(agentId: String, limit: Int) async throws(StoreError) -> [DiagnosticReportSummary]
    /// The session's reports, newest first, at most `limit`.
    func list(sessionKind: DiagnosticReport.SessionKind, sessionId: String, limit: Int) async throws(StoreError) -> [DiagnosticReportSummary]
    /// For each of `sessionIds` that has reports: how many, and the newest one's id.
    func digests(sessionKind: DiagnosticReport.SessionKind, sessionIds: [String]) async throws(StoreError) -> [String: DiagnosticReportDigest]
}

/// How many reports a session has, and its newest one.
public struct DiagnosticReportDigest: Sendable, Hashable {
    public var count: Int
    public var latestId: String
}

/// The SQL implementation, shared by SQLite and PostgreSQL.
struct SQLDiagnosticReportRepository: DiagnosticReportRepository {
    let db: any SQLExecutor
    private static let summaryColumns = "id, agent_id, session_kind, session_id, collected_by, collected_at, host_name, size_bytes"

    func create(_ report: DiagnosticReport) async throws(StoreError) {
        try await db.query(
            """
            INSERT INTO diagnostic_reports (id, agent_id, session_kind, session_id, collected_by, collected_at, host_name,
              report_json, size_bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(report.id), .text(report.agentId), .text(report.sessionKind.rawValue), .text(report.sessionId),
            .text(report.collectedBy), .from(report.collectedAt), .text(report.hostName), .text(report.json), .int(report.sizeBytes)
        )
    }

    func find(id: String) async throws(StoreError) -> DiagnosticReport? {
        guard let row = try await db.first("SELECT * FROM diagnostic_reports WHERE id = ?", .text(id)) else { return nil }
        let summary = try Self.summary(row)
        let report = DiagnosticReport(
            id: summary.id, agentId: summary.agentId, sessionKind: summary.sessionKind, sessionId: summary.sessionId,
            collectedBy: summary.collectedBy, collectedAt: summary.collectedAt, hostName: summary.hostName,
            json: try row.text("report_json")
        )
        guard report.sizeBytes == summary.sizeBytes else { throw .corrupt(column: "size_bytes") }
        return report
    }

    func list(agentId: String, limit: Int) async throws(StoreError) -> [DiagnosticReportSummary] {
        try await db.query(
            "SELECT \(Self.summaryColumns) FROM diagnostic_reports WHERE agent_id = ? ORDER BY collected_at DESC, id LIMIT ?",
            .text(agentId), .int(Int64(limit))
        ).map(Self.summary)
    }

    func list(sessionKind: DiagnosticReport.SessionKind, sessionId: String, limit: Int) async throws(StoreError) -> [DiagnosticReportSummary] {
        try await db.query(
            """
            SELECT \(Self.summaryColumns) FROM diagnostic_reports WHERE session_kind = ? AND session_id = ?
            ORDER BY collected_at DESC, id LIMIT ?
            """,
            .text(sessionKind.rawValue), .text(sessionId), .int(Int64(limit))
        ).map(Self.summary)
    }

    func digests(sessionKind: DiagnosticReport.SessionKind, sessionIds: [String]) async throws(StoreError) -> [String: DiagnosticReportDigest] {
        guard !sessionIds.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: sessionIds.count).joined(separator: ", ")
        let rows = try await db.query(
            """
            SELECT session_id, id FROM diagnostic_reports WHERE session_kind = ? AND session_id IN (\(marks))
            ORDER BY collected_at DESC, id
            """,
            [.text(sessionKind.rawValue)] + sessionIds.map(DBValue.text)
        )
        var digests: [String: DiagnosticReportDigest] = [:]
        for row in rows {
            let session = try row.text("session_id")
            // Newest first: the first row of a session names its latest report.
            if digests[session] == nil { digests[session] = DiagnosticReportDigest(count: 0, latestId: try row.text("id")) }
            digests[session]?.count += 1
        }
        return digests
    }

    private static func summary(_ row: DBRow) throws(StoreError) -> DiagnosticReportSummary {
        guard let kind = DiagnosticReport.SessionKind(rawValue: try row.text("session_kind")) else { throw .corrupt(column: "session_kind") }
        return DiagnosticReportSummary(
            id: try row.text("id"), agentId: try row.text("agent_id"), sessionKind: kind, sessionId: try row.text("session_id"),
            collectedBy: try row.text("collected_by"), collectedAt: try row.date("collected_at"), hostName: try row.text("host_name"),
            sizeBytes: try row.int("size_bytes")
        )
    }
}
