import Foundation
import GuruStore
import Hummingbird

/// The Build tab: installers (EXE, MSI, .deb) carrying a fresh enrolment token in a signed trailer, each behind a
/// short-lived download link that Copy URL and Send link share. Every build is audited as `build.create`.
struct BuildController: RouteCollection {
    let dependencies: ServerDependencies
    let builder: InstallerBuilder
    let downloads: InstallerDownloads
    let mailer: LinkMailer
    var tokens: EnrolmentTokens { EnrolmentTokens(store: dependencies.store) }

    /// What the form sends.
    struct BuildRequest: Decodable {
        let format: InstallerFormat
        let platform: BuildPlatform?
        let metadata: InstallerMetadata?
        let tokenName: String?
        let expiresInDays: Int?
        let maxUses: Int64?
    }
    /// A platform as the form offers it.
    struct PlatformOption: ResponseEncodable {
        let id: BuildPlatform
        let label: String
        let available: Bool
        let formats: [InstallerFormat]
        /// Why it cannot be built, when it cannot.
        let note: String?
    }
    struct Options: ResponseEncodable {
        let platforms: [PlatformOption]
        let msiAvailable: Bool
        let msiNote: String?
        let emailAvailable: Bool
        let defaultExpiresInDays: Int
    }
    struct Suggestions: ResponseEncodable { let companies: [String]; let sites: [String] }
    struct DownloadDTO: ResponseEncodable {
        let id: String
        let url: String
        let fileName: String
        let sha256: String
        let size: Int
        let expiresAt: Date
    }
    struct BuildResult: ResponseEncodable {
        let download: DownloadDTO
        /// A one-line install command that checks the file's SHA-256 before running it.
        let installCommand: String
        let token: EnrolmentController.TokenDTO
        let buildMilliseconds: Int
    }
    struct EmailRequest: Decodable { let to: String }

    func register(on routes: RouteTable) {
        routes.get("/api/build/options", .permission(.buildInstallers)) { _, _ in
            let msi = MsiPackage.isAvailable
            let email = try await mailer.isConfigured()
            return Options(
                platforms: BuildPlatform.allCases.map { platform in
                    let available = builder.isAvailable(platform)
                    return PlatformOption(
                        id: platform, label: platform.label, available: available,
                        formats: InstallerFormat.allCases.filter { $0.fits(platform) },
                        note: available ? nil : platform == .windows32 ? "Not yet available" : "The agent is not installed on this server"
                    )
                },
                msiAvailable: msi, msiNote: msi ? nil : "MSI builds need wixl and msitools on the server (apt-get install wixl msitools).",
                emailAvailable: email, defaultExpiresInDays: EnrolmentTokens.defaultLifetimeDays
            )
        }
        routes.get("/api/build/suggestions", .permission(.buildInstallers)) { _, _ in
            try await suggestions()
        }
        routes.post("/api/build", .permission(.buildInstallers)) { request, context in
            try await build(request, context)
        }
        routes.get("/api/build/downloads/{id}", .anyone) { _, context in
            guard let file = await downloads.file(id: try context.parameter("id")) else {
                throw APIError.notFound("This download link has expired. Build the installer again.")
            }
            let entry = file.entry
            await dependencies.audit.record("build.download", .success, context: context, target: entry.tokenId, detail: entry.fileName)
            return Response(
                status: .ok,
                headers: [
                    .contentType: entry.contentType, .contentDisposition: "attachment; filename=\"\(entry.fileName)\"", .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes))
            )
        }
        routes.get("/api/build/downloads/{id}/install.sh", .anyone) { request, context in
            let id = try context.parameter("id")
            guard await downloads.entry(id: id) != nil else {
                throw APIError.notFound("This install link has expired. Build the installer again.")
            }
            let base = PortalController.serverURL(request, configuration: dependencies.configuration)
            return Response(
                status: .ok, headers: [.contentType: "text/x-shellscript; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: InstallCommand.script(packageURL: "\(base)/api/build/downloads/\(id)")))
            )
        }
        routes.post("/api/build/downloads/{id}/email", .permission(.buildInstallers)) { request, context in
            let id = try context.parameter("id")
            let to = try LinkMailer.address(try await request.decode(as: EmailRequest.self, context: context).to)
            guard let entry = await downloads.entry(id: id) else { throw APIError.notFound("This download link has expired. Build the installer again.") }
            let base = PortalController.serverURL(request, configuration: dependencies.configuration)
            let link = "\(base)/api/build/downloads/\(id)"
            do {
                try await mailer.sendInstallerLink(to: to, link: link, entry: entry, sender: try context.requireIdentity().user.displayName)
            } catch {
                await dependencies.audit.record("build.email", .failure, context: context, target: entry.tokenId, detail: "to \(to): \(error)")
                throw error
            }
            await dependencies.audit.record("build.email", .success, context: context, target: entry.tokenId, detail: "to \(to)")
            return Response(status: .noContent)
        }
    }

    private func build(_ request: Request, _ context: AppRequestContext) async throws -> EditedResponse<BuildResult> {
        let started = ContinuousClock.now
        let body = try await request.decode(as: BuildRequest.self, context: context)
        let platform = body.platform ?? (body.format == .deb ? .linux64 : .windows64)
        guard body.format.fits(platform) else {
            throw APIError.badRequest("A \(body.format.rawValue.uppercased()) cannot be built for \(platform.label).")
        }
        guard builder.isAvailable(platform) else {
            throw APIError(.serviceUnavailable, "agent_unavailable", "The \(platform.label) agent is not available on this server yet.")
        }
        if body.format == .msi, !MsiPackage.isAvailable {
            throw APIError(.serviceUnavailable, "msi_tools_missing", "MSI builds need wixl and msitools on the server (apt-get install wixl msitools).")
        }
        let server = try PortalController.agentServerURL(dependencies.configuration)
        let user = try context.requireIdentity().user
        let (token, secret) = try await tokens.create(
            .init(name: body.tokenName, expiresInDays: body.expiresInDays, maxUses: body.maxUses, metadata: body.metadata, platform: platform.rawValue),
            createdBy: user.username
        )
        await dependencies.audit.record("enrolment.token.create", .success, context: context, target: token.id, detail: token.name)
        let metadata = try InstallerMetadata.decode(json: token.metadataJSON)
        let built: InstallerBuilder.Built
        do {
            built = try await builder.build(
                format: body.format, platform: platform, trailer: UnattendedTrailer(server: server, enrolToken: secret, metadata: metadata)
            )
        } catch {
            // A token nobody can ever receive is revoked at once rather than left valid.
            try await dependencies.store.enrolmentTokens.revoke(id: token.id, at: .now)
            await dependencies.audit.record("build.create", .failure, context: context, target: token.id, detail: "\(body.format.rawValue) \(platform.rawValue): \(error)")
            throw error
        }
        let (id, entry) = try await downloads.add(built.bytes, fileName: built.fileName, contentType: built.contentType, tokenId: token.id)
        let base = PortalController.serverURL(request, configuration: dependencies.configuration)
        let url = "\(base)/api/build/downloads/\(id)"
        let command = platform.isWindows
            ? InstallCommand.powershell(url: url, sha256: entry.sha256, format: body.format)
            : InstallCommand.shell(scriptURL: "\(url)/install.sh", sha256: entry.sha256)
        let elapsed = ContinuousClock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        await dependencies.audit.record(
            "build.create", .success, context: context, target: token.id,
            detail: "\(body.format.rawValue) \(platform.rawValue) \(entry.size) bytes sha256 \(entry.sha256.prefix(16))… in \(milliseconds) ms"
        )
        return EditedResponse(status: .created, response: BuildResult(
            download: DownloadDTO(id: id, url: url, fileName: entry.fileName, sha256: entry.sha256, size: entry.size, expiresAt: entry.expiresAt),
            installCommand: command, token: try EnrolmentController.TokenDTO(token), buildMilliseconds: milliseconds
        ))
    }

    /// Company and site values already in use, for the form's autocomplete: from the machines and from earlier tokens.
    /// (A full list is fine at this scale; [access]'s grouping route can replace it with a DISTINCT query.)
    private func suggestions() async throws -> Suggestions {
        var companies = Set<String>()
        var sites = Set<String>()
        for token in try await dependencies.store.enrolmentTokens.list() {
            let metadata = try InstallerMetadata.decode(json: token.metadataJSON)
            if !metadata.company.isEmpty { companies.insert(metadata.company) }
            if !metadata.site.isEmpty { sites.insert(metadata.site) }
        }
        for agent in try await dependencies.store.agents.list() {
            if let company = agent.metadata.company, !company.isEmpty { companies.insert(company) }
            if let site = agent.metadata.site, !site.isEmpty { sites.insert(site) }
        }
        let order: (String, String) -> Bool = { $0.localizedCaseInsensitiveCompare($1) == .orderedAscending }
        return Suggestions(companies: companies.sorted(by: order), sites: sites.sorted(by: order))
    }
}
