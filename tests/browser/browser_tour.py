"""Screenshot tour: every page, light and dark, desktop and phone.

Used by test_screenshots.py against the real server; can also be run by hand
against any running instance (the instance must already have its admin set up):

    python3 tests/browser/browser_tour.py http://127.0.0.1:18080 admin 'password123!'
"""
import sys

from playwright.sync_api import expect, sync_playwright

from browser_steps import IGNORED_CONSOLE, SHOT_DIR

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
APP_PAGES = [
    ("support", "/app/support"),
    ("access", "/app/access"),
    ("build", "/app/build"),
    ("settings-account", "/app/settings/account"),
    ("settings-appearance", "/app/settings/appearance"),
    ("settings-general", "/app/settings/general"),
    ("settings-users", "/app/settings/users"),
    ("settings-roles", "/app/settings/roles"),
    ("settings-teams", "/app/settings/teams"),
    ("settings-audit", "/app/settings/audit"),
    ("portal", "/"),  # the end-user portal, reached signed in too
]


def shot_path(name):
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    return str(SHOT_DIR / f"{name}.png")


def settle(page):
    """Waits (bounded) until no loading spinner block is on the page."""
    page.wait_for_load_state("load", timeout=10_000)
    # Locator assertions run outside the page's CSP (no eval needed).
    expect(page.locator(".loading-block, .boot-screen")).to_have_count(0, timeout=10_000)


def sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/login", timeout=10_000)
    page.fill("#login-username", username, timeout=10_000)
    page.fill("#login-password", password)
    page.click("#login-submit")
    page.wait_for_url("**/app/support", timeout=10_000)


def tour(browser, base_url, username, password, errors):
    """Takes every screenshot; appends console/page errors to `errors`. Returns names."""
    names = []
    for theme in ("light", "dark"):
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport, device_scale_factor=1)
            context.add_init_script(f"localStorage.setItem('gc-theme', '{theme}')")
            page = context.new_page()
            page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" and not m.text.startswith(IGNORED_CONSOLE) else None)
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.goto(f"{base_url}/login", timeout=10_000)
            settle(page)
            name = f"login-{theme}-{label}"
            page.screenshot(path=shot_path(name), full_page=True)
            names.append(name)
            page.goto(f"{base_url}/setup", timeout=10_000)
            settle(page)
            name = f"setup-complete-{theme}-{label}"
            page.screenshot(path=shot_path(name), full_page=True)
            names.append(name)
            sign_in(page, base_url, username, password)
            for page_name, path in APP_PAGES:
                page.goto(f"{base_url}{path}", timeout=10_000)
                settle(page)
                name = f"{page_name}-{theme}-{label}"
                page.screenshot(path=shot_path(name), full_page=True)
                names.append(name)
            if label == "phone":
                page.goto(f"{base_url}/app/support", timeout=10_000)
                settle(page)
                page.click("#menu-toggle")
                page.wait_for_timeout(400)
                name = f"drawer-{theme}-{label}"
                page.screenshot(path=shot_path(name))
                names.append(name)
            context.close()
    return names


if __name__ == "__main__":
    base, user, pw = sys.argv[1], sys.argv[2], sys.argv[3]
    errs = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        print("\n".join(tour(b, base, user, pw, errs)))
        b.close()
    print("ERRORS:", errs)
