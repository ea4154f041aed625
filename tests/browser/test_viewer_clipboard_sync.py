"""Clipboard sync in the viewer against a fake agent: the browser's clipboard is never read
or written until the technician turns sync on for that session. Off, a remote copy shows in
the panel only, and returning to the tab reads nothing; on, a remote copy lands in the
browser's clipboard and the browser's clipboard goes to the agent on focus. The choice is
remembered for that session in that tab only: never in localStorage, never for another
machine. The page's clipboard calls are counted (viewer_steps.CLIPBOARD_SPY) on top of
reading the real clipboard, with clipboard permissions granted."""
import pytest
from playwright.sync_api import expect

import fake_agent
from browser_steps import SHOT_DIR
from viewer_steps import (admin_api, browser_clipboard, clipboard_calls, clipboard_context, enrol, expect_painted,
                          expect_remote_copy_in_panel, open_viewer, pattern, png_of, send_from_panel, send_screen,
                          set_browser_clipboard, set_clipboard_sync, signed_in, ws_url)

PATTERN_PNG = png_of(pattern)


@pytest.fixture(scope="module")
def agent_account(server):
    return enrol(admin_api(server), "CLIP-SYNC-01")


@pytest.fixture
def clip_page(browser, server, page_errors):
    context = clipboard_context(browser, server.base_url)
    yield page_errors.watch(context.new_page())
    context.close()


def live(page, server, agent, agent_id):
    """Opens the control viewer and paints one frame; returns the agent's view of it."""
    open_viewer(page, server.base_url, agent_id)
    viewer = agent.wait_viewer()
    send_screen(agent, viewer, PATTERN_PNG, sequence=1)
    expect_painted(page, viewer.channel.fingerprint)
    return viewer


def focus_tab(page):
    page.evaluate("() => window.dispatchEvent(new Event('focus'))")


def test_sync_is_off_by_default_and_touches_no_clipboard(server, agent_account, agent, clip_page):
    agent_id, _ = agent_account
    fake = agent()
    page = signed_in(clip_page, server.base_url)
    set_browser_clipboard(page, "the technician's own secret")
    viewer = live(page, server, fake, agent_id)

    page.click("#viewer-clipboard")
    expect(page.locator("#viewer-clipboard-sync")).not_to_be_checked()
    expect(page.locator("#viewer-clipboard")).to_have_attribute("data-sync", "off")
    page.click("#viewer-clipboard-close")

    # A remote copy shows in the panel, and only there.
    fake.send(viewer, fake_agent.clipboard_text("copied on the remote ✓"))
    expect_remote_copy_in_panel(page, "copied on the remote ✓")
    assert clipboard_calls(page) == []
    assert browser_clipboard(page) == "the technician's own secret"

    # Coming back to the tab reads nothing: the panel's Send is the only way out, and the
    # marker it sends is the first ClipboardText the agent sees.
    focus_tab(page)
    assert clipboard_calls(page) == []
    send_from_panel(page, "sent by hand")
    seen = fake.wait_for(viewer, lambda m: m["type"] == "ClipboardText")
    assert [m for m in seen if m["type"] == "ClipboardText"] == [{"type": "ClipboardText", "text": "sent by hand"}]
    assert clipboard_calls(page) == []

    # The panel's own Copy button is the technician's explicit choice, and it still works.
    page.click("#viewer-clipboard-copy")
    expect(page.locator(".toast")).to_contain_text("Copied the remote clipboard")
    assert browser_clipboard(page) == "copied on the remote ✓"
    assert page.evaluate("() => Object.keys(localStorage).filter((k) => k.includes('lipboard'))") == []


def test_sync_on_writes_remote_copies_and_sends_the_browser_clipboard(server, agent_account, agent, clip_page):
    agent_id, _ = agent_account
    fake = agent()
    page = signed_in(clip_page, server.base_url)
    viewer = live(page, server, fake, agent_id)
    set_clipboard_sync(page, True)

    # Remote → browser clipboard.
    fake.send(viewer, fake_agent.clipboard_text("remote → mine 𝄞"))
    expect(page.locator("#viewer-clipboard-remote")).to_have_value("remote → mine 𝄞")
    assert "writeText" in clipboard_calls(page)
    assert browser_clipboard(page) == "remote → mine 𝄞"

    # Browser clipboard → remote, on focus.
    set_browser_clipboard(page, "copied in the browser 123")
    focus_tab(page)
    seen = fake.wait_for(viewer, lambda m: m["type"] == "ClipboardText")
    assert seen[-1] == {"type": "ClipboardText", "text": "copied in the browser 123"}

    # Off again: the next focus reads nothing, and the next remote copy stays in the panel.
    set_clipboard_sync(page, False)
    before = clipboard_calls(page)
    set_browser_clipboard(page, "must stay local")
    focus_tab(page)
    fake.send(viewer, fake_agent.clipboard_text("second remote copy"))
    expect(page.locator("#viewer-clipboard-remote")).to_have_value("second remote copy")
    assert clipboard_calls(page) == before
    assert browser_clipboard(page) == "must stay local"
    send_from_panel(page, "barrier")
    seen = fake.wait_for(viewer, lambda m: m["type"] == "ClipboardText")
    assert [m["text"] for m in seen if m["type"] == "ClipboardText"] == ["barrier"]


def test_sync_is_remembered_for_that_session_only(server, agent_account, agent, clip_page):
    agent_id, _ = agent_account
    other_id, other_credential = enrol(admin_api(server), "CLIP-SYNC-02")
    fake = agent()
    page = signed_in(clip_page, server.base_url)
    live(page, server, fake, agent_id)
    set_clipboard_sync(page, True)

    # The same session, reloaded in this tab: still on.
    page.reload()
    live(page, server, fake, agent_id)
    page.click("#viewer-clipboard")
    expect(page.locator("#viewer-clipboard-sync")).to_be_checked()

    # Another machine in the same tab starts off; nothing global was stored.
    other = fake_agent.FakeAgent(ws_url(server), other_id, other_credential).start()
    try:
        live(page, server, other, other_id)
        page.click("#viewer-clipboard")
        expect(page.locator("#viewer-clipboard-sync")).not_to_be_checked()
    finally:
        other.stop()
    assert not other.errors, other.errors
    assert page.evaluate("() => Object.keys(localStorage).filter((k) => k.includes('lipboard'))") == []

    # A new tab on the first machine starts off too.
    fresh = page.context.new_page()
    live(fresh, server, fake, agent_id)
    fresh.click("#viewer-clipboard")
    expect(fresh.locator("#viewer-clipboard-sync")).not_to_be_checked()


def test_a_view_mode_viewer_has_no_sync_toggle(server, agent_account, agent, clip_page):
    agent_id, _ = agent_account
    fake = agent()
    page = signed_in(clip_page, server.base_url)
    open_viewer(page, server.base_url, agent_id, mode="view")
    viewer = fake.wait_viewer()
    assert viewer.mode == "view"
    send_screen(fake, viewer, PATTERN_PNG, sequence=1)
    expect_painted(page, viewer.channel.fingerprint)
    expect(page.locator("#viewer-clipboard-sync")).to_have_count(0)
    expect(page.locator("#viewer-clipboard")).to_have_count(0)
    focus_tab(page)
    assert clipboard_calls(page) == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_clipboard_panel_screenshots(server, agent_account, agent, new_page, theme):
    agent_id, _ = agent_account
    fake = agent()
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    page = signed_in(new_page(theme=theme), server.base_url)
    viewer = live(page, server, fake, agent_id)
    fake.send(viewer, fake_agent.clipboard_text("Invoice 2026-118 · total €1,240.00"))
    expect_remote_copy_in_panel(page, "Invoice 2026-118 · total €1,240.00")
    expect(page.locator("#viewer-clipboard-sync")).not_to_be_checked()
    page.screenshot(path=str(SHOT_DIR / f"viewer-clipboard-sync-off-{theme}-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#viewer-clipboard-sync")).to_be_visible()
    page.screenshot(path=str(SHOT_DIR / f"viewer-clipboard-sync-off-{theme}-phone.png"))
