import Foundation

/// An uncompressed POSIX ustar archive, written in memory: what a .deb's control.tar and data.tar need
/// (dpkg accepts them uncompressed). Names stay under 100 bytes, so no extension headers are written.
struct TarArchive: Sendable {
    /// One file or directory of the archive.
    struct Entry: Sendable {
        enum Kind: Sendable { case file([UInt8]), directory }
        let path: String
        let mode: Int
        let kind: Kind
    }

    /// Why an entry cannot be written.
    enum Failure: Error, Equatable {
        case nameTooLong(String)
    }

    private(set) var bytes: [UInt8] = []
    /// The modification time of every entry: fixed, so the same input gives the same archive.
    let modified: Int

    init(modified: Int) {
        self.modified = modified
    }

    mutating func add(_ entry: Entry) throws(Failure) {
        var name = entry.path
        if case .directory = entry.kind, !name.hasSuffix("/") { name += "/" }
        guard name.utf8.count < 100 else { throw .nameTooLong(name) }
        let content: [UInt8]
        let type: UInt8
        switch entry.kind {
        case .file(let data): content = data; type = UInt8(ascii: "0")
        case .directory: content = []; type = UInt8(ascii: "5")
        }
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            let field = Array(text.utf8.prefix(width))
            header.replaceSubrange(offset..<(offset + field.count), with: field)
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
        }
        put(name, at: 0, width: 100)
        put(octal(entry.mode, width: 8), at: 100, width: 8)
        put(octal(0, width: 8), at: 108, width: 8)
        put(octal(0, width: 8), at: 116, width: 8)
        put(octal(content.count, width: 12), at: 124, width: 12)
        put(octal(modified, width: 12), at: 136, width: 12)
        header.replaceSubrange(148..<156, with: [UInt8](repeating: 0x20, count: 8))
        header[156] = type
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put("root", at: 265, width: 32)
        put("root", at: 297, width: 32)
        let checksum = header.reduce(0) { $0 + Int($1) }
        put(octal(checksum, width: 7), at: 148, width: 7)
        header[155] = 0x20
        bytes += header
        bytes += content
        bytes += [UInt8](repeating: 0, count: (512 - content.count % 512) % 512)
    }

    /// The archive with its two zero end blocks.
    func finished() -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: 1024)
    }
}

/// A Unix `ar` archive (the .deb container): a global header, then each member with a 60-byte header,
/// padded to an even length.
enum ArArchive {
    static func make(_ members: [(name: String, data: [UInt8])], modified: Int) -> [UInt8] {
        var out = Array("!<arch>\n".utf8)
        for member in members {
            func field(_ text: String, _ width: Int) -> [UInt8] {
                Array(text.utf8.prefix(width)) + [UInt8](repeating: 0x20, count: max(0, width - text.utf8.count))
            }
            out += field(member.name, 16) + field(String(modified), 12) + field("0", 6) + field("0", 6)
                + field("100644", 8) + field(String(member.data.count), 10) + Array("`\n".utf8)
            out += member.data
            if member.data.count % 2 == 1 { out.append(0x0A) }
        }
        return out
    }
}
