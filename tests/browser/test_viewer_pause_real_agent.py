"""Pause/Resume in the viewer against the real C++ agent on Xvfb: while paused the
picture stays frozen and no FrameAck leaves the viewer even though the screen changes;
after Resume the agent's full-screen resend (its ack window stalled) brings the new
picture. Skipped when run piecemeal without the built agent (real_agent.require_real_parts)."""
import subprocess
import time

from playwright.sync_api import expect

import real_agent
from real_agent import live_viewer
from viewer_steps import canvas_samples

BEFORE = (0x33, 0x66, 0xCC)
AFTER = (0xCC, 0x44, 0x22)
WIDTH, HEIGHT = 800, 500

xvfb = real_agent.desktop_fixture(WIDTH, HEIGHT, BEFORE, name="xvfb")


def share(page, colour):
    samples = canvas_samples(page, step=(53, 47))["samples"]
    return sum(1 for s in samples if tuple(s[2:]) == colour) / len(samples)


def wait_share(page, colour, timeout):
    deadline = time.monotonic() + timeout
    while share(page, colour) < 0.95 and time.monotonic() < deadline:
        time.sleep(0.2)
    return share(page, colour)


def test_pause_freezes_and_resume_repaints_with_the_real_agent(server, xvfb, new_page, tmp_path):
    with live_viewer(server, xvfb, new_page(), tmp_path, "PAUSE-AGENT") as (page, env, log_path):
        assert wait_share(page, BEFORE, 10) >= 0.95

        page.click("#viewer-pause")
        expect(page.locator("#viewer")).to_have_attribute("data-paused", "true")
        acked = page.locator("#viewer").get_attribute("data-last-ack")
        subprocess.run(["xsetroot", "-solid", "#%02x%02x%02x" % AFTER], env=env, check=True, timeout=10)
        time.sleep(4)  # longer than the agent's 3 s stall: it resends, and the viewer still drops it
        assert share(page, BEFORE) >= 0.95, "the picture changed while paused"
        assert page.locator("#viewer").get_attribute("data-last-ack") == acked, "acked while paused"

        page.click("#viewer-resume")
        assert wait_share(page, AFTER, 10) >= 0.95, log_path.read_text()[-2000:]
        assert int(page.locator("#viewer").get_attribute("data-last-ack")) != int(acked)
