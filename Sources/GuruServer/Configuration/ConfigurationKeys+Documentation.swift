extension ConfigurationKeys {
    /// The README's configuration table; `ReadmeConfigurationTableTests` fails when the README differs.
    public static var markdownTable: String {
        var lines = [
            "| File key | Environment | Flag | Default | Meaning |",
            "|---|---|---|---|---|",
        ]
        for key in all {
            let help = key.help.replacingOccurrences(of: "|", with: "\\|")
            lines.append("| `\(key.name)` | `\(key.environment)` | `--\(key.flag)` | \(key.defaultDescription) | \(help) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The settings part of `guruconnect serve --help`.
    public static var helpText: String {
        var lines = ["Settings (flag / environment variable / JSON file key; flags beat the environment, which beats the file):"]
        for key in all {
            let flag = key.isSwitch ? "--\(key.flag)" : "--\(key.flag) <value>"
            let plain = key.help.replacingOccurrences(of: "`", with: "")
            lines.append("  \(flag) / \(key.environment) / \(key.name)")
            lines.append("      \(plain) Default: \(key.defaultDescription.replacingOccurrences(of: "`", with: "")).")
        }
        return lines.joined(separator: "\n")
    }
}
