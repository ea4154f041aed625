import Foundation

/// The Windows installer, built by `wixl` (Debian's wixl/msitools) from a generated .wxs, then given its component
/// conditions by `msibuild` (wixl does not read `<Condition>` in a component). FLEET-CONTRACT "MSI and .deb".
struct MsiPackage: Sendable {
    /// The public properties an administrator (or a GPO transform) may set; each non-empty one is written as
    /// REG_SZ under `HKLM\SOFTWARE\GuruConnect\MsiProperties` for the agent's `--install --from-msi` to read.
    static let publicProperties = ["SERVER", "ENROLLTOKEN", "COMPANY", "SITE", "DEPARTMENT", "DEVICETYPE", "TAG"]
    static let registryKey = #"SOFTWARE\GuruConnect\MsiProperties"#
    /// Stable across builds, so a newer MSI is seen as the same product family.
    static let upgradeCode = "6C7E1B7A-2D55-4C8B-9E3B-3C1F4A0B9D21"

    /// Why no MSI came out.
    enum Failure: Error, CustomStringConvertible {
        case toolMissing(String)
        case toolFailed(tool: String, status: Int32, output: String)
        case io(String)

        var description: String {
            switch self {
            case .toolMissing(let tool): "\(tool) is not installed on this server (apt-get install wixl msitools)"
            case .toolFailed(let tool, let status, let output): "\(tool) failed (exit \(status)): \(output.suffix(400))"
            case .io(let text): text
            }
        }
    }

    /// The agent .exe, stamped and carrying its signed trailer.
    let agent: [UInt8]
    let version: String

    /// Where `wixl` and `msibuild` are, or nil.
    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var isAvailable: Bool { tool("wixl") != nil && tool("msibuild") != nil }

    /// The .wxs for `agentSource` (a file name next to the .wxs).
    func wxs(agentSource: String) -> String {
        let registry = Self.publicProperties.enumerated().map { index, property in
            """
                      <Component Id="Prop\(property)" Guid="\(Self.componentGuid(index + 1))" Win64="yes">
                        <RegistryValue Root="HKLM" Key="\(Self.registryKey)" Name="\(property)" Type="string" Value="[\(property)]" KeyPath="yes"/>
                      </Component>
            """
        }.joined(separator: "\n")
        let refs = (["AgentExe"] + Self.publicProperties.map { "Prop\($0)" }).map { "      <ComponentRef Id=\"\($0)\"/>" }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="utf-8"?>
            <Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
              <Product Id="*" Name="GuruConnect Agent" Language="1033" Version="\(version)" Manufacturer="GuruConnect" UpgradeCode="\(Self.upgradeCode)">
                <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" Description="GuruConnect unattended agent"/>
                <Media Id="1" Cabinet="agent.cab" EmbedCab="yes"/>
                <Property Id="ARPNOMODIFY" Value="1"/>
                <Property Id="ARPNOREPAIR" Value="1"/>
                <Property Id="SecureCustomProperties" Value="\(Self.publicProperties.joined(separator: ";"))"/>
                <Property Id="MsiHiddenProperties" Value="ENROLLTOKEN"/>
                <Directory Id="TARGETDIR" Name="SourceDir">
                  <Directory Id="ProgramFiles64Folder">
                    <Directory Id="INSTALLDIR" Name="GuruConnect">
                      <Component Id="AgentExe" Guid="\(Self.componentGuid(0))" Win64="yes">
                        <File Id="AgentExeFile" Name="guruconnect-agent.exe" Source="\(agentSource)" KeyPath="yes"/>
                      </Component>
            \(registry)
                    </Directory>
                  </Directory>
                </Directory>
                <Feature Id="Main" Level="1">
            \(refs)
                </Feature>
                <CustomAction Id="AgentInstall" FileKey="AgentExeFile" ExeCommand="--install --from-msi" Execute="deferred" Impersonate="no" Return="check"/>
                <CustomAction Id="AgentUninstall" FileKey="AgentExeFile" ExeCommand="--uninstall" Execute="deferred" Impersonate="no" Return="ignore"/>
                <InstallExecuteSequence>
                  <Custom Action="AgentInstall" After="PublishProduct">NOT REMOVE</Custom>
                  <Custom Action="AgentUninstall" Before="RemoveFiles">REMOVE="ALL"</Custom>
                </InstallExecuteSequence>
              </Product>
            </Wix>

            """
    }

    /// Fixed component GUIDs: the same component keeps its GUID in every MSI this server builds.
    static func componentGuid(_ index: Int) -> String {
        String(format: "7A1C2B3D-4E5F-4A6B-8C7D-9E0F1A2B3C%02X", index)
    }

    /// The MSI's bytes. Runs in a private temporary folder that is removed afterwards.
    func build() async throws(Failure) -> [UInt8] {
        guard let wixl = Self.tool("wixl") else { throw .toolMissing("wixl") }
        guard let msibuild = Self.tool("msibuild") else { throw .toolMissing("msibuild (msitools)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gc-msi-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io("cannot create a build folder: \(error)")
        }
        defer { removeFolder(folder) }
        let exe = folder.appendingPathComponent("guruconnect-agent.exe")
        let source = folder.appendingPathComponent("agent.wxs")
        let output = folder.appendingPathComponent("agent.msi")
        do {
            try Data(agent).write(to: exe)
            // wixl resolves a relative Source from its working folder, which is this folder.
            try Data(wxs(agentSource: exe.lastPathComponent).utf8).write(to: source)
        } catch {
            throw .io("cannot write the build files: \(error)")
        }
        try await ToolRun.run(wixl, ["-a", "x64", "-o", output.path, source.path], in: folder)
        // A property's registry value is written only when the property is set: a component condition per value.
        let conditions = Self.publicProperties.map { "UPDATE Component SET Condition = '\($0)' WHERE Component = 'Prop\($0)'" }
        for query in conditions {
            try await ToolRun.run(msibuild, [output.path, "-q", query], in: folder)
        }
        guard let bytes = FileManager.default.contents(atPath: output.path) else { throw .io("wixl wrote no MSI") }
        return [UInt8](bytes)
    }

    private func removeFolder(_ folder: URL) {
        do {
            try FileManager.default.removeItem(at: folder)
        } catch {
            // A left-over temporary folder holds an enrolment token: say so, but the build itself succeeded.
            FileHandle.standardError.write(Data("guruconnect: could not remove \(folder.path): \(error)\n".utf8))
        }
    }
}

/// Runs a build tool to completion off the cooperative pool, with a time limit.
enum ToolRun {
    static let timeLimit: TimeInterval = 60

    static func run(_ tool: String, _ arguments: [String], in folder: URL) async throws(MsiPackage.Failure) {
        let name = URL(fileURLWithPath: tool).lastPathComponent
        let result: (status: Int32, output: String)
        do {
            result = try await withCheckedThrowingContinuation { continuation in
                // Process.waitUntilExit blocks its thread, so it gets a thread of its own rather than a pool thread.
                let thread = Thread {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: tool)
                    process.arguments = arguments
                    process.currentDirectoryURL = folder
                    let pipe = Pipe()
                    process.standardOutput = pipe
                    process.standardError = pipe
                    process.standardInput = FileHandle.nullDevice
                    do {
                        try process.run()
                    } catch {
                        continuation.resume(throwing: error)
                        return
                    }
                    let deadline = DispatchTime.now() + timeLimit
                    let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
                    DispatchQueue.global().asyncAfter(deadline: deadline, execute: killer)
                    let data = pipe.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    killer.cancel()
                    continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
                }
                thread.start()
            }
        } catch {
            throw .toolFailed(tool: name, status: -1, output: "\(error)")
        }
        guard result.status == 0 else { throw .toolFailed(tool: name, status: result.status, output: result.output) }
    }
}
