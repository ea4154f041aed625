"""Two monitors with the real agent on Xvfb: RandR 1.5 monitors (held by a small X client,
tests/browser/x11/two_monitors.c) show up in the viewer's monitor picker, and a click and a drag
made in the viewer on each monitor alone arrive at the right X coordinates. xev on the root
window records what X delivers."""
import re
import subprocess
import time

from playwright.sync_api import expect

import real_agent
from browser_steps import REPO
from real_agent import live_viewer, wait_until

WIDTH, HEIGHT = 1600, 600
LEFT, RIGHT = (0, 0, 800, 600), (800, 0, 800, 600)
xvfb = real_agent.desktop_fixture(WIDTH, HEIGHT, (0x30, 0x30, 0x40), name="xvfb")


def monitor_order(env):
    """The RandR monitors as (x, y, width, height), in the order X lists them (the agent's order)."""
    listed = subprocess.run(["xrandr", "--listmonitors"], env=env, capture_output=True, text=True, timeout=10).stdout
    return [tuple(int(v) for v in (m[2], m[3], m[0], m[1]))
            for m in re.findall(r" (\d+)/\d+x(\d+)/\d+\+(\d+)\+(\d+) ", listed)]


def events(path):
    """(kind, x, y) of every ButtonPress, ButtonRelease and button-1 MotionNotify xev printed, in root coordinates."""
    text = path.read_text()
    found = []
    for block in text.split("\n\n"):
        kind = block.split(" ", 1)[0]
        root = re.search(r"root:\((\d+),(\d+)\)", block)
        if not root or kind not in ("ButtonPress", "ButtonRelease", "MotionNotify"):
            continue
        if kind == "MotionNotify" and "state 0x100" not in block:
            continue
        found.append((kind, int(root.group(1)), int(root.group(2))))
    return found


def point(page, monitor, x, y):
    """Client coordinates of pixel (x, y) of `monitor` shown alone and fitted in the stage."""
    box = page.locator("#viewer-stage").bounding_box()
    scale = box["width"] / monitor[2]
    return box["x"] + (x + 0.5) * scale, box["y"] + (y + 0.5) * scale


def test_clicks_and_drags_land_on_each_monitor(server, xvfb, new_page, tmp_path):
    display, env = xvfb
    helper = tmp_path / "two_monitors"
    subprocess.run(["cc", "-O2", "-o", str(helper), str(REPO / "tests/browser/x11/two_monitors.c"), "-lX11", "-lXrandr"],
                   check=True, timeout=60)
    holder = subprocess.Popen([str(helper), display, "800x600+0+0", "800x600+800+0"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    xev_log = tmp_path / "xev.log"
    recorder = None
    try:
        assert holder.stdout.readline().strip() == b"ready"
        order = monitor_order(env)
        assert LEFT in order and RIGHT in order, order
        with open(xev_log, "w") as out:
            recorder = subprocess.Popen(["xev", "-root", "-event", "button", "-event", "mouse"], env=env,
                                        stdout=out, stderr=subprocess.DEVNULL)
        with live_viewer(server, xvfb, new_page(), tmp_path, "TWO-MONITORS") as (page, _, _):
            picker = page.locator("#viewer-monitor")
            expect(picker).to_be_enabled()
            expect(picker.locator("option")).to_have_count(len(order) + 1)  # every monitor, and "All monitors"

            # The right monitor alone: a click at its (100, 50) is X's (900, 50).
            picker.select_option(str(order.index(RIGHT)))
            page.mouse.click(*point(page, RIGHT, 100, 50))
            wait_until(lambda: ("ButtonRelease", 900, 50) in events(xev_log), 10, lambda: events(xev_log))
            assert ("ButtonPress", 900, 50) in events(xev_log)

            # The left monitor alone: a drag from (100, 100) to (300, 200) with the button held.
            picker.select_option(str(order.index(LEFT)))
            page.mouse.move(*point(page, LEFT, 100, 100))
            page.mouse.down()
            for step in range(1, 5):
                page.mouse.move(*point(page, LEFT, 100 + 50 * step, 100 + 25 * step))
                time.sleep(0.05)
            page.mouse.up()
            wait_until(lambda: ("ButtonRelease", 300, 200) in events(xev_log), 10, lambda: events(xev_log))
            seen = events(xev_log)
            press = seen.index(("ButtonPress", 100, 100))
            release = seen.index(("ButtonRelease", 300, 200))
            dragged = [e for e in seen[press:release] if e[0] == "MotionNotify"]
            assert dragged and all(100 <= x <= 300 and 100 <= y <= 200 for _, x, y in dragged), seen[press:release + 1]
    finally:
        if recorder is not None:
            real_agent.stop(recorder)
        holder.stdin.close()
        holder.wait(timeout=10)
