"""The Support tab against the real server: generate a code in the UI (code, copy, portal
link), rows appearing and changing status live over the dashboard WebSocket with no
reload, cancel, transfer; a fake one-time agent (its session id and secret read from
the portal download's trailer) going to waiting-for-consent and connected live; Join
opens the support viewer, which pauses (no painting, no acks, no input) and resumes
on the agent's full-screen resend, and ends the session. Screenshots light, dark, phone."""
import re

import pytest
from playwright.sync_api import expect

from browser_steps import shot
from portal_steps import FakeSupportAgent, call, create_code, portal_download
from viewer_steps import (DESKTOP_H, DESKTOP_W, MONITORS, admin_api, canvas_samples, desktop_scene, expect_painted,
                          pattern, png_of, send_screen, signed_in, stage_point, ws_url)
import fake_agent

PATTERN_PNG = png_of(pattern)
SCENE_PNG = png_of(desktop_scene)


@pytest.fixture(scope="module")
def api(server):
    api = admin_api(server)
    status, body = call(api, "POST", "/api/users", {"username": "sarah.k", "displayName": "Sarah Kim", "password": "tech-password-123", "roleId": "technician", "teamId": None})
    assert status == 201, (status, body)
    return api


@pytest.fixture
def agents():
    started = []
    yield started
    for a in started:
        a.stop()
    for a in started:
        assert not a.errors, a.errors


def row(page, code):
    return page.locator(f"[data-testid=support-row][data-code='{code}']")


def open_support(page, base_url):
    signed_in(page, base_url)
    expect(page.locator("#support-live")).to_have_attribute("data-state", "live")
    page.evaluate("() => { window.__sameDocument = true; }")  # gone after any reload
    return page


def assert_not_reloaded(page):
    assert page.evaluate("() => window.__sameDocument === true"), "the page reloaded"


def test_generate_code_then_live_rows_and_cancel(server, api, new_page):
    page = open_support(new_page(), server.base_url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    expect(page.locator("[data-testid=support-empty-mine]")).to_be_visible()
    expect(page.locator("[data-testid=support-empty-request]")).to_be_visible()
    expect(page.locator("#support-section-mine [data-testid=section-count]")).to_have_text("0")

    page.click("#support-generate")
    expect(page.locator("#generate-assigned-me")).to_be_checked()
    page.select_option("#generate-expiry", "60")
    page.click("#generate-submit")
    expect(page.locator("#generated-code")).to_have_text(re.compile(r"^\d{6}$"))
    code = page.locator("#generated-code").text_content()
    expect(page.locator("#generated-portal-url")).to_have_value(f"{server.base_url}/?code={code}")
    page.click("#generated-code-copy")
    expect(page.locator("[data-testid=toast-success]").last).to_contain_text("Code copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == code
    page.click("#generated-portal-copy")
    expect(page.locator("[data-testid=toast-success]").last).to_contain_text("Portal link copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{server.base_url}/?code={code}"
    page.click("#generated-done")

    mine = page.locator("#support-section-mine")
    expect(mine.locator(f"[data-code='{code}']")).to_have_attribute("data-status", "pending")
    expect(mine.locator(f"[data-code='{code}'] [data-testid=support-status]")).to_have_text("Pending")
    expect(mine.locator(f"[data-code='{code}'] .cell-sub")).to_contain_text("expires in")
    expect(mine.locator("[data-testid=section-count]")).to_have_text("1")

    # A first-come code made elsewhere (the API, not this page) shows up by itself, and
    # the redraw keeps the keyboard focus where it was.
    page.focus(f"[data-code='{code}'] [data-testid=support-transfer]")
    request = create_code(api, assigned=False)
    requests = page.locator("#support-section-request")
    expect(requests.locator(f"[data-code='{request['code']}']")).to_have_attribute("data-status", "pending")
    assert page.evaluate("() => document.activeElement.closest('[data-testid=support-row]')?.dataset.code") == code
    assert page.evaluate("() => document.activeElement.dataset.testid") == "support-transfer"
    expect(requests.locator(f"[data-code='{request['code']}'] .cell-sub")).to_contain_text("Unassigned")
    expect(requests.locator("[data-testid=section-count]")).to_have_text("1")

    # Cancel in the UI.
    row(page, code).locator("[data-testid=support-cancel]").click()
    page.click("#confirm-ok")
    expect(row(page, code)).to_have_attribute("data-status", "cancelled")
    expect(row(page, code).locator("[data-testid=support-status]")).to_have_text("Cancelled")
    expect(row(page, code).locator("[data-testid=support-cancel]")).to_have_count(0)
    expect(mine.locator("[data-testid=section-count]")).to_have_text("0")

    # Cancelled elsewhere: the status changes live.
    status, _ = call(api, "POST", f"/api/support/sessions/{request['id']}/cancel")
    assert status == 204
    expect(row(page, request["code"])).to_have_attribute("data-status", "cancelled")

    # Sections collapse and remember it.
    page.click("#support-section-request-toggle")
    expect(page.locator("#support-section-request-toggle")).to_have_attribute("aria-expanded", "false")
    expect(requests.locator("[data-testid=support-row]")).to_be_hidden()
    page.click("#support-section-request-toggle")
    expect(requests.locator(f"[data-code='{request['code']}']")).to_be_visible()
    assert_not_reloaded(page)


def test_transfer_moves_the_session_to_the_colleague(server, api, new_page):
    session = create_code(api)
    page = open_support(new_page(), server.base_url)
    expect(page.locator(f"#support-section-mine [data-code='{session['code']}']")).to_be_visible()
    row(page, session["code"]).locator("[data-testid=support-transfer]").click()
    expect(page.locator("#transfer-user option")).to_have_text(["Sarah Kim"])
    page.click("#transfer-submit")
    expect(page.locator("[data-testid=toast-success]").last).to_contain_text("Sarah Kim")
    team = page.locator("#support-section-team")
    group = team.locator(".support-group[data-owner='Sarah Kim']")
    expect(group.locator(f"[data-code='{session['code']}']")).to_be_visible()
    expect(group.locator(".support-group-title")).to_contain_text("Sarah Kim's sessions")
    expect(page.locator(f"#support-section-mine [data-code='{session['code']}']")).to_have_count(0)
    assert_not_reloaded(page)


def test_support_agent_goes_live_then_join_pause_resume_end(server, api, new_page, agents):
    session = create_code(api)
    code = session["code"]
    page = open_support(new_page(), server.base_url)
    expect(row(page, code)).to_have_attribute("data-status", "pending")
    expect(row(page, code).locator("[data-testid=support-join]")).to_have_count(0)

    trailer = portal_download(server.base_url, code)
    assert trailer["session"] == session["id"] and trailer["code"] == code
    agent = FakeSupportAgent(ws_url(server), trailer["session"], trailer["secret"]).start()
    agents.append(agent)
    agent.status(1)
    expect(row(page, code)).to_have_attribute("data-status", "waitingConsent")
    expect(row(page, code).locator("[data-testid=support-status]")).to_have_text("Waiting for consent")
    agent.status(2)
    expect(row(page, code)).to_have_attribute("data-status", "connected")
    expect(row(page, code).locator("[data-testid=support-status]")).to_have_text("Connected")
    expect(page.locator("[data-testid=toast-info]", has_text="Customer connected")).to_contain_text(f"Session {code} is ready to join.")
    duration = row(page, code).locator("[data-testid=support-duration]")
    expect(duration).to_have_text(re.compile(r"^00:00:\d\d$"))
    first = duration.text_content()
    expect(duration).not_to_have_text(first, timeout=3_000)  # the timer ticks
    join = row(page, code).locator("[data-testid=support-join]")
    expect(join).not_to_have_class(re.compile("is-disabled"))
    expect(join).to_have_attribute("href", f"/app/viewer/{session['id']}?kind=support&mode=control")
    expect(row(page, code).locator("[data-testid=support-end]")).to_be_visible()
    assert_not_reloaded(page)
    shot(page, "support-connected-light-desktop")

    # Join opens the support viewer in a new tab.
    with page.context.expect_page() as opened:
        join.click()
    viewer_page = opened.value
    viewer = agent.wait_viewer()
    assert viewer.mode == "control"
    send_screen(agent, viewer, PATTERN_PNG, sequence=1)
    agent.wait_for(viewer, lambda m: m == {"type": "FrameAck", "sequence": 1})
    expect_painted(viewer_page, viewer.channel.fingerprint)
    expect(viewer_page.locator("#viewer-support-code")).to_have_text(code)
    expect(viewer_page).to_have_title(re.compile(code))

    # Paused: the picture freezes, nothing is acknowledged and no input is sent.
    viewer_page.click("#viewer-pause")
    expect(viewer_page.locator("#viewer-paused")).to_be_visible()
    expect(viewer_page.locator("#viewer")).to_have_attribute("data-paused", "true")
    expect(viewer_page.locator("#viewer")).to_have_attribute("data-input", "off")
    send_screen(agent, viewer, SCENE_PNG, sequence=2)
    viewer_page.mouse.click(*stage_point(viewer_page, 100, 50))
    viewer_page.keyboard.type("no")
    assert agent.drain(viewer, 1.5) == []
    assert_canvas(viewer_page, pattern)
    shot(viewer_page, "viewer-support-paused-light-desktop")

    # Resumed: leftovers of frames sent while paused are not painted; the agent's
    # full-screen resend (it starts with a MonitorLayout) is, and acks start again.
    viewer_page.click("#viewer-resume")
    expect(viewer_page.locator("#viewer-paused")).to_be_hidden()
    agent.send(viewer, fake_agent.tile_update(0, 0, DESKTOP_W, DESKTOP_H, "png", SCENE_PNG))
    agent.send(viewer, fake_agent.frame_end(3))
    assert [m for m in agent.drain(viewer, 1.0) if m["type"] == "FrameAck"] == []
    assert_canvas(viewer_page, pattern)
    send_screen(agent, viewer, SCENE_PNG, sequence=4)
    agent.wait_for(viewer, lambda m: m == {"type": "FrameAck", "sequence": 4})
    assert_canvas(viewer_page, desktop_scene)
    viewer_page.mouse.click(*stage_point(viewer_page, 100, 50))
    seen = agent.wait_for(viewer, lambda m: m == {"type": "PointerButton", "button": 0, "pressed": False})
    assert {"type": "PointerMove", "x": 100, "y": 50} in seen

    # End session from the viewer: final, no reconnect; the dashboard row follows.
    viewer_page.click("#viewer-end-session")
    viewer_page.click("#confirm-ok")
    expect(viewer_page.locator("#viewer")).to_have_attribute("data-state", "ended")
    expect(viewer_page.locator("#viewer-overlay-title")).to_have_text("Session ended")
    expect(viewer_page.locator("#viewer-reconnect")).to_have_count(0)
    expect(viewer_page.locator("#viewer-home")).to_have_attribute("href", "/app/support")
    expect(row(page, code)).to_have_attribute("data-status", "ended")
    expect(row(page, code).locator("[data-testid=support-end]")).to_have_count(0)
    assert_not_reloaded(page)


def assert_canvas(page, picture):
    result = canvas_samples(page, step=(41, 37))
    assert (result["width"], result["height"]) == (DESKTOP_W, DESKTOP_H)
    wrong = [(x, y) for x, y, r, g, b in result["samples"] if (r, g, b) != picture(x, y)]
    assert not wrong, wrong[:5]


def test_support_tab_screenshots_dark_and_phone(server, api, new_page, agents):
    """A populated tab: a connected session, a pending code, a request and a colleague's session."""
    live = create_code(api)
    trailer = portal_download(server.base_url, live["code"])
    agent = FakeSupportAgent(ws_url(server), trailer["session"], trailer["secret"]).start()
    agents.append(agent)
    agent.status(2)
    create_code(api)
    create_code(api, assigned=False)
    for theme, viewport, label in (("dark", {"width": 1440, "height": 900}, "desktop"), ("light", {"width": 390, "height": 844}, "phone"),
                                   ("dark", {"width": 360, "height": 760}, "phone")):
        page = open_support(new_page(viewport=viewport, theme=theme), server.base_url)
        expect(row(page, live["code"])).to_have_attribute("data-status", "connected")
        expect(row(page, live["code"]).locator("[data-testid=support-join]")).to_be_visible()
        # Nothing may stick out sideways on a phone.
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "horizontal overflow"
        shot(page, f"support-{theme}-{label}-{viewport['width']}")
        if label == "desktop":
            page.click("#support-generate")
            page.click("#generate-submit")
            expect(page.locator("#generated-code")).to_be_visible()
            shot(page, f"support-generated-{theme}-{label}")


PAUSE_GATE = """
async () => {
  const { PauseGate } = await import('/assets/js/viewer/pause-gate.js');
  const tile = { type: 'TileUpdate' }, end = { type: 'FrameEnd', sequence: 1 }, layout = { type: 'MonitorLayout', monitors: [] };
  const cursor = { type: 'CursorPosition', x: 1, y: 1, visible: true };
  const out = {};
  const quiet = new PauseGate();
  quiet.pause();
  out.quietPaused = [quiet.admit(cursor), quiet.admit(layout)];
  quiet.resume();  // nothing was dropped: the picture is current, paint at once
  out.quietResumed = [quiet.admit(tile), quiet.admit(end)];
  const busy = new PauseGate();
  out.before = busy.admit(tile);
  busy.pause();
  out.busyPaused = [busy.admit(tile), busy.admit(end)];
  busy.resume();  // frames were dropped: only the full resend, from its MonitorLayout on
  out.busyResumed = [busy.admit(tile), busy.admit(end), busy.admit(cursor), busy.admit(layout), busy.admit(tile), busy.admit(end)];
  return out;
}
"""


def test_pause_gate_rules(server, new_page):
    page = new_page()
    page.goto(f"{server.base_url}/")
    expect(page.locator("#portal-code")).to_be_visible()
    assert page.evaluate(PAUSE_GATE) == {
        "quietPaused": [False, False], "quietResumed": [True, True], "before": True,
        "busyPaused": [False, False], "busyResumed": [False, False, False, True, True, True],
    }
