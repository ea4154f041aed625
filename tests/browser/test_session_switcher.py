"""Many sessions at once: three fake agents (tests/browser/fake_agent.py) open in one viewer
window through the real server. The session switcher lists them with their state and a live
thumbnail, switches with one click, and closes one. A session in the background
acknowledges about one frame a second, so the agent's two-frame window (docs/protocol.md §4)
holds it to a low frame rate, measured at the agents; shown again, it is back to full rate.
The Access tab's Connect adds a session to the open viewer window. Screenshots: light, dark,
phone width."""
import re
import threading
import time

import pytest
from playwright.sync_api import expect

import fake_agent
from browser_steps import SHOT_DIR, shot
from viewer_steps import (admin_api, agent_online, browser_clipboard, clipboard_context, desktop_scene, enrol, png_of,
                          send_screen, set_browser_clipboard, set_clipboard_sync, signed_in, ws_url)

NAMES = ("FRONT-DESK-01", "ACCOUNTS-PC", "WAREHOUSE-02", "RECEPTION-MAC")
COLOURS = {"red": (220, 40, 40), "green": (40, 180, 90), "blue": (40, 90, 220), "yellow": (240, 200, 40)}
W, H = 160, 100
WINDOW = 2  # the agent sends while fewer than two frames are unacknowledged
MEASURE_S = 3.0  # each frame-rate measurement window
# At one acknowledgement a second, a background session gets ~1 frame/s; allow jitter.
BACKGROUND_MAX_FPS = 2.0
FRONT_MIN_FPS = 8.0


def solid_png(colour):
    return fake_agent.png_rgb(W, H, lambda x, y: colour)


class FramePump:
    """Plays the agent's flow control for one viewer: keeps sending one-tile frames while fewer
    than WINDOW are unacknowledged, and records when each FrameAck arrived."""

    def __init__(self, agent, viewer, colour):
        self.agent, self.viewer, self.colour = agent, viewer, colour
        self.acks = []  # monotonic times of FrameAcks that acknowledged something new
        self.others = []  # every other inner message from the viewer (input, clipboard)
        self.longest_wait = 0.0  # the longest time a frame stayed unacknowledged
        self.sent = 0
        self.acked = 0
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.pngs = {}

    def start(self):
        self.agent.send(self.viewer, fake_agent.monitor_layout([{"x": 0, "y": 0, "width": W, "height": H, "primary": True}]))
        self.thread.start()
        return self

    def run(self):
        oldest_unacked_at = None
        while not self.stopping.is_set():
            while self.sent - self.acked < WINDOW and not self.stopping.is_set():
                png = self.pngs.setdefault(self.colour, solid_png(COLOURS[self.colour]))
                self.sent += 1
                self.agent.send(self.viewer, fake_agent.tile_update(0, 0, W, H, "png", png))
                self.agent.send(self.viewer, fake_agent.frame_end(self.sent))
                oldest_unacked_at = oldest_unacked_at or time.monotonic()
            try:
                message = self.viewer.inbox.get(timeout=0.2)
            except Exception:  # noqa: BLE001 (queue.Empty: look at stopping again)
                continue
            if message["type"] != "FrameAck":
                with self.lock:
                    self.others.append(message)
            elif message["sequence"] > self.acked:
                now = time.monotonic()
                with self.lock:
                    self.acks.append(now)
                    self.longest_wait = max(self.longest_wait, now - oldest_unacked_at)
                self.acked = message["sequence"]
                oldest_unacked_at = now if self.sent > self.acked else None

    def acks_between(self, start, end):
        with self.lock:
            return sum(1 for t in self.acks if start <= t < end)

    def clipboard(self):
        with self.lock:
            return [m["text"] for m in self.others if m["type"] == "ClipboardText"]

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=5)


def measure_fps(pumps):
    """Acknowledged frames per second of each pump over one MEASURE_S window."""
    start = time.monotonic()
    end = start + MEASURE_S
    # The window is the quantity measured, not a wait for something to happen.
    threading.Event().wait(MEASURE_S)
    return {name: pump.acks_between(start, end) / MEASURE_S for name, pump in pumps.items()}


THUMB_PIXEL = """
(key) => {
  const c = document.querySelector(`[data-testid=switcher-card][data-key="${key}"] canvas`);
  const d = c.getContext('2d').getImageData(Math.floor(c.width / 2) - 12, Math.floor(c.height / 2) - 12, 1, 1).data;
  return [d[0], d[1], d[2]];
}
"""


def expect_thumb(page, key, colour, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        got = tuple(page.evaluate(THUMB_PIXEL, key))
        if all(abs(a - b) <= 6 for a, b in zip(got, COLOURS[colour])) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(100)
    assert all(abs(a - b) <= 6 for a, b in zip(got, COLOURS[colour])), (key, got, colour)


def card(page, agent_id):
    return page.locator(f'[data-testid=switcher-card][data-key="agent:{agent_id}"]')


@pytest.fixture(scope="module")
def machines(server):
    api = admin_api(server)
    accounts = [enrol(api, name) for name in NAMES]
    agents = [fake_agent.FakeAgent(ws_url(server), agent_id, credential).start() for agent_id, credential in accounts]
    deadline = time.monotonic() + 10
    while not all(agent_online(api, a.agent_id) for a in agents) and time.monotonic() < deadline:
        threading.Event().wait(0.1)
    assert all(agent_online(api, a.agent_id) for a in agents)
    yield [(name, a) for name, a in zip(NAMES, agents)]
    for a in agents:
        a.stop()
        assert not a.errors, a.errors


def open_three(page, server, machines, colours=("red", "green", "blue")):
    """Opens the first three machines in one viewer window; returns their FramePumps by name."""
    pumps = {}
    (first_name, first), *others = machines[:3]
    page.goto(f"{server.base_url}/app/viewer/{first.agent_id}?mode=control")
    expect(page.locator("#viewer-switcher")).to_be_visible()
    expect(page.locator("[data-testid=switcher-empty]")).to_be_visible()  # only one session: the hint
    pumps[first_name] = FramePump(first, first.wait_viewer(), colours[0]).start()
    for (name, agent), colour in zip(others, colours[1:]):
        page.click("#viewer-switcher-open")
        expect(page.locator("#viewer-switcher-dialog")).to_be_visible()
        page.click(f'#viewer-switcher-dialog [aria-label="Open {name}"]')
        pumps[name] = FramePump(agent, agent.wait_viewer(), colour).start()
        expect(card(page, agent.agent_id)).to_have_class(re.compile(r"\bis-front\b"))
    return pumps


def test_three_sessions_switch_throttle_and_close(server, machines, new_page):
    page = signed_in(new_page(), server.base_url)
    pumps = open_three(page, server, machines)
    (a_name, a), (b_name, b), (c_name, c) = machines[:3]
    cards = page.locator("[data-testid=switcher-card]")
    expect(cards).to_have_count(3)
    expect(page.locator("#viewer-switcher-count")).to_have_text("3")
    expect(page.locator("[data-testid=switcher-empty]")).to_be_hidden()
    for name, agent in machines[:3]:
        expect(card(page, agent.agent_id)).to_have_attribute("data-state", "connected", timeout=15_000)
        expect(card(page, agent.agent_id)).to_have_attribute("data-name", name)
        expect(card(page, agent.agent_id).locator("[data-testid=switcher-state]")).to_have_text("Connected")
    # The last opened is in front: its name in the toolbar, its id in the URL.
    expect(page.locator("#viewer-agent-name")).to_have_text(c_name)
    assert c.agent_id in page.url
    expect(page.locator("#viewer")).to_have_count(1)  # one viewer in the page, the others detached

    # Live thumbnails: each shows its agent's colour, and a background one follows a change.
    expect_thumb(page, f"agent:{a.agent_id}", "red")
    expect_thumb(page, f"agent:{b.agent_id}", "green")
    expect_thumb(page, f"agent:{c.agent_id}", "blue")
    pumps[a_name].colour = "yellow"
    expect_thumb(page, f"agent:{a.agent_id}", "yellow")

    # Frame rates measured at the agents: C in front, A and B behind.
    fps = measure_fps(pumps)
    print("front C, background A B:", fps)
    assert fps[c_name] >= FRONT_MIN_FPS, fps
    assert 0 < fps[a_name] <= BACKGROUND_MAX_FPS, fps
    assert 0 < fps[b_name] <= BACKGROUND_MAX_FPS, fps
    assert fps[c_name] >= 4 * max(fps[a_name], fps[b_name]), fps

    # One click brings A to the front: full rate for A, C drops.
    card(page, a.agent_id).locator(".switcher-select").click()
    expect(card(page, a.agent_id)).to_have_class(re.compile(r"\bis-front\b"))
    expect(page.locator("#viewer-agent-name")).to_have_text(a_name)
    expect(page.locator("#viewer")).to_have_attribute("data-state", "connected")
    assert a.agent_id in page.url
    fps = measure_fps(pumps)
    print("front A, background B C:", fps)
    assert fps[a_name] >= FRONT_MIN_FPS, fps
    assert 0 < fps[c_name] <= BACKGROUND_MAX_FPS, fps
    assert 0 < fps[b_name] <= BACKGROUND_MAX_FPS, fps
    # No frame of a background session waited anywhere near the agent's 3 s resend timeout.
    for name, pump in pumps.items():
        assert pump.longest_wait < 2.0, (name, pump.longest_wait)

    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    shot(page, "viewer-switcher-light")

    # The machine goes away: its card says Offline, the others are untouched.
    pumps[c_name].stop()
    c.stop()
    expect(card(page, c.agent_id)).to_have_attribute("data-state", "offline", timeout=15_000)
    expect(card(page, c.agent_id).locator("[data-testid=switcher-state]")).to_have_text("Offline")
    # C was behind A: a toast names it, since the technician is not watching it.
    expect(page.locator(".toast", has_text=f"{c_name}: Agent offline")).to_be_visible()
    expect(card(page, b.agent_id)).to_have_attribute("data-state", "connected")

    # Closing B removes it from the switcher and ends its viewer at the agent.
    b_viewer = pumps[b_name].viewer
    card(page, b.agent_id).hover()
    card(page, b.agent_id).locator("[data-testid=switcher-close]").click()
    expect(cards).to_have_count(2)
    expect(card(page, b.agent_id)).to_have_count(0)
    assert b_viewer.left.wait(10), "the closed session's viewer never left the agent"
    expect(page.locator(".toast", has_text=f"{b_name}:")).to_have_count(0)  # closed on purpose: no alarm
    # Closing the one in front brings the next one forward.
    card(page, a.agent_id).locator("[data-testid=switcher-close]").click()
    expect(cards).to_have_count(1)
    expect(card(page, c.agent_id)).to_have_class(re.compile(r"\bis-front\b"))
    expect(page.locator("[data-testid=switcher-empty]")).to_be_visible()
    for pump in pumps.values():
        pump.stop()


def test_connect_in_access_adds_to_the_open_viewer_dark_and_phone(server, machines, new_page):
    (a_name, a), (d_name, d) = machines[0], machines[3]
    viewer_page = signed_in(new_page(theme="dark"), server.base_url)
    viewer_page.goto(f"{server.base_url}/app/viewer/{a.agent_id}?mode=control")
    pumps = {a_name: FramePump(a, a.wait_viewer(), "green").start()}
    expect(card(viewer_page, a.agent_id)).to_have_attribute("data-state", "connected", timeout=15_000)
    expect(viewer_page.locator("[data-testid=switcher-empty]")).to_be_visible()
    expect_thumb(viewer_page, f"agent:{a.agent_id}", "green")
    shot(viewer_page, "viewer-switcher-one-session-dark")

    # Connect in the Access tab of the same browser: the open viewer window takes the session,
    # and no new window opens.
    context = viewer_page.context
    access = context.new_page()
    access.goto(f"{server.base_url}/app/access")
    access.click(f'[data-testid=agent-row][data-name="{d_name}"] [data-testid=agent-control]')
    pumps[d_name] = FramePump(d, d.wait_viewer(), "blue").start()
    expect(access.get_by_text(f"{d_name} opened in your viewer window")).to_be_visible()
    expect(viewer_page.locator("[data-testid=switcher-card]")).to_have_count(2)
    expect(card(viewer_page, d.agent_id)).to_have_class(re.compile(r"\bis-front\b"))
    expect(card(viewer_page, d.agent_id)).to_have_attribute("data-state", "connected", timeout=15_000)
    assert len(context.pages) == 2, [p.url for p in context.pages]
    expect_thumb(viewer_page, f"agent:{d.agent_id}", "blue")
    expect_thumb(viewer_page, f"agent:{a.agent_id}", "green")
    viewer_page.bring_to_front()  # the technician switches to the viewer window
    expect(card(viewer_page, d.agent_id).locator("canvas")).to_have_css("opacity", "1")
    shot(viewer_page, "viewer-switcher-dark")

    # Phone width: the rail folds into a Sessions menu.
    viewer_page.set_viewport_size({"width": 390, "height": 844})
    expect(viewer_page.locator("#viewer-switcher-toggle")).to_be_visible()
    expect(viewer_page.locator("#viewer-switcher-panel")).to_be_hidden()
    expect(viewer_page.locator("#viewer-switcher-toggle")).to_contain_text("2")
    shot(viewer_page, "viewer-switcher-phone")
    viewer_page.click("#viewer-switcher-toggle")
    expect(viewer_page.locator("#viewer-switcher-panel")).to_be_visible()
    shot(viewer_page, "viewer-switcher-phone-menu")
    card(viewer_page, a.agent_id).locator(".switcher-select").click()
    expect(viewer_page.locator("#viewer-switcher-panel")).to_be_hidden()
    expect(viewer_page.locator("#viewer-agent-name")).to_have_text(a_name)
    for pump in pumps.values():
        pump.stop()


def wait_clipboard(pump, text, timeout=10):
    deadline = time.monotonic() + timeout
    while text not in pump.clipboard() and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert text in pump.clipboard(), (text, pump.clipboard())


def test_clipboard_sync_follows_the_session_in_front(server, machines, browser, page_errors):
    """With sync on in two sessions, only the one in front exchanges clipboards: a copy on the
    background machine stays in its panel, and the local clipboard goes to a session when it
    comes to the front (as when the technician comes back to the tab)."""
    (a_name, a), (b_name, b) = machines[0], machines[1]
    context = clipboard_context(browser, server.base_url)
    try:
        page = signed_in(page_errors.watch(context.new_page()), server.base_url)
        page.goto(f"{server.base_url}/app/viewer/{a.agent_id}?mode=control")
        pumps = {a_name: FramePump(a, a.wait_viewer(), "red").start()}
        expect(page.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=15_000)
        set_clipboard_sync(page, True)
        page.click("#viewer-switcher-open")
        page.click(f'#viewer-switcher-dialog [aria-label="Open {b_name}"]')
        pumps[b_name] = FramePump(b, b.wait_viewer(), "green").start()
        expect(page.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=15_000)
        expect(page.locator("#viewer-agent-name")).to_have_text(b_name)
        set_clipboard_sync(page, True)

        # A copy on A (in the background) reaches A's panel but not the browser's clipboard.
        set_browser_clipboard(page, "the technician's own text")
        a.send(pumps[a_name].viewer, fake_agent.clipboard_text("copied on A"))
        card(page, a.agent_id).locator(".switcher-select").click()
        expect(page.locator("#viewer-agent-name")).to_have_text(a_name)
        page.click("#viewer-clipboard")
        expect(page.locator("#viewer-clipboard-remote")).to_have_value("copied on A")
        assert browser_clipboard(page) == "the technician's own text"
        # A came to the front: the local clipboard went to A, and never to B behind it.
        wait_clipboard(pumps[a_name], "the technician's own text")

        # The technician copies locally and brings B forward: B gets it; A (now behind) does not.
        set_browser_clipboard(page, "for machine B")
        card(page, b.agent_id).locator(".switcher-select").click()
        expect(page.locator("#viewer-agent-name")).to_have_text(b_name)
        wait_clipboard(pumps[b_name], "for machine B")
        # A copy on B (in front) lands in the browser's clipboard, as before.
        b.send(pumps[b_name].viewer, fake_agent.clipboard_text("copied on B"))
        deadline = time.monotonic() + 10
        while browser_clipboard(page) != "copied on B" and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert browser_clipboard(page) == "copied on B"
        assert "for machine B" not in pumps[a_name].clipboard()
        assert "the technician's own text" not in pumps[b_name].clipboard()
        for pump in pumps.values():
            pump.stop()
    finally:
        context.close()


SCENES = (
    png_of(desktop_scene),
    png_of(lambda x, y: tuple(reversed(desktop_scene(x, y)))),
    png_of(lambda x, y: (lambda r, g, b: (g, b, r))(*desktop_scene(x, y))),
)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_switcher_screenshots(server, machines, new_page, theme):
    """Three machines with desktop-like pictures, for the screenshots (the pictures only: no pump)."""
    chosen = [machines[0], machines[1], machines[3]]
    page = signed_in(new_page(theme=theme), server.base_url)
    page.goto(f"{server.base_url}/app/viewer/{chosen[0][1].agent_id}?mode=control")
    for index, (name, agent) in enumerate(chosen):
        if index:
            page.click("#viewer-switcher-open")
            page.click(f'#viewer-switcher-dialog [aria-label="Open {name}"]')
        send_screen(agent, agent.wait_viewer(), SCENES[index])
        expect(card(page, agent.agent_id)).to_have_class(re.compile(r"\bhas-picture\b"))
    card(page, chosen[0][1].agent_id).locator(".switcher-select").click()
    expect(page.locator("#viewer-overlay")).to_be_hidden()
    for _, agent in chosen:
        expect(card(page, agent.agent_id)).to_have_attribute("data-state", "connected")
    shot(page, f"viewer-switcher-scenes-{theme}")
    page.click("#viewer-switcher-open")
    expect(page.locator("#viewer-switcher-dialog .switcher-pick-row[data-open=true]")).to_have_count(3)
    expect(page.locator(f'#viewer-switcher-dialog [aria-label="Show {chosen[1][0]}"]')).to_be_visible()
    shot(page, f"viewer-switcher-open-another-{theme}")
    # An open one is shown, not opened twice.
    page.click(f'#viewer-switcher-dialog [aria-label="Show {chosen[1][0]}"]')
    expect(page.locator("#viewer-switcher-dialog")).to_have_count(0)
    expect(card(page, chosen[1][1].agent_id)).to_have_class(re.compile(r"\bis-front\b"))
    expect(page.locator("[data-testid=switcher-card]")).to_have_count(3)
    expect(page.locator("#viewer-agent-name")).to_have_text(chosen[1][0])
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("#viewer-switcher-toggle")
    expect(page.locator("#viewer-switcher-panel")).to_be_visible()
    shot(page, f"viewer-switcher-scenes-phone-menu-{theme}")


ACK_PACER = """
async () => {
  const { AckPacer } = await import('/assets/js/viewer/ack-pacer.js');
  let clock = 0;
  const sent = [];
  const acked = [];
  const pacer = new AckPacer({ ack: (s) => sent.push([clock, s]), acked: (s) => acked.push(s), intervalMs: 1000, now: () => clock });
  const log = {};
  pacer.painted(1); pacer.painted(2);           // in front: each at once
  log.front = [...sent];
  pacer.setBackground(true);
  clock = 100; pacer.painted(3);                 // within the second since the last ack: held
  clock = 200; pacer.painted(4);                 // the newest replaces it (an ack covers earlier ones)
  log.held = [...sent];
  await new Promise((r) => setTimeout(r, 1000)); // the timer (900 ms) fires
  clock = 1000;
  log.afterSecond = [...sent];
  clock = 1200; pacer.painted(5);                // held again
  pacer.setBackground(false);                    // in front: the held one goes at once
  log.shown = [...sent];
  pacer.setBackground(true);
  clock = 1300; pacer.painted(6);
  pacer.reset();                                 // a new connection: nothing held survives
  await new Promise((r) => setTimeout(r, 1000));
  log.afterReset = [...sent];
  log.acked = acked;
  return log;
}
"""


def test_ack_pacer(new_page, server):
    """js/viewer/ack-pacer.js with a fake clock: in front every frame is acknowledged at once; in
    the background at most one a second, for the newest frame; in front again the held one goes
    at once; a reset drops what is held."""
    page = new_page()
    page.goto(f"{server.base_url}/login")
    log = page.evaluate(ACK_PACER)
    assert log["front"] == [[0, 1], [0, 2]]
    assert log["held"] == log["front"]
    assert [s for _, s in log["afterSecond"]] == [1, 2, 4]
    assert [s for _, s in log["shown"]] == [1, 2, 4, 5] and log["shown"][-1][0] == 1200
    assert log["afterReset"] == log["shown"]
    assert log["acked"] == [1, 2, 4, 5]


def test_support_join_adds_a_support_session_to_the_open_viewer(server, machines, new_page):
    """Join in the Support tab, with a viewer window open in the same browser: the support
    session joins the switcher beside the unattended machine, with its code, and no tab opens."""
    from portal_steps import FakeSupportAgent, create_code, portal_download

    (a_name, a) = machines[0]
    api = admin_api(server)
    session = create_code(api)
    trailer = portal_download(server.base_url, session["code"])  # the one-time agent's session and secret
    support_agent = FakeSupportAgent(ws_url(server), trailer["session"], trailer["secret"]).start()
    pumps = {}
    try:
        support_agent.status(2)  # the customer allowed it
        viewer_page = signed_in(new_page(), server.base_url)
        viewer_page.goto(f"{server.base_url}/app/viewer/{a.agent_id}?mode=control")
        pumps[a_name] = FramePump(a, a.wait_viewer(), "red").start()
        expect(card(viewer_page, a.agent_id)).to_have_attribute("data-state", "connected", timeout=15_000)

        support = viewer_page.context.new_page()
        support.goto(f"{server.base_url}/app/support")
        join = support.locator(f"[data-testid=support-row][data-code='{session['code']}'] [data-testid=support-join]")
        expect(join).not_to_have_class(re.compile("is-disabled"))
        join.click()
        pumps["support"] = FramePump(support_agent, support_agent.wait_viewer(), "blue").start()
        expect(support.get_by_text(f"Session {session['code']} opened in your viewer window")).to_be_visible()
        support_card = viewer_page.locator(f'[data-testid=switcher-card][data-key="support:{session["id"]}"]')
        expect(support_card).to_have_attribute("data-state", "connected", timeout=15_000)
        expect(support_card).to_have_attribute("data-name", re.compile(session["code"]))
        expect(support_card).to_have_class(re.compile(r"\bis-front\b"))
        expect(viewer_page.locator("#viewer-support-code")).to_have_text(session["code"])
        assert len(viewer_page.context.pages) == 2, [p.url for p in viewer_page.context.pages]
        viewer_page.bring_to_front()
        expect_thumb(viewer_page, f"support:{session['id']}", "blue")
        expect_thumb(viewer_page, f"agent:{a.agent_id}", "red")
        # The unattended machine behind it is throttled, the support session in front is not.
        fps = measure_fps(pumps)
        print("front support, background A:", fps)
        assert fps["support"] >= FRONT_MIN_FPS and 0 < fps[a_name] <= BACKGROUND_MAX_FPS, fps
    finally:
        for pump in pumps.values():
            pump.stop()
        support_agent.stop()
    assert not support_agent.errors, support_agent.errors
