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
/// Its setting flags come from `ConfigurationKeys.all`, so a new key needs no edit here.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server.", discussion: ConfigurationKeys.helpText
    )

    @Option(help: "JSON config file (also GURU_CONFIG).") var config: String?
    @Argument(parsing: .allUnrecognized, help: .hidden) var settings: [String] = []

    func run() async throws {
        let configuration: ServerConfiguration
        do {
            configuration = try ConfigurationLoader.load(
                file: config, environment: ProcessInfo.processInfo.environment, arguments: settings
            )
        } catch {
            throw ValidationError(error.description)
        }
        LogSetup.bootstrap(format: configuration.logFormat, level: configuration.logLevel)
        let logger = Logger(label: "guruconnect")
        let server = try await buildApplication(configuration, logger: logger)
        StartupBanner.print(configuration, logger: logger)
        try await server.runUntilSignalled(logger: logger)
    }
}
