"""The viewer page against a fake agent (tests/browser/fake_agent.py) through the
real server: key exchange and fingerprint, painting (canvas read back), FrameAck
flow control, control input, view-only mode, a tampered record, and the agent
going away and coming back. Screenshots of the viewer in both themes."""
import pytest
from playwright.sync_api import expect

import fake_agent
from browser_steps import SHOT_DIR
from viewer_steps import (DESKTOP_H, DESKTOP_W, admin_api, canvas_samples, desktop_scene, enrol, expect_painted,
                          open_viewer, pattern, png_of, send_screen, signed_in, stage_point)

PATTERN_PNG = png_of(pattern)


@pytest.fixture(scope="module")
def agent_account(server):
    api = admin_api(server)
    return enrol(api, "FRONT-DESK-01")


def test_control_session_paints_acks_and_sends_input(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = open_viewer(signed_in(new_page(), server.base_url), server.base_url, agent_id)
    viewer = fake.wait_viewer()
    assert viewer.mode == "control"
    send_screen(fake, viewer, PATTERN_PNG, sequence=1)
    fake.wait_for(viewer, lambda m: m == {"type": "FrameAck", "sequence": 1})
    expect_painted(page, viewer.channel.fingerprint)
    expect(page.locator("#viewer-stat-codec")).to_have_text("PNG")
    expect(page.locator("#viewer-monitor option")).to_have_count(3)

    result = canvas_samples(page)
    assert (result["width"], result["height"]) == (DESKTOP_W, DESKTOP_H)
    wrong = [(x, y, (r, g, b), pattern(x, y)) for x, y, r, g, b in result["samples"] if (r, g, b) != pattern(x, y)]
    assert not wrong, wrong[:5]

    # A click lands at the right desktop pixel: move, press, release.
    page.mouse.click(*stage_point(page, 100, 50))
    seen = fake.wait_for(viewer, lambda m: m == {"type": "PointerButton", "button": 0, "pressed": False})
    inputs = [m for m in seen if m["type"] != "FrameAck"]
    assert {"type": "PointerMove", "x": 100, "y": 50} in inputs
    assert inputs[-2:] == [{"type": "PointerButton", "button": 0, "pressed": True}, {"type": "PointerButton", "button": 0, "pressed": False}]
    # Right click on the second monitor.
    page.mouse.click(*stage_point(page, 500, 300), button="right")
    seen = fake.wait_for(viewer, lambda m: m == {"type": "PointerButton", "button": 2, "pressed": False})
    assert {"type": "PointerMove", "x": 500, "y": 300} in seen

    page.keyboard.type("Hi!")
    seen = fake.wait_for(viewer, lambda m: m["type"] == "Key" and m["key"] == "!" and not m["pressed"])
    presses = [(m["code"], m["key"]) for m in seen if m["type"] == "Key" and m["pressed"]]
    assert presses == [("KeyH", "H"), ("KeyI", "i"), ("Digit1", "!")]
    page.keyboard.press("Control+a")
    seen = fake.wait_for(viewer, lambda m: m["type"] == "Key" and m["code"] == "KeyA" and not m["pressed"])
    assert {"type": "Key", "pressed": True, "modifiers": 2, "code": "KeyA", "key": "a"} in seen

    page.mouse.move(*stage_point(page, 320, 200))
    page.mouse.wheel(0, 100)
    seen = fake.wait_for(viewer, lambda m: m["type"] == "Wheel")
    assert seen[-1] == {"type": "Wheel", "dx": 0, "dy": 120}

    # The special-key menu sends Ctrl+Alt+Del as presses then releases in reverse.
    page.click("#viewer-keys")
    page.click(".menu-item[data-action='ctrlAltDel']")
    seen = fake.wait_for(viewer, lambda m: m["type"] == "Key" and m["code"] == "ControlLeft" and not m["pressed"])
    keys = [(m["code"], m["pressed"]) for m in seen if m["type"] == "Key"]
    assert keys[-6:] == [("ControlLeft", True), ("AltLeft", True), ("Delete", True), ("Delete", False), ("AltLeft", False), ("ControlLeft", False)]

    # View-only stops input without leaving the session; the next frame is still acked.
    page.click("#viewer-view-only")
    page.mouse.click(*stage_point(page, 10, 10))
    page.keyboard.type("x")
    send_screen(fake, viewer, PATTERN_PNG, sequence=2)
    seen = fake.wait_for(viewer, lambda m: m == {"type": "FrameAck", "sequence": 2})
    assert [m for m in seen if m["type"] != "FrameAck"] == []
    assert [m for m in fake.drain(viewer, 1.0) if m["type"] != "FrameAck"] == []

    # 1:1 and a single monitor keep the mapping right.
    page.click("#viewer-view-only")
    page.click("#viewer-scale-actual")
    page.select_option("#viewer-monitor", "1")
    box = page.locator("#viewer-stage").bounding_box()
    assert round(box["width"]) == 320 and round(box["height"]) == 400
    page.mouse.click(box["x"] + 10.5, box["y"] + 20.5)
    seen = fake.wait_for(viewer, lambda m: m == {"type": "PointerButton", "button": 0, "pressed": False})
    assert {"type": "PointerMove", "x": 330, "y": 20} in seen


def test_view_mode_sends_no_input(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = open_viewer(signed_in(new_page(), server.base_url), server.base_url, agent_id, mode="view")
    viewer = fake.wait_viewer()
    assert viewer.mode == "view"
    send_screen(fake, viewer, PATTERN_PNG)
    fake.wait_for(viewer, lambda m: m == {"type": "FrameAck", "sequence": 1})
    expect_painted(page, viewer.channel.fingerprint)
    expect(page.locator("#viewer-view-only")).to_have_count(0)
    expect(page.locator("#viewer-mode")).to_have_text("View")
    page.mouse.click(*stage_point(page, 100, 50))
    page.keyboard.type("secret")
    page.mouse.wheel(0, 100)
    assert fake.drain(viewer, 1.5) == []
    # Disconnect ends the session for good (no automatic reconnection).
    page.click("#viewer-disconnect")
    expect(page.locator("#viewer")).to_have_attribute("data-state", "ended")
    expect(page.locator("#viewer-overlay-title")).to_have_text("Session ended")
    assert viewer.left.wait(10)
    page.wait_for_timeout(1500)
    assert fake.joined.empty()


def test_tampered_record_shows_an_error_and_the_page_survives(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = open_viewer(signed_in(new_page(), server.base_url), server.base_url, agent_id)
    viewer = fake.wait_viewer()
    send_screen(fake, viewer, PATTERN_PNG)
    fake.wait_for(viewer, lambda m: m["type"] == "FrameAck")
    record = bytearray(viewer.channel.seal(fake_agent.frame_end(2)))
    record[12] ^= 0x01
    fake.send_record(viewer, bytes(record))
    expect(page.locator("#viewer")).to_have_attribute("data-state", "error")
    expect(page.locator("#viewer-overlay-title")).to_have_text("Security check failed")
    expect(page.locator("#viewer-overlay-text")).to_contain_text("AuthenticationFailed")
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOT_DIR / "viewer-error-light-desktop.png"))
    assert viewer.left.wait(10), "the viewer kept the tampered connection open"
    # The page still works: Reconnect starts a fresh, clean session.
    page.click("#viewer-reconnect")
    again = fake.wait_viewer()
    send_screen(fake, again, PATTERN_PNG)
    fake.wait_for(again, lambda m: m["type"] == "FrameAck")
    expect_painted(page, again.channel.fingerprint)


def test_agent_going_away_shows_offline_and_resumes(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    first = agent()
    page = open_viewer(signed_in(new_page(), server.base_url), server.base_url, agent_id)
    viewer = first.wait_viewer()
    send_screen(first, viewer, PATTERN_PNG)
    first.wait_for(viewer, lambda m: m["type"] == "FrameAck")
    expect_painted(page, viewer.channel.fingerprint)

    first.stop()
    expect(page.locator("#viewer")).to_have_attribute("data-state", "offline")
    expect(page.locator("#viewer-state")).to_have_text("Agent offline")
    expect(page.locator("#viewer-overlay")).to_be_visible()

    second = agent()
    resumed = second.wait_viewer(timeout=30)
    assert resumed.channel.fingerprint != viewer.channel.fingerprint  # fresh keys for the new session
    send_screen(second, resumed, png_of(desktop_scene))
    second.wait_for(resumed, lambda m: m["type"] == "FrameAck")
    expect_painted(page, resumed.channel.fingerprint)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_viewer_screenshots_and_touch(server, agent_account, agent, new_page, browser, theme):
    agent_id, _ = agent_account
    fake = agent()
    scene = png_of(desktop_scene)
    page = open_viewer(signed_in(new_page(theme=theme), server.base_url), server.base_url, agent_id)
    viewer = fake.wait_viewer()
    send_screen(fake, viewer, scene)
    fake.wait_for(viewer, lambda m: m["type"] == "FrameAck")
    expect_painted(page, viewer.channel.fingerprint)
    page.wait_for_timeout(1100)  # one status-bar tick, so fps and bandwidth show numbers
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOT_DIR / f"viewer-{theme}-desktop.png"))

    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=1)
    context.add_init_script(f"localStorage.setItem('gc-theme', '{theme}')")
    try:
        phone = context.new_page()
        errors = []
        phone.on("pageerror", lambda e: errors.append(str(e)))
        open_viewer(signed_in(phone, server.base_url), server.base_url, agent_id)
        on_phone = fake.wait_viewer()
        send_screen(fake, on_phone, scene)
        fake.wait_for(on_phone, lambda m: m["type"] == "FrameAck")
        expect_painted(phone, on_phone.channel.fingerprint)
        phone.wait_for_timeout(1100)
        phone.screenshot(path=str(SHOT_DIR / f"viewer-{theme}-phone.png"))
        # A tap is a left click where the finger landed.
        phone.touchscreen.tap(*stage_point(phone, 200, 100))
        seen = fake.wait_for(on_phone, lambda m: m == {"type": "PointerButton", "button": 0, "pressed": False})
        assert {"type": "PointerMove", "x": 200, "y": 100} in seen
        # A long press is a right click; a two-finger drag scrolls (fingers up = scroll down).
        cdp = context.new_cdp_session(phone)
        x, y = stage_point(phone, 300, 200)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y, "id": 1}]})
        phone.wait_for_timeout(800)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        seen = fake.wait_for(on_phone, lambda m: m == {"type": "PointerButton", "button": 2, "pressed": False})
        assert {"type": "PointerButton", "button": 2, "pressed": True} in seen
        assert {"type": "PointerMove", "x": 300, "y": 200} in seen
        points = lambda dy: [{"x": x - 30, "y": y + dy, "id": 1}, {"x": x + 30, "y": y + dy, "id": 2}]  # noqa: E731
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
        for step in range(1, 7):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(-10 * step)})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        wheels = [m for m in fake.drain(on_phone, 1.0) if m["type"] == "Wheel"]
        assert wheels and all(m["dy"] > 0 and m["dx"] == 0 for m in wheels), wheels
        assert sum(m["dy"] for m in wheels) == 120
        assert not errors, errors
    finally:
        context.close()
    # Waiting states look right too.
    fake.stop()
    expect(page.locator("#viewer")).to_have_attribute("data-state", "offline")
    page.screenshot(path=str(SHOT_DIR / f"viewer-offline-{theme}-desktop.png"))
