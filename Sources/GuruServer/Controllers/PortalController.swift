import Foundation
import GuruStore
import Hummingbird

/// The end-user portal's API: branding, checking a support code, and downloading the one-time agent.
/// Nobody signs in here, so every code check is throttled per address and server-wide, and audited.
struct PortalController: RouteCollection {
    let dependencies: ServerDependencies
    let support: SupportSessions
    let download: SupportAgentDownload
    let guesses: CodeGuessThrottle

    struct CodeRequest: Decodable { let code: String }
    struct Branding: ResponseEncodable { let companyName: String }
    struct CodeAccepted: ResponseEncodable {
        let code: String
        let companyName: String
        let technician: String?
        let platform: String
        let fileName: String
        let downloadUrl: String
        let launchUrl: String
    }

    func register(on routes: RouteTable) {
        routes.get("/api/portal/branding", .anyone) { _, _ in
            Branding(companyName: try await dependencies.store.settings.load().companyName)
        }
        routes.post("/api/portal/code", .anyone) { request, context in
            // Reserved before the body is read, in one actor turn: a burst of held requests is counted as
            // it arrives, and only the budget's worth ever reach the database.
            let attempt: AttemptBudget.Reservation
            do throws(Throttled) {
                attempt = try await guesses.reserve(address: context.clientAddress)
            } catch {
                await dependencies.audit.record("portal.code", .denied, context: context, detail: "throttled")
                await request.discardBody(upTo: context.maxUploadSize, context: context)
                throw APIError.throttled(retryAfter: error.retryAfter)
            }
            let check: CodeCheck
            do {
                check = try await checkCode(request, context)
            } catch {
                await guesses.settle(attempt, as: .failed)
                throw error
            }
            switch check {
            case .malformed:
                await guesses.settle(attempt, as: .notTried)
                throw APIError.badRequest("Enter the 6-digit code your technician gave you.")
            case .unknown(let why):
                await guesses.settle(attempt, as: .failed)
                await dependencies.audit.record("portal.code", .failure, context: context, detail: "no active session")
                throw APIError.notFound(why)
            case .inUse:
                await guesses.settle(attempt, as: .succeeded)
                throw APIError.conflict("This code is already in use on another computer. Ask your technician for a new one.")
            case .accepted(let accepted):
                await guesses.settle(attempt, as: .succeeded)
                return accepted
            }
        }
        routes.get("/api/portal/download/{ticket}", .anyone) { request, context in
            let server = try Self.agentServerURL(dependencies.configuration)
            let platform = request.uri.queryParameters.get("platform").flatMap(SupportAgentDownload.Platform.init(rawValue:)) ?? Self.platform(request)
            // Checked before the ticket is spent, so a server without the binary does not burn the user's link.
            guard download.binaryPath(for: platform) != nil else {
                throw APIError(.serviceUnavailable, "agent_unavailable", "The \(platform.label) agent is not available on this server.")
            }
            guard let granted = try await download.redeem(ticket: try context.parameter("ticket"), store: dependencies.store) else {
                await dependencies.audit.record("portal.download", .denied, context: context, detail: "ticket unknown, expired or used")
                throw APIError.notFound("This download link has expired or was already used. Enter your code again.")
            }
            guard let session = try await dependencies.store.support.find(id: granted.sessionId), session.status.isActive else {
                throw APIError.notFound("This support session has ended. Ask your technician for a new code.")
            }
            let settings = try await dependencies.store.settings.load()
            let bytes = try download.build(platform: platform, trailer: .init(
                server: server, session: session.id, secret: granted.secret, code: session.code, company: settings.companyName,
                consent: settings.consentRequired
            ))
            await dependencies.audit.record("portal.download", .success, context: context, target: session.id, detail: platform.rawValue)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/octet-stream",
                    .contentDisposition: "attachment; filename=\"GuruConnect-\(session.code)\(platform.fileSuffix)\"",
                    .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }

    /// What a code check found; the route settles the guess from it.
    private enum CodeCheck {
        case malformed
        case unknown(why: String)
        case inUse
        case accepted(CodeAccepted)
    }

    /// Looks the code up; counting the guess is the caller's.
    private func checkCode(_ request: Request, _ context: AppRequestContext) async throws -> CodeCheck {
        let body = try await request.decode(as: CodeRequest.self, context: context)
        let code = body.code.filter { !$0.isWhitespace && $0 != "-" }
        guard SupportCodes.isWellFormed(code) else { return .malformed }
        guard let session = try await dependencies.store.support.findActive(code: code) else {
            return .unknown(why: try await Self.whyInactive(code, store: dependencies.store))
        }
        // Once an agent has proved its key the session is that machine's: another download could never connect.
        let bound = try await dependencies.store.identities.key(of: .supportSession(id: session.id)) != nil
        let online = await support.hub.isOnline(session.id)
        if bound || (session.status != .pending && online) { return .inUse }
        let settings = try await dependencies.store.settings.load()
        var technician: String?
        if let ownerId = session.ownerId { technician = try await dependencies.store.users.find(id: ownerId)?.displayName }
        let platform = Self.platform(request)
        _ = try Self.agentServerURL(dependencies.configuration)
        let ticket = try await download.issueTicket(sessionId: session.id, store: dependencies.store)
        await dependencies.audit.record("portal.code", .success, context: context, target: session.id)
        return .accepted(CodeAccepted(
            code: code, companyName: settings.companyName, technician: technician, platform: platform.rawValue,
            fileName: "GuruConnect-\(code)\(platform.fileSuffix)",
            downloadUrl: "/api/portal/download/\(ticket)?platform=\(platform.rawValue)",
            launchUrl: "guruconnect://session/\(code)"
        ))
    }

    /// A clear message for a code that has no active session.
    private static func whyInactive(_ code: String, store: Store) async throws -> String {
        switch try await store.support.findLatest(code: code)?.status {
        case .cancelled: "This code was cancelled. Ask your technician for a new one."
        case .expired: "This code has expired. Ask your technician for a new one."
        case .ended, .declined: "This support session has already ended. Ask your technician for a new code."
        default: "No support session has this code. Check the six digits and try again."
        }
    }

    /// The platform asked for, else the one the browser runs on.
    private static func platform(_ request: Request) -> SupportAgentDownload.Platform {
        if let asked = request.uri.queryParameters.get("platform").flatMap(SupportAgentDownload.Platform.init(rawValue:)) { return asked }
        return (request.headers[.userAgent] ?? "").contains("Windows") ? .windows : .linux
    }

    /// Where a downloaded agent dials, signed into its trailer: the configured public URL, else, on a loopback-only
    /// bind, the listen address. Never the request's Host header, which any client can set.
    static func agentServerURL(_ configuration: ServerConfiguration) throws(APIError) -> String {
        if let publicURL = configuration.publicURL { return publicURL }
        guard configuration.bindsLoopbackOnly else {
            throw APIError(
                .serviceUnavailable, "public_url_required",
                "This server cannot hand out support agents yet: it listens on \(configuration.host) and has no public URL. "
                    + "The administrator must set publicURL (--public-url or GURU_PUBLIC_URL) to the address agents should dial, "
                    + "for example https://support.example.com."
            )
        }
        return configuration.displayURL
    }

    /// The portal address shown to the technician who issues a code: the configured public URL, else the address
    /// the technician's own browser used (not signed into anything).
    static func serverURL(_ request: Request, configuration: ServerConfiguration) -> String {
        if let publicURL = configuration.publicURL { return publicURL }
        let scheme = configuration.tlsEnabled ? "https" : "http"
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        let host = request.head.authority ?? ""
        guard !host.isEmpty, host.count <= 255, host.allSatisfy(allowed.contains) else { return configuration.displayURL }
        return "\(scheme)://\(host)"
    }
}
