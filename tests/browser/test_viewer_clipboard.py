"""The viewer's clipboard panel against the real C++ agent on Xvfb, with xclip as the
remote machine's other X client: a copy on the remote machine shows up in the panel, text
sent from the panel lands in the remote X clipboard (non-ASCII included), oversized or empty
text is refused with a clear error and changes nothing, a view-only toggle blocks sending,
sync with the browser's own clipboard is off until the technician turns it on (then it
carries copies both ways), and a view-mode viewer has no clipboard."""
import subprocess
from contextlib import contextmanager

from playwright.sync_api import expect

import real_agent
from browser_steps import shot
from real_agent import live_viewer, wait_until
from viewer_steps import (browser_clipboard, clipboard_calls, clipboard_context, expect_remote_copy_in_panel,
                          send_from_panel, set_browser_clipboard, set_clipboard_sync)

WIDTH, HEIGHT = 800, 500
xvfb = real_agent.desktop_fixture(WIDTH, HEIGHT, (0x20, 0x30, 0x40), name="xvfb")


def remote_clipboard(env):
    result = subprocess.run(["xclip", "-o", "-selection", "clipboard"], env=env, capture_output=True, timeout=10)
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None


@contextmanager
def copied_on_remote(env, text):
    """Owns the X clipboard with `text`, as a remote application would, until the block ends."""
    owner = subprocess.Popen(["xclip", "-i", "-selection", "clipboard", "-quiet"], env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        owner.stdin.write(text.encode())
        owner.stdin.close()
        yield
    finally:
        if owner.poll() is None:
            owner.terminate()
            owner.wait(timeout=5)


def expect_remote_clipboard(env, text):
    wait_until(lambda: remote_clipboard(env) == text, 10, lambda: f"remote clipboard is {remote_clipboard(env)!r}")


def test_clipboard_both_ways_with_the_real_agent(server, xvfb, new_page, tmp_path):
    remote_text = "Remote café ✓ 42\nsecond line"
    sent = "Técnico → remote ✓ 𝄞"
    with live_viewer(server, xvfb, new_page(theme="dark"), tmp_path, "CLIP-AGENT") as (page, env, log_path):
        # Remote → viewer: a copy on the remote machine marks the button and fills the panel.
        with copied_on_remote(env, remote_text):
            expect_remote_copy_in_panel(page, remote_text)
            expect(page.locator("#viewer-clipboard-sync")).not_to_be_checked()

            # Viewer → remote: the agent owns the X clipboard with the sent text.
            send_from_panel(page, sent)
            expect_remote_clipboard(env, sent)
        shot(page, "viewer-clipboard-dark-desktop")

        # Too large: a clear error, nothing sent, the remote clipboard unchanged.
        page.evaluate("""() => {
            const area = document.getElementById('viewer-clipboard-local');
            area.value = 'x'.repeat(1_000_001);
            area.dispatchEvent(new Event('input'));
        }""")
        expect(page.locator("#viewer-clipboard-count")).to_have_text("1.00 MB")
        page.click("#viewer-clipboard-send")
        expect(page.locator("#viewer-clipboard-error")).to_contain_text("the most one clipboard can carry is 1.00 MB. Nothing was sent.")
        expect(page.locator("#viewer-clipboard-sent")).to_be_hidden()
        # The viewer counts what it seals and sends: still the one earlier text, so nothing can arrive.
        assert page.locator("#viewer-clipboard-send").get_attribute("data-sent") == "1"
        assert remote_clipboard(env) == sent

        # Empty text is refused too.
        page.fill("#viewer-clipboard-local", "")
        page.click("#viewer-clipboard-send")
        expect(page.locator("#viewer-clipboard-error")).to_have_text("There is no text to send.")

        # View only: sending is blocked and the panel says why.
        page.click("#viewer-view-only")
        expect(page.locator("#viewer-clipboard-send")).to_be_disabled()
        expect(page.locator("#viewer-clipboard-note")).to_be_visible()
        expect(page.locator("#viewer-clipboard-local")).to_be_disabled()
        page.click("#viewer-view-only")
        expect(page.locator("#viewer-clipboard-send")).to_be_enabled()
        expect(page.locator("#viewer-clipboard-note")).to_be_hidden()

        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "viewer-clipboard-dark-phone")
    assert "clipboard write failed" not in log_path.read_text()


def test_sync_is_off_until_turned_on_then_carries_both_ways(server, xvfb, browser, tmp_path):
    context = clipboard_context(browser, server.base_url)
    try:
        with live_viewer(server, xvfb, context.new_page(), tmp_path, "CLIP-AUTO") as (page, env, _):
            # Off by default: coming back to the tab reads nothing, a remote copy is not written.
            set_browser_clipboard(page, "copied in the browser 123")
            page.evaluate("() => window.dispatchEvent(new Event('focus'))")
            with copied_on_remote(env, "remote before sync"):
                expect_remote_copy_in_panel(page, "remote before sync")
            expect(page.locator("#viewer-clipboard-sync")).not_to_be_checked()
            assert clipboard_calls(page) == []
            assert browser_clipboard(page) == "copied in the browser 123"
            assert remote_clipboard(env) != "copied in the browser 123"

            # On: the browser's clipboard goes over on focus, and remote copies come back.
            set_clipboard_sync(page, True)
            page.evaluate("() => window.dispatchEvent(new Event('focus'))")
            expect_remote_clipboard(env, "copied in the browser 123")
            with copied_on_remote(env, "remote after sync ✓"):
                expect(page.locator("#viewer-clipboard-remote")).to_have_value("remote after sync ✓")
                wait_until(lambda: browser_clipboard(page) == "remote after sync ✓", 10,
                           lambda: f"browser clipboard is {browser_clipboard(page)!r}")

            # Off again: the next focus does not even read the browser's clipboard.
            set_clipboard_sync(page, False)
            before = clipboard_calls(page)
            set_browser_clipboard(page, "must stay local")
            page.evaluate("() => window.dispatchEvent(new Event('focus'))")
            assert clipboard_calls(page) == before
            send_from_panel(page, "sent by hand")
            expect_remote_clipboard(env, "sent by hand")
    finally:
        context.close()


def test_a_view_mode_viewer_has_no_clipboard(server, xvfb, new_page, tmp_path):
    with live_viewer(server, xvfb, new_page(), tmp_path, "CLIP-VIEW", mode="view") as (page, _, _):
        expect(page.locator("#viewer-clipboard")).to_have_count(0)
        expect(page.locator("#viewer-clipboard-panel")).to_have_count(0)
