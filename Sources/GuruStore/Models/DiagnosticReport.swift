import Foundation

/// A diagnostics snapshot a viewer collected from an agent over the end-to-end channel and uploaded
/// (docs/api.md, Diagnostics). The server keeps the report's JSON as it came; it never reads the relay.
public struct DiagnosticReport: Sendable, Hashable {
    /// Which kind of session the report was collected in.
    public enum SessionKind: String, Sendable, CaseIterable {
        /// An unattended (Access) session: the session is the enrolled agent itself.
        case access
        /// An attended support session: the session id is also the one-time agent's id.
        case support
    }

    /// 32 lower-case hex digits.
    public var id: String
    /// The machine: the enrolled agent's id, or the support session's one-time agent id.
    public var agentId: String
    public var sessionKind: SessionKind
    public var sessionId: String
    /// The user who collected it.
    public var collectedBy: String
    /// When the server stored it.
    public var collectedAt: Date
    /// `host.name` from the report, for lists and the download's file name.
    public var hostName: String
    /// The report's JSON text, exactly as uploaded.
    public var json: String
    /// UTF-8 length of `json`.
    public var sizeBytes: Int64

    public init(
        id: String, agentId: String, sessionKind: SessionKind, sessionId: String, collectedBy: String,
        collectedAt: Date, hostName: String, json: String
    ) {
        self.id = id
        self.agentId = agentId
        self.sessionKind = sessionKind
        self.sessionId = sessionId
        self.collectedBy = collectedBy
        self.collectedAt = collectedAt
        self.hostName = hostName
        self.json = json
        sizeBytes = Int64(json.utf8.count)
    }

    /// The report without its JSON.
    public var summary: DiagnosticReportSummary {
        DiagnosticReportSummary(
            id: id, agentId: agentId, sessionKind: sessionKind, sessionId: sessionId, collectedBy: collectedBy,
            collectedAt: collectedAt, hostName: hostName, sizeBytes: sizeBytes
        )
    }
}

/// A report without its JSON, as lists show it.
public struct DiagnosticReportSummary: Sendable, Hashable {
    public var id: String
    public var agentId: String
    public var sessionKind: DiagnosticReport.SessionKind
    public var sessionId: String
    public var collectedBy: String
    public var collectedAt: Date
    public var hostName: String
    public var sizeBytes: Int64
}
