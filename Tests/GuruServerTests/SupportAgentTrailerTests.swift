import Crypto
import Foundation
import GuruProtocol
import Testing
@testable import GuruServer

/// The signed support trailer and the agent's key slot (docs/support.md §4).
@Suite("Signed support trailers")
struct SupportAgentTrailerTests {
    static let emptySlot = AgentTrailerSigner.keySlotMagic + [UInt8](repeating: 0, count: 32)

    /// The served bytes split as the agent reads them: binary, JSON, signature.
    struct Served {
        let binary: [UInt8]
        let json: [UInt8]
        let signature: [UInt8]

        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 76, Array(bytes.suffix(8)) == Array("GCSUPP02".utf8) else { return nil }
            let length = bytes[(bytes.count - 12)..<(bytes.count - 8)].reversed().reduce(0) { $0 << 8 | Int($1) }
            guard length > 0, bytes.count >= 76 + length else { return nil }
            let jsonStart = bytes.count - 76 - length
            binary = Array(bytes[..<jsonStart])
            json = Array(bytes[jsonStart..<(jsonStart + length)])
            signature = Array(bytes[(bytes.count - 76)..<(bytes.count - 12)])
        }

        /// The key in the binary's one slot, if there is exactly one.
        var slotKey: [UInt8]? {
            let offsets = AgentTrailerSigner.keySlotOffsets(in: binary, limit: 2)
            guard offsets.count == 1, let at = offsets.first else { return nil }
            return Array(binary[(at + 8)..<(at + 40)])
        }

        /// Whether the signature verifies, with swift-crypto, under the slot's key.
        var verifies: Bool {
            guard let slotKey, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: slotKey) else { return false }
            return key.isValidSignature(signature, for: AgentTrailerSigner.signedPrefix + json)
        }
    }

    /// A folder with a stand-in Linux agent made of `binary`.
    static func agentFolder(_ binary: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gc-slot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(binary).write(to: directory.appendingPathComponent("guruconnect-agent"))
        return directory.path
    }

    static let trailer = SupportAgentDownload.Trailer(
        server: "http://127.0.0.1:8080", session: String(repeating: "ab", count: 16), secret: "5ec2e7",
        code: "123456", company: "Acme IT", consent: true
    )

    static func download(_ binary: [UInt8], key: ServerKey = .ephemeral()) throws -> [UInt8] {
        try SupportAgentDownload(directory: try agentFolder(binary), serverKey: key).build(platform: .linux, trailer: trailer)
    }

    static func refusal(_ binary: [UInt8]) -> APIError? {
        do {
            _ = try download(binary)
            return nil
        } catch {
            return error as? APIError
        }
    }

    @Test func swiftCryptoAgreesWithRFC8032AsTheAgentsLibgcryptDoes() throws {
        let seed = Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60") ?? []
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        #expect(Hex.encode(Array(key.publicKey.rawRepresentation)) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: Hex.decode("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c") ?? [])
        let signature = Hex.decode(
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ) ?? []
        #expect(publicKey.isValidSignature(signature, for: [0x72]))
        #expect(!publicKey.isValidSignature(signature, for: [0x73]))
    }

    @Test func theSigningKeyFollowsTheServerKeyAndNothingElse() throws {
        let serverKey = ServerKey.ephemeral()
        let first = try AgentTrailerSigner(serverKey: serverKey)
        let again = try AgentTrailerSigner(serverKey: ServerKey(key: serverKey.key))
        let other = try AgentTrailerSigner(serverKey: .ephemeral())
        #expect(first.publicKey == again.publicKey && first.publicKey.count == 32)
        #expect(first.publicKey != other.publicKey)
    }

    @Test func theServedAgentCarriesTheKeyInItsSlotAndAVerifiableSignature() throws {
        let serverKey = ServerKey.ephemeral()
        let stock = Array("\u{7F}ELF head".utf8) + Self.emptySlot + Array("tail".utf8)
        let served = try #require(Served(try Self.download(stock, key: serverKey)))
        let signer = try AgentTrailerSigner(serverKey: serverKey)
        #expect(served.slotKey == signer.publicKey)
        #expect(served.binary.count == stock.count)
        #expect(Array(served.binary.prefix(9)) == Array("\u{7F}ELF head".utf8) && Array(served.binary.suffix(4)) == Array("tail".utf8))
        #expect(served.verifies)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(served.json)) as? [String: Any])
        #expect(json["server"] as? String == "http://127.0.0.1:8080" && json["consent"] as? Bool == true)
    }

    @Test func oneAlteredByteOfTheJSONOrSignatureFailsVerification() throws {
        let bytes = try Self.download(Array("x".utf8) + Self.emptySlot)
        #expect(try #require(Served(bytes)).verifies)
        let jsonStart = Self.emptySlot.count + 1
        let host = Array("127.0.0.1".utf8)
        let hostAt = try #require((jsonStart..<(bytes.count - host.count)).first { Array(bytes[$0..<($0 + host.count)]) == host })
        // The server URL's last digit (another server), the JSON's first byte, R and S of the signature.
        for index in [hostAt + 8, jsonStart, bytes.count - 76, bytes.count - 13] {
            var altered = bytes
            altered[index] ^= 0x01
            let served = try #require(Served(altered))
            #expect(!served.verifies, "byte \(index) altered, yet the signature verifies")
        }
    }

    @Test func aBinaryWithoutExactlyOneUsableSlotIsRefusedClearly() throws {
        #expect(Self.refusal(Array("\u{7F}ELF no slot".utf8))?.code == "agent_key_slot_missing")
        #expect(Self.refusal(Array("x".utf8) + Self.emptySlot + Self.emptySlot)?.code == "agent_key_slot_ambiguous")
        let cut = Array("x".utf8) + Array(Self.emptySlot.dropLast())
        #expect(Self.refusal(cut)?.code == "agent_key_slot_missing", "a slot cut short is no slot")
        let foreign = AgentTrailerSigner.keySlotMagic + [UInt8](repeating: 7, count: 32)
        let refusal = try #require(Self.refusal(foreign))
        #expect(refusal.status == .serviceUnavailable && refusal.code == "agent_key_foreign")
        #expect(refusal.message.contains("Linux agent"))
    }

    @Test func aBinaryStampedBeforehandWithThisKeyIsServedUnchanged() throws {
        let serverKey = ServerKey.ephemeral()
        let signer = try AgentTrailerSigner(serverKey: serverKey)
        let stamped = Array("MZ".utf8) + AgentTrailerSigner.keySlotMagic + signer.publicKey + Array("rest".utf8)
        let served = try #require(Served(try Self.download(stamped, key: serverKey)))
        #expect(served.binary == stamped)
        #expect(served.verifies)
    }
}
