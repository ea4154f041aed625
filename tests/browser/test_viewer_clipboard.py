"""The viewer's clipboard panel against the real C++ agent on Xvfb, with xclip as the
remote machine's other X client: a copy on the remote machine shows up in the panel, text
sent from the panel lands in the remote X clipboard (non-ASCII included), oversized or empty
text is refused with a clear error and changes nothing, a view-only toggle blocks sending,
automatic sync carries the browser's own clipboard over, and a view-mode viewer has no
clipboard."""
import subprocess
import time
from contextlib import contextmanager

from playwright.sync_api import expect

import real_agent
from browser_steps import shot
from real_agent import live_viewer, wait_until
from viewer_steps import expect_remote_copy_in_panel, send_from_panel

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
        time.sleep(1)
        assert remote_clipboard(env) == sent
        assert page.locator("#viewer-clipboard-send").get_attribute("data-sent") == "1"

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


def test_automatic_sync_sends_the_browser_clipboard_on_focus(server, xvfb, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
    try:
        with live_viewer(server, xvfb, context.new_page(), tmp_path, "CLIP-AUTO") as (page, env, _):
            expect(page.locator("#viewer-clipboard-auto")).to_be_checked()
            page.evaluate("() => navigator.clipboard.writeText('copied in the browser 123')")
            page.evaluate("() => window.dispatchEvent(new Event('focus'))")
            expect_remote_clipboard(env, "copied in the browser 123")

            # Off: the next focus sends nothing.
            page.click("#viewer-clipboard")
            page.uncheck("#viewer-clipboard-auto")
            page.evaluate("() => navigator.clipboard.writeText('must stay local')")
            page.evaluate("() => window.dispatchEvent(new Event('focus'))")
            time.sleep(1.5)
            assert remote_clipboard(env) == "copied in the browser 123"
    finally:
        context.close()


def test_a_view_mode_viewer_has_no_clipboard(server, xvfb, new_page, tmp_path):
    with live_viewer(server, xvfb, new_page(), tmp_path, "CLIP-VIEW", mode="view") as (page, _, _):
        expect(page.locator("#viewer-clipboard")).to_have_count(0)
        expect(page.locator("#viewer-clipboard-panel")).to_have_count(0)
