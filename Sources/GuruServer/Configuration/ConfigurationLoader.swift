import Foundation
import Logging

/// Values given on the command line; nil means "not given".
public struct ConfigurationOverrides: Sendable {
    public var host: String?
    public var port: Int?
    public var dataDirectory: String?
    public var databaseURL: String?
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    public var publicURL: String?
    public var webRoot: String?
    public var bcryptCost: Int?
    public var logLevel: String?
    public var logFormat: String?
    public var trustForwardedFor: Bool?
    public var agentDirectory: String?

    public init() {}
}

/// The layout of the optional JSON config file; every key is optional.
struct ConfigurationFile: Decodable {
    var host: String?
    var port: Int?
    var dataDir: String?
    var databaseURL: String?
    var tlsCertificate: String?
    var tlsKey: String?
    var publicURL: String?
    var webRoot: String?
    var bcryptCost: Int?
    var logLevel: String?
    var logFormat: String?
    var trustForwardedFor: Bool?
    var agentDir: String?
}

/// Layers defaults, the config file, the environment and flags into one `ServerConfiguration`.
public enum ConfigurationLoader {
    public static func load(
        file: String?, environment: [String: String], flags: ConfigurationOverrides
    ) throws(ConfigurationError) -> ServerConfiguration {
        var config = ServerConfiguration()
        if let path = file ?? environment["GURU_CONFIG"] {
            let contents: ConfigurationFile
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                contents = try JSONDecoder().decode(ConfigurationFile.self, from: data)
            } catch {
                throw .unreadableFile(path: path, reason: String(describing: error))
            }
            try apply(&config, host: contents.host, port: contents.port, dataDirectory: contents.dataDir,
                      databaseURL: contents.databaseURL, tlsCertificatePath: contents.tlsCertificate,
                      tlsKeyPath: contents.tlsKey, publicURL: contents.publicURL, webRoot: contents.webRoot,
                      bcryptCost: contents.bcryptCost, logLevel: contents.logLevel, logFormat: contents.logFormat,
                      trustForwardedFor: contents.trustForwardedFor, agentDirectory: contents.agentDir)
        }
        let env = { (key: String) -> String? in environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        try apply(&config, host: env("GURU_HOST"), port: try integer(env("GURU_PORT"), key: "GURU_PORT"),
                  dataDirectory: env("GURU_DATA_DIR"), databaseURL: env("GURU_DATABASE_URL"),
                  tlsCertificatePath: env("GURU_TLS_CERT"), tlsKeyPath: env("GURU_TLS_KEY"),
                  publicURL: env("GURU_PUBLIC_URL"), webRoot: env("GURU_WEB_ROOT"),
                  bcryptCost: try integer(env("GURU_BCRYPT_COST"), key: "GURU_BCRYPT_COST"),
                  logLevel: env("GURU_LOG_LEVEL"), logFormat: env("GURU_LOG_FORMAT"),
                  trustForwardedFor: env("GURU_TRUST_FORWARDED_FOR").map { ["1", "true", "yes"].contains($0.lowercased()) },
                  agentDirectory: env("GURU_AGENT_DIR"))
        try apply(&config, host: flags.host, port: flags.port, dataDirectory: flags.dataDirectory,
                  databaseURL: flags.databaseURL, tlsCertificatePath: flags.tlsCertificatePath,
                  tlsKeyPath: flags.tlsKeyPath, publicURL: flags.publicURL, webRoot: flags.webRoot,
                  bcryptCost: flags.bcryptCost, logLevel: flags.logLevel, logFormat: flags.logFormat,
                  trustForwardedFor: flags.trustForwardedFor, agentDirectory: flags.agentDirectory)
        try config.validate()
        return config
    }

    private static func integer(_ text: String?, key: String) throws(ConfigurationError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else { throw .invalid(key: key, reason: "not a number: \(text)") }
        return value
    }

    private static func apply(
        _ config: inout ServerConfiguration, host: String?, port: Int?, dataDirectory: String?, databaseURL: String?,
        tlsCertificatePath: String?, tlsKeyPath: String?, publicURL: String?, webRoot: String?, bcryptCost: Int?,
        logLevel: String?, logFormat: String?, trustForwardedFor: Bool?, agentDirectory: String?
    ) throws(ConfigurationError) {
        if let agentDirectory { config.agentDirectory = agentDirectory }
        if let host { config.host = host }
        if let port { config.port = port }
        if let dataDirectory { config.dataDirectory = dataDirectory }
        if let databaseURL { config.databaseURL = databaseURL }
        if let tlsCertificatePath { config.tlsCertificatePath = tlsCertificatePath }
        if let tlsKeyPath { config.tlsKeyPath = tlsKeyPath }
        if let publicURL { config.publicURL = publicURL }
        if let webRoot { config.webRoot = webRoot }
        if let bcryptCost { config.bcryptCost = bcryptCost }
        if let trustForwardedFor { config.trustForwardedFor = trustForwardedFor }
        if let logLevel {
            guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
                throw .invalid(key: "logLevel", reason: "one of trace, debug, info, notice, warning, error, critical")
            }
            config.logLevel = level
        }
        if let logFormat {
            guard let format = ServerConfiguration.LogFormat(rawValue: logFormat.lowercased()) else {
                throw .invalid(key: "logFormat", reason: "text or json")
            }
            config.logFormat = format
        }
    }
}
