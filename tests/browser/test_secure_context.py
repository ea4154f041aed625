"""The viewer needs a secure context (WebCrypto). Reached by a name that is not loopback, plain HTTP
has no crypto.subtle and the viewer says so; HTTPS on the same name works end to end with the real
agent connecting over WSS. Chromium maps the name guru.test to 127.0.0.1, so nothing leaves loopback."""

import pytest
from playwright.sync_api import expect

import real_agent
import serverkit
from integration.api import Api
from real_agent import require_real_parts, start_agent, stop, wait_until
from browser_steps import ADMIN
from viewer_steps import signed_in

HOST = "guru.test"
PROBE = "() => ({ secure: window.isSecureContext, subtle: typeof crypto.subtle, decoder: typeof VideoDecoder })"


@pytest.fixture
def certificate(tmp_path):
    return serverkit.make_certificate(tmp_path, HOST, f"DNS:{HOST},IP:127.0.0.1")


@pytest.fixture
def mapped_browser(browser):
    """A second Chromium from the session's Playwright (a nested sync_playwright is not allowed)."""
    mapped = browser.browser_type.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox", f"--host-resolver-rules=MAP {HOST} 127.0.0.1"])
    yield mapped
    mapped.close()


def enrolled(api):
    status, _, body = api.call("POST", "/api/agents", {"name": "SECURE-DESKTOP"})
    assert status == 201, body
    return body["agent"]["id"], body["credential"]


def test_plain_http_on_a_network_name_has_no_webcrypto_and_the_viewer_says_so(tmp_path, mapped_browser):
    server = serverkit.start(tmp_path / "plain", "--web-root", "Sources/GuruWeb/Assets")
    try:
        api = Api(server.base_url)
        api.setup_and_login(username=ADMIN["username"], password=ADMIN["password"])
        agent_id, _ = enrolled(api)
        page = mapped_browser.new_context().new_page()
        base = f"http://{HOST}:{server.port}"
        page.goto(f"{base}/login")
        assert page.evaluate(PROBE) == {"secure": False, "subtle": "undefined", "decoder": "undefined"}
        signed_in(page, base)
        page.goto(f"{base}/app/viewer/{agent_id}?mode=control")
        expect(page.locator("#viewer-overlay-title")).to_have_text("Secure connection required", timeout=10_000)
    finally:
        server.stop()


def test_https_on_a_network_name_runs_the_viewer_end_to_end(tmp_path, certificate, mapped_browser):
    require_real_parts()
    cert, key = certificate
    server = serverkit.start(tmp_path / "tls", "--tls-cert", str(cert), "--tls-key", str(key), "--web-root",
                             "Sources/GuruWeb/Assets", scheme="https", cafile=str(cert))
    agent = None
    try:
        api = Api(server.base_url, cafile=str(cert))
        api.setup_and_login(username=ADMIN["username"], password=ADMIN["password"])
        agent_id, credential = enrolled(api)
        with real_agent.xvfb(800, 600, (0x44, 0x22, 0x88)) as (display, env):
            agent, log_path = start_agent(server.base_url, agent_id, credential, display, env, tmp_path,
                                          extra=("--ca-file", str(cert)))
            wait_until(lambda: api.call("GET", f"/api/agents/{agent_id}")[2]["online"], 15, f"agent offline:\n{log_path.read_text()[-1500:]}")
            page = mapped_browser.new_context(ignore_https_errors=True).new_page()
            base = f"https://{HOST}:{server.port}"
            page.goto(f"{base}/login")
            assert page.evaluate(PROBE) == {"secure": True, "subtle": "object", "decoder": "function"}
            signed_in(page, base)
            page.goto(f"{base}/app/viewer/{agent_id}?mode=control")
            expect(page.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=15_000)
            code = page.locator("#viewer-fingerprint").inner_text()
            wait_until(lambda: f"keys agreed and signed, code {code}" in log_path.read_text(), 10, "the codes differ")
    finally:
        if agent:
            stop(agent)
        server.stop()
