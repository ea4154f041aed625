"""The Build tab's installers from the real binary: the EXE's signed unattended trailer (checked with the
agent's rules, and refused after a one-byte change), the .deb (dpkg-deb reads it, dpkg installs it into a
throwaway root and removes it again), the MSI's tables (msiinfo), the install command's own SHA-256 check,
and Send link through a local SMTP sink (aiosmtpd)."""
import hashlib
import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

import installers
import serverkit
from api import Api
from guruproto import trailer

REPO = Path(__file__).resolve().parents[2]
WIN64_AGENT = REPO / "agent/build/win64/guruconnect-agent.exe"


def stand_in_linux_agent(directory):
    """A small file with one empty key slot: what the .deb wraps (the real Linux agent's run is the agent suite's)."""
    path = Path(directory) / "guruconnect-agent"
    path.write_bytes(b"\x7fELF stand-in agent\n" + trailer.KEY_SLOT + bytes(32) + b"\n#end\n")
    path.chmod(0o755)
    return path


@pytest.fixture(scope="module")
def built_server(tmp_path_factory):
    if not WIN64_AGENT.exists():
        pytest.skip(f"no Windows agent at {WIN64_AGENT} (make agent-win-build)")
    agents = tmp_path_factory.mktemp("agents")
    shutil.copy(WIN64_AGENT, agents / "guruconnect-agent.exe")
    stand_in_linux_agent(agents)
    server = serverkit.start(tmp_path_factory.mktemp("data"), "--agent-dir", str(agents))
    api = Api(server.base_url)
    api.setup_and_login()
    yield server, api, agents
    server.stop()


def build(api, fmt, platform=None, **extra):
    body = {"format": fmt, "metadata": {"company": "Glaztech", "site": "Phoenix Office", "department": "IT",
                                        "deviceType": "workstation", "tag": "Front", "properties": {"Asset": "A-17"}}, **extra}
    if platform:
        body["platform"] = platform
    status, _, result = api.call("POST", "/api/build", body)
    assert status == 201, result
    return result


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def test_exe_carries_a_signed_unattended_trailer_that_enrols_and_breaks_on_one_byte(built_server):
    server, api, agents = built_server
    started = time.monotonic()
    result = build(api, "exe")
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"EXE build took {elapsed:.3f} s"
    data = fetch(result["download"]["url"])
    assert hashlib.sha256(data).hexdigest() == result["download"]["sha256"] and len(data) == result["download"]["size"]
    config = trailer.read_trailer(data)
    assert config["mode"] == "unattended" and config["server"] == server.base_url
    assert config["metadata"]["company"] == "Glaztech" and config["metadata"]["properties"] == {"Asset": "A-17"}
    # Nothing recompiled: the stock binary, its key slot stamped, then the trailer.
    stock = (agents / "guruconnect-agent.exe").read_bytes()
    at = stock.index(trailer.KEY_SLOT) + len(trailer.KEY_SLOT)
    assert data[:at] == stock[:at] and data[at + 32:len(stock)] == stock[at + 32:]
    # One changed byte in the signed JSON: the agent's rules refuse it.
    json_at = data.rindex(b'"enrolToken"')
    tampered = bytearray(data)
    tampered[json_at + 2] ^= 0x01
    with pytest.raises(Exception):
        trailer.read_trailer(bytes(tampered))
    # The baked token enrols a machine once per use, and the machine gets the form's metadata.
    status, _, enrolled = Api(server.base_url).call("POST", "/api/agent/enrol", {"token": config["enrolToken"], "hostname": "PC-FRONT01"})
    assert status == 201, enrolled
    assert enrolled["server"] == server.base_url.replace("http://", "ws://") + "/api/agent/ws"
    status, _, tokens = api.call("GET", "/api/enrolment-tokens")
    assert [t["uses"] for t in tokens if t["id"] == result["token"]["id"]] == [1]
    print(f"\nEXE build: {elapsed * 1000:.0f} ms round trip, {result['buildMilliseconds']} ms on the server, {len(data)} bytes")


def test_deb_is_read_by_dpkg_and_installs_into_a_throwaway_root_and_removes_cleanly(built_server, tmp_path):
    server, api, _ = built_server
    result = build(api, "deb", "linux64", maxUses=5)
    deb = tmp_path / result["download"]["fileName"]
    deb.write_bytes(fetch(result["download"]["url"]))
    info = subprocess.run(["dpkg-deb", "--info", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Package: guruconnect-agent" in info and "Architecture: amd64" in info
    for script in ("postinst", "prerm", "postrm"):
        assert script in info
    contents = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "-rwxr-xr-x root/root" in contents and "./usr/lib/guruconnect/guruconnect-agent" in contents
    assert "./lib/systemd/system/guruconnect-agent.service" in contents
    unit = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    assert b"Restart=on-failure" in unit and b"User=root" in unit and b"WantedBy=multi-user.target" in unit
    assert b"RestartPreventExitStatus=78" in unit  # a refused token is not retried forever
    assert b"ExecStart=/usr/lib/guruconnect/guruconnect-agent --unattended --config /etc/guruconnect/agent.json" in unit

    root = tmp_path / "root"
    for sub in ("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc"):
        (root / sub).mkdir(parents=True)
    (root / "var/lib/dpkg/status").write_text("")
    (root / "var/lib/dpkg/available").write_text("")
    dpkg = ["dpkg", f"--root={root}", "--force-script-chrootless", "--force-not-root", f"--log={tmp_path / 'dpkg.log'}"]
    installed = subprocess.run([*dpkg, "-i", str(deb)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    agent = root / "usr/lib/guruconnect/guruconnect-agent"
    assert agent.stat().st_mode & 0o777 == 0o755
    assert trailer.read_trailer(agent.read_bytes())["mode"] == "unattended"
    assert (root / "lib/systemd/system/guruconnect-agent.service").exists()
    # What the agent writes at its first start; removing the package takes it (and its credential) away.
    (root / "etc/guruconnect").mkdir()
    (root / "etc/guruconnect/agent.json").write_text('{"credential":"x"}')
    removed = subprocess.run([*dpkg, "-r", "guruconnect-agent"], capture_output=True, text=True)
    assert removed.returncode == 0, removed.stderr
    assert not agent.exists() and not (root / "lib/systemd/system/guruconnect-agent.service").exists()
    assert not (root / "etc/guruconnect").exists()


@pytest.mark.skipif(shutil.which("wixl") is None or shutil.which("msiinfo") is None, reason="wixl/msitools not installed")
def test_msi_tables_install_the_agent_write_the_properties_and_run_its_custom_actions(built_server, tmp_path):
    _, api, _ = built_server
    data, _ = installers.build_installer(api, "msi", metadata={"company": "Glaztech"}, max_uses=1)
    msi = tmp_path / "agent.msi"
    msi.write_bytes(data)

    def table(name):
        out = subprocess.run(["msiinfo", "export", str(msi), name], capture_output=True, text=True, check=True).stdout
        return [line.split("\t") for line in out.splitlines()[3:]]

    files = table("File")
    assert [row[2] for row in files] == ["guruconnect-agent.exe"]
    directories = {row[0]: row for row in table("Directory")}
    assert directories["INSTALLDIR"][2] == "GuruConnect" and directories["INSTALLDIR"][1] == "ProgramFiles64Folder"
    registry = {row[3]: row for row in table("Registry")}
    assert set(registry) == {"SERVER", "ENROLLTOKEN", "COMPANY", "SITE", "DEPARTMENT", "DEVICETYPE", "TAG"}
    for name, row in registry.items():
        assert row[1] == "2" and row[2] == r"SOFTWARE\GuruConnect\MsiProperties" and row[4] == f"[{name}]"
    conditions = {row[0]: row[4] for row in table("Component")}
    assert all(conditions[f"Prop{name}"] == name for name in registry), "a value is written only when its property is set"
    actions = {row[0]: row for row in table("CustomAction")}
    assert actions["AgentInstall"][2] == "AgentExeFile" and actions["AgentInstall"][3] == "--install --from-msi"
    assert int(actions["AgentInstall"][1]) & 0x0C00 == 0x0C00, "deferred, not impersonated"
    assert actions["AgentUninstall"][3] == "--uninstall"
    sequence = {row[0]: row for row in table("InstallExecuteSequence")}
    assert sequence["AgentInstall"][1] == "NOT REMOVE" and int(sequence["AgentInstall"][2]) > int(sequence["WriteRegistryValues"][2])
    assert sequence["AgentUninstall"][1] == 'REMOVE="ALL"' and int(sequence["AgentUninstall"][2]) < int(sequence["RemoveFiles"][2])
    properties = dict((row[0], row[1]) for row in table("Property"))
    assert properties["ProductName"] == "GuruConnect Agent" and properties["MsiHiddenProperties"] == "ENROLLTOKEN"
    assert "ENROLLTOKEN" not in properties, "no token in the Property table: it is in the signed trailer only"
    # The file inside is the stamped agent with the trailer.
    out = tmp_path / "extract"
    subprocess.run(["msiextract", "-C", str(out), str(msi)], capture_output=True, check=True)
    exe = next(out.rglob("guruconnect-agent.exe"))
    assert trailer.read_trailer(exe.read_bytes())["mode"] == "unattended"


def test_the_linux_install_command_checks_the_sha256_itself(built_server, tmp_path):
    _, api, _ = built_server
    result = build(api, "deb", "linux64")
    command = result["installCommand"]
    sha = result["download"]["sha256"]
    assert command == f"curl -fsSL '{result['download']['url']}/install.sh' | sudo sh -s -- {sha}"
    script = fetch(result["download"]["url"] + "/install.sh").decode()
    # Run the real script with a stand-in dpkg that records what it was given.
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "dpkg").write_text(f'#!/bin/sh\nsha256sum "$2" > {tmp_path}/dpkg-called\n')
    (fake_bin / "dpkg").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}"}
    wrong = subprocess.run(["sh", "-s", "--", "0" * 64], input=script, capture_output=True, text=True, env=env)
    assert wrong.returncode == 1 and "SHA-256 mismatch" in wrong.stderr and not (tmp_path / "dpkg-called").exists()
    right = subprocess.run(["sh", "-s", "--", sha], input=script, capture_output=True, text=True, env=env)
    assert right.returncode == 0, right.stderr
    assert (tmp_path / "dpkg-called").read_text().split()[0] == sha
    missing = subprocess.run(["sh", "-s", "--"], input=script, capture_output=True, text=True, env=env)
    assert missing.returncode == 2


def test_the_windows_install_command_checks_the_sha256_before_running(built_server):
    _, api, _ = built_server
    result = build(api, "exe")
    command = result["installCommand"]
    assert command.startswith("powershell -NoProfile")
    assert f"(Get-FileHash -Algorithm SHA256 $f).Hash -ne '{result['download']['sha256']}'" in command
    assert command.index("Get-FileHash") < command.index("Start-Process")
    assert result["token"]["id"] not in command and "enrolToken" not in command


class Sink:
    """Collects what the SMTP sink receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def test_send_link_and_test_mail_arrive_in_a_local_smtp_sink_and_the_password_never_comes_back(built_server):
    server, api, _ = built_server
    sink = Sink()
    port = serverkit.free_port()

    def authenticate(server_, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult
        return AuthResult(success=auth_data.login == b"mailer" and auth_data.password == b"s3cret-smtp-pass")

    controller = Controller(sink, hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False)
    controller.start()
    try:
        status, _, _ = api.call("POST", "/api/settings/smtp/test", {"to": "tech@example.com"})
        assert status == 409, "not configured yet"
        status, _, saved = api.call("PUT", "/api/settings/smtp", {"host": "127.0.0.1", "port": port, "security": "none",
                                                                  "username": "mailer", "password": "s3cret-smtp-pass", "from": "support@example.com"})
        assert status == 200 and saved["passwordSet"] is True and "s3cret" not in json.dumps(saved)
        status, _, shown = api.call("GET", "/api/settings/smtp")
        assert status == 200 and "s3cret" not in json.dumps(shown) and shown["passwordSet"] is True

        status, _, _ = api.call("POST", "/api/settings/smtp/test", {"to": "tech@example.com"})
        assert status == 204
        result = build(api, "exe")
        status, _, _ = api.call("POST", f"/api/build/downloads/{result['download']['id']}/email", {"to": "user@example.com"})
        assert status == 204
        deadline = time.monotonic() + 10
        while len(sink.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [m.rcpt_tos for m in sink.messages] == [["tech@example.com"], ["user@example.com"]]
        link_mail = sink.messages[1].content.decode()
        assert result["download"]["url"] in link_mail and result["download"]["sha256"] in link_mail
        assert fetch(result["download"]["url"])[:2] == b"MZ"

        # STARTTLS against a sink that offers none is refused, never sent in the clear.
        status, _, _ = api.call("PUT", "/api/settings/smtp", {"host": "127.0.0.1", "port": port, "security": "starttls",
                                                               "username": "", "from": "support@example.com"})
        status, _, refused = api.call("POST", "/api/settings/smtp/test", {"to": "tech@example.com"})
        assert status == 502 and "STARTTLS" in refused["message"]
        assert len(sink.messages) == 2
    finally:
        controller.stop()
    assert "s3cret-smtp-pass" not in server.log()
    sqlite = (Path(server.data_dir) / "guruconnect.sqlite").read_bytes()
    assert b"s3cret-smtp-pass" not in sqlite, "stored sealed, not in the clear"
