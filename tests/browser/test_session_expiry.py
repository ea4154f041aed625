"""When the session ends under a signed-in page, the next API call sends the user
to /login with a note, and signing in again returns to the page they were on."""
from playwright.sync_api import expect

from browser_steps import ADMIN, create_admin, settle, ui_sign_in


def test_ended_session_redirects_to_login_and_back(server, new_page):
    create_admin(server.base_url)
    page = new_page()
    ui_sign_in(page, server.base_url, ADMIN["username"], ADMIN["password"])
    page.context.clear_cookies()  # the server-side session is now unreachable

    page.click("[data-testid=nav-settings]")  # the Account page calls GET /api/session → 401
    page.wait_for_url("**/login")
    expect(page.locator("#login-note")).to_contain_text("session has ended")

    page.fill("#login-username", ADMIN["username"])
    page.fill("#login-password", ADMIN["password"])
    page.click("#login-submit")
    page.wait_for_url("**/app/settings/account")
    settle(page)
    expect(page.locator("#account-profile")).to_contain_text(ADMIN["displayName"])
