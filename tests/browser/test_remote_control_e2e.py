"""End to end with every real part: the C++ agent on Xvfb, the Swift relay, and Chromium's viewer.
Typing reaches an xterm (shifted and non-ASCII characters too), and after the server is killed and
started again the agent is back within 5 s and the viewer reconnects by itself."""
import math
import subprocess
import time

from playwright.sync_api import expect

import real_agent
import serverkit
from real_agent import start_agent, stop, wait_until
from browser_steps import REPO
from viewer_steps import admin_api, canvas_samples, enrol, expect_live, signed_in

WIDTH, HEIGHT = 1280, 800


desktop = real_agent.desktop_fixture(WIDTH, HEIGHT, (0x20, 0x20, 0x28))


def online(api, agent_id):
    """Whether this machine is online (every real agent here reports the same hostname, so not by name)."""
    status, body = api.call("GET", f"/api/agents/{agent_id}")
    return status == 200 and body["online"]


def test_typing_in_the_viewer_reaches_an_xterm(server, desktop, new_page, tmp_path):
    display, env = desktop
    typed = tmp_path / "typed.txt"
    # No window manager: keyboard focus follows the pointer, so a click into the xterm focuses it.
    xterm = real_agent.subprocess.Popen(
        ["xterm", "-geometry", "100x30+0+0", "-e", "sh", "-c", f"stty -echo; cat > {typed}"], env=env)
    api = admin_api(server)
    agent_id, credential = enrol(api, "XTERM-DESKTOP")
    agent, log_path = start_agent(server.base_url, agent_id, credential, display, env, tmp_path)
    try:
        wait_until(lambda: online(api, agent_id), 15, "agent did not come online")
        wait_until(typed.exists, 15, "xterm did not start")
        page = signed_in(new_page(), server.base_url)
        page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=control")
        expect_live(page)  # until the first picture the overlay covers the stage and takes the click
        box = page.locator("#viewer-stage").bounding_box()
        scale = box["width"] / WIDTH
        page.mouse.click(box["x"] + 200 * scale, box["y"] + 150 * scale)
        time.sleep(0.5)
        page.keyboard.type("Hello, GuruConnect! (#42)")
        # What a French or German keyboard sends: the physical key's code and the character it makes.
        cdp = page.context.new_cdp_session(page)
        for key, code in [("é", "Digit2"), ("ß", "Minus"), ("€", "KeyE")]:
            for event in ("keyDown", "keyUp"):
                cdp.send("Input.dispatchKeyEvent", {"type": event, "key": key, "code": code, "text": key if event == "keyDown" else ""})
        page.keyboard.press("Enter")
        wait_until(lambda: typed.read_text(encoding="utf-8", errors="replace").endswith("\n"), 15,
                   lambda: f"typed so far {typed.read_text(errors='replace')!r}; agent log:\n{log_path.read_text()[-2000:]}")
        assert typed.read_text(encoding="utf-8") == "Hello, GuruConnect! (#42)éß€\n"
    finally:
        stop(agent)
        stop(xterm)


def test_agent_and_viewer_come_back_after_a_server_restart(desktop, new_page, tmp_path):
    display, env = desktop
    data = tmp_path / "data"
    server = serverkit.start(data, "--web-root", "Sources/GuruWeb/Assets")
    port = server.port
    agent = None
    try:
        api = admin_api(server)
        agent_id, credential = enrol(api, "RESTART-DESKTOP")
        agent, log_path = start_agent(server.base_url, agent_id, credential, display, env, tmp_path)
        wait_until(lambda: online(api, agent_id), 15, "agent did not come online")
        page = signed_in(new_page(), server.base_url)
        page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=control")
        expect(page.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=15_000)

        server.stop(sig_term=False)  # a crash, not a clean shutdown
        expect(page.locator("#viewer")).not_to_have_attribute("data-state", "connected", timeout=15_000)
        restarted_at = time.monotonic()
        server = serverkit.start(data, "--web-root", "Sources/GuruWeb/Assets", port=port)
        api = admin_api(server)
        wait_until(lambda: online(api, agent_id), 5, f"agent not back within 5 s:\n{log_path.read_text()[-2000:]}")
        back_after = time.monotonic() - restarted_at
        print(f"agent back {back_after:.2f} s after the server restarted")
        expect(page.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=30_000)
    finally:
        if agent:
            stop(agent)
        server.stop()


def psnr(pairs):
    errors = [(a - b) ** 2 for seen, truth in pairs for a, b in zip(seen, truth)]
    mse = sum(errors) / max(1, len(errors))
    return 99.0 if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def test_canvas_matches_an_x_screenshot_of_a_desktop_pattern(server, desktop, new_page, tmp_path):
    """Left half: flat panels and text (lossless tiles); right half: photo-like gradients (JPEG)."""
    display, env = desktop
    pattern = tmp_path / "pattern"
    subprocess.run(["cc", "-O1", "-o", str(pattern), str(REPO / "bench" / "agent_desktop_pattern.c"), "-lX11", "-lm"],
                   check=True, timeout=120)
    painter = subprocess.Popen([str(pattern), display], env=env)
    api = admin_api(server)
    agent_id, credential = enrol(api, "PATTERN-DESKTOP")
    agent, log_path = start_agent(server.base_url, agent_id, credential, display, env, tmp_path)
    try:
        time.sleep(1)  # let the pattern finish painting before the screenshot
        shot = tmp_path / "root.rgb"
        subprocess.run(["import", "-silent", "-window", "root", "-depth", "8", f"rgb:{shot}"], env=env, check=True, timeout=60)
        truth = shot.read_bytes()
        assert len(truth) == WIDTH * HEIGHT * 3
        wait_until(lambda: online(api, agent_id), 15, "agent did not come online")
        page = signed_in(new_page(), server.base_url)
        page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=view")
        expect(page.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=15_000)

        def compare():
            samples = canvas_samples(page, step=(13, 7))
            assert (samples["width"], samples["height"]) == (WIDTH, HEIGHT)
            ui, photo = [], []
            for x, y, r, g, b in samples["samples"]:
                i = (y * WIDTH + x) * 3
                (ui if x < WIDTH // 2 else photo).append(((r, g, b), tuple(truth[i:i + 3])))
            return psnr(ui), psnr(photo)

        deadline = time.monotonic() + 20
        ui_db, photo_db = compare()
        while (ui_db < 40 or photo_db < 30) and time.monotonic() < deadline:
            time.sleep(0.3)
            ui_db, photo_db = compare()
        print(f"canvas vs X screenshot: UI half {ui_db:.1f} dB, photo half {photo_db:.1f} dB")
        assert ui_db >= 40, ui_db
        assert photo_db >= 30, photo_db
    finally:
        stop(agent)
        stop(painter)
