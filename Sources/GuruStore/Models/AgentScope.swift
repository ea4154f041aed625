import Foundation

/// Which machines a role reaches: all of them, or those of chosen companies or matching chosen saved filters.
public enum AgentScope: Sendable, Hashable {
    case all
    /// A machine is in scope when its company is one of `companies` (compared without regard to case) or it
    /// matches one of the saved filters `filterIds`. Both empty: no machine at all.
    case limited(companies: [String], filterIds: [String])

    private struct Stored: Codable {
        let companies: [String]
        let filters: [String]
    }

    /// The stored form: nil for `.all`, else a JSON object.
    public var json: String? {
        guard case .limited(let companies, let filterIds) = self else { return nil }
        do {
            return String(decoding: try JSONEncoder().encode(Stored(companies: companies, filters: filterIds)), as: UTF8.self)
        } catch {
            // Encoding arrays of strings cannot fail; were it to, an unreadable scope reaches nothing.
            return "{}"
        }
    }

    /// Reads the stored form; a value that does not parse reaches nothing (fail closed).
    public init(json: String?) {
        guard let json else {
            self = .all
            return
        }
        do {
            let stored = try JSONDecoder().decode(Stored.self, from: Data(json.utf8))
            self = .limited(companies: stored.companies, filterIds: stored.filters)
        } catch {
            self = .limited(companies: [], filterIds: [])
        }
    }
}
