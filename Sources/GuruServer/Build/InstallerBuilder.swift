import Foundation

/// Turns a platform, a format and a trailer into an installer file: the stamped agent (EXE), an MSI around it,
/// or a .deb around the Linux one. Nothing is compiled.
struct InstallerBuilder: Sendable {
    static let packageVersion = "1.0.0"

    let agentDirectory: String
    let serverKey: ServerKey

    /// A built file.
    struct Built: Sendable {
        let bytes: [UInt8]
        let fileName: String
        let contentType: String
    }

    /// Whether the stock agent for `platform` is on this server.
    func isAvailable(_ platform: BuildPlatform) -> Bool { platform.binaryPath(in: agentDirectory) != nil }

    func build(format: InstallerFormat, platform: BuildPlatform, trailer: UnattendedTrailer) async throws -> Built {
        guard format.fits(platform) else {
            throw APIError.badRequest("A \(format.rawValue.uppercased()) cannot be built for \(platform.label).")
        }
        guard let path = platform.binaryPath(in: agentDirectory) else {
            throw APIError(.serviceUnavailable, "agent_unavailable", "The \(platform.label) agent is not available on this server yet.")
        }
        let agent = try SupportAgentDownload.stamp(
            binaryAt: path, label: platform.label, trailerJSON: Array(try APIJSON.encoder.encode(trailer)), serverKey: serverKey
        )
        let suffix = platform == .windows32 ? "-x86" : ""
        switch format {
        case .exe:
            return Built(bytes: agent, fileName: "GuruConnect-Agent\(suffix).exe", contentType: "application/vnd.microsoft.portable-executable")
        case .msi:
            do throws(MsiPackage.Failure) {
                let msi = try await MsiPackage(agent: agent, version: Self.packageVersion).build()
                return Built(bytes: msi, fileName: "GuruConnect-Setup\(suffix).msi", contentType: "application/x-msi")
            } catch {
                if case .toolMissing = error {
                    throw APIError(.serviceUnavailable, "msi_tools_missing", "MSI builds need wixl and msitools on the server: \(error).")
                }
                throw APIError(.internalServerError, "msi_build_failed", "The MSI could not be built: \(error).")
            }
        case .deb:
            let package = DebPackage(agent: agent, version: Self.packageVersion, modified: Int(Date().timeIntervalSince1970))
            do throws(TarArchive.Failure) {
                return Built(bytes: try package.build(), fileName: "guruconnect-agent_\(Self.packageVersion)_amd64.deb",
                             contentType: "application/vnd.debian.binary-package")
            } catch {
                throw APIError(.internalServerError, "deb_build_failed", "The .deb could not be built: \(error).")
            }
        }
    }
}
