"""Screenshots of every page (light/dark × desktop/phone) into out/screenshots/,
with a check that no page logs a script error or CSP violation."""
from playwright.sync_api import expect

from browser_steps import ADMIN, IGNORED_CONSOLE, ApiClient, create_admin
from browser_tour import DESKTOP, PHONE, shot_path, tour


def populate(base_url):
    """A little real data so the admin pages are not all empty states."""
    api = ApiClient(base_url)
    api.login(ADMIN["username"], ADMIN["password"])
    status, team = api.call("POST", "/api/teams", {"name": "Phoenix"})
    assert status == 201, (status, team)
    status, role = api.call("POST", "/api/roles", {"name": "Help desk", "permissions": ["createSupportCode", "viewTeamSessions"]})
    assert status == 201, (status, role)
    for username, name, role_id, team_id in (("howard", "Howard Enos", "senior", team["id"]), ("sarah.k", "Sarah Kim", "technician", None)):
        status, user = api.call("POST", "/api/users", {"username": username, "displayName": name, "password": "tech-password-123", "roleId": role_id, "teamId": team_id})
        assert status == 201, (status, user)
    status, key = api.call("POST", "/api/account/api-keys", {"name": "HaloPSA integration", "expiresInDays": 90})
    assert status == 201, (status, key)


def test_every_page_light_dark_desktop_phone(server, browser):
    base = server.base_url
    errors = []
    # The setup form only exists before the first account.
    for theme in ("light", "dark"):
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport)
            context.add_init_script(f"localStorage.setItem('gc-theme', '{theme}')")
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" and not m.text.startswith(IGNORED_CONSOLE) else None)
            page.goto(f"{base}/setup", timeout=10_000)
            expect(page.locator("#setup-form")).to_be_visible(timeout=10_000)
            page.screenshot(path=shot_path(f"setup-{theme}-{label}"), full_page=True)
            context.close()

    create_admin(base)
    populate(base)
    names = tour(browser, base, ADMIN["username"], ADMIN["password"], errors)
    assert not errors, "\n".join(errors)
    assert len(names) == 2 * 2 * 13 + 2
    for name in names:
        path = shot_path(name)
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n", path
