"""The video mode end to end with the real agent on Xvfb: full-screen motion (the stream
benchmark's stopwatch, scrolling a photo-like texture at 60 Hz) makes the agent switch to VP8,
the viewer decodes it with WebCodecs (the status bar says VP8 and the canvas moves), and once the
motion stops the agent goes back to tiles and the canvas ends exactly on the still screen.
Needs libvpx and libyuv on the machine (make test installs them)."""
import subprocess
import time

from playwright.sync_api import expect

import real_agent
from browser_steps import REPO, shot
from real_agent import live_viewer, wait_until
from viewer_steps import canvas_samples, expect_canvas_colour

WIDTH, HEIGHT = 1024, 640
ROOT = (0x2A, 0x3B, 0x4C)
xvfb = real_agent.desktop_fixture(WIDTH, HEIGHT, ROOT, name="xvfb")


def distinct_colours(page):
    return len({tuple(s[2:]) for s in canvas_samples(page, step=(61, 53))["samples"]})


def test_full_screen_motion_streams_as_vp8_then_ends_lossless(server, xvfb, new_page, tmp_path):
    stopwatch = tmp_path / "stopwatch"
    subprocess.run(["cc", "-O2", "-o", str(stopwatch), str(REPO / "bench/stream/stopwatch.c"), "-lX11", "-lm"],
                   check=True, timeout=60)
    with live_viewer(server, xvfb, new_page(), tmp_path, "VIDEO-AGENT") as (page, env, log_path):
        expect_canvas_colour(page, (WIDTH, HEIGHT), ROOT)
        motion = subprocess.Popen([str(stopwatch), env["DISPLAY"], "motion", str(tmp_path / "sw.log"), "60", "5"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: "video mode on" in log_path.read_text(), 10, lambda: log_path.read_text()[-1500:])
            expect(page.locator("#viewer-stat-codec")).to_contain_text("VP8", timeout=10_000)
            # The decoded video is the moving texture, not a blank or stale canvas.
            assert distinct_colours(page) > 20
            first = canvas_samples(page, step=(61, 53))["samples"]
            time.sleep(0.5)
            assert canvas_samples(page, step=(61, 53))["samples"] != first, "the video picture does not move"
            expect(page.locator("#viewer-status-note")).to_be_hidden()  # no undecodable updates
            shot(page, "viewer-video-motion")
        finally:
            motion.wait(timeout=20)
        # The stopwatch exits after 5 s: the still root comes back as tiles, exactly.
        wait_until(lambda: "back to tiles" in log_path.read_text(), 10, lambda: log_path.read_text()[-1500:])
        expect_canvas_colour(page, (WIDTH, HEIGHT), ROOT, timeout=10)
        expect(page.locator("#viewer-stat-codec")).not_to_contain_text("VP8", timeout=10_000)
    assert "video frame failed" not in log_path.read_text()
    assert "cannot open the video encoder" not in log_path.read_text()
