"""The Build tab end to end in Chromium: the form (custom name, company and site autocompleted from
values in use, device type, tag, custom properties, platform, token expiry and uses) builds an EXE, an
MSI and a .deb that download and carry the form's metadata in a signed trailer; Copy URL copies a one-line
install command with the file's SHA-256; Send link arrives in a local SMTP sink; tokens are listed with
their uses and revoked; Windows 32-bit shows as not yet available. Screenshots in both themes, desktop
and phone."""
import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import serverkit  # noqa: E402
from browser_steps import SHOT_DIR, ApiClient  # noqa: E402
from fleet_steps import fill_build_form  # noqa: E402
from guruproto import trailer  # noqa: E402
from viewer_steps import admin_api, signed_in  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
WIN64_AGENT = REPO / "agent/build/win64/guruconnect-agent.exe"


class Sink:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A server whose agent folder has the Windows agent and a stand-in Linux one (one empty key slot)."""
    if not WIN64_AGENT.exists():
        pytest.skip(f"no Windows agent at {WIN64_AGENT} (make agent-win-build)")
    agents = tmp_path_factory.mktemp("agents")
    shutil.copy(WIN64_AGENT, agents / "guruconnect-agent.exe")
    linux = agents / "guruconnect-agent"
    linux.write_bytes(b"\x7fELF stand-in agent\n" + trailer.KEY_SLOT + bytes(32) + b"\n")
    linux.chmod(0o755)
    srv = serverkit.start(tmp_path_factory.mktemp("gc-data"), "--web-root", "Sources/GuruWeb/Assets", "--agent-dir", str(agents))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def sink():
    collected = Sink()
    port = serverkit.free_port()
    controller = Controller(collected, hostname="127.0.0.1", port=port)
    controller.start()
    collected.port = port
    yield collected
    controller.stop()


def download(page, button_id, tmp_path):
    with page.expect_download(timeout=30_000) as info:
        page.click(button_id)
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_build_form_downloads_each_output_copies_the_url_sends_the_link_and_revokes_tokens(server, sink, new_page, tmp_path):
    api = admin_api(server)
    # A value in use, for the autocomplete.
    status, _ = api.call("POST", "/api/enrolment-tokens", {"metadata": {"company": "Glaztech", "site": "Phoenix Office"}})
    assert status == 201
    status, _ = api.call("PUT", "/api/settings/smtp", {"host": "127.0.0.1", "port": sink.port, "security": "none",
                                                       "username": "", "from": "support@example.com"})
    assert status == 200
    page = signed_in(new_page(), server.base_url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
    page.goto(f"{server.base_url}/app/build")
    expect(page.get_by_test_id("build-form-card")).to_be_visible()
    expect(page.locator("#build-company-suggestions option[value='Glaztech']")).to_have_count(1)
    expect(page.locator("#build-site-suggestions option[value='Phoenix Office']")).to_have_count(1)
    expect(page.locator("#build-platform-windows64")).to_be_checked()
    expect(page.locator("#build-platform-windows32")).to_be_disabled()
    expect(page.get_by_test_id("build-platform-windows32")).to_contain_text("Not yet available")

    page.select_option("#build-name-mode", "custom")
    page.fill("#build-name", "Front desk PC")
    fill_build_form(page, "Glaztech", "Phoenix Office", "Reception", "laptop", "Front", {"Asset": "A-17"})
    page.fill("#build-uses", "2")

    exe = download(page, "#build-download-exe", tmp_path)
    config = trailer.read_trailer(exe.read_bytes())
    assert config["mode"] == "unattended"
    assert config["metadata"] == {"name": "Front desk PC", "company": "Glaztech", "site": "Phoenix Office", "department": "Reception",
                                  "deviceType": "laptop", "tag": "Front", "properties": {"Asset": "A-17"}}
    expect(page.get_by_test_id("build-result")).to_contain_text(exe.name)
    expect(page.locator("#build-result-sha")).to_have_text(hashlib.sha256(exe.read_bytes()).hexdigest())

    if shutil.which("wixl"):
        expect(page.locator("#build-download-msi")).to_be_enabled()
        with page.expect_download(timeout=60_000) as info:
            page.click("#build-download-msi")
            expect(page.locator("#build-progress")).to_contain_text("Building the MSI")
        msi = tmp_path / info.value.suggested_filename
        info.value.save_as(msi)
        tables = subprocess.run(["msiinfo", "tables", str(msi)], capture_output=True, text=True, check=True).stdout
        assert "CustomAction" in tables and "Registry" in tables

    page.click("#build-copy-url")
    expect(page.locator("#build-install-command")).to_contain_text("Get-FileHash")
    expect(page.locator("#toasts")).to_contain_text("Install command copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.locator("#build-install-command").inner_text() and "powershell" in copied

    page.click("#build-send-link")
    page.fill("#build-send-to", "front.desk@example.com")
    page.click("#build-send-submit")
    expect(page.locator("#build-send-dialog")).to_have_count(0)
    deadline = time.monotonic() + 10
    while not sink.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sink.messages and sink.messages[-1].rcpt_tos == ["front.desk@example.com"]
    assert "/api/build/downloads/" in sink.messages[-1].content.decode()

    page.check("#build-platform-linux64")
    expect(page.locator("#build-download-exe")).to_have_count(0)
    deb = download(page, "#build-download-deb", tmp_path)
    info = subprocess.run(["dpkg-deb", "--info", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Package: guruconnect-agent" in info
    page.click("#build-copy-url")
    expect(page.locator("#build-install-command")).to_contain_text("| sudo sh -s --")

    # One token per build (plus the one made above), each with its use count; revoke the EXE's.
    rows = page.get_by_test_id("token-row")
    expect(rows).to_have_count(7 if shutil.which("wixl") else 6)
    status, tokens = api.call("GET", "/api/enrolment-tokens")
    # Newest first: the EXE, built before the MSI, Copy URL and Send link, is the last of its form's tokens.
    exe_token = [t for t in tokens if t["metadata"]["name"] == "Front desk PC" and t["platform"] == "windows64"][-1]
    exe_row = page.locator(f"[data-testid=token-row][data-token-id='{exe_token['id']}']")
    expect(exe_row.get_by_test_id("token-uses")).to_have_text("0 / 2")
    exe_row.get_by_test_id("token-revoke").click()
    expect(exe_row.get_by_test_id("token-state")).to_have_text("Revoked")
    status, refused = ApiClient(server.base_url).call("POST", "/api/agent/enrol", {"token": config["enrolToken"], "hostname": "X"})
    assert status == 401 and refused["error"] == "enrolment_refused"


def test_build_tab_screenshots_in_both_themes_on_desktop_and_phone(server, new_page):
    admin_api(server)
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        for label, viewport in (("desktop", {"width": 1440, "height": 900}), ("phone", {"width": 390, "height": 844})):
            page = signed_in(new_page(viewport=viewport, theme=theme), server.base_url)
            page.goto(f"{server.base_url}/app/build")
            expect(page.get_by_test_id("build-form-card")).to_be_visible()
            page.fill("#build-company", "Glaztech")
            page.click("#build-add-property")
            page.get_by_test_id("build-property").last.locator("input[name=propertyName]").fill("Asset")
            page.click("#build-download-exe")
            expect(page.get_by_test_id("build-result")).to_be_visible()
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{label} scrolls sideways by {overflow}px"
            page.screenshot(path=str(SHOT_DIR / f"build-{theme}-{label}.png"), full_page=True)


def test_a_technician_without_build_permission_sees_why(server, new_page):
    api = admin_api(server)
    status, _ = api.call("POST", "/api/users", {"username": "tech", "displayName": "Tech", "password": "correct horse battery", "roleId": "technician"})
    assert status == 201
    page = new_page()
    page.goto(f"{server.base_url}/login")
    page.fill("#login-username", "tech")
    page.fill("#login-password", "correct horse battery")
    page.click("#login-submit")
    page.wait_for_url("**/app/support")
    page.goto(f"{server.base_url}/app/build")
    expect(page.get_by_test_id("build-forbidden")).to_be_visible()
