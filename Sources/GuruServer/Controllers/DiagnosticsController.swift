import Foundation
import GuruStore
import Hummingbird

/// Diagnostics reports (docs/api.md, Diagnostics): the viewer decrypts the agent's DiagnosticsReport
/// and uploads its JSON here, attached to the machine and the session; lists, the readable page's data
/// and the JSON download come back out, each behind the session's access rules.
struct DiagnosticsController: RouteCollection {
    let dependencies: ServerDependencies
    let throttle: DiagnosticsUploadThrottle
    /// Reports a list shows at most.
    static let listLimit = 100

    /// A report as lists and the readable page see it; the JSON itself comes from `…/json`.
    struct ReportDTO: ResponseEncodable, Sendable {
        let id: String
        let agentId: String
        let sessionKind: String
        let sessionId: String
        let collectedById: String
        let collectedByName: String?
        let collectedAt: Date
        let hostName: String
        let sizeBytes: Int64
    }
    struct ReportList: ResponseEncodable { let reports: [ReportDTO] }

    func register(on routes: RouteTable) {
        let access = DiagnosticsAccess(store: dependencies.store)
        routes.post("/api/agents/{id}/diagnostics", .permission(.accessUnattended)) { request, context in
            let agent = try await access.machine(try context.parameter("id"), caller: try context.requireIdentity())
            return try await store(request, context, agentId: agent.id, kind: .access, sessionId: agent.id)
        }
        routes.get("/api/agents/{id}/diagnostics", .permission(.accessUnattended)) { _, context in
            let agent = try await access.machine(try context.parameter("id"), caller: try context.requireIdentity())
            return try await list(try await dependencies.store.diagnostics.list(agentId: agent.id, limit: Self.listLimit))
        }
        routes.post("/api/support/sessions/{id}/diagnostics", .signedIn) { request, context in
            let identity = try context.requireIdentity()
            let (session, mayCollect) = try await access.support(try context.parameter("id"), caller: identity)
            guard mayCollect else {
                await dependencies.audit.record("diagnostics.collect", .denied, context: context, target: session.id, detail: "support session")
                throw APIError.forbidden(session.status.isActive ? "Your role does not allow this in this session." : "This session has ended.")
            }
            // The one-time agent's id is the session's id: the machine and the session are the same key.
            return try await store(request, context, agentId: session.id, kind: .support, sessionId: session.id)
        }
        routes.get("/api/support/sessions/{id}/diagnostics", .signedIn) { _, context in
            let (session, _) = try await access.support(try context.parameter("id"), caller: try context.requireIdentity())
            return try await list(try await dependencies.store.diagnostics.list(sessionKind: .support, sessionId: session.id, limit: Self.listLimit))
        }
        routes.get("/api/diagnostics/{id}", .signedIn) { _, context in
            let report = try await readable(context, access: access)
            return try await list([report.summary]).reports[0]
        }
        routes.get("/api/diagnostics/{id}/json", .signedIn) { _, context in
            let report = try await readable(context, access: access)
            await dependencies.audit.record("diagnostics.download", .success, context: context, target: report.agentId,
                                            detail: "report \(report.id), \(report.sizeBytes) bytes")
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                    .contentDisposition: "attachment; filename=\"\(Self.fileName(report))\"",
                ],
                body: .init(byteBuffer: ByteBuffer(string: report.json))
            )
        }
    }

    /// Checks and stores the body as a report; 201 with the stored report.
    private func store(
        _ request: Request, _ context: AppRequestContext, agentId: String, kind: DiagnosticReport.SessionKind, sessionId: String
    ) async throws -> EditedResponse<ReportDTO> {
        let user = try context.requireIdentity().user
        if let contentType = request.headers[.contentType], !contentType.lowercased().hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, "unsupported_media_type", "Send JSON (Content-Type: application/json).")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: DiagnosticReportValidator.maxBytes)
        } catch {
            throw APIError(.contentTooLarge, "too_large", "A report is at most \(DiagnosticReportValidator.maxBytes) bytes.")
        }
        let checked: DiagnosticReportValidator.Checked
        do {
            checked = try DiagnosticReportValidator.check(Array(body.readableBytesView))
        } catch {
            throw APIError(error.malformed ? .badRequest : .unprocessableContent, error.malformed ? "bad_request" : "invalid_report", error.message)
        }
        if let wait = await throttle.admit(userId: user.id, agentId: agentId) {
            throw APIError(.tooManyRequests, "throttled", "Too many reports for this machine. Try again in \(wait) s.", retryAfter: wait)
        }
        let report = DiagnosticReport(
            id: RelayHub.idHex(SecureToken.randomBytes(16)), agentId: agentId, sessionKind: kind,
            sessionId: sessionId, collectedBy: user.id, collectedAt: .now, hostName: String(checked.hostName.prefix(255)), json: checked.json
        )
        try await dependencies.store.diagnostics.create(report)
        await dependencies.audit.record(
            "diagnostics.collect", .success, context: context, target: agentId,
            detail: "report \(report.id), \(report.sizeBytes) bytes, \(kind.rawValue) session \(sessionId)"
        )
        return EditedResponse(status: .created, response: try await list([report.summary]).reports[0])
    }

    /// The report named in the path, if the caller may read it; 404 otherwise, as if there were none.
    private func readable(_ context: AppRequestContext, access: DiagnosticsAccess) async throws -> DiagnosticReport {
        let identity = try context.requireIdentity()
        guard let report = try await dependencies.store.diagnostics.find(id: try context.parameter("id")),
              try await access.mayRead(report.summary, caller: identity)
        else { throw APIError.notFound("No such diagnostics report.") }
        return report
    }

    private func list(_ reports: [DiagnosticReportSummary]) async throws -> ReportList {
        var names: [String: String] = [:]
        for id in Set(reports.map(\.collectedBy)) { names[id] = try await dependencies.store.users.find(id: id)?.displayName }
        return ReportList(reports: reports.map {
            ReportDTO(id: $0.id, agentId: $0.agentId, sessionKind: $0.sessionKind.rawValue, sessionId: $0.sessionId, collectedById: $0.collectedBy,
                      collectedByName: names[$0.collectedBy], collectedAt: $0.collectedAt, hostName: $0.hostName, sizeBytes: $0.sizeBytes)
        })
    }

    /// `diagnostics-<host>-<time>.json`, with the host cut to file-name-safe characters.
    static func fileName(_ report: DiagnosticReport) -> String {
        let safe = report.hostName.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_" || scalar == ".") ? Character(scalar) : "_"
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "diagnostics-\(String(safe.prefix(64)))-\(formatter.string(from: report.collectedAt)).json"
    }
}
