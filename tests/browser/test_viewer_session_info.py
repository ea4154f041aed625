"""The agent's SessionInfo (docs/protocol.md §4) in the viewer, against a fake agent: the
capture path in the status bar, and Ctrl+Alt+Del in the special-keys menu, disabled with its
reason when the agent cannot deliver it (a Windows agent not running as a service) and sent
as the usual chord otherwise; the "Administrator" badge while the agent runs elevated (flags
bit 0). Inner types this viewer does not know are skipped, not fatal."""
import pytest
from playwright.sync_api import expect

import fake_agent
from guruproto import inner
from browser_steps import shot
from viewer_steps import (DESKTOP_H, DESKTOP_W, MONITORS, admin_api, arrow_cursor, desktop_scene, enrol,
                          expect_painted, open_viewer, png_of, signed_in)

SCENE = png_of(desktop_scene)
CHORD = [("ControlLeft", True, 0), ("AltLeft", True, 2), ("Delete", True, 6),
         ("Delete", False, 6), ("AltLeft", False, 2), ("ControlLeft", False, 0)]


def session_info(capture_name, secure_attention, flags=0):
    """SessionInfo from raw parts (tests/guruproto), so a test can send what the encoder refuses."""
    return inner.session_info_raw(capture_name.encode(), inner.SECURE_ATTENTION[secure_attention], flags)


def start_stream(fake, viewer, capture_name, secure_attention, sequence=1, flags=0):
    """What the real agent sends a viewer first: MonitorLayout, SessionInfo, then the picture."""
    fake.send(viewer, fake_agent.monitor_layout(MONITORS))
    fake.send(viewer, session_info(capture_name, secure_attention, flags))
    fake.send(viewer, arrow_cursor())
    fake.send(viewer, fake_agent.cursor_position(200, 150))
    fake.send(viewer, fake_agent.tile_update(0, 0, DESKTOP_W, DESKTOP_H, "png", SCENE))
    fake.send(viewer, fake_agent.frame_end(sequence))
    fake.wait_for(viewer, lambda m: m == {"type": "FrameAck", "sequence": sequence})


def live(server, agent_id, fake, new_page, capture_name, secure_attention, theme=None, flags=0):
    page = open_viewer(signed_in(new_page(theme=theme), server.base_url), server.base_url, agent_id)
    viewer = fake.wait_viewer()
    start_stream(fake, viewer, capture_name, secure_attention, flags=flags)
    expect_painted(page, viewer.channel.fingerprint)
    return page, viewer


def keys_of(messages):
    return [(m["code"], m["pressed"], m["modifiers"]) for m in messages if m["type"] == "Key"]


@pytest.fixture(scope="module")
def agent_account(server):
    return enrol(admin_api(server), "RECEPTION-PC")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_unavailable_ctrl_alt_del_is_disabled_with_its_reason(server, agent_account, agent, new_page, theme):
    agent_id, _ = agent_account
    fake = agent()
    page, viewer = live(server, agent_id, fake, new_page, "gdi", "unavailable", theme=theme)
    expect(page.locator("#viewer-stat-capture")).to_have_text("GDI")
    expect(page.locator("#viewer")).to_have_attribute("data-secure-attention", "unavailable")
    page.wait_for_timeout(1100)  # one status-bar tick, for the screenshot's numbers

    page.click("#viewer-keys")
    item = page.locator(".menu-item[data-action='ctrlAltDel']")
    expect(item).to_be_visible()
    expect(item).to_have_attribute("aria-disabled", "true")
    expect(item).to_be_disabled()
    expect(item).to_have_attribute("title", "Ctrl+Alt+Del needs the agent to run as a Windows service.")
    hint = page.locator("#viewer-ctrl-alt-del-hint")
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Needs the agent to run as a service")
    expect(item).to_have_attribute("aria-describedby", "viewer-ctrl-alt-del-hint")
    # The other special keys are still offered.
    expect(page.locator(".menu-item[data-action='altTab']")).to_be_enabled()
    path = shot(page, f"viewer-keys-ctrl-alt-del-unavailable-{theme}")
    assert path.stat().st_size > 10_000

    # Clicking it (past Playwright's own refusal) sends nothing at all.
    item.click(force=True)
    assert keys_of(fake.drain(viewer, 1.0)) == []
    # Nor does choosing it from the keyboard.
    page.click("#viewer-keys")
    expect(page.locator(".menu-item[data-action='ctrlAltDel']")).to_be_focused()
    page.keyboard.press("Enter")
    assert keys_of(fake.drain(viewer, 1.0)) == []
    # Alt+Tab from the same menu still goes out.
    page.keyboard.press("Escape")
    page.click("#viewer-keys")
    page.click(".menu-item[data-action='altTab']")
    seen = fake.wait_for(viewer, lambda m: m["type"] == "Key" and m["code"] == "AltLeft" and not m["pressed"])
    assert keys_of(seen) == [("AltLeft", True, 0), ("Tab", True, 4), ("Tab", False, 4), ("AltLeft", False, 0)]


@pytest.mark.parametrize("secure_attention", ["keys", "sas"])
def test_deliverable_ctrl_alt_del_sends_the_chord(server, agent_account, agent, new_page, secure_attention):
    agent_id, _ = agent_account
    fake = agent()
    capture = "xshm" if secure_attention == "keys" else "dxgi"
    page, viewer = live(server, agent_id, fake, new_page, capture, secure_attention)
    expect(page.locator("#viewer-stat-capture")).to_have_text("XShm" if capture == "xshm" else "DXGI")
    expect(page.locator("#viewer-stat-capture")).to_have_attribute("data-capture", capture)

    page.click("#viewer-keys")
    item = page.locator(".menu-item[data-action='ctrlAltDel']")
    expect(item).to_be_enabled()
    expect(page.locator("#viewer-ctrl-alt-del-hint")).to_be_hidden()
    if secure_attention == "sas":
        expect(item).to_have_attribute("title", "Sent as the secure attention sequence: the agent runs as a Windows service.")
    item.click()
    seen = fake.wait_for(viewer, lambda m: m["type"] == "Key" and m["code"] == "ControlLeft" and not m["pressed"])
    assert keys_of(seen) == CHORD


def test_a_new_agent_session_forgets_the_old_one_and_unknown_types_are_skipped(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    first = agent()
    page, viewer = live(server, agent_id, first, new_page, "gdi", "unavailable")
    # A type this viewer does not know (a newer agent's) is skipped: the session goes on.
    first.send(viewer, b"\x7e\x01\x02\x03")
    first.send(viewer, fake_agent.tile_update(0, 0, 64, 64, "png", fake_agent.png_rgb(64, 64, lambda x, y: (200, 30, 30))))
    first.send(viewer, fake_agent.frame_end(2))
    first.wait_for(viewer, lambda m: m == {"type": "FrameAck", "sequence": 2})
    expect(page.locator("#viewer")).to_have_attribute("data-state", "connected")

    # The agent restarts as an older build that sends no SessionInfo: Ctrl+Alt+Del is keys again.
    first.stop()
    expect(page.locator("#viewer")).to_have_attribute("data-state", "offline")
    second = agent()
    again = second.wait_viewer(timeout=30)
    send_plain = [fake_agent.monitor_layout(MONITORS), fake_agent.tile_update(0, 0, DESKTOP_W, DESKTOP_H, "png", SCENE),
                  fake_agent.frame_end(1)]
    for message in send_plain:
        second.send(again, message)
    second.wait_for(again, lambda m: m == {"type": "FrameAck", "sequence": 1})
    expect_painted(page, again.channel.fingerprint)
    expect(page.locator("#viewer-stat-capture")).to_have_text("—")
    page.click("#viewer-keys")
    expect(page.locator(".menu-item[data-action='ctrlAltDel']")).to_be_enabled()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_an_elevated_agent_shows_the_administrator_badge(server, agent_account, agent, new_page, theme):
    agent_id, _ = agent_account
    fake = agent()
    page, viewer = live(server, agent_id, fake, new_page, "dxgi", "unavailable", theme=theme,
                        flags=inner.SESSION_ELEVATED)
    badge = page.locator("#viewer-elevated")
    expect(badge).to_be_visible()
    expect(badge).to_have_text("Administrator")
    expect(badge).to_have_attribute("title", "The agent runs elevated (as administrator): its input also reaches elevated windows.")
    expect(page.locator("#viewer")).to_have_attribute("data-elevated", "true")
    expect(page.locator("#viewer-stat-capture")).to_have_text("DXGI")
    page.wait_for_timeout(1100)  # one status-bar tick, for the screenshot's numbers
    path = shot(page, f"viewer-session-elevated-{theme}")
    assert path.stat().st_size > 10_000
    shot(page.locator("#viewer-status"), f"viewer-statusbar-elevated-{theme}")

    # The stream restarts with an agent that is no longer elevated: the badge goes.
    start_stream(fake, viewer, "gdi", "unavailable", sequence=2)
    expect(page.locator("#viewer-stat-capture")).to_have_text("GDI")
    expect(badge).to_be_hidden()
    expect(page.locator("#viewer")).to_have_attribute("data-elevated", "false")


def test_an_unelevated_agent_shows_no_badge_and_reserved_flags_end_the_session(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page, viewer = live(server, agent_id, fake, new_page, "xshm", "keys")
    expect(page.locator("#viewer-stat-capture")).to_have_text("XShm")
    expect(page.locator("#viewer")).to_have_attribute("data-elevated", "false")
    expect(page.locator("#viewer-elevated")).to_be_hidden()
    # Elevated plus a reserved bit (0x81) is a broken agent (InvalidField in inner.json): the viewer
    # closes the session rather than guess, and shows no badge for it.
    fake.send(viewer, session_info("xshm", "keys", flags=0x81))
    expect(page.locator("#viewer")).not_to_have_attribute("data-state", "connected")
    expect(page.locator("#viewer-elevated")).to_be_hidden()
