"""Shared steps for the browser tests: API calls with a cookie jar, UI sign-in and
sign-out, waiting for a page to settle, and screenshots."""
import http.cookiejar
import json
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
SHOT_DIR = REPO / "out" / "screenshots"
# Signed-out probes (GET /api/session → 401) and deliberate failures in tests are
# logged by Chromium as failed resource loads; they are expected.
IGNORED_CONSOLE = ("Failed to load resource",)

ADMIN = {"username": "admin", "displayName": "Mike Swanson", "password": "correct-horse-battery"}


class ApiClient:
    """A tiny JSON client that keeps the session cookie and CSRF token."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.csrf = None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if self.csrf and method in ("POST", "PUT", "PATCH", "DELETE"):
            req.add_header("X-CSRF-Token", self.csrf)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with self.opener.open(req, timeout=10) as r:
                raw = r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            raw = e.read()
            status = e.code
        payload = json.loads(raw) if raw and raw.strip()[:1] in (b"{", b"[") else raw
        if isinstance(payload, dict) and "csrfToken" in payload:
            self.csrf = payload["csrfToken"]
        return status, payload

    def login(self, username, password):
        status, payload = self.call("POST", "/api/auth/login", {"username": username, "password": password})
        assert status == 200 and payload.get("status") == "ok", (status, payload)
        return payload


def create_admin(base_url, admin=ADMIN):
    status, payload = ApiClient(base_url).call("POST", "/api/setup", admin)
    assert status == 201, (status, payload)
    return payload


def ui_sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/login")
    page.fill("#login-username", username)
    page.fill("#login-password", password)
    page.click("#login-submit")
    page.wait_for_url("**/app/support")
    expect(page.locator("#sidebar-user-name")).to_be_attached()
    # The Support tab has loaded its list and opened its live channel: nothing of the
    # sign-in is still in flight when a test goes on (e.g. clears the cookies).
    settle(page)
    expect(page.locator("#support-live")).to_have_attribute("data-state", "live")


def ui_sign_out(page):
    if not page.locator("#logout-button").is_visible():
        page.click("#menu-toggle")  # phone layout: the button is in the drawer
    page.click("#logout-button")
    page.wait_for_url("**/login")
    expect(page.locator("#login-form")).to_be_visible()


def settle(page):
    """Waits until no loading block is on the page (bounded by the default timeout)."""
    expect(page.locator(".loading-block, .boot-screen")).to_have_count(0)


def shot(page_or_locator, name):
    """Saves out/screenshots/NAME.png: the full page, or just the element."""
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOT_DIR / f"{name}.png"
    kwargs = {}
    if hasattr(page_or_locator, "goto"):
        kwargs["full_page"] = True
        # A focused field may have scrolled the page; the sticky sidebar would
        # then sit mid-image in a full-page capture.
        page_or_locator.evaluate("() => window.scrollTo(0, 0)")
    page_or_locator.screenshot(path=str(path), **kwargs)
    return path
