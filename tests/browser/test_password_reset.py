"""Settings → Users → Reset password (issue #11): the dialog shows how many API keys sign in as the user,
and the admin chooses to revoke them or not; the user's sessions end either way. An admin resetting their
own password there must give the current one."""
from playwright.sync_api import expect

from browser_steps import ADMIN, ApiClient, create_admin, settle, ui_sign_in

TECH = {"username": "rita.v", "displayName": "Rita Vance", "password": "rita-password-123", "roleId": "technician"}


def key_works(base, secret):
    status, _ = ApiClient(base).call("GET", "/api/session", headers={"Authorization": f"Bearer {secret}"})
    return status == 200


def test_reset_password_lists_or_revokes_the_users_api_keys(server, new_page):
    base = server.base_url
    create_admin(base)
    api = ApiClient(base)
    api.login(ADMIN["username"], ADMIN["password"])
    status, _ = api.call("POST", "/api/users", TECH)
    assert status == 201
    tech_api = ApiClient(base)
    tech_api.login(TECH["username"], TECH["password"])
    secrets = []
    for name in ("psa", "rmm"):
        status, created = tech_api.call("POST", "/api/account/api-keys", {"name": name, "expiresInDays": None})
        assert status == 201
        secrets.append(created["secret"])

    admin = new_page()
    ui_sign_in(admin, base, ADMIN["username"], ADMIN["password"])
    admin.goto(f"{base}/app/settings/users")
    settle(admin)
    row = admin.locator(f"[data-testid=user-row][data-username='{TECH['username']}']")

    def open_reset():
        row.locator("[data-testid=user-actions]").click()
        row.locator(".menu-item[data-action='reset-password']").click()
        expect(admin.locator("#reset-password-dialog")).to_be_visible()

    # Leave the keys: the answer names the ones that still work; the sessions end.
    open_reset()
    expect(admin.locator("#reset-key-count")).to_have_text("2 API keys can sign in as them now.")
    expect(admin.locator("#reset-revoke-keys")).not_to_be_checked()
    expect(admin.locator("#reset-current-password")).to_have_count(0)
    admin.fill("#reset-password", "first-new-password-1")
    admin.click("#reset-password-submit")
    expect(admin.locator("#reset-password-dialog")).to_have_count(0)
    expect(admin.locator(".toast").last).to_contain_text("Still working: psa, rmm")
    assert tech_api.call("GET", "/api/session")[0] == 401
    assert all(key_works(base, s) for s in secrets)

    # Tick the box: both keys stop working.
    open_reset()
    expect(admin.locator("#reset-key-count")).to_have_text("2 API keys can sign in as them now.")
    admin.fill("#reset-password", "second-new-password-2")
    admin.check("#reset-revoke-keys")
    admin.click("#reset-password-submit")
    expect(admin.locator("#reset-password-dialog")).to_have_count(0)
    expect(admin.locator(".toast").last).to_contain_text("2 API keys revoked")
    assert not any(key_works(base, s) for s in secrets)
    open_reset()
    expect(admin.locator("#reset-key-count")).to_have_text("They have no API keys.")
    expect(admin.locator("#reset-revoke-keys")).to_be_disabled()
    admin.keyboard.press("Escape")

    # On the admin's own row the dialog asks for the current password, and a wrong one is refused visibly.
    own = admin.locator(f"[data-testid=user-row][data-username='{ADMIN['username']}']")
    own.locator("[data-testid=user-actions]").click()
    own.locator(".menu-item[data-action='reset-password']").click()
    admin.fill("#reset-current-password", "not-my-password")
    admin.fill("#reset-password", "admin-new-password-3")
    admin.click("#reset-password-submit")
    expect(admin.locator("#reset-password-error")).to_contain_text("current password is wrong")
    admin.fill("#reset-current-password", ADMIN["password"])
    admin.click("#reset-password-submit")
    expect(admin.locator("#reset-password-dialog")).to_have_count(0)
    assert ApiClient(base).call("POST", "/api/auth/login", {"username": ADMIN["username"], "password": "admin-new-password-3"})[0] == 200
