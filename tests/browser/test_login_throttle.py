"""Repeated wrong passwords end in `throttled`: the form shows a live countdown
from retryAfter, keeps Sign in disabled meanwhile, and re-enables it at zero.
The server backs off exponentially (1 s, 2 s, 4 s …), so the test keeps failing
until a lock is long enough to watch the countdown tick."""
import re

from playwright.sync_api import expect

from browser_steps import ADMIN, create_admin

MAX_ATTEMPTS = 25


def remaining_seconds(text):
    match = re.search(r"(\d+):(\d{2})", text)
    assert match, text
    return int(match.group(1)) * 60 + int(match.group(2))


def test_throttled_login_shows_live_countdown(server, new_page):
    create_admin(server.base_url)
    page = new_page()
    page.goto(f"{server.base_url}/login")
    error = page.locator("#login-error")
    submit = page.locator("#login-submit")
    short_locks_seen = 0
    for attempt in range(MAX_ATTEMPTS):
        page.fill("#login-username", ADMIN["username"])
        page.fill("#login-password", f"wrong-password-{attempt}")
        submit.click()
        expect(error).to_be_visible()
        expect(submit).not_to_have_attribute("aria-busy", "true")
        code = error.get_attribute("data-code")
        if code == "invalid_credentials":
            continue
        assert code == "throttled", code
        expect(error).to_contain_text("Try again in")
        expect(submit).to_be_disabled()
        seconds = remaining_seconds(error.inner_text())
        assert seconds > 0
        if seconds >= 3:
            break
        # A short lock: the countdown runs out by itself and Sign in comes back.
        expect(submit).to_be_enabled(timeout=(seconds + 3) * 1000)
        expect(error).to_be_hidden()
        short_locks_seen += 1
    else:
        raise AssertionError(f"no `throttled` lock of 3 s or more after {MAX_ATTEMPTS} wrong passwords")

    page.wait_for_timeout(1_300)
    later = remaining_seconds(error.inner_text())
    assert later < seconds, (seconds, later)  # the countdown is live
    expect(submit).to_be_disabled()
