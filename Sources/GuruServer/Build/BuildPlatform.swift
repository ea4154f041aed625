import Foundation

/// What the Build tab builds for. Windows 32-bit is listed but is only offered when an i686 agent build exists.
enum BuildPlatform: String, Codable, Sendable, CaseIterable {
    case windows64, windows32, linux64

    var label: String {
        switch self {
        case .windows64: "Windows 64-bit"
        case .windows32: "Windows 32-bit"
        case .linux64: "Linux x86_64"
        }
    }

    var isWindows: Bool { self != .linux64 }

    /// Where the stock agent for this platform lives under the agent directory, first match wins.
    var candidatePaths: [String] {
        switch self {
        case .windows64: ["guruconnect-agent.exe", "win64/guruconnect-agent.exe"]
        case .windows32: ["win32/guruconnect-agent.exe"]
        case .linux64: ["guruconnect-agent", "release/guruconnect-agent"]
        }
    }

    /// The stock agent binary in `directory`, if this server has one.
    func binaryPath(in directory: String) -> String? {
        let base = URL(fileURLWithPath: directory)
        return candidatePaths.map { base.appendingPathComponent($0).path }.first { FileManager.default.isReadableFile(atPath: $0) }
    }
}

/// The installer formats: the stamped agent itself, an MSI around the Windows one, a .deb around the Linux one.
enum InstallerFormat: String, Codable, Sendable, CaseIterable {
    case exe, msi, deb

    /// Whether this format exists for `platform`.
    func fits(_ platform: BuildPlatform) -> Bool {
        switch self {
        case .exe, .msi: platform.isWindows
        case .deb: !platform.isWindows
        }
    }
}

/// The signed trailer of an unattended agent (FLEET-CONTRACT "Unattended trailer").
struct UnattendedTrailer: Encodable, Sendable {
    let mode = "unattended"
    let server: String
    let enrolToken: String
    let metadata: InstallerMetadata
}
