import Foundation

/// Checks an uploaded diagnostics report against schema 1 (docs/api.md, Diagnostics) before anything is
/// stored. The server cannot check the values (they were sealed end to end), only the shape: the keys
/// the readable page relies on, with the types it expects.
enum DiagnosticReportValidator {
    /// The largest report, the same bound as the DiagnosticsReport message's JSON (docs/protocol.md).
    static let maxBytes = 262_144

    /// A report that passed: its text as uploaded and the host name for lists and file names.
    struct Checked: Sendable {
        let json: String
        let hostName: String
    }

    /// Why a report was refused; the message names the first problem found.
    struct Refusal: Error, Sendable, Equatable {
        let message: String
        /// Not JSON at all (or not text), rather than JSON of the wrong shape.
        var malformed = false
    }

    /// What a key may hold.
    private enum Kind {
        case string, number, bool, array, object

        func matches(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string), (.number, .number), (.bool, .bool), (.array, .array), (.object, .object): true
            default: false
            }
        }

        var name: String {
            switch self {
            case .string: "a string"
            case .number: "a number"
            case .bool: "a boolean"
            case .array: "an array"
            case .object: "an object"
            }
        }
    }

    /// The sections: each must be present, with its type, or null when it failed (listed in `sectionErrors`).
    private static let sections: [(key: String, kind: Kind)] = [
        ("uptimeSeconds", .number), ("cpu", .object), ("memory", .object), ("disks", .array), ("processes", .array),
        ("recentErrors", .array), ("network", .object), ("pendingReboot", .object),
    ]

    static func check(_ bytes: [UInt8]) throws(Refusal) -> Checked {
        guard !bytes.isEmpty else { throw Refusal(message: "The report is empty.", malformed: true) }
        guard bytes.count <= maxBytes else { throw Refusal(message: "The report is larger than \(maxBytes) bytes.") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Refusal(message: "The report is not UTF-8 text.", malformed: true) }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw Refusal(message: "The report is not valid JSON.", malformed: true)
        }
        guard let report = value.object else { throw Refusal(message: "The report must be a JSON object, not \(value.kindName).") }
        guard report["schema"] == .number(1) else { throw Refusal(message: "The report's schema must be 1.") }
        try require(report, "collectedAt", .string, in: "the report")
        try require(report, "agentVersion", .string, in: "the report")
        try require(report, "host", .object, in: "the report")
        let host = report["host"]?.object ?? [:]
        for key in ["name", "os", "kernel", "platform"] { try require(host, key, .string, in: "host") }
        guard case .string(let hostName) = host["name"], !hostName.isEmpty else { throw Refusal(message: "host.name must not be empty.") }
        for section in sections {
            guard let member = report[section.key] else { throw Refusal(message: "The report has no \(section.key).") }
            guard member == .null || section.kind.matches(member) else {
                throw Refusal(message: "\(section.key) must be \(section.kind.name) or null, not \(member.kindName).")
            }
        }
        if let errors = report["sectionErrors"] {
            guard let members = errors.object, members.values.allSatisfy({ Kind.string.matches($0) }) else {
                throw Refusal(message: "sectionErrors must be an object of strings.")
            }
        }
        return Checked(json: text, hostName: hostName)
    }

    private static func require(_ object: [String: JSONValue], _ key: String, _ kind: Kind, in place: String) throws(Refusal) {
        guard let member = object[key] else { throw Refusal(message: "\(place.prefix(1).uppercased() + place.dropFirst()) has no \(key).") }
        guard kind.matches(member) else { throw Refusal(message: "\(key) in \(place) must be \(kind.name), not \(member.kindName).") }
    }
}
