import Foundation
import Logging

/// One configuration key: its names in the JSON file, the environment and on the command line, what it means,
/// and the property of `ServerConfiguration` it sets. `ConfigurationKeys.all` lists every key once.
public struct ConfigurationKey: Sendable {
    /// The key in the JSON config file, e.g. `dataDir`; also the name errors and the README use.
    public let name: String
    /// The environment variable, e.g. `GURU_DATA_DIR`.
    public let environment: String
    /// The command-line flag without its dashes, e.g. `data-dir`.
    public let flag: String
    /// What the key does, in one or two sentences of Markdown.
    public let help: String
    /// A switch is given on the command line without a value (`--trust-forwarded-for`).
    public let isSwitch: Bool
    /// The default, as the README and `--help` show it.
    public let defaultDescription: String
    /// What a valid value looks like, for error messages.
    let expected: String
    private let assign: @Sendable (inout ServerConfiguration, ConfigurationInput) -> Bool

    /// A key that sets `property` from a file value, an environment variable or a flag.
    public init<Value: ConfigurationValue>(
        _ name: String, environment: String, flag: String,
        _ property: WritableKeyPath<ServerConfiguration, Value> & Sendable,
        default defaultNote: String? = nil, _ help: String
    ) {
        self.name = name
        self.environment = environment
        self.flag = flag
        self.help = help
        isSwitch = Value.isSwitch
        let shown = ServerConfiguration()[keyPath: property].configurationDescription
        defaultDescription = defaultNote.map { "\(shown) (\($0))" } ?? shown
        expected = Value.expected
        assign = { configuration, input in
            guard let value = Value(configurationInput: input) else { return false }
            configuration[keyPath: property] = value
            return true
        }
    }

    /// Sets this key's property from `input`; `source` names where it came from in the error.
    func apply(_ input: ConfigurationInput, to configuration: inout ServerConfiguration, source: String)
        throws(ConfigurationError)
    {
        guard assign(&configuration, input) else {
            throw .invalid(key: source, reason: "expected \(expected), got \(input)")
        }
    }
}

/// A value as one source gave it: text from a flag or the environment, or a typed scalar from the JSON file.
public enum ConfigurationInput: Sendable, Equatable, CustomStringConvertible, Decodable {
    case text(String)
    case boolean(Bool)
    case integer(Int)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public var description: String {
        switch self {
        case .text(let text): "\"\(text)\""
        case .boolean(let value): String(value)
        case .integer(let value): String(value)
        }
    }
}

/// A type a configuration key can hold.
public protocol ConfigurationValue: Sendable {
    /// Reads the value from text or a JSON scalar; nil when it is not a valid value.
    init?(configurationInput: ConfigurationInput)
    /// The value as documentation shows it.
    var configurationDescription: String { get }
    /// What a valid value looks like.
    static var expected: String { get }
    /// Whether a flag for it takes no value.
    static var isSwitch: Bool { get }
}

extension ConfigurationValue {
    public static var isSwitch: Bool { false }
}

extension String: ConfigurationValue {
    public init?(configurationInput: ConfigurationInput) {
        guard case .text(let text) = configurationInput else { return nil }
        self = text
    }
    public var configurationDescription: String { "`\(self)`" }
    public static var expected: String { "a string" }
}

extension Int: ConfigurationValue {
    public init?(configurationInput: ConfigurationInput) {
        switch configurationInput {
        case .integer(let value): self = value
        case .text(let text):
            guard let value = Int(text) else { return nil }
            self = value
        case .boolean: return nil
        }
    }
    public var configurationDescription: String { "`\(self)`" }
    public static var expected: String { "a whole number" }
}

extension Bool: ConfigurationValue {
    public init?(configurationInput: ConfigurationInput) {
        switch configurationInput {
        case .boolean(let value): self = value
        case .text(let text):
            switch text.lowercased() {
            case "1", "true", "yes", "on": self = true
            case "0", "false", "no", "off": self = false
            default: return nil
            }
        case .integer: return nil
        }
    }
    public var configurationDescription: String { self ? "on" : "off" }
    public static var expected: String { "true or false" }
    public static var isSwitch: Bool { true }
}

extension Optional: ConfigurationValue where Wrapped: ConfigurationValue {
    public init?(configurationInput: ConfigurationInput) {
        guard let value = Wrapped(configurationInput: configurationInput) else { return nil }
        self = .some(value)
    }
    public var configurationDescription: String { map(\.configurationDescription) ?? "none" }
    public static var expected: String { Wrapped.expected }
    public static var isSwitch: Bool { Wrapped.isSwitch }
}

/// A key whose value is one of a fixed set of names, matched without regard to case.
public protocol ConfigurationChoice: ConfigurationValue, CaseIterable, RawRepresentable where RawValue == String {}

extension ConfigurationChoice {
    public init?(configurationInput: ConfigurationInput) {
        guard case .text(let text) = configurationInput, let value = Self(rawValue: text.lowercased()) else { return nil }
        self = value
    }
    public var configurationDescription: String { "`\(rawValue)`" }
    public static var expected: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
}

extension Logger.Level: ConfigurationChoice {}
extension ServerConfiguration.LogFormat: ConfigurationChoice {}
