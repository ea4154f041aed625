import Foundation
import GuruStore
import Logging

/// The binary-size baseline for StoreBench: GuruStore alone, opening a store and reading a user.
@main
struct StoreBenchBaseline {
    static func main() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-baseline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await Store.open(.sqlite(path: folder.appendingPathComponent("b.sqlite").path), logger: Logger(label: "baseline"))
        try await store.prepare()
        print(try await store.users.find(username: "nobody") == nil ? "ok" : "unexpected user")
        await store.close()
    }
}
