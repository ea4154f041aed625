import ArgumentParser
import Foundation
import GuruServer
import GuruStore
import Logging

/// `guruconnect enrol-agent`: creates an agent identity straight in the database, for scripted
/// deployments and the local demo. Prints `{"id": …, "credential": …}`; the credential is shown once.
struct EnrolAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrol-agent", abstract: "Create an agent identity and print its id and credential once."
    )

    @Option(help: "A name for people, e.g. the machine's hostname.") var name: String
    @Option(help: "Folder of the SQLite database (default ./var).") var dataDir: String = "./var"
    @Option(help: "postgres://… to use PostgreSQL instead of SQLite.") var databaseUrl: String?

    func run() async throws {
        let logger = Logger(label: "guruconnect.enrol")
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let location: Store.Location = databaseUrl.map { .postgres(url: $0) }
            ?? .sqlite(path: URL(fileURLWithPath: dataDir).appendingPathComponent("guruconnect.sqlite").path)
        let store = try await Store.open(location, logger: logger)
        let result: (agent: AgentRecord, credential: String)
        do {
            result = try await withThrowingTaskGroup(of: Void.self) { group in
                for service in store.services { group.addTask { try await service.run() } }
                defer { group.cancelAll() }
                try await store.prepare()
                return try await AgentEnrolment.enrol(name: name, createdBy: "cli", store: store)
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        let output = ["id": result.agent.id, "name": result.agent.name, "credential": result.credential]
        let data = try JSONSerialization.data(withJSONObject: output, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
