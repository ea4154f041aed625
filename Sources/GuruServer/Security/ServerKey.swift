import Crypto
import Foundation
import GuruProtocol
import GuruStore

/// The server's own 256-bit key: it seals TOTP secrets at rest and derives CSRF tokens.
/// It lives in `<data dir>/server.key` (mode 0600); nodes sharing a database must share it.
struct ServerKey: Sendable {
    let key: SymmetricKey

    /// An ephemeral key, for in-memory test servers.
    static func ephemeral() -> ServerKey { ServerKey(key: SymmetricKey(size: .bits256)) }

    /// Loads the key file, creating it (mode 0600, in the `open` call) on first start. Refuses a key file
    /// that group or others can read: it seals every TOTP secret and signs every CSRF token.
    static func load(directory: String) throws(ServerKeyError) -> ServerKey {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("server.key").path
        do {
            if let data = FileManager.default.contents(atPath: path) {
                try PrivateFiles.requireOwnerOnly(path)
                guard data.count == 32 else { throw ServerKeyError.malformed(path: path) }
                return ServerKey(key: SymmetricKey(data: data))
            }
            let bytes = SecureToken.randomBytes(32)
            try PrivateFiles.createExclusively(path, contents: bytes)
            return ServerKey(key: SymmetricKey(data: Data(bytes)))
        } catch let failure as PrivateFiles.Failure {
            throw .unusable(failure)
        } catch let error as ServerKeyError {
            throw error
        } catch {
            throw .unwritable(path: path)
        }
    }

    /// Seals text with AES-256-GCM; the result is base64.
    func seal(_ plaintext: String) throws(ServerKeyError) -> String {
        do {
            guard let combined = try AES.GCM.seal(Data(plaintext.utf8), using: key).combined else { throw ServerKeyError.sealFailed }
            return combined.base64EncodedString()
        } catch {
            throw .sealFailed
        }
    }

    /// Opens what `seal` produced; fails on any tampering.
    func open(_ sealed: String) throws(ServerKeyError) -> String {
        guard let data = Data(base64Encoded: sealed) else { throw .sealFailed }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw .sealFailed
        }
    }

    /// The CSRF token that belongs to a session token: stable for the session, useless without the key.
    func csrfToken(forSession token: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("csrf:\(token)".utf8), using: key)
        return SecureToken.base64URL(Array(mac))
    }
}

/// Problems with the server key file.
enum ServerKeyError: Error, CustomStringConvertible {
    case malformed(path: String)
    case unwritable(path: String)
    /// The file's mode or the file system refused it (see `PrivateFiles.Failure`).
    case unusable(PrivateFiles.Failure)
    case sealFailed

    var description: String {
        switch self {
        case .malformed(let path): "\(path) is not a 32-byte key"
        case .unwritable(let path): "cannot write \(path)"
        case .unusable(let failure): failure.description
        case .sealFailed: "sealed value could not be processed"
        }
    }
}

extension ServerKey {
    /// A keyed MAC of `label`, as lower-case hex: for secrets the server can recompute instead of storing.
    func mac(_ label: String) -> String {
        Hex.encode(Array(HMAC<SHA256>.authenticationCode(for: Data(label.utf8), using: key)))
    }
}
