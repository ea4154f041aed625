import Foundation

/// The Linux installer: a .deb written here, with no dpkg-deb needed. An `ar` archive of debian-binary,
/// control.tar and data.tar (uncompressed tar, which dpkg accepts), per FLEET-CONTRACT "MSI and .deb".
struct DebPackage: Sendable {
    static let packageName = "guruconnect-agent"
    static let binaryPath = "usr/lib/guruconnect/guruconnect-agent"
    static let unitPath = "lib/systemd/system/guruconnect-agent.service"
    static let configDirectory = "/etc/guruconnect"

    /// The agent binary, already stamped and carrying its signed trailer.
    let agent: [UInt8]
    let version: String
    /// The archive's fixed timestamp (Unix seconds), so one input gives one package.
    let modified: Int

    static let unit = """
        [Unit]
        Description=GuruConnect unattended agent
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=simple
        User=root
        ExecStart=/usr/lib/guruconnect/guruconnect-agent --unattended --config /etc/guruconnect/agent.json
        Restart=on-failure
        # 78 (EX_CONFIG): the enrolment token was refused; restarting cannot help (docs/unattended.md §2).
        RestartPreventExitStatus=78
        RestartSec=5

        [Install]
        WantedBy=multi-user.target

        """

    /// systemctl only where systemd runs, and never for an install into another root (DPKG_ROOT).
    static let postinst = """
        #!/bin/sh
        set -e
        if [ "$1" = "configure" ] && [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then
            systemctl daemon-reload
            systemctl enable --now guruconnect-agent.service
        fi
        exit 0

        """

    static let prerm = """
        #!/bin/sh
        set -e
        if [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then
            systemctl stop guruconnect-agent.service || true
            if [ "$1" = "remove" ]; then systemctl disable guruconnect-agent.service || true; fi
        fi
        exit 0

        """

    /// The stored config holds the machine's credential, so removing the package removes it too (not only purge).
    static let postrm = """
        #!/bin/sh
        set -e
        case "$1" in
            remove|purge)
                rm -rf "$DPKG_ROOT/etc/guruconnect"
                if [ -z "$DPKG_ROOT" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi
                ;;
        esac
        exit 0

        """

    var control: String {
        """
        Package: \(Self.packageName)
        Version: \(version)
        Architecture: amd64
        Maintainer: GuruConnect <support@guruconnect.invalid>
        Installed-Size: \((agent.count + Self.unit.utf8.count + 1023) / 1024)
        Section: admin
        Priority: optional
        Description: GuruConnect unattended remote support agent
         Runs as a systemd service and enrols this machine with its GuruConnect server
         the first time it starts, using the token baked into its signed configuration.

        """
    }

    /// The .deb file's bytes.
    func build() throws(TarArchive.Failure) -> [UInt8] {
        var controlTar = TarArchive(modified: modified)
        try controlTar.add(.init(path: "./", mode: 0o755, kind: .directory))
        try controlTar.add(.init(path: "./control", mode: 0o644, kind: .file(Array(control.utf8))))
        for (name, script) in [("postinst", Self.postinst), ("prerm", Self.prerm), ("postrm", Self.postrm)] {
            try controlTar.add(.init(path: "./\(name)", mode: 0o755, kind: .file(Array(script.utf8))))
        }
        var dataTar = TarArchive(modified: modified)
        for directory in ["./", "./usr/", "./usr/lib/", "./usr/lib/guruconnect/", "./lib/", "./lib/systemd/", "./lib/systemd/system/"] {
            try dataTar.add(.init(path: directory, mode: 0o755, kind: .directory))
        }
        try dataTar.add(.init(path: "./\(Self.binaryPath)", mode: 0o755, kind: .file(agent)))
        try dataTar.add(.init(path: "./\(Self.unitPath)", mode: 0o644, kind: .file(Array(Self.unit.utf8))))
        return ArArchive.make([
            ("debian-binary", Array("2.0\n".utf8)),
            ("control.tar", controlTar.finished()),
            ("data.tar", dataTar.finished()),
        ], modified: modified)
    }
}
