"""The Windows agent under Wine on Xvfb against the real server and headless Chromium: it
enrols, the viewer's canvas shows the Wine desktop (the X root colour, which Wine's GDI
screen reads), and a click in the viewer moves the pointer there (SendInput).
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import subprocess
import time

import serverkit
from real_agent import stop, wait_until, xvfb
from viewer_steps import agent_online, admin_api, canvas_samples, enrol, expect_canvas_colour, expect_live, signed_in
from wine_agent import require_wine_parts, start_probe, start_wine_agent, wine_session

ROOT_COLOUR = (0x33, 0x66, 0xCC)
WIDTH, HEIGHT = 1024, 640


def test_wine_agent_paints_and_takes_input(server, new_page, tmp_path):
    require_wine_parts()
    with xvfb(WIDTH, HEIGHT, ROOT_COLOUR) as (display, display_env), wine_session(display_env, tmp_path) as env:
        api = admin_api(server)
        agent_id, credential = enrol(api, "WINE-AGENT")
        agent, log_path = start_wine_agent(server.base_url, agent_id, credential, env, tmp_path)
        try:
            wait_until(lambda: agent_online(api, agent_id), 30,
                       lambda: "agent never came online:\n" + log_path.read_text())
            page = signed_in(new_page(), server.base_url)
            page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=control")
            expect_live(page, timeout=20_000)
            sas = page.locator("#viewer-fingerprint").inner_text()
            wait_until(lambda: f"keys agreed and signed, code {sas}" in log_path.read_text(), 10,
                       lambda: log_path.read_text())
            assert "capture: gdi" in log_path.read_text()

            expect_canvas_colour(page, (WIDTH, HEIGHT), ROOT_COLOUR, timeout=15)

            box = page.locator("#viewer-stage").bounding_box()
            scale = box["width"] / WIDTH
            page.mouse.click(box["x"] + 300.5 * scale, box["y"] + 200.5 * scale)
            location = {"text": ""}

            def pointer_there():
                location["text"] = subprocess.run(["xdotool", "getmouselocation"], env=display_env,
                                                  capture_output=True, text=True, timeout=10).stdout
                return location["text"].startswith("x:300 y:200 ")
            wait_until(pointer_there, 10, lambda: location["text"])
        finally:
            stop(agent)
        assert "bad KeyShare" not in log_path.read_text()


# guru-wine-probe.exe's quadrants (agent/platform/win32/tests/wine_probe.cpp).
QUADRANTS = [(200, 40, 40), (40, 160, 60), (230, 230, 230), (30, 60, 200)]


def expected_colour(x, y):
    """The probe's colour at (x, y), or None near an edge or its line of text."""
    if abs(x - WIDTH // 2) < 3 or abs(y - HEIGHT // 2) < 3 or (x < WIDTH // 2 and HEIGHT // 2 + 8 < y < HEIGHT // 2 + 56):
        return None
    return QUADRANTS[(x >= WIDTH // 2) + 2 * (y >= HEIGHT // 2)]


def test_wine_agent_shows_a_windows_program_that_records_clicks_and_typing(server, new_page, tmp_path):
    require_wine_parts()
    with xvfb(WIDTH, HEIGHT, ROOT_COLOUR) as (display, display_env), wine_session(display_env, tmp_path) as env:
        probe, record = start_probe(env, tmp_path)
        api = admin_api(server)
        agent_id, credential = enrol(api, "WINE-PROBE")
        agent, log_path = None, None
        try:
            wait_until(lambda: record.exists() and "ready" in record.read_text(), 30, "probe did not paint")
            agent, log_path = start_wine_agent(server.base_url, agent_id, credential, env, tmp_path)
            wait_until(lambda: agent_online(api, agent_id), 30,
                       lambda: "agent never came online:\n" + log_path.read_text())
            page = signed_in(new_page(), server.base_url)
            page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=control")
            expect_live(page, timeout=20_000)

            deadline = time.monotonic() + 15
            while True:
                samples = canvas_samples(page, step=(37, 29))["samples"]
                checked = [(s, expected_colour(s[0], s[1])) for s in samples if expected_colour(s[0], s[1])]
                wrong = [(s, want) for s, want in checked if max(abs(a - b) for a, b in zip(s[2:], want)) > 8]
                if not wrong or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert len(checked) > 400
            assert not wrong, (len(wrong), wrong[:8])

            box = page.locator("#viewer-stage").bounding_box()
            scale = box["width"] / WIDTH
            page.mouse.click(box["x"] + 300.5 * scale, box["y"] + 200.5 * scale)
            wait_until(lambda: "click 300 200" in record.read_text(), 10, lambda: record.read_text())
            time.sleep(0.3)
            page.keyboard.type("Hello, Wine! (#42)")
            cdp = page.context.new_cdp_session(page)
            for key, code in [("é", "Digit2"), ("ß", "Minus"), ("€", "KeyE")]:
                for event in ("keyDown", "keyUp"):
                    cdp.send("Input.dispatchKeyEvent", {"type": event, "key": key, "code": code,
                                                        "text": key if event == "keyDown" else ""})
            page.keyboard.press("Enter")
            wait_until(lambda: "typed " in record.read_text(encoding="utf-8"), 15,
                       lambda: f"probe saw {record.read_text(encoding='utf-8')!r}; agent log:\n{log_path.read_text()[-2000:]}")
            assert "typed Hello, Wine! (#42)éß€\n" in record.read_text(encoding="utf-8")
        finally:
            if agent:
                stop(agent)
            stop(probe)


def test_wine_agent_is_back_within_5_s_of_a_server_restart(new_page, tmp_path):
    require_wine_parts()
    data = tmp_path / "data"
    restarted = serverkit.start(data, "--web-root", "Sources/GuruWeb/Assets")
    agent = None
    try:
        api = admin_api(restarted)
        agent_id, credential = enrol(api, "WINE-RESTART")
        with xvfb(640, 480, ROOT_COLOUR) as (display, display_env), wine_session(display_env, tmp_path) as env:
            agent, log_path = start_wine_agent(restarted.base_url, agent_id, credential, env, tmp_path)
            wait_until(lambda: agent_online(api, agent_id), 30, lambda: log_path.read_text())
            port = restarted.port
            restarted.stop(sig_term=False)  # a crash, not a clean shutdown
            time.sleep(1)
            started_at = time.monotonic()
            restarted = serverkit.start(data, "--web-root", "Sources/GuruWeb/Assets", port=port)
            api = admin_api(restarted)
            wait_until(lambda: agent_online(api, agent_id), 5,
                       lambda: f"agent not back within 5 s:\n{log_path.read_text()[-2000:]}")
            print(f"wine agent back {time.monotonic() - started_at:.2f} s after the server restarted")
    finally:
        if agent:
            stop(agent)
        restarted.stop()
