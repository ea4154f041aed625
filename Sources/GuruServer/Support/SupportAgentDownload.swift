import Foundation
import GuruStore

/// The one-time agent a support session hands out: the stock agent binary, its key slot stamped with the
/// server's trailer-signing key, and a signed trailer that names the session (docs/support.md §4).
/// Nothing is compiled; the slot is written and the trailer appended per download.
struct SupportAgentDownload: Sendable {
    /// Which agent build to hand out.
    enum Platform: String, Sendable, CaseIterable {
        case linux, windows

        var fileSuffix: String { self == .windows ? ".exe" : "" }
        var label: String { self == .windows ? "Windows" : "Linux" }
    }

    /// What the agent reads from its trailer. `secret` is this download's own (docs/support.md §4).
    struct Trailer: Encodable, Sendable {
        let server: String
        let session: String
        let secret: String
        let code: String
        let company: String
        let consent: Bool
    }

    static let magic = Array("GCSUPP02".utf8)
    static let ticketLifetime: TimeInterval = 600

    let directory: String
    let serverKey: ServerKey

    /// The agent binary for `platform`, if this server has one.
    func binaryPath(for platform: Platform) -> String? {
        let name = "guruconnect-agent\(platform.fileSuffix)"
        let candidates = [name, platform == .windows ? "win64/\(name)" : "release/\(name)"]
        let base = URL(fileURLWithPath: directory)
        return candidates.map { base.appendingPathComponent($0).path }.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// The binary, stamped, with its signed trailer appended:
    /// `<binary> <JSON> <64-byte Ed25519 signature> <u32 LE JSON length> "GCSUPP02"`.
    func build(platform: Platform, trailer: Trailer) throws -> [UInt8] {
        guard let path = binaryPath(for: platform) else {
            throw APIError(.serviceUnavailable, "agent_unavailable", "The \(platform.label) agent is not available on this server.")
        }
        return try Self.stamp(binaryAt: path, label: platform.label, trailerJSON: Array(try APIJSON.encoder.encode(trailer)), serverKey: serverKey)
    }

    /// The binary at `path`, its key slot stamped, with the signed trailer `trailerJSON` appended (support and
    /// unattended agents alike: the JSON's `mode` tells them apart).
    static func stamp(binaryAt path: String, label: String, trailerJSON json: [UInt8], serverKey: ServerKey) throws -> [UInt8] {
        guard let binary = FileManager.default.contents(atPath: path) else {
            throw APIError(.serviceUnavailable, "agent_unavailable", "The \(label) agent is not available on this server.")
        }
        var bytes = [UInt8](binary)
        let signature: [UInt8]
        do throws(AgentKeySlotError) {
            let signer = try AgentTrailerSigner(serverKey: serverKey)
            try signer.stamp(&bytes)
            signature = try signer.signature(forJSON: json)
        } catch {
            throw APIError(.serviceUnavailable, error.code, "The \(label) agent on this server \(error).")
        }
        bytes.reserveCapacity(bytes.count + json.count + signature.count + 12)
        bytes += json
        bytes += signature
        let length = UInt32(json.count)
        bytes += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
        bytes += Self.magic
        return bytes
    }

    // MARK: - Download tickets

    /// Downloads (spent or live tickets) one session may have: enough for a user who downloads again, not a
    /// table that a known code can grow without bound.
    static let downloadsPerSession = 20

    /// A random, single-use permission to download a session's agent, handed out after the code was checked, so
    /// the download URL cannot be used to guess codes. Only its hash is stored.
    func issueTicket(sessionId: String, store: Store, now: Date = .now) async throws -> String {
        let ticket = SecureToken.make()
        do throws(StoreError) {
            try await store.supportDownloads.issue(
                ticketHash: SecureToken.sha256Hex(ticket), sessionId: sessionId, at: now,
                expiresAt: now.addingTimeInterval(Self.ticketLifetime), limit: Self.downloadsPerSession
            )
        } catch {
            if case .conflict = error {
                throw APIError(
                    .tooManyRequests, "too_many_downloads",
                    "This code was downloaded too many times. Try again in 10 minutes, or ask your technician for a new code.",
                    retryAfter: Int(Self.ticketLifetime)
                )
            }
            throw error
        }
        return ticket
    }

    /// Spends a ticket: the session it grants and the fresh secret this one download carries (its hash is stored,
    /// for the agent's hello), or nil when the ticket is unknown, expired or already used.
    func redeem(ticket: String, store: Store, now: Date = .now) async throws -> (sessionId: String, secret: String)? {
        guard !ticket.isEmpty, ticket.count <= 128 else { return nil }
        let secret = SecureToken.make()
        guard let sessionId = try await store.supportDownloads.redeem(
            ticketHash: SecureToken.sha256Hex(ticket), secretHash: SecureToken.sha256Hex(secret), at: now
        ) else { return nil }
        return (sessionId, secret)
    }
}
