"""The Windows agent as an unattended installer under Wine 8 (docs/unattended.md §4): the .exe
with its slot stamped and a signed {"mode":"unattended"} trailer, `--install`ed elevated with no
other flag, enrols with the trailer's token (never on a command line), stores Enrolled and the
metadata beside the DPAPI credential, and its service comes online on the real server;
`--reconfigure` edits the stored metadata; `--install --from-msi` takes SERVER, ENROLLTOKEN and
SITE from HKLM\\Software\\GuruConnect\\MsiProperties, which is gone right after; `--uninstall`
removes everything, HKLM\\Software\\GuruConnect included. The enrolment endpoint is a stand-in
here that enrols the machine through the admin API (until POST /api/agent/enrol is in main).
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fleet_steps import fleet_server
from real_agent import wait_until, xvfb
from test_wine_service import CONFIG_KEY, INSTALLED_EXE, SERVER_KEY, service_log, wine, wine_session
from viewer_steps import admin_api, enrol
from wine_agent import EXE, require_wine_parts

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from guruproto import trailer as support_trailer  # noqa: E402

SIGNING_KEY = Ed25519PrivateKey.generate()
TOKEN = "trailer-token-5b1e"
MSI_TOKEN = "msi-token-77c2"
MSI_KEY = r"HKLM\Software\GuruConnect\MsiProperties"
ROOT_KEY = r"HKLM\Software\GuruConnect"
METADATA = {"name": "", "company": "Glaztech", "site": "Phoenix Office", "department": "IT",
            "deviceType": "workstation", "tag": "Front desk", "properties": {"Asset": "A-17"}}


class EnrolStandIn:
    """POST /api/agent/enrol: a known token enrols the machine through the admin API."""

    def __init__(self, api, ws_url, tokens):
        self.api, self.ws_url, self.tokens, self.requests = api, ws_url, tokens, []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand_in.requests.append((self.path, body))
                if self.path != "/api/agent/enrol" or body.get("token") not in stand_in.tokens:
                    return self.answer(401, {"error": {"code": "enrolment_refused", "message": "expired or invalid"}})
                agent_id, credential = enrol(stand_in.api, body["hostname"] or "WINE")
                self.answer(201, {"agentId": agent_id.replace("-", ""), "credential": credential,
                                  "server": stand_in.ws_url})

            def answer(self, status, doc):
                data = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def baked_exe(tmp_path, server_url):
    data = support_trailer.stamp(EXE.read_bytes(), support_trailer.raw_public(SIGNING_KEY))
    config = json.dumps({"mode": "unattended", "server": server_url, "enrolToken": TOKEN,
                         "metadata": METADATA}).encode()
    exe = tmp_path / "guruconnect-agent.exe"
    exe.write_bytes(data + support_trailer.trailer(config, SIGNING_KEY))
    return exe


def stored_agent_id(env):
    config = wine(env, "reg.exe", "query", CONFIG_KEY).stdout
    found = re.search(r"AgentId\s+REG_SZ\s+([0-9a-f]{32})", config)
    assert found, config
    return found.group(1), config


def online(api, stored_id):
    """agent_online for the id as stored (32 hex digits), whatever form the API lists it in."""
    status, body = api.call("GET", "/api/agents")
    items = body["items"] if isinstance(body, dict) else body
    return status == 200 and any(a["id"].replace("-", "").lower() == stored_id and a["online"] for a in items)


def uninstall_removes_everything(env, exe, api, agent_id):
    result = wine(env, exe, "--uninstall")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "HKLM\\SOFTWARE\\GuruConnect removed" in output, output
    wait_until(lambda: not online(api, agent_id), 15, "agent still online after --uninstall")
    for key in (CONFIG_KEY, SERVER_KEY, MSI_KEY, ROOT_KEY):
        assert wine(env, "reg.exe", "query", key).returncode != 0, key
    assert not INSTALLED_EXE.exists()


def test_wine_unattended_install_from_trailer_and_msi(server, tmp_path):
    require_wine_parts()
    api = admin_api(server)
    ws_url = server.base_url.replace("http://", "ws://") + "/api/agent/ws"
    stand_in = EnrolStandIn(api, ws_url, {TOKEN, MSI_TOKEN})
    with xvfb(640, 480) as (display, display_env), wine_session(display_env, tmp_path) as env:
        exe = baked_exe(tmp_path, stand_in.url)
        wine(env, exe, "--uninstall")  # a prefix left over by an interrupted run
        try:
            result = wine(env, exe, "--install", timeout=120)
            output = result.stdout + result.stderr
            assert result.returncode == 0, output
            for line in ("enrolling with " + stand_in.url + " (token from the trailer", "enrolled as agent",
                         "configuration stored in HKLM", "service GuruConnect started"):
                assert line in output, output
            assert TOKEN not in output
            path, body = stand_in.requests[-1]
            assert body["token"] == TOKEN and body["metadata"] == METADATA, body
            agent_id, config = stored_agent_id(env)
            assert re.search(r"Enrolled\s+REG_DWORD\s+0x1\b", config), config
            assert "Phoenix Office" in config and "Glaztech" in config, config
            assert TOKEN not in config
            wait_until(lambda: online(api, agent_id), 40, lambda: "never online:\n" + service_log())

            edit = wine(env, INSTALLED_EXE, "--reconfigure", "--site", "New York Office", "--tag", "Laptop")
            assert edit.returncode == 0, edit.stdout + edit.stderr
            config = wine(env, "reg.exe", "query", CONFIG_KEY).stdout
            assert "New York Office" in config and "Laptop" in config and "Phoenix Office" not in config, config
            bad = wine(env, INSTALLED_EXE, "--reconfigure", "--device-type", "toaster")
            assert bad.returncode == 2 and "workstation, server or laptop" in bad.stderr, bad.stderr

            uninstall_removes_everything(env, exe, api, agent_id)

            # The MSI's custom action: its properties override the trailer, then vanish.
            for name, value in (("SERVER", stand_in.url), ("ENROLLTOKEN", MSI_TOKEN), ("SITE", "MSI Site")):
                added = wine(env, "reg.exe", "add", MSI_KEY, "/v", name, "/t", "REG_SZ", "/d", value, "/f")
                assert added.returncode == 0, added.stdout + added.stderr
            result = wine(env, exe, "--install", "--from-msi", timeout=120)
            output = result.stdout + result.stderr
            assert result.returncode == 0, output
            assert "read and deleted HKLM\\SOFTWARE\\GuruConnect\\MsiProperties" in output, output
            assert "token from the MSI's properties" in output, output
            assert wine(env, "reg.exe", "query", MSI_KEY).returncode != 0, "MsiProperties still there"
            path, body = stand_in.requests[-1]
            assert body["token"] == MSI_TOKEN and body["metadata"]["site"] == "MSI Site", body
            assert body["metadata"]["company"] == "Glaztech"  # not given: the trailer's
            agent_id, config = stored_agent_id(env)
            assert "MSI Site" in config and MSI_TOKEN not in config, config
            wait_until(lambda: online(api, agent_id), 40, lambda: "MSI install never online:\n" + service_log())
            uninstall_removes_everything(env, exe, api, agent_id)
        finally:
            wine(env, exe, "--uninstall")
            stand_in.close()


def test_wine_msiexec_installs_the_service_and_msiexec_x_removes_everything(tmp_path):
    """The Build tab's MSI (wixl) under Wine's msiexec: /qn installs the .exe, writes the
    properties, runs --install --from-msi (the machine comes online, MsiProperties is gone);
    /x runs --uninstall and leaves no service, key or file."""
    require_wine_parts()
    import shutil as _shutil
    import urllib.request

    if _shutil.which("wixl") is None:
        import pytest
        pytest.skip("wixl (msitools) not installed")
    with fleet_server(tmp_path, EXE, "guruconnect-agent.exe") as (server, api):
        status, result = api.call("POST", "/api/build", {"format": "msi", "metadata": {
            "company": "Glaztech", "site": "Form Office", "deviceType": "server"}})
        assert status == 201, result
        msi = tmp_path / "guruconnect.msi"
        with urllib.request.urlopen(result["download"]["url"], timeout=60) as response:
            msi.write_bytes(response.read())
        with xvfb(640, 480) as (display, display_env), wine_session(display_env, tmp_path) as env:
            wine(env, INSTALLED_EXE if INSTALLED_EXE.exists() else EXE, "--uninstall")
            try:
                # A public property on the command line (a GPO transform's job) overrides the form's.
                installed = wine(env, "msiexec.exe", "/i", msi, "/qn", "SITE=MSI Office", timeout=180)
                assert installed.returncode == 0, installed.stdout + installed.stderr + service_log()
                assert INSTALLED_EXE.exists()
                assert wine(env, "reg.exe", "query", MSI_KEY).returncode != 0, "MsiProperties left behind"
                agent_id, config = stored_agent_id(env)
                assert "MSI Office" in config and "Form Office" not in config and re.search(r"Enrolled\s+REG_DWORD\s+0x1\b", config), config
                wait_until(lambda: online(api, agent_id), 60, lambda: "MSI machine never online:\n" + service_log())
                removed = wine(env, "msiexec.exe", "/x", msi, "/qn", timeout=180)
                assert removed.returncode == 0, removed.stdout + removed.stderr
                wait_until(lambda: not online(api, agent_id), 30, "still online after msiexec /x")
                for key in (CONFIG_KEY, SERVER_KEY, MSI_KEY, ROOT_KEY):
                    assert wine(env, "reg.exe", "query", key).returncode != 0, key
                assert wine(env, "sc.exe", "query", "GuruConnect").returncode != 0
                wait_until(lambda: not INSTALLED_EXE.exists(), 20, "the installed .exe is still there")
            finally:
                if INSTALLED_EXE.exists():
                    wine(env, INSTALLED_EXE, "--uninstall")
