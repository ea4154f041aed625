"""The end-user portal at `/` against the real server: browser detection and the
instructions for real User-Agent strings (the pure modules, run inside Chromium),
a full flow with a Firefox-on-Linux and an Edge-on-Windows User-Agent (code from the
link, download with its trailer, stepper, instructions), wrong and malformed codes,
and the throttle's wait. Screenshots light, dark and phone."""
import re

import pytest
from playwright.sync_api import expect

from browser_steps import ApiClient, shot
from portal_steps import UA, call, create_code, read_trailer
from viewer_steps import admin_api

DETECT = """
async (uas) => {
  const { detectBrowser } = await import('/assets/js/portal/browser-detect.js');
  const { instructionsFor } = await import('/assets/js/portal/instructions.js');
  const out = {};
  for (const [name, ua] of Object.entries(uas)) {
    const d = detectBrowser(ua);
    out[name] = { ...d, guide: instructionsFor(d, { fileName: 'GuruConnect-123456', technician: 'Howard Enos', companyName: 'Acme IT' }) };
  }
  return out;
}
"""

EXPECTED = {
    "chrome-windows": ("chrome", "windows"),
    "chrome-mac": ("chrome", "mac"),
    "chrome-linux": ("chrome", "linux"),
    "chrome-chromeos": ("chrome", "chromeos"),
    "chrome-android": ("chrome", "android"),
    "chrome-ios": ("chrome", "ios"),
    "firefox-windows": ("firefox", "windows"),
    "firefox-linux": ("firefox", "linux"),
    "firefox-mac": ("firefox", "mac"),
    "edge-windows": ("edge", "windows"),
    "edge-mac": ("edge", "mac"),
    "safari-mac": ("safari", "mac"),
    "safari-iphone": ("safari", "ios"),
    "opera-windows": ("generic", "windows"),
    "samsung-android": ("generic", "android"),
    "headless-chrome-linux": ("generic", "linux"),
}


@pytest.fixture(scope="module")
def api(server):
    return admin_api(server)


def test_detection_and_instructions_for_real_user_agents(server, new_page):
    page = new_page()
    page.goto(f"{server.base_url}/")
    expect(page.locator("#portal-code")).to_be_visible()
    result = page.evaluate(DETECT, UA)
    got = {name: (r["browser"], r["os"]) for name, r in result.items()}
    assert got == EXPECTED
    assert [name for name, r in result.items() if r["mobile"]] == ["chrome-android", "chrome-ios", "safari-iphone", "samsung-android"]

    download = {name: r["guide"]["download"]["text"] for name, r in result.items()}
    assert "top right of the Chrome window" in download["chrome-windows"]
    assert "Open file" in download["edge-windows"] and "Keep" in download["edge-windows"]
    assert "Firefox toolbar" in download["firefox-linux"]
    assert "Safari toolbar" in download["safari-mac"]
    assert "Downloads folder" in download["opera-windows"]
    assert all("GuruConnect-123456" in text for text in download.values())
    run = {name: r["guide"]["run"] for name, r in result.items()}
    assert run["firefox-linux"]["command"] == "chmod +x GuruConnect-123456 && ./GuruConnect-123456"
    assert run["chrome-chromeos"]["command"] == run["firefox-linux"]["command"]
    # Linux: no double-click runs a download until it is marked as a program; said plainly,
    # with the file manager's way (no terminal) before the terminal's.
    linux = run["firefox-linux"]
    assert "double-clicking GuruConnect-123456 does nothing yet" in linux["text"]
    assert len(linux["ways"]) == 1 and linux["ways"][0].startswith("Without a terminal: ")
    assert all(words in linux["ways"][0] for words in ("right-click GuruConnect-123456", "Properties",
                                                        "Executable as Program", "Is executable",
                                                        "then double-click GuruConnect-123456",
                                                        "If it still does not start, use the terminal below."))
    assert linux["commandText"] == "Or open a terminal in your Downloads folder and run:"
    assert run["chrome-linux"] == linux
    assert "ways" not in run["chrome-chromeos"] and "ways" not in run["edge-windows"]
    assert "Run anyway" in run["edge-windows"]["text"] and "command" not in run["edge-windows"]
    assert "Control-click" in run["safari-mac"]["text"]
    assert "Howard Enos from Acme IT" in result["chrome-mac"]["guide"]["allow"]["text"]


def test_full_flow_firefox_on_linux(server, api, new_page, browser, page_errors):
    session = create_code(api)
    code = session["code"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=UA["firefox-linux"], accept_downloads=True)
    try:
        page = page_errors.watch(context.new_page())
        page.goto(session["portalUrl"])
        expect(page.locator("#portal-company")).to_have_text("GuruConnect")
        expect(page.locator("#portal-code")).to_have_value(code)
        expect(page.locator("#portal-code")).to_have_attribute("inputmode", "numeric")
        expect(page.locator("#portal-code")).to_have_attribute("autocomplete", "one-time-code")
        with page.expect_download(timeout=15_000) as download_info:
            page.click("#portal-submit")
            # Before the ~3 s launch wait ends, the page says it is opening the app.
            expect(page.locator("#portal-status")).to_have_attribute("data-phase", "launching")
            expect(page.locator("#portal-steps [data-step=code]")).to_have_attribute("data-state", "done")
            expect(page.locator("#portal-steps [data-step=download]")).to_have_attribute("data-state", "current")
        download = download_info.value
        assert download.suggested_filename == f"GuruConnect-{code}"
        trailer = read_trailer(open(download.path(), "rb").read())
        assert trailer["code"] == code and trailer["session"] == session["id"]

        expect(page.locator("#portal-status")).to_have_attribute("data-phase", "downloading")
        expect(page.locator("#portal-steps [data-step=download]")).to_have_attribute("data-state", "done")
        expect(page.locator("#portal-steps [data-step=run]")).to_have_attribute("data-state", "current")
        expect(page.locator("#portal-steps [data-step=allow]")).to_have_attribute("data-state", "upcoming")
        guide = page.locator("#portal-instructions")
        expect(guide).to_be_visible()
        expect(guide).to_have_attribute("data-browser", "firefox")
        expect(guide).to_have_attribute("data-os", "linux")
        expect(guide.locator("[data-step=download]")).to_contain_text("Firefox toolbar")
        run_step = guide.locator("[data-step=run]")
        expect(run_step.locator(".portal-guide-title")).to_have_text("Mark it as a program, then run it")
        expect(run_step).to_contain_text(f"double-clicking GuruConnect-{code} does nothing yet")
        way = run_step.locator("[data-testid=portal-run-way]")
        expect(way).to_have_count(1)
        expect(way).to_be_visible()
        expect(way).to_contain_text(f"Without a terminal: in your file manager, right-click GuruConnect-{code}")
        expect(way).to_contain_text("“Executable as Program” (GNOME Files)")
        expect(run_step.locator("[data-testid=portal-command-text]")).to_have_text("Or open a terminal in your Downloads folder and run:")
        expect(guide.locator("[data-testid=portal-command]")).to_have_text(f"chmod +x GuruConnect-{code} && ./GuruConnect-{code}")
        expect(page.locator("#portal-technician")).to_have_text("Mike Swanson will help you")
        expect(page.locator("#portal-platform-note")).to_have_count(0)
        expect(page.locator("#portal-mobile-note")).to_have_count(0)
        expect(page.locator("#portal-download")).to_have_attribute("download", f"GuruConnect-{code}")
        shot(page, "portal-instructions-light-desktop")
    finally:
        context.close()


def test_edge_on_windows_gets_edge_instructions(server, api, browser, page_errors):
    session = create_code(api)
    context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=UA["edge-windows"], accept_downloads=True)
    context.add_init_script("localStorage.setItem('gc-theme', 'dark')")
    try:
        page = page_errors.watch(context.new_page())
        page.goto(f"{server.base_url}/")
        page.fill("#portal-code", f" {session['code'][:3]}-{session['code'][3:]} ")  # pasted with a dash and spaces
        expect(page.locator("#portal-code")).to_have_value(session["code"])
        page.click("#portal-submit")
        guide = page.locator("#portal-instructions")
        expect(guide).to_be_visible(timeout=10_000)
        expect(guide).to_have_attribute("data-browser", "edge")
        expect(guide).to_have_attribute("data-os", "windows")
        expect(guide.locator("[data-step=download]")).to_contain_text("Open file")
        expect(guide.locator("[data-step=run]")).to_contain_text("Run anyway")
        expect(guide.locator("[data-testid=portal-command]")).to_have_count(0)
        expect(guide.locator("[data-testid=portal-run-way], [data-testid=portal-command-text]")).to_have_count(0)
        expect(page.locator("#portal-download")).to_have_attribute("download", f"GuruConnect-{session['code']}.exe")
        shot(page, "portal-instructions-dark-phone")
    finally:
        context.close()


def test_mac_and_phone_visitors_are_told_what_the_download_runs_on(server, api, browser, page_errors):
    for name, viewport in (("safari-mac", {"width": 1280, "height": 900}), ("safari-iphone", {"width": 390, "height": 844})):
        session = create_code(api)
        context = browser.new_context(viewport=viewport, user_agent=UA[name], accept_downloads=True)
        try:
            page = page_errors.watch(context.new_page())
            page.goto(session["portalUrl"])
            expect(page.locator("#portal-code")).to_have_value(session["code"])
            if name == "safari-iphone":
                expect(page.locator("#portal-mobile-note")).to_contain_text("Windows and Linux computers")
            else:
                expect(page.locator("#portal-mobile-note")).to_have_count(0)
            page.click("#portal-submit")
            expect(page.locator("#portal-instructions")).to_have_attribute("data-browser", "safari", timeout=10_000)
            expect(page.locator("#portal-instructions")).to_be_visible()
            if name == "safari-mac":
                expect(page.locator("#portal-platform-note")).to_contain_text("GuruConnect for Linux, and this device runs macOS")
            else:
                expect(page.locator("#portal-platform-note")).to_have_count(0)
        finally:
            context.close()


def test_installed_app_taking_focus_skips_the_download(server, api, new_page):
    """An installed GuruConnect opened by guruconnect:// takes the focus: no download, step 4."""
    session = create_code(api)
    page = new_page()
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.goto(session["portalUrl"])
    expect(page.locator("#portal-code")).to_have_value(session["code"])
    page.click("#portal-submit")
    expect(page.locator("#portal-status")).to_have_attribute("data-phase", "launching")
    # What the OS does when the app opens: the browser window loses the focus.
    page.evaluate("() => { document.hasFocus = () => false; window.dispatchEvent(new Event('blur')); }")
    expect(page.locator("#portal-status")).to_have_attribute("data-phase", "launched", timeout=6_000)
    expect(page.locator("#portal-steps [data-step=allow]")).to_have_attribute("data-state", "current")
    expect(page.locator("#portal-download")).to_contain_text("Download GuruConnect")
    page.wait_for_timeout(1_000)
    assert downloads == []


def test_wrong_and_malformed_codes_show_clear_messages(server, api, new_page):
    page = new_page(theme="light")
    page.goto(f"{server.base_url}/")
    expect(page.locator("#portal-title")).to_have_text("Get help from GuruConnect")
    shot(page, "portal-light-desktop")

    page.fill("#portal-code", "12a3")
    expect(page.locator("#portal-code")).to_have_value("123")
    page.click("#portal-submit")
    expect(page.locator("#portal-message")).to_have_text("Enter all 6 digits of your code.")

    # A code nobody issued: the server's own message.
    status, body = call(api, "GET", "/api/support/sessions")
    taken = {s["code"] for s in body["sessions"]}
    wrong = next(c for c in ("000000", "999999", "123456", "654321") if c not in taken)
    page.fill("#portal-code", wrong)
    expect(page.locator("#portal-message")).to_be_hidden()
    page.click("#portal-submit")
    status, answer = call(ApiClient(server.base_url), "POST", "/api/portal/code", {"code": wrong})
    assert status == 404 and answer["message"], (status, answer)
    expect(page.locator("#portal-message")).to_have_text(answer["message"])
    expect(page.locator("#portal-message")).to_have_attribute("data-kind", "error")
    expect(page.locator("#portal-result")).to_be_hidden()

    # A cancelled code says so.
    session = create_code(api)
    status, _ = call(api, "POST", f"/api/support/sessions/{session['id']}/cancel")
    assert status == 204
    page.fill("#portal-code", session["code"])
    page.click("#portal-submit")
    expect(page.locator("#portal-message")).to_contain_text(re.compile("cancel", re.I))

    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "portal-error-light-phone")


def test_throttled_guessing_shows_the_wait(server, api, new_page):
    """Last in the module: from here on this address is throttled."""
    page = new_page(theme="dark")
    page.goto(f"{server.base_url}/")
    status, body = call(api, "GET", "/api/support/sessions")
    taken = {s["code"] for s in body["sessions"]}
    wrong = [c for c in ("111111", "222222", "333333", "444444", "555555", "666666", "777777", "888888") if c not in taken]
    seen = None
    for code in wrong:
        page.fill("#portal-code", code)
        page.click("#portal-submit")
        message = page.locator("#portal-message")
        expect(message).to_be_visible()
        if message.get_attribute("data-kind") == "throttled":
            # Read at once: the first waits are only a second or two long.
            seen = (message.text_content(), page.locator("#portal-submit").is_disabled())
            shot(page, "portal-throttled-dark-desktop")
            break
        assert message.get_attribute("data-kind") == "error"
    assert seen is not None, "never throttled"
    assert re.fullmatch(r"Too many attempts\. Please wait \d+ (s|min)( \d+ s)? and try again\.", seen[0]), seen[0]
    assert seen[1], "Connect stays disabled while throttled"
    # The wait counts down and then the button works again.
    expect(page.locator("#portal-submit")).to_be_enabled(timeout=20_000)
    expect(page.locator("#portal-message")).to_be_hidden()
