import Foundation
import GuruProtocol
import Logging

/// Everything the server can be told, with defaults that make `guruconnect serve` just work.
///
/// Each property is set by one entry of `ConfigurationKeys.all`, from a JSON config file, an environment variable
/// or a flag; a flag beats the environment, which beats the file. That table documents every key (its file key,
/// environment variable, flag and default), and the README's table is checked against it.
public struct ServerConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./var"
    public var databaseURL: String?
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    public var publicURL: String?
    public var webRoot: String?
    public var bcryptCost = 12
    public var logLevel = Logger.Level.info
    public var logFormat = LogFormat.text
    public var trustForwardedFor = false
    public var agentDirectory = "agent/build"
    /// The bearer token Prometheus must send to read `/metrics`; nil leaves `/metrics` closed to everyone.
    public var metricsToken: String?
    public var relayQueueBytes = 16 * 1024 * 1024
    public var maxViewersPerSession = 8
    /// The agent version this server ships (agent/CMakeLists.txt's GURU_AGENT_VERSION).
    public var currentAgentVersion = "0.1.0"
    /// Tests use an in-memory database.
    public var inMemoryDatabase = false
    /// How long a new relay connection has to authenticate; tests shorten it.
    public var relayHelloTimeout: Duration = .seconds(10)

    public init() {}

    /// How log lines are written.
    public enum LogFormat: String, Sendable, Equatable, CaseIterable {
        case text, json
    }

    /// HTTPS is on when both a certificate and a key are configured.
    public var tlsEnabled: Bool { tlsCertificatePath != nil && tlsKeyPath != nil }

    /// Cookies get `Secure` when browsers reach us over HTTPS, directly or through a proxy.
    public var cookiesSecure: Bool { tlsEnabled || (publicURL?.lowercased().hasPrefix("https://") ?? false) }

    /// Binding to anything but loopback exposes the server to the network.
    public var bindsLoopbackOnly: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }

    /// The URL to print for people to open.
    public var displayURL: String {
        if let publicURL { return publicURL }
        let scheme = tlsEnabled ? "https" : "http"
        let shownHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "\(scheme)://\(shownHost.contains(":") ? "[\(shownHost)]" : shownHost):\(port)"
    }

    /// Checks values that parsing alone cannot.
    public func validate() throws(ConfigurationError) {
        guard (1...65535).contains(port) || port == 0 else { throw .invalid(key: "port", reason: "must be 0 to 65535") }
        guard (4...16).contains(bcryptCost) else { throw .invalid(key: "bcryptCost", reason: "must be 4 to 16") }
        guard (EnvelopeCodec.maxFrame...(1 << 30)).contains(relayQueueBytes) else {
            throw .invalid(key: "relayQueueBytes", reason: "must be \(EnvelopeCodec.maxFrame) (one largest frame) to \(1 << 30)")
        }
        guard (1...1000).contains(maxViewersPerSession) else { throw .invalid(key: "maxViewersPerSession", reason: "must be 1 to 1000") }
        guard (tlsCertificatePath == nil) == (tlsKeyPath == nil) else {
            throw .invalid(key: "tlsCertificate", reason: "a TLS certificate and key go together; give both or neither")
        }
        if let token = metricsToken, token.utf8.count < 16 {
            throw .invalid(key: "metricsToken", reason: "use at least 16 characters (e.g. `openssl rand -hex 16`)")
        }
        if let url = databaseURL, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            throw .invalid(key: "databaseURL", reason: "must start with postgres://")
        }
    }
}

/// A configuration value that cannot be used.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalid(key: String, reason: String)
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let key, let reason): "configuration \(key): \(reason)"
        case .unreadableFile(let path, let reason): "configuration file \(path): \(reason)"
        }
    }
}
