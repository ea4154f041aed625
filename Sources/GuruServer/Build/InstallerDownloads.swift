import Crypto
import Foundation

/// Built installers waiting to be downloaded through a short-lived link (Copy URL, Send link, the Download buttons).
/// The link's id is random and single-purpose: it opens this one file until it expires, and nothing else. Files live in
/// a private folder named by the SHA-256 of the id, so a directory listing gives no usable link.
actor InstallerDownloads {
    /// A built file and what the link shows about it.
    struct Entry: Codable, Sendable {
        let fileName: String
        let contentType: String
        let sha256: String
        let size: Int
        let createdAt: Date
        let expiresAt: Date
        let tokenId: String
    }

    /// How long a link works: long enough for an emailed link to be opened the next day.
    static let lifetime: TimeInterval = 24 * 3600
    /// The most links kept at once; the oldest go first beyond it.
    static let maxEntries = 200

    let folder: URL

    init(folder: URL) {
        self.folder = folder
    }

    /// Stores `bytes` and returns the new link id and its entry.
    func add(_ bytes: [UInt8], fileName: String, contentType: String, tokenId: String, now: Date = .now) throws -> (id: String, entry: Entry) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try sweep(now: now)
        let id = SecureToken.make()
        let entry = Entry(
            fileName: fileName, contentType: contentType, sha256: SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined(),
            size: bytes.count, createdAt: now, expiresAt: now.addingTimeInterval(Self.lifetime), tokenId: tokenId
        )
        let base = self.base(for: id)
        try Data(bytes).write(to: base.appendingPathExtension("bin"), options: .atomic)
        try APIJSON.encoder.encode(entry).write(to: base.appendingPathExtension("json"), options: .atomic)
        for url in [base.appendingPathExtension("bin"), base.appendingPathExtension("json")] {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        }
        return (id, entry)
    }

    /// The entry of a live link, or nil.
    func entry(id: String, now: Date = .now) -> Entry? {
        guard Self.isWellFormed(id) else { return nil }
        guard let data = FileManager.default.contents(atPath: base(for: id).appendingPathExtension("json").path),
              let entry = try? APIJSON.decoder.decode(Entry.self, from: data) // an unreadable entry is an unknown link
        else { return nil }
        return entry.expiresAt > now ? entry : nil
    }

    /// The file behind a live link, or nil.
    func file(id: String, now: Date = .now) -> (entry: Entry, bytes: [UInt8])? {
        guard let entry = entry(id: id, now: now),
              let data = FileManager.default.contents(atPath: base(for: id).appendingPathExtension("bin").path) else { return nil }
        return (entry, [UInt8](data))
    }

    /// Removes expired links, and the oldest beyond `maxEntries`.
    func sweep(now: Date) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        var live: [(base: URL, createdAt: Date)] = []
        for name in names {
            let base = folder.appendingPathComponent(String(name.dropLast(5)))
            let entry = FileManager.default.contents(atPath: base.appendingPathExtension("json").path)
                .flatMap { try? APIJSON.decoder.decode(Entry.self, from: $0) } // unreadable: swept like an expired one
            if let entry, entry.expiresAt > now { live.append((base, entry.createdAt)) } else { try remove(base) }
        }
        if live.count >= Self.maxEntries {
            for old in live.sorted(by: { $0.createdAt < $1.createdAt }).prefix(live.count - Self.maxEntries + 1) { try remove(old.base) }
        }
    }

    private func remove(_ base: URL) throws {
        for url in [base.appendingPathExtension("bin"), base.appendingPathExtension("json")]
        where FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.removeItem(at: url)
        }
    }

    private func base(for id: String) -> URL {
        folder.appendingPathComponent(SecureToken.sha256Hex(id))
    }

    /// SecureToken's alphabet and length, before any file is looked at.
    static func isWellFormed(_ id: String) -> Bool {
        (16...128).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
