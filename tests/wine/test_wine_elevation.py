""""Run as administrator" with the Windows agent under Wine (issue 18): the downloaded .exe runs a
support session; the end user presses "Run as administrator" in the session window; the agent
relaunches itself through ShellExecuteExW "runas" (Wine starts it without a UAC prompt), hands the
session over through the named pipe (identity key, consent, the viewer's answer), and exits. The
elevated process proves the same identity key, the server keeps the technician's viewer and
announces it to the new process, the viewer re-keys and verifies the same pinned identity, and
no second consent prompt shows. The session then ends and the file is deleted.
Wine reports every process as elevated, so the offer is forced with GURU_TEST_OFFER_ELEVATION=1
(agent/platform/win32/README.md); the UAC prompt itself needs real Windows.
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
from playwright.sync_api import expect

from browser_steps import shot
from real_agent import ACTIVE_TITLE, CONSENT_TITLE, stop, wait_until, window_code, xdotool, xvfb
from support_steps import generate_code, support_row
from test_wine_attended_support import (DELETE_WAIT, HEIGHT, ROOT, WIDTH, assert_desktop_visible, click_button,
                                        run_downloaded, windows_portal_download)
import test_wine_attended_support
from viewer_steps import admin_api, expect_live, signed_in
from wine_agent import require_wine_parts, wine_session

# "Run as administrator" sits left of End session (win32_user_prompt_layout.h).
test_wine_attended_support.BUTTONS.setdefault("elevate", (225, 134))


def consent_windows(env):
    pattern = "^" + CONSENT_TITLE.replace("?", "\\?")
    found = xdotool(env, "search", "--onlyvisible", "--name", pattern)
    return found.stdout.split() if found.returncode == 0 else []


def downloaded_session(server, browser, new_page, tmp_path):
    """A technician's new code and the .exe an end user's Windows browser downloaded for it."""
    technician = signed_in(new_page(), server.base_url)
    technician.goto(f"{server.base_url}/app/support")
    code = generate_code(technician)
    folder = tmp_path / "Downloads"
    folder.mkdir()
    return technician, code, windows_portal_download(browser, server.base_url, code, folder)


def test_wine_run_as_administrator_hands_the_session_over(server, browser, new_page, tmp_path):
    require_wine_parts()
    api = admin_api(server)
    technician, code, agent_file = downloaded_session(server, browser, new_page, tmp_path)
    log_path = tmp_path / "unelevated-agent.log"
    with xvfb(WIDTH, HEIGHT, ROOT) as (_display, display_env), wine_session(display_env, tmp_path) as env:
        agent = run_downloaded(agent_file, {**env, "GURU_TEST_OFFER_ELEVATION": "1"}, log_path)
        try:
            expect(support_row(technician, code)).to_have_attribute("data-status", "waitingConsent", timeout=40_000)
            click_button(display_env, CONSENT_TITLE, "allow")
            expect(support_row(technician, code)).to_have_attribute("data-status", "connected", timeout=20_000)
            with technician.context.expect_page() as opened:
                support_row(technician, code).locator('[data-testid="support-join"]').click()
            viewer = opened.value
            expect_live(viewer, timeout=30_000)
            first_code = viewer.locator("#viewer-fingerprint").inner_text()
            assert window_code(display_env, ACTIVE_TITLE) == first_code

            shot(viewer, "viewer-wine-elevation-offered")  # the agent's window, with its button, on the desktop
            click_button(display_env, ACTIVE_TITLE, "elevate")
            # The old process hands over and exits 0; its file stays for the elevated one.
            wait_until(lambda: agent.poll() is not None, 60,
                       lambda: "the unelevated agent did not hand over:\n" + log_path.read_text())
            text = log_path.read_text()
            assert agent.returncode == 0, text
            assert "support: relaunching elevated (1 allowed, 0 refused viewer(s) carried over)" in text, text
            assert "support: handed over to the elevated agent" in text, text
            assert "support: session over" not in text, text
            assert agent_file.exists(), "the file must stay while the elevated agent runs from it"

            # The same viewer re-keys with the new process: a new code, the same pinned identity.
            expect(viewer.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=30_000)
            expect(viewer.locator("#viewer-fingerprint")).not_to_have_text(first_code, timeout=30_000)
            expect_live(viewer, timeout=30_000)
            second_code = viewer.locator("#viewer-fingerprint").inner_text()
            assert window_code(display_env, ACTIVE_TITLE) == second_code  # the new process's window
            expect(viewer.locator("#viewer-elevated")).to_have_text("Administrator")
            assert_desktop_visible(viewer)
            # The new window is up with the viewer connected: the consent question never came back.
            assert consent_windows(display_env) == []
            expect(support_row(technician, code)).to_have_attribute("data-status", "connected")
            shot(viewer, "viewer-wine-elevated")

            support_row(technician, code).locator('[data-testid="support-end"]').click()
            technician.click("#confirm-ok")
            wait_until(lambda: not agent_file.exists(), DELETE_WAIT,
                       lambda: "the elevated agent must delete the file at the end:\n" + log_path.read_text())
            expect(support_row(technician, code)).to_have_attribute("data-status", "ended")
        finally:
            stop(agent)
    status, body = api.call("GET", "/api/audit?action=support.agent.replaced&limit=50")
    assert status == 200 and body["total"] == 1, body


def test_wine_failed_elevation_keeps_the_session_and_says_so(server, browser, new_page, tmp_path):
    """The relaunched agent refuses the session (GURU_TEST_REFUSE_TAKEOVER=1, what a declined or
    broken relaunch looks like to the unelevated agent): the old process resumes, says why, keeps
    its viewer on the same channel and keeps offering the button."""
    require_wine_parts()
    technician, code, agent_file = downloaded_session(server, browser, new_page, tmp_path)
    log_path = tmp_path / "unelevated-agent.log"
    env_extra = {"GURU_TEST_OFFER_ELEVATION": "1", "GURU_TEST_REFUSE_TAKEOVER": "1"}
    with xvfb(WIDTH, HEIGHT, ROOT) as (_display, display_env), wine_session(display_env, tmp_path) as env:
        agent = run_downloaded(agent_file, {**env, **env_extra}, log_path)
        try:
            expect(support_row(technician, code)).to_have_attribute("data-status", "waitingConsent", timeout=40_000)
            click_button(display_env, CONSENT_TITLE, "allow")
            with technician.context.expect_page() as opened:
                support_row(technician, code).locator('[data-testid="support-join"]').click()
            viewer = opened.value
            expect_live(viewer, timeout=30_000)
            first_code = viewer.locator("#viewer-fingerprint").inner_text()

            click_button(display_env, ACTIVE_TITLE, "elevate")
            said = "support: not elevated: Could not restart with administrator rights " \
                   "(the elevated agent could not connect): the session goes on without them."
            wait_until(lambda: said in log_path.read_text(), 60,
                       lambda: "no failure notice:\n" + log_path.read_text())
            text = log_path.read_text()
            assert "connection: reconnects held" in text and "connection: reconnects resumed" in text, text
            assert agent.poll() is None, text  # the unelevated session goes on
            # The same channel: no re-key happened, the code is unchanged, the picture is live.
            expect(viewer.locator("#viewer")).to_have_attribute("data-state", "connected")
            assert viewer.locator("#viewer-fingerprint").inner_text() == first_code
            assert window_code(display_env, ACTIVE_TITLE) == first_code
            assert_desktop_visible(viewer)
            shot(viewer, "viewer-wine-elevation-failed")

            # The button is still there: a second press tries again, and fails the same way.
            click_button(display_env, ACTIVE_TITLE, "elevate")
            wait_until(lambda: log_path.read_text().count(said) == 2, 60,
                       lambda: "the second attempt did not run:\n" + log_path.read_text())
            assert agent.poll() is None

            support_row(technician, code).locator('[data-testid="support-end"]').click()
            technician.click("#confirm-ok")
            wait_until(lambda: agent.poll() is not None, 20, lambda: "agent still running:\n" + log_path.read_text())
            assert agent.returncode == 0, log_path.read_text()
            wait_until(lambda: not agent_file.exists(), DELETE_WAIT,
                       lambda: "the one-time agent must delete itself:\n" + log_path.read_text())
        finally:
            stop(agent)
