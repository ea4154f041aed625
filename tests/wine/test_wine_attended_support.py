"""The attended-support story with the Windows agent under Wine: the technician generates a code,
an end user's browser with a Windows User-Agent enters it on the portal and downloads
GuruConnect-<code>.exe, the file runs under Wine with no arguments (support mode reads the trailer
from its own .exe), the end user allows the session in the agent's Win32 consent window (clicked
with xdotool), the Support tab turns Connected without a reload, the technician joins and sees
the Wine desktop, ends the session, and the agent exits and its .exe is deleted by the cmd.exe
helper. A declined session never starts capturing.
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import subprocess
import time

from playwright.sync_api import expect

import support_steps
from portal_steps import UA
from real_agent import ACTIVE_TITLE, CONSENT_TITLE, find_window, stop, wait_until, window_code, xdotool, xvfb
from support_steps import generate_code, support_row
from viewer_steps import admin_api, expect_live, signed_in
from wine_agent import WINE, require_wine_parts, wine_session

WIDTH, HEIGHT = 1024, 640
ROOT = (0x1E, 0x5A, 0x3C)
# The Win32 windows' client area and button centres in client coordinates
# (agent/platform/win32/win32_user_prompt_layout.h).
CLIENT = (420, 160)
BUTTONS = {"allow": (252, 134), "decline": (360, 134), "end": (360, 134)}
# The cmd.exe helper retries the delete once a second for 30 s after the agent exits.
DELETE_WAIT = 40


def click_button(env, title, button):
    """Clicks a button of the agent's Win32 window. Without a window manager Wine may draw the
    frame and caption inside the X window, so the client area's offset is taken from the X
    window's size (equal side and bottom borders, the caption on top)."""
    window = find_window(env, title)
    geometry = xdotool(env, "getwindowgeometry", "--shell", window).stdout
    values = dict(line.split("=", 1) for line in geometry.split() if "=" in line)
    width, height = int(values["WIDTH"]), int(values["HEIGHT"])
    border = max(0, (width - CLIENT[0]) // 2)
    top = max(0, height - CLIENT[1] - border)
    x, y = BUTTONS[button]
    moved = xdotool(env, "mousemove", "--window", window, str(x + border), str(y + top))
    assert moved.returncode == 0, moved.stderr
    time.sleep(0.3)
    assert xdotool(env, "click", "1").returncode == 0


def windows_portal_download(browser, base_url, code, folder):
    """The end user's part in their own Windows browser: the portal, the code, the .exe."""
    context = browser.new_context(user_agent=UA["chrome-windows"], accept_downloads=True)
    try:
        target = support_steps.portal_download(context.new_page(), base_url, code, folder,
                                               f"GuruConnect-{code}.exe", 30_000)
    finally:
        context.close()
    data = target.read_bytes()
    assert data[:2] == b"MZ" and data[-8:] == b"GCSUPP02", "not the Windows agent with its trailer"
    return target


def run_downloaded(path, env, log_path):
    """Runs the downloaded .exe under Wine with no arguments, like a double-click."""
    with open(log_path, "w") as log:
        return subprocess.Popen([WINE, str(path)], cwd=path.parent, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def assert_desktop_visible(page):
    support_steps.assert_desktop_visible(page, (WIDTH, HEIGHT), ROOT, 20, "the Wine desktop")


def test_wine_attended_support_story(server, browser, new_page, tmp_path):
    require_wine_parts()
    api = admin_api(server)
    technician = signed_in(new_page(), server.base_url)
    technician.goto(f"{server.base_url}/app/support")
    code = generate_code(technician)
    expect(support_row(technician, code)).to_have_attribute("data-status", "pending")

    folder = tmp_path / "Downloads"
    folder.mkdir()
    agent_file = windows_portal_download(browser, server.base_url, code, folder)
    log_path = tmp_path / "support-agent.log"
    with xvfb(WIDTH, HEIGHT, ROOT) as (display, display_env), wine_session(display_env, tmp_path) as env:
        agent = run_downloaded(agent_file, env, log_path)
        try:
            expect(support_row(technician, code)).to_have_attribute("data-status", "waitingConsent", timeout=40_000)
            click_button(display_env, CONSENT_TITLE, "allow")
            expect(support_row(technician, code)).to_have_attribute("data-status", "connected", timeout=20_000)

            with technician.context.expect_page() as opened:
                support_row(technician, code).locator('[data-testid="support-join"]').click()
            viewer = opened.value
            expect_live(viewer, timeout=30_000)
            assert_desktop_visible(viewer)
            # The .exe ran the signed key exchange: its session window shows the viewer's code.
            technician_code = viewer.locator("#viewer-fingerprint").inner_text()
            assert window_code(display_env, ACTIVE_TITLE) == technician_code, log_path.read_text()
            assert f"keys agreed and signed, code {technician_code}" in log_path.read_text()
            assert "capture: gdi" in log_path.read_text()

            support_row(technician, code).locator('[data-testid="support-end"]').click()
            technician.click("#confirm-ok")
            wait_until(lambda: agent.poll() is not None, 20, lambda: "agent still running:\n" + log_path.read_text())
            assert agent.returncode == 0, log_path.read_text()
            wait_until(lambda: not agent_file.exists(), DELETE_WAIT,
                       lambda: "the one-time agent must delete itself:\n" + log_path.read_text())
            expect(support_row(technician, code)).to_have_attribute("data-status", "ended")
            expect(viewer.locator("#viewer")).not_to_have_attribute("data-state", "connected")
        finally:
            stop(agent)
    text = log_path.read_text()
    assert "support: mode on" in text and "support: consent given" in text, text
    assert "bad KeyShare" not in text, text
    status, body = api.call("GET", "/api/support/sessions")
    ended = [s for s in body["sessions"] if s["code"] == code]
    assert status == 200 and ended and ended[0]["status"] == "ended", body


def test_wine_declined_support_never_captures_and_removes_itself(server, browser, new_page, tmp_path):
    require_wine_parts()
    api = admin_api(server)
    status, session = api.call("POST", "/api/support/sessions", {"assigned": True})
    assert status == 201, session
    code = session["code"]
    technician = signed_in(new_page(), server.base_url)
    technician.goto(f"{server.base_url}/app/support")
    folder = tmp_path / "Downloads"
    folder.mkdir()
    agent_file = windows_portal_download(browser, server.base_url, code, folder)
    log_path = tmp_path / "declining-agent.log"
    with xvfb(WIDTH, HEIGHT, ROOT) as (display, display_env), wine_session(display_env, tmp_path) as env:
        agent = run_downloaded(agent_file, env, log_path)
        try:
            expect(support_row(technician, code)).to_have_attribute("data-status", "waitingConsent", timeout=40_000)
            click_button(display_env, CONSENT_TITLE, "decline")
            wait_until(lambda: agent.poll() is not None, 20, lambda: "agent still running:\n" + log_path.read_text())
            assert agent.returncode == 0, log_path.read_text()
            wait_until(lambda: not agent_file.exists(), DELETE_WAIT,
                       lambda: "the one-time agent must delete itself:\n" + log_path.read_text())
            expect(support_row(technician, code)).to_have_attribute("data-status", "declined")
        finally:
            stop(agent)
    text = log_path.read_text()
    assert "support: consent declined" in text, text
    assert "capture started" not in text, text
