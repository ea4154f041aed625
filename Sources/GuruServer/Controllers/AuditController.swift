import Foundation
import GuruStore
import Hummingbird

/// Reading and exporting the audit log (`viewAudit`).
struct AuditController: RouteCollection {
    let dependencies: ServerDependencies
    static let exportLimit = 100_000

    struct Page: ResponseEncodable { let events: [AuditEventDTO]; let total: Int }

    func register(on routes: RouteTable) {
        let access = Access.permission(.viewAudit)
        routes.get("/api/audit", access) { request, _ in
            let filter = try Self.filter(from: request, defaultLimit: 50, maxLimit: 500)
            let (events, total) = try await dependencies.store.audit.list(filter)
            return Page(events: events.map(AuditEventDTO.init), total: total)
        }
        routes.get("/api/audit/export", access) { request, context in try await export(request, context) }
    }

    private func export(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let format = request.uri.queryParameters.get("format") ?? "csv"
        guard format == "csv" || format == "json" else { throw APIError.badRequest("format must be csv or json.") }
        var filter = try Self.filter(from: request, defaultLimit: Self.exportLimit, maxLimit: Self.exportLimit)
        filter.offset = 0
        let events = try await dependencies.store.audit.list(filter).events
        await dependencies.audit.record("audit.export", .success, context: context, detail: "\(format), \(events.count) events")
        let stamp = ISO8601DateFormatter().string(from: .now).prefix(10).replacingOccurrences(of: "-", with: "")
        let body: Data
        let type: String
        if format == "json" {
            body = try APIJSON.encoder.encode(events.map(AuditEventDTO.init))
            type = "application/json; charset=utf-8"
        } else {
            body = Data(AuditCSV.render(events).utf8)
            type = "text/csv; charset=utf-8"
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"guruconnect-audit-\(stamp).\(format)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// Reads the shared filter parameters; dates are ISO 8601 or `YYYY-MM-DD`.
    static func filter(from request: Request, defaultLimit: Int, maxLimit: Int) throws -> AuditFilter {
        let query = request.uri.queryParameters
        func text(_ key: String) -> String? { query.get(key).flatMap { $0.isEmpty ? nil : String($0.prefix(200)) } }
        func date(_ key: String) throws -> Date? {
            guard let value = text(key) else { return nil }
            if let date = ISO8601DateFormatter().date(from: value) { return date }
            let day = DateFormatter()
            day.dateFormat = "yyyy-MM-dd"
            day.timeZone = TimeZone(identifier: "UTC")
            guard let date = day.date(from: value) else { throw APIError.badRequest("\(key) must be a date like 2026-11-25.") }
            return date
        }
        var filter = AuditFilter(limit: defaultLimit)
        filter.actionPrefix = text("action")
        filter.actor = text("actor")
        if let outcome = text("outcome") {
            guard let parsed = AuditEvent.Outcome(rawValue: outcome) else {
                throw APIError.badRequest("outcome must be success, failure or denied.")
            }
            filter.outcome = parsed
        }
        filter.since = try date("since")
        // A bare day for "until" means the end of that day.
        if let until = try date("until") {
            filter.until = (text("until")?.count == 10) ? until.addingTimeInterval(86_400) : until
        }
        if let limit = text("limit") {
            guard let value = Int(limit), (1...maxLimit).contains(value) else { throw APIError.badRequest("limit must be 1 to \(maxLimit).") }
            filter.limit = value
        }
        if let offset = text("offset") {
            guard let value = Int(offset), value >= 0 else { throw APIError.badRequest("offset must be 0 or more.") }
            filter.offset = value
        }
        return filter
    }
}

/// CSV for spreadsheets, with cells that could run as formulas defused.
enum AuditCSV {
    static let header = ["id", "at", "actor_id", "actor_name", "source_address", "action", "target", "outcome", "detail"]

    static func render(_ events: [AuditEvent]) -> String {
        let formatter = ISO8601DateFormatter()
        var lines = [header.joined(separator: ",")]
        for event in events {
            let cells: [String?] = [
                String(event.id), formatter.string(from: event.at), event.actorId, event.actorName, event.sourceAddress,
                event.action, event.target, event.outcome.rawValue, event.detail,
            ]
            lines.append(cells.map { escape($0 ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func escape(_ value: String) -> String {
        var cell = value
        if let first = cell.first, "=+-@\t\r".contains(first) { cell = "'" + cell }
        if cell.contains(where: { ",\"\r\n".contains($0) }) {
            cell = "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }
}
