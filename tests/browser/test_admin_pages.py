"""Admin pages: create a team, a custom role and a technician in the UI; the
technician sees no admin sections; the audit log lists the change and exports it."""
import json

from playwright.sync_api import expect

from browser_steps import ADMIN, create_admin, settle, shot, ui_sign_in

TECH = {"username": "sarah.k", "displayName": "Sarah Kim", "password": "tech-password-123"}


def test_admin_creates_team_role_user_and_audits(server, new_page):
    base = server.base_url
    create_admin(base)
    admin = new_page()
    ui_sign_in(admin, base, ADMIN["username"], ADMIN["password"])

    # --- Team
    admin.goto(f"{base}/app/settings/teams")
    settle(admin)
    expect(admin.locator("[data-testid=teams-empty]")).to_be_visible()
    admin.click("#team-add")
    admin.fill("#team-name", "Phoenix")
    admin.click("#team-submit")
    team_row = admin.locator("[data-testid=team-row][data-name=Phoenix]")
    expect(team_row).to_contain_text("0 members")

    # --- Custom role with two permissions from GET /api/permissions
    admin.click("[data-testid=settings-nav-roles]")
    admin.wait_for_url("**/app/settings/roles")
    settle(admin)
    builtin = admin.locator("[data-testid=role-card][data-role-id=admin]")
    expect(builtin).to_contain_text("Built-in")
    expect(builtin.locator("[data-testid=role-edit]")).to_have_count(0)
    admin.click("#role-add")
    expect(admin.locator("#role-permissions input[type=checkbox]")).to_have_count(15)
    admin.fill("#role-name", "Help desk")
    admin.check("[data-permission=createSupportCode]")
    admin.check("[data-permission=viewTeamSessions]")
    shot(admin, "flow-role-dialog")
    admin.click("#role-submit")
    role_card = admin.locator("[data-testid=role-card][data-role-name='Help desk']")
    expect(role_card).to_contain_text("2 of 15 permissions")
    expect(role_card.locator("[data-testid=role-edit]")).to_be_visible()

    # --- User (technician, in Phoenix)
    admin.click("[data-testid=settings-nav-users]")
    admin.wait_for_url("**/app/settings/users")
    settle(admin)
    admin.click("#user-add")
    admin.fill("#user-username", TECH["username"])
    admin.fill("#user-display-name", TECH["displayName"])
    admin.fill("#user-password", TECH["password"])
    admin.select_option("#user-role", "technician")
    admin.select_option("#user-team", label="Phoenix")
    admin.click("#user-submit")
    user_row = admin.locator(f"[data-testid=user-row][data-username='{TECH['username']}']")
    expect(user_row).to_contain_text(TECH["displayName"])
    expect(user_row).to_contain_text("Technician")
    expect(user_row).to_contain_text("Phoenix")
    tech_id = user_row.get_attribute("data-user-id")

    # A taken username is refused with a visible message and the dialog stays open.
    admin.click("#user-add")
    admin.fill("#user-username", TECH["username"])
    admin.fill("#user-display-name", "Someone Else")
    admin.fill("#user-password", "another-password-1")
    admin.click("#user-submit")
    expect(admin.locator("#user-error")).to_be_visible()
    admin.keyboard.press("Escape")
    expect(admin.locator("#user-dialog")).to_have_count(0)
    shot(admin, "flow-users")

    admin.click("[data-testid=settings-nav-teams]")
    expect(admin.locator("[data-testid=team-row][data-name=Phoenix]")).to_contain_text("1 member")

    # --- The technician signs in elsewhere and sees no admin sections.
    tech = new_page()
    ui_sign_in(tech, base, TECH["username"], TECH["password"])
    expect(tech.locator("#sidebar-user-role")).to_have_text("Technician")
    tech.click("[data-testid=nav-settings]")
    tech.wait_for_url("**/app/settings/account")
    expect(tech.locator("[data-testid=settings-nav-account]")).to_be_visible()
    expect(tech.locator("[data-testid=settings-nav-appearance]")).to_be_visible()
    for hidden in ("users", "roles", "teams", "audit", "general"):
        expect(tech.locator(f"[data-testid=settings-nav-{hidden}]")).to_have_count(0)
    tech.goto(f"{base}/app/settings/users")
    expect(tech.locator("[data-testid=settings-forbidden]")).to_be_visible()
    expect(tech.locator("#users-table")).to_have_count(0)
    shot(tech, "flow-technician-forbidden")

    # --- The audit log lists user.create, and both exports download data.
    admin.goto(f"{base}/app/settings/audit")
    settle(admin)
    expect(admin.locator("[data-testid=audit-row][data-action='user.create']").first).to_be_visible()
    admin.fill("#audit-filter-action", "user.create")
    admin.press("#audit-filter-action", "Enter")
    settle(admin)
    rows = admin.locator("[data-testid=audit-row]")
    expect(rows.first).to_be_visible()
    assert all(a == "user.create" for a in rows.evaluate_all("rs => rs.map(r => r.dataset.action)"))
    first_row = rows.first.inner_text()
    assert TECH["username"] in first_row or tech_id in first_row, first_row  # the target names the new user
    assert "action=user.create" in admin.url
    shot(admin, "flow-audit-filtered")

    csv_href = admin.locator("#audit-export-csv").get_attribute("href")
    json_href = admin.locator("#audit-export-json").get_attribute("href")
    assert "format=csv" in csv_href and "action=user.create" in csv_href, csv_href
    assert "format=json" in json_href, json_href
    with admin.expect_download(timeout=10_000) as csv_download:
        admin.click("#audit-export-csv")
    csv_text = csv_download.value.path().read_text()
    assert csv_text.strip() and "user.create" in csv_text, csv_text[:500]
    with admin.expect_download(timeout=10_000) as json_download:
        admin.click("#audit-export-json")
    data = json.loads(json_download.value.path().read_text())
    events = data if isinstance(data, list) else data.get("events", [])
    assert events and any(e.get("action") == "user.create" for e in events), str(data)[:500]


def test_user_row_actions_and_general_settings(server, new_page):
    """Runs after the test above (same server): edit, disable, reset, delete a user;
    save the general settings and see them after a reload."""
    base = server.base_url
    admin = new_page()
    ui_sign_in(admin, base, ADMIN["username"], ADMIN["password"])
    admin.goto(f"{base}/app/settings/users")
    settle(admin)

    def row():
        return admin.locator(f"[data-testid=user-row][data-username='{TECH['username']}']")

    def menu(action):
        row().locator("[data-testid=user-actions]").click()
        row().locator(f".menu-item[data-action='{action}']").click()

    # Edit: promote to Senior Tech with a new display name.
    menu("edit")
    admin.fill("#user-display-name", "Sarah K.")
    admin.select_option("#user-role", "senior")
    admin.click("#user-submit")
    expect(row()).to_contain_text("Sarah K.")
    expect(row()).to_contain_text("Senior Tech")

    # Disable, then enable again.
    menu("disable")
    admin.click("#confirm-ok")
    expect(row()).to_contain_text("Disabled")
    menu("enable")
    admin.click("#confirm-ok")
    expect(row()).to_contain_text("Active")

    # Reset the password; the technician signs in with the new one.
    menu("reset-password")
    admin.fill("#reset-password", "short")
    admin.click("#reset-password-submit")
    expect(admin.locator("#reset-password-dialog")).to_be_visible()  # minlength keeps it open
    admin.fill("#reset-password", "brand-new-password-9")
    admin.click("#reset-password-submit")
    expect(admin.locator("#reset-password-dialog")).to_have_count(0)
    tech = new_page()
    ui_sign_in(tech, base, TECH["username"], "brand-new-password-9")
    expect(tech.locator("#sidebar-user-role")).to_have_text("Senior Tech")

    # Delete with confirmation.
    menu("delete")
    expect(admin.locator("#confirm-dialog")).to_contain_text(TECH["username"])
    admin.click("#confirm-ok")
    expect(row()).to_have_count(0)

    # General settings round-trip.
    admin.click("[data-testid=settings-nav-general]")
    admin.wait_for_url("**/app/settings/general")
    settle(admin)
    admin.fill("#settings-company", "Arizona Computer Guru")
    admin.check("#visibility-company")
    admin.fill("#settings-idle", "45")
    consent = admin.locator("#settings-consent").is_checked()
    admin.locator("label[for=settings-consent]").click()
    admin.click("#settings-save")
    expect(admin.locator("[data-testid=toast-success]").filter(has_text="Settings saved")).to_be_visible()
    admin.reload()
    settle(admin)
    expect(admin.locator("#settings-company")).to_have_value("Arizona Computer Guru")
    expect(admin.locator("#visibility-company")).to_be_checked()
    expect(admin.locator("#settings-idle")).to_have_value("45")
    assert admin.locator("#settings-consent").is_checked() == (not consent)
