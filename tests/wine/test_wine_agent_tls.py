"""The Windows agent's wss:// (Schannel) under Wine against the real server with its own
self-signed certificate: accepted with --ca-file (and --pin-ca), rejected without it.
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import time


import serverkit
from browser_steps import ADMIN
from integration.api import Api
from real_agent import stop, wait_until, xvfb
from viewer_steps import canvas_samples, expect_live, signed_in
from wine_agent import require_wine_parts, start_wine_agent, wine_session

ROOT_COLOUR = (0x44, 0x22, 0x88)
WIDTH, HEIGHT = 800, 600


def test_wine_agent_connects_over_wss_only_to_a_trusted_certificate(tmp_path):
    require_wine_parts()
    cert, key = serverkit.make_certificate(tmp_path)
    server = serverkit.start(tmp_path / "data", "--tls-cert", str(cert), "--tls-key", str(key),
                             scheme="https", cafile=str(cert))
    agents = []
    try:
        with xvfb(640, 480) as (display, display_env), wine_session(display_env, tmp_path) as env:
            # Enrolment is not needed to see the TLS and WebSocket layers: the server answers
            # an unknown agent's hello with a Reject, which the agent logs after connecting.
            agent_id, credential = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "not-a-credential"
            for extra in (["--ca-file", str(cert)], ["--ca-file", str(cert), "--pin-ca"], []):
                agent, log_path = start_wine_agent(server.base_url, agent_id, credential, env, tmp_path, extra)
                agents.append(agent)
                if extra:
                    wait_until(lambda: "connected" in log_path.read_text() or "reject" in log_path.read_text().lower(),
                               30, lambda: f"{extra}: no TLS session:\n{log_path.read_text()}")
                    assert "CertificateRejected" not in log_path.read_text()
                else:
                    wait_until(lambda: "CertificateRejected" in log_path.read_text(), 30,
                               lambda: f"untrusted certificate accepted?\n{log_path.read_text()}")
                    time.sleep(1)
                    assert "connected (" not in log_path.read_text()
                stop(agent)
    finally:
        for agent in agents:
            stop(agent)
        server.stop()


def test_wine_agent_streams_to_the_viewer_over_wss(tmp_path, browser):
    """A whole session over Schannel: key exchange, the first full screen, FrameAcks."""
    require_wine_parts()
    cert, key = serverkit.make_certificate(tmp_path)
    server = serverkit.start(tmp_path / "data", "--tls-cert", str(cert), "--tls-key", str(key), "--web-root",
                             "Sources/GuruWeb/Assets", scheme="https", cafile=str(cert))
    agent = None
    try:
        api = Api(server.base_url, cafile=str(cert))
        api.setup_and_login(username=ADMIN["username"], password=ADMIN["password"])
        status, _, body = api.call("POST", "/api/agents", {"name": "WINE-WSS"})
        assert status == 201, body
        agent_id, credential = body["agent"]["id"], body["credential"]
        with xvfb(WIDTH, HEIGHT, ROOT_COLOUR) as (display, display_env), wine_session(display_env, tmp_path) as env:
            agent, log_path = start_wine_agent(server.base_url, agent_id, credential, env, tmp_path,
                                               ["--ca-file", str(cert)])
            wait_until(lambda: any(a["id"] == agent_id and a["online"] for a in api.call("GET", "/api/agents")[2]["items"]),
                       30, lambda: f"agent offline:\n{log_path.read_text()[-1500:]}")
            context = browser.new_context(ignore_https_errors=True, viewport={"width": 1440, "height": 900})
            try:
                page = signed_in(context.new_page(), server.base_url)
                page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=control")
                expect_live(page, timeout=20_000)
                code = page.locator("#viewer-fingerprint").inner_text()
                wait_until(lambda: f"keys agreed and signed, code {code}" in log_path.read_text(), 10, "the codes differ")
                deadline = time.monotonic() + 15
                while True:
                    samples = canvas_samples(page, step=(97, 89))
                    wrong = [s for s in samples["samples"] if tuple(s[2:]) != ROOT_COLOUR]
                    if not wrong or time.monotonic() > deadline:
                        break
                    time.sleep(0.2)
                assert (samples["width"], samples["height"]) == (WIDTH, HEIGHT)
                assert not wrong, (len(wrong), wrong[:8])
                assert int(page.locator("#viewer").get_attribute("data-last-ack")) >= 1
            finally:
                context.close()
    finally:
        if agent:
            stop(agent)
        server.stop()
