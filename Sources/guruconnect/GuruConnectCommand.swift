import ArgumentParser
import Foundation
import GuruServer
import Logging

/// The `guruconnect` command line.
@main
struct GuruConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guruconnect",
        abstract: "GuruConnect: self-hosted remote support for MSPs.",
        subcommands: [Serve.self, EnrolAgent.self],
        defaultSubcommand: Serve.self
    )
}

/// `guruconnect serve`: reads the configuration, then runs the server until SIGINT or SIGTERM.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server.")

    @Option(help: "JSON config file (also GURU_CONFIG).") var config: String?
    @Option(help: "Address to bind (default 127.0.0.1).") var host: String?
    @Option(help: "TCP port (default 8080).") var port: Int?
    @Option(help: "Folder for the SQLite database and server key (default ./var).") var dataDir: String?
    @Option(help: "postgres://user:pass@host:port/db to use PostgreSQL instead of SQLite.") var databaseUrl: String?
    @Option(help: "PEM certificate chain; with --tls-key, serves HTTPS.") var tlsCert: String?
    @Option(help: "PEM private key.") var tlsKey: String?
    @Option(help: "The URL users reach the server at, when behind a proxy.") var publicUrl: String?
    @Option(help: "Serve the web UI from this folder (development).") var webRoot: String?
    @Option(help: "bcrypt cost, 4 to 16 (default 12).") var bcryptCost: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String?
    @Option(help: "text or json.") var logFormat: String?
    @Flag(help: "Trust X-Forwarded-For (only behind your own proxy).") var trustForwardedFor = false
    @Option(help: "Folder with the agent binaries the portal hands out (default agent/build).") var agentDir: String?

    func run() async throws {
        var flags = ConfigurationOverrides()
        flags.host = host
        flags.port = port
        flags.dataDirectory = dataDir
        flags.databaseURL = databaseUrl
        flags.tlsCertificatePath = tlsCert
        flags.tlsKeyPath = tlsKey
        flags.publicURL = publicUrl
        flags.webRoot = webRoot
        flags.bcryptCost = bcryptCost
        flags.logLevel = logLevel
        flags.logFormat = logFormat
        flags.trustForwardedFor = trustForwardedFor ? true : nil
        flags.agentDirectory = agentDir
        let configuration: ServerConfiguration
        do {
            configuration = try ConfigurationLoader.load(file: config, environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch {
            throw ValidationError(error.description)
        }
        LogSetup.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        let logger = Logger(label: "guruconnect")
        let server = try await buildApplication(configuration, logger: logger)
        StartupBanner.print(configuration, logger: logger)
        try await server.application.runService()
    }
}
