#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Files and folders only the server's own user may read: the data directory (0700), the SQLite
/// database with its `-wal` and `-shm` files, and the server key (0600).
///
/// Files are created with their mode in the `open(2)` call itself (`O_CREAT | O_EXCL`), so there is no
/// moment when a fresh file carries the umask's looser mode before a `chmod` tightens it.
public enum PrivateFiles {
    /// Why a private file or folder could not be made or used.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case cannotCreate(path: String, errno: Int32)
        case cannotWrite(path: String, errno: Int32)
        case cannotChangeMode(path: String, errno: Int32)
        /// The file exists and others may read it; the message tells the operator what to run.
        case readableByOthers(path: String, mode: UInt16)

        public var description: String {
            switch self {
            case .cannotCreate(let path, let code): "cannot create \(path): \(String(cString: strerror(code)))"
            case .cannotWrite(let path, let code): "cannot write \(path): \(String(cString: strerror(code)))"
            case .cannotChangeMode(let path, let code): "cannot restrict \(path) to its owner: \(String(cString: strerror(code)))"
            case .readableByOthers(let path, let mode):
                "\(path) can be read by other users (mode \(String(mode, radix: 8))); run `chmod 600 \(path)` and start again"
            }
        }
    }

    public static let fileMode: mode_t = 0o600
    public static let directoryMode: mode_t = 0o700

    /// Creates the folder (and missing parents) with mode 0700; an existing folder is left as it is.
    public static func makeDirectory(_ path: String) throws(Failure) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try makeDirectory(parent) }
        if mkdir(path, directoryMode) != 0 && errno != EEXIST { throw .cannotCreate(path: path, errno: errno) }
    }

    /// Creates `path` with mode 0600 and writes `contents`; fails if the file already exists.
    public static func createExclusively(_ path: String, contents: [UInt8]) throws(Failure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else { throw .cannotCreate(path: path, errno: errno) }
        defer { close(descriptor) }
        var written = 0
        while written < contents.count {
            let result = contents.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, contents.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, errno: errno)
            }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw .cannotWrite(path: path, errno: errno) }
    }

    /// The permission bits of an existing file, or nil when there is none.
    public static func mode(of path: String) -> UInt16? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt16(info.st_mode & 0o7777)
    }

    /// Throws `.readableByOthers` when group or others have any access to the file.
    public static func requireOwnerOnly(_ path: String) throws(Failure) {
        if let mode = mode(of: path), mode & 0o077 != 0 { throw .readableByOthers(path: path, mode: mode) }
    }

    /// Makes the SQLite database at `path` and its `-wal`/`-shm` companions 0600: creates an empty database
    /// file with that mode when there is none (SQLite then gives its companions the same mode), and tightens
    /// the modes of files an older version left at the umask's default.
    static func prepareDatabaseFiles(_ path: String) throws(Failure) {
        if mode(of: path) == nil {
            do {
                try createExclusively(path, contents: [])
            } catch .cannotCreate(_, let code) where code == EEXIST {
                // Another process created it in between; tightened below like any existing file.
            }
        }
        for file in [path, path + "-wal", path + "-shm"] {
            guard let current = mode(of: file), current & 0o077 != 0 else { continue }
            guard chmod(file, fileMode) == 0 else { throw .cannotChangeMode(path: file, errno: errno) }
        }
    }
}
