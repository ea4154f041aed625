import Crypto
import Foundation

/// The support trailer's signature (docs/support.md §4): an Ed25519 key derived from the server key,
/// whose public half goes into the agent binary's one key slot and whose signature covers the trailer JSON.
/// Nothing is stored: the same server key always gives the same signing key, across restarts and nodes.
struct AgentTrailerSigner: Sendable {
    /// The 8 bytes that open the key slot; 32 key bytes follow (zero in the stock binary).
    static let keySlotMagic = Array("GCKEY001".utf8)
    static let keySlotSize = 40
    /// What the signature covers before the JSON: the trailer magic and a NUL, so that the signature
    /// cannot be taken for one over anything else this key might ever sign.
    static let signedPrefix = Array("GCSUPP02".utf8) + [0]
    /// The HKDF `info` that separates this key from every other use of the server key.
    static let derivationInfo = "guruconnect agent-trailer-signing v1"

    private let privateKey: Curve25519.Signing.PrivateKey

    /// The 32-byte Ed25519 public key written into the slot.
    var publicKey: [UInt8] { Array(privateKey.publicKey.rawRepresentation) }

    /// The signing key of `serverKey`: HKDF-SHA256 (no salt) → 32-byte seed → Ed25519.
    init(serverKey: ServerKey) throws(AgentKeySlotError) {
        let seed = HKDF<SHA256>.deriveKey(inputKeyMaterial: serverKey.key, info: Data(Self.derivationInfo.utf8), outputByteCount: 32)
        do {
            privateKey = try seed.withUnsafeBytes { try Curve25519.Signing.PrivateKey(rawRepresentation: Data($0)) }
        } catch {
            throw .keyDerivationFailed
        }
    }

    /// The 64-byte signature of `json` as the agent checks it.
    func signature(forJSON json: [UInt8]) throws(AgentKeySlotError) -> [UInt8] {
        do {
            return Array(try privateKey.signature(for: Data(Self.signedPrefix + json)))
        } catch {
            throw .signingFailed
        }
    }

    /// Writes the public key into the single key slot of `binary`. The slot must hold zeros (the stock
    /// binary) or this key already (a binary stamped, and perhaps code-signed, beforehand).
    func stamp(_ binary: inout [UInt8]) throws(AgentKeySlotError) {
        let offsets = Self.keySlotOffsets(in: binary, limit: 2)
        guard offsets.count == 1, let offset = offsets.first else { throw offsets.isEmpty ? .missing : .ambiguous }
        let keyRange = (offset + Self.keySlotMagic.count)..<(offset + Self.keySlotSize)
        let key = publicKey
        let current = binary[keyRange]
        guard current.allSatisfy({ $0 == 0 }) || current.elementsEqual(key) else { throw .foreignKey }
        binary.replaceSubrange(keyRange, with: key)
    }

    /// Where whole key slots (the magic and 32 bytes after it) start in `bytes`, at most `limit` of them.
    static func keySlotOffsets(in bytes: [UInt8], limit: Int) -> [Int] {
        guard bytes.count >= keySlotSize else { return [] }
        let lastStart = bytes.count - keySlotSize
        var found: [Int] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            // memchr for the first byte, then a compare: a few milliseconds over a debug-built server's megabytes.
            while start <= lastStart, found.count < limit,
                  let hit = memchr(base + start, Int32(keySlotMagic[0]), lastStart - start + 1) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, keySlotMagic, keySlotMagic.count) == 0 { found.append(at) }
                start = at + 1
            }
        }
        return found
    }
}

/// Why a support agent could not be signed for download.
enum AgentKeySlotError: Error, Equatable, CustomStringConvertible {
    /// The binary has no key slot: it predates signed trailers, or is not the agent.
    case missing
    /// More than one slot: which one the agent would read is unknowable.
    case ambiguous
    /// The slot holds another server's key.
    case foreignKey
    case keyDerivationFailed
    case signingFailed

    var description: String {
        switch self {
        case .missing: "has no trailer key slot; install an agent build of this server's version"
        case .ambiguous: "has more than one trailer key slot; install an agent build of this server's version"
        case .foreignKey: "was stamped with another server's key"
        case .keyDerivationFailed: "cannot be signed: the signing key could not be derived"
        case .signingFailed: "cannot be signed"
        }
    }

    /// The API error code a download reports.
    var code: String {
        switch self {
        case .missing: "agent_key_slot_missing"
        case .ambiguous: "agent_key_slot_ambiguous"
        case .foreignKey: "agent_key_foreign"
        case .keyDerivationFailed, .signingFailed: "agent_signing_failed"
        }
    }
}
