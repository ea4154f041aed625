import Foundation

/// Layers defaults, the JSON config file, the environment and command-line flags into one `ServerConfiguration`,
/// reading every key from `ConfigurationKeys.all`: a flag beats the environment, which beats the file.
public enum ConfigurationLoader {
    /// Loads the configuration. `file` (or `GURU_CONFIG`) names an optional JSON file; `arguments` are the
    /// `serve` command's setting flags (`--port 9000`, `--port=9000`, `--trust-forwarded-for`).
    public static func load(
        file: String?, environment: [String: String], arguments: [String] = []
    ) throws(ConfigurationError) -> ServerConfiguration {
        var config = ServerConfiguration()
        if let path = file ?? environment["GURU_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            for (key, input) in try fileInputs(path: path) {
                try key.apply(input, to: &config, source: key.name)
            }
        }
        for key in ConfigurationKeys.all {
            guard let text = environment[key.environment], !text.isEmpty else { continue }
            try key.apply(.text(text), to: &config, source: key.environment)
        }
        for (key, input) in try flagInputs(arguments) {
            try key.apply(input, to: &config, source: "--\(key.flag)")
        }
        try config.validate()
        return config
    }

    /// The keys a JSON file sets, in table order. A key the table does not know is an error, so a typo is not
    /// silently ignored; `null` means "not set".
    static func fileInputs(path: String) throws(ConfigurationError) -> [(ConfigurationKey, ConfigurationInput)] {
        let object: [String: ConfigurationInput?]
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            object = try JSONDecoder().decode([String: ConfigurationInput?].self, from: data)
        } catch {
            throw .unreadableFile(path: path, reason: String(describing: error))
        }
        if let unknown = object.keys.sorted().first(where: { ConfigurationKeys.named($0) == nil }) {
            throw .unreadableFile(path: path, reason: "unknown key \(unknown); the keys are "
                + ConfigurationKeys.all.map(\.name).joined(separator: ", "))
        }
        return ConfigurationKeys.all.compactMap { key in object[key.name].flatMap { $0 }.map { (key, $0) } }
    }

    /// Parses setting flags in the order given, so a repeated flag's last value wins.
    static func flagInputs(_ arguments: [String]) throws(ConfigurationError) -> [(ConfigurationKey, ConfigurationInput)] {
        var inputs: [(ConfigurationKey, ConfigurationInput)] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                throw .invalid(key: argument, reason: "unexpected argument; settings are given as --flag value")
            }
            let body = argument.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            let inline = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
            guard let key = ConfigurationKeys.flagged(name) else {
                throw .invalid(key: "--\(name)", reason: "unknown flag; `guruconnect serve --help` lists the settings")
            }
            if let inline {
                inputs.append((key, .text(inline)))
            } else if key.isSwitch {
                inputs.append((key, .boolean(true)))
            } else {
                guard index < arguments.endIndex else { throw .invalid(key: "--\(name)", reason: "needs a value") }
                inputs.append((key, .text(arguments[index])))
                index += 1
            }
        }
        return inputs
    }
}
