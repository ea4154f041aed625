import Foundation
import Testing

@testable import GuruServer

/// The key table: precedence, parsing, and the README's table generated from it.
@Suite struct ConfigurationKeyTests {
    static let readme = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")
    static let begin = "<!-- configuration-keys:begin (generated from ConfigurationKeys.all) -->\n"
    static let end = "\n<!-- configuration-keys:end -->"

    /// Fails when the README's table and `ConfigurationKeys.all` disagree.
    /// `GURU_UPDATE_README=1 swift test --filter readmeTableMatchesTheKeyTable` rewrites the README's table.
    @Test func readmeTableMatchesTheKeyTable() throws {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let start = try #require(text.range(of: Self.begin), "README.md lacks the configuration-keys markers")
        let stop = try #require(text.range(of: Self.end, range: start.upperBound..<text.endIndex))
        let shown = String(text[start.upperBound..<stop.lowerBound])
        if shown != ConfigurationKeys.markdownTable, ProcessInfo.processInfo.environment["GURU_UPDATE_README"] == "1" {
            let updated = text.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: ConfigurationKeys.markdownTable)
            try updated.write(to: Self.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(shown == ConfigurationKeys.markdownTable, "README.md's configuration table is stale; regenerate it with GURU_UPDATE_README=1")
    }

    @Test func everyKeyHasDistinctNamesInEverySource() {
        for names in [ConfigurationKeys.all.map(\.name), ConfigurationKeys.all.map(\.environment), ConfigurationKeys.all.map(\.flag)] {
            #expect(Set(names).count == names.count, "duplicate names: \(names)")
        }
        for key in ConfigurationKeys.all {
            #expect(key.environment.hasPrefix("GURU_"))
            #expect(!key.help.isEmpty)
        }
    }

    @Test func noSourceMeansTheDefaults() throws {
        #expect(try ConfigurationLoader.load(file: nil, environment: [:]) == ServerConfiguration())
    }

    /// Every key, set in each of the three sources, is read from the one with the highest precedence.
    @Test func aFlagBeatsTheEnvironmentWhichBeatsTheFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gc-keys-\(UUID().uuidString).json")
        try #"{"host": "10.0.0.1", "port": 9001, "dataDir": "/file", "logLevel": "debug", "trustForwardedFor": false, "agentDir": "/file-agents", "webRoot": null}"#
            .write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = ["GURU_PORT": "9002", "GURU_DATA_DIR": "/env", "GURU_LOG_LEVEL": "", "GURU_AGENT_DIR": "/env-agents",
                           "GURU_TRUST_FORWARDED_FOR": "yes"]
        let config = try ConfigurationLoader.load(
            file: file.path, environment: environment, arguments: ["--data-dir=/flag", "--log-format", "JSON"]
        )
        #expect(config.host == "10.0.0.1")            // file only
        #expect(config.port == 9002)                  // environment over file
        #expect(config.dataDirectory == "/flag")      // flag over environment over file
        #expect(config.logLevel == .debug)            // an empty variable is not set
        #expect(config.trustForwardedFor)             // environment over file
        #expect(config.agentDirectory == "/env-agents")
        #expect(config.logFormat == .json)            // choices ignore case
        #expect(config.webRoot == nil)                // null is not set
    }

    @Test func aSwitchFlagTakesNoValue() throws {
        let config = try ConfigurationLoader.load(file: nil, environment: [:], arguments: ["--trust-forwarded-for", "--port", "0"])
        #expect(config.trustForwardedFor)
        #expect(config.port == 0)
        let off = try ConfigurationLoader.load(
            file: nil, environment: ["GURU_TRUST_FORWARDED_FOR": "1"], arguments: ["--trust-forwarded-for=false"]
        )
        #expect(!off.trustForwardedFor)
    }

    @Test func badValuesNameTheirSource() {
        #expect(throws: ConfigurationError.invalid(key: "GURU_PORT", reason: "expected a whole number, got \"http\"")) {
            try ConfigurationLoader.load(file: nil, environment: ["GURU_PORT": "http"])
        }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: nil, environment: ["GURU_LOG_LEVEL": "loud"]) }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: nil, environment: ["GURU_TRUST_FORWARDED_FOR": "maybe"]) }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: nil, environment: [:], arguments: ["--no-such-key", "1"]) }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: nil, environment: [:], arguments: ["--port"]) }
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: nil, environment: [:], arguments: ["stray"]) }
        #expect(throws: ConfigurationError.invalid(key: "bcryptCost", reason: "must be 4 to 16")) {
            try ConfigurationLoader.load(file: nil, environment: [:], arguments: ["--bcrypt-cost", "40"])
        }
    }

    @Test func aFileWithAnUnknownKeyOrAWrongTypeIsRefused() throws {
        for body in [#"{"dataDirectory": "/typo"}"#, #"{"port": true}"#, #"{"trustForwardedFor": 1}"#, #"{"host": 5}"#, "[1]"] {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("gc-keys-\(UUID().uuidString).json")
            try body.write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            #expect(throws: ConfigurationError.self, "\(body)") { try ConfigurationLoader.load(file: file.path, environment: [:]) }
        }
    }
}
