import Foundation

/// The one-line install commands Copy URL gives, and the script the Linux one pipes to `sh`. Each checks the
/// downloaded file's SHA-256 against the value written into the command itself before running anything.
enum InstallCommand {
    /// PowerShell for Windows: download, compare Get-FileHash with the expected value, then run the installer.
    static func powershell(url: String, sha256: String, format: InstallerFormat) -> String {
        let file = format == .msi ? "GuruConnect-Setup.msi" : "GuruConnect-Agent.exe"
        let run = format == .msi
            ? "Start-Process msiexec.exe -Wait -ArgumentList '/i',$f,'/qn'"
            : "Start-Process $f -Wait -ArgumentList '--install'"
        return "powershell -NoProfile -ExecutionPolicy Bypass -Command \"$ErrorActionPreference='Stop';"
            + "$f=Join-Path $env:TEMP '\(file)';Invoke-WebRequest -UseBasicParsing -Uri '\(url)' -OutFile $f;"
            + "if((Get-FileHash -Algorithm SHA256 $f).Hash -ne '\(sha256)'){Remove-Item $f;throw 'GuruConnect: SHA-256 mismatch, not installed'};"
            + "\(run)\""
    }

    /// `curl … | sudo sh -s -- SHA256`: the script downloads the package and installs it only if it hashes to the
    /// value on the command line (not to one the script itself claims).
    static func shell(scriptURL: String, sha256: String) -> String {
        "curl -fsSL '\(scriptURL)' | sudo sh -s -- \(sha256)"
    }

    /// The script behind `shell`: POSIX sh, needs curl, sha256sum and dpkg.
    static func script(packageURL: String) -> String {
        """
        #!/bin/sh
        # GuruConnect agent installer. Usage: curl -fsSL <this URL> | sudo sh -s -- <expected SHA-256 of the package>
        set -eu
        expected="${1:-}"
        case "$expected" in
            *[!0-9a-f]*|"") echo "guruconnect: give the package's SHA-256 (64 hex digits) after 'sh -s --'" >&2; exit 2 ;;
        esac
        [ "${#expected}" -eq 64 ] || { echo "guruconnect: the SHA-256 must be 64 hex digits" >&2; exit 2; }
        package="$(mktemp /tmp/guruconnect-agent-XXXXXX.deb)"
        trap 'rm -f "$package"' EXIT
        curl -fsSL '\(packageURL)' -o "$package"
        actual="$(sha256sum "$package" | cut -d' ' -f1)"
        if [ "$actual" != "$expected" ]; then
            echo "guruconnect: SHA-256 mismatch (got $actual), not installed" >&2
            exit 1
        fi
        dpkg -i "$package"
        echo "guruconnect: agent installed; it enrols with the server on its first start"

        """
    }
}
