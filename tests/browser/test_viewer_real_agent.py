"""The viewer against the real C++ agent (agent/build/release/guruconnect-agent)
capturing an Xvfb display: interop of the key exchange, tiles, FrameAck and input.
Skipped when the agent has not been built or Xvfb is missing."""
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser_steps import REPO
from viewer_steps import admin_api, canvas_samples, enrol, signed_in

AGENT = REPO / "agent" / "build" / "release" / "guruconnect-agent"
ROOT_COLOUR = (0x33, 0x66, 0xCC)
WIDTH, HEIGHT = 1024, 640

pytestmark = pytest.mark.skipif(not AGENT.exists() or not shutil.which("Xvfb") or not shutil.which("xdotool")
                                or not shutil.which("xsetroot"), reason="needs the built agent, Xvfb, xdotool and xsetroot")


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def xvfb(tmp_path):
    read_fd, write_fd = os.pipe()
    process = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-noreset", "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
                               pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            ready, _, _ = select.select([pipe], [], [], 15)
            # Xvfb writes its display number once it is ready.
            display = ":" + (pipe.readline().strip() if ready else "")
        assert display != ":", "Xvfb did not start"
        env = {**os.environ, "DISPLAY": display}
        # -noreset keeps this background when xsetroot disconnects.
        subprocess.run(["xsetroot", "-solid", "#%02x%02x%02x" % ROOT_COLOUR], env=env, check=True, timeout=10)
        yield display, env
    finally:
        stop(process)


def test_real_agent_paints_and_takes_input(server, xvfb, new_page, tmp_path):
    display, env = xvfb
    api = admin_api(server)
    agent_id, credential = enrol(api, "XVFB-AGENT")
    binary = tmp_path / "guruconnect-agent"
    shutil.copy(AGENT, binary)  # the agent team may rebuild it meanwhile
    log_path = tmp_path / "agent.log"
    with open(log_path, "w") as log:
        agent = subprocess.Popen([str(binary), "--server", server.base_url.replace("http://", "ws://") + "/api/agent/ws",
                                  "--agent-id", agent_id, "--credential", credential, "--display", display],
                                 stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not api.call("GET", "/api/agents")[1][0]["online"]:
            time.sleep(0.2)
        page = signed_in(new_page(), server.base_url)
        page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=control")
        expect(page.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=15_000)
        expect(page.locator("#viewer-overlay")).to_be_hidden(timeout=15_000)
        fingerprint = page.locator("#viewer-fingerprint").inner_text()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and f"fingerprint {fingerprint}" not in log_path.read_text():
            time.sleep(0.2)
        assert f"fingerprint {fingerprint}" in log_path.read_text(), log_path.read_text()

        # The agent spreads the first full screen over several acked frames.
        deadline = time.monotonic() + 10
        while True:
            samples = canvas_samples(page, step=(97, 89))
            assert (samples["width"], samples["height"]) == (WIDTH, HEIGHT)
            wrong = [s for s in samples["samples"] if tuple(s[2:]) != ROOT_COLOUR]
            if not wrong or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert not wrong, (len(wrong), len(samples["samples"]), wrong[:8])
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
