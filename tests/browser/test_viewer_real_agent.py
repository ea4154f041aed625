"""The viewer against the real C++ agent (agent/build/release/guruconnect-agent)
capturing an Xvfb display: interop of the key exchange, tiles, FrameAck and input.
Skipped when run piecemeal without the built agent (see real_agent.require_real_parts)."""
import subprocess
import time

from playwright.sync_api import expect

import real_agent
from real_agent import start_agent, stop
from viewer_steps import admin_api, canvas_samples, enrol, expect_canvas_colour, expect_live, signed_in

ROOT_COLOUR = (0x33, 0x66, 0xCC)
WIDTH, HEIGHT = 1024, 640


xvfb = real_agent.desktop_fixture(WIDTH, HEIGHT, ROOT_COLOUR, name="xvfb")


def test_real_agent_paints_and_takes_input(server, xvfb, new_page, tmp_path):
    display, env = xvfb
    api = admin_api(server)
    agent_id, credential = enrol(api, "XVFB-AGENT")
    agent, log_path = start_agent(server.base_url, agent_id, credential, display, env, tmp_path)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not api.call("GET", f"/api/agents/{agent_id}")[1]["online"]:
            time.sleep(0.2)
        page = signed_in(new_page(), server.base_url)
        page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=control")
        expect_live(page, timeout=15_000)
        code = page.locator("#viewer-fingerprint").inner_text()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and f"keys agreed and signed, code {code}" not in log_path.read_text():
            time.sleep(0.2)
        assert f"keys agreed and signed, code {code}" in log_path.read_text(), log_path.read_text()

        expect_canvas_colour(page, (WIDTH, HEIGHT), ROOT_COLOUR, timeout=10)
        assert int(page.locator("#viewer").get_attribute("data-last-ack")) >= 1

        box = page.locator("#viewer-stage").bounding_box()
        scale = box["width"] / WIDTH
        page.mouse.click(box["x"] + 300.5 * scale, box["y"] + 200.5 * scale)
        deadline = time.monotonic() + 10
        location = ""
        while time.monotonic() < deadline:
            location = subprocess.run(["xdotool", "getmouselocation"], env=env, capture_output=True, text=True, timeout=10).stdout
            if location.startswith("x:300 y:200 "):
                break
            time.sleep(0.2)
        assert location.startswith("x:300 y:200 "), location
    finally:
        stop(agent)
    assert "bad KeyShare" not in log_path.read_text()
