"""Shared steps for the viewer and Access tests: enrolling, a signed-in page, the
fake agent's picture, and reading the viewer's canvas back."""
import re
import time
from playwright.sync_api import expect

import fake_agent
from browser_steps import ADMIN, ApiClient

MONITORS = [
    {"x": 0, "y": 0, "width": 320, "height": 400, "primary": True},
    {"x": 320, "y": 0, "width": 320, "height": 400, "primary": False},
]
DESKTOP_W, DESKTOP_H = 640, 400


def pattern(x, y):
    """The test picture: gradients plus a checkerboard, so position and orientation both show."""
    return (x * 255 // (DESKTOP_W - 1), y * 255 // (DESKTOP_H - 1), 255 if ((x // 40) + (y // 40)) % 2 else 40)


def desktop_scene(x, y):
    """A friendlier picture for screenshots: a wallpaper with two window-like panels."""
    if 40 <= x < 300 and 40 <= y < 250:
        if y < 64:
            return (52, 60, 78)
        return (245, 246, 248) if not (60 <= x < 280 and 80 <= y < 92 + 12 * ((y - 80) // 24) and (y - 80) % 24 < 10) else (180, 186, 198)
    if 360 <= x < 600 and 120 <= y < 340:
        if y < 144:
            return (52, 60, 78)
        return (30, 34, 44) if not ((y - 160) % 18 < 8 and 376 <= x < 376 + (x * 7 + y) % 200) else (120, 200, 140)
    if y >= 372:
        return (24, 28, 38)
    return (30 + y // 8, 80 + x // 16, 160 + y // 6)


def png_of(pixel):
    return fake_agent.png_rgb(DESKTOP_W, DESKTOP_H, pixel)


ARROW = [
    "X.........",
    "XX........",
    "XWX.......",
    "XWWX......",
    "XWWWX.....",
    "XWWWWX....",
    "XWWWWWX...",
    "XWWWWWWX..",
    "XWWWWXXXX.",
    "XWXXWX....",
    "XX..XWX...",
    "X...XWX...",
    ".....XX...",
]


def arrow_cursor():
    rgba = bytearray()
    for row in ARROW:
        for ch in row:
            rgba.extend({"X": (0, 0, 0, 255), "W": (255, 255, 255, 255), ".": (0, 0, 0, 0)}[ch])
    return fake_agent.cursor_image(len(ARROW[0]), len(ARROW), 0, 0, bytes(rgba))


def send_screen(agent, viewer, picture, sequence=1):
    """Layout, cursor, one full-screen PNG tile and FrameEnd."""
    agent.send(viewer, fake_agent.monitor_layout(MONITORS))
    agent.send(viewer, arrow_cursor())
    agent.send(viewer, fake_agent.cursor_position(200, 150))
    agent.send(viewer, fake_agent.tile_update(0, 0, DESKTOP_W, DESKTOP_H, "png", picture))
    agent.send(viewer, fake_agent.frame_end(sequence))


def ws_url(server):
    return server.base_url.replace("http://", "ws://") + "/api/agent/ws"


def admin_api(server):
    """Signs in as the admin, creating it first on a fresh server."""
    api = ApiClient(server.base_url)
    status, body = api.call("POST", "/api/setup", ADMIN)
    assert status in (201, 404), (status, body)  # 404: the admin already exists
    api.login(ADMIN["username"], ADMIN["password"])
    return api


def enrol(api, name):
    status, body = api.call("POST", "/api/agents", {"name": name})
    assert status == 201, (status, body)
    return body["agent"]["id"], body["credential"]


def agent_online(api, agent_id):
    """Whether the server lists the agent as online."""
    status, agents = api.call("GET", "/api/agents")
    return status == 200 and any(a["id"] == agent_id and a["online"] for a in agents["items"])


def signed_in(page, base_url):
    page.goto(f"{base_url}/login")
    page.fill("#login-username", ADMIN["username"])
    page.fill("#login-password", ADMIN["password"])
    page.click("#login-submit")
    page.wait_for_url("**/app/support")
    return page


def open_viewer(page, base_url, agent_id, mode="control"):
    page.goto(f"{base_url}/app/viewer/{agent_id}?mode={mode}")
    expect(page.locator("#viewer")).to_be_visible()
    return page


def expect_live(page, timeout=15_000):
    """Connected and the first picture painted: only then does the overlay stop covering the stage."""
    expect(page.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=timeout)
    expect(page.locator("#viewer-overlay")).to_be_hidden(timeout=timeout)


def expect_painted(page, fingerprint):
    expect_live(page)
    expect(page.locator("#viewer-fingerprint")).to_have_text(fingerprint)


CANVAS_SAMPLES = """
([stepX, stepY]) => {
  const c = document.getElementById('viewer-canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const samples = [];
  for (let y = 0; y < c.height; y += stepY) for (let x = 0; x < c.width; x += stepX) {
    const i = (y * c.width + x) * 4;
    samples.push([x, y, d[i], d[i + 1], d[i + 2]]);
  }
  return { width: c.width, height: c.height, samples };
}
"""


def canvas_samples(page, step=(17, 13)):
    return page.evaluate(CANVAS_SAMPLES, list(step))


def expect_canvas_colour(page, size, colour, timeout=15):
    """Waits until the canvas is `size` (width, height) and every sampled pixel is `colour`:
    a full screen may arrive over several acked frames. Fails with the wrong samples."""
    deadline = time.monotonic() + timeout
    while True:
        samples = canvas_samples(page, step=(97, 89))
        assert (samples["width"], samples["height"]) == tuple(size)
        wrong = [s for s in samples["samples"] if tuple(s[2:]) != tuple(colour)]
        if not wrong or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not wrong, (len(wrong), len(samples["samples"]), wrong[:8])


def stage_point(page, x, y):
    """Client coordinates of desktop pixel (x, y) in the fitted all-monitors view."""
    box = page.locator("#viewer-stage").bounding_box()
    scale = box["width"] / DESKTOP_W
    return box["x"] + (x + 0.5) * scale, box["y"] + (y + 0.5) * scale


CLIPBOARD_UNREAD = re.compile(r"\bhas-unread\b")


def expect_remote_copy_in_panel(page, text):
    """A copy on the remote machine marks the clipboard button; opening the panel shows it."""
    expect(page.locator("#viewer-clipboard")).to_have_class(CLIPBOARD_UNREAD, timeout=10_000)
    page.click("#viewer-clipboard")
    expect(page.locator("#viewer-clipboard-panel")).to_be_visible()
    expect(page.locator("#viewer-clipboard-remote")).to_have_value(text)
    expect(page.locator("#viewer-clipboard-copy")).to_be_enabled()
    expect(page.locator("#viewer-clipboard")).not_to_have_class(CLIPBOARD_UNREAD)


# Records every call a page makes to navigator.clipboard (the real methods still run), so a
# test can tell "the page never touched the clipboard" from "it did, and was refused".
CLIPBOARD_SPY = """
(() => {
  const calls = [];
  Object.defineProperty(window, '__clipboardCalls', { value: calls });
  const clip = navigator.clipboard;
  if (!clip) return;
  for (const name of ['read', 'readText', 'write', 'writeText']) {
    if (typeof clip[name] !== 'function') continue;
    const real = clip[name].bind(clip);
    clip[name] = (...args) => { calls.push(name); return real(...args); };
  }
})();
"""


def clipboard_context(browser, base_url):
    """A browser context that may read and write the clipboard, with CLIPBOARD_SPY on its pages."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    context.add_init_script(CLIPBOARD_SPY)
    return context


def clipboard_calls(page):
    """The navigator.clipboard methods the page called so far, in order (CLIPBOARD_SPY)."""
    return page.evaluate("() => [...window.__clipboardCalls]")


def browser_clipboard(page):
    """The technician's own clipboard, read by the test (not counted as the page's call)."""
    return page.evaluate("""async () => {
        const calls = window.__clipboardCalls, before = calls.length;
        const text = await navigator.clipboard.readText();
        calls.splice(before, 1); // our own call, pushed before any the page made meanwhile
        return text;
    }""")


def set_browser_clipboard(page, text):
    """Puts `text` in the technician's own clipboard, as another application would."""
    page.evaluate("""async (text) => {
        const calls = window.__clipboardCalls, before = calls.length;
        await navigator.clipboard.writeText(text);
        calls.splice(before, 1);
    }""", text)


def open_clipboard_panel(page):
    if not page.locator("#viewer-clipboard-panel").is_visible():
        page.click("#viewer-clipboard")
    expect(page.locator("#viewer-clipboard-panel")).to_be_visible()


def set_clipboard_sync(page, on):
    """Turns sync with the browser's clipboard on or off in the clipboard panel (off by default)."""
    open_clipboard_panel(page)
    box = page.locator("#viewer-clipboard-sync")
    box.set_checked(on)
    expect(box).to_be_checked(checked=on)
    expect(page.locator("#viewer-clipboard")).to_have_attribute("data-sync", "on" if on else "off")


def send_from_panel(page, text):
    """Pastes `text` into the open clipboard panel and sends it; the panel confirms."""
    page.fill("#viewer-clipboard-local", text)
    page.click("#viewer-clipboard-send")
    expect(page.locator("#viewer-clipboard-error")).to_be_hidden()
    expect(page.locator("#viewer-clipboard-sent")).to_contain_text("Press Ctrl+V on the remote machine")
