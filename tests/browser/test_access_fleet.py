"""The Access tab with a fleet behind it, in Chromium against the real server: machines
with inventory (written straight into the server's SQLite file, as the agent's reports
would), the sidebar's live counts (company, site, OS, smart groups) narrowing the list, the
search box and the filter expression (the server's syntax error shown inline, where it
is), saving and pinning a filter under My Filters, configurable columns kept across
reloads, sorting by a column header, the detail panel's Session/Device/Network/Other
sections, Flag for attention (audited), Wake's clear refusal when no relay is online, a
technician limited to one company who sees, counts and opens only theirs, the phone
layout, and screenshots in both themes."""
import json
import sqlite3
import pytest
from playwright.sync_api import expect

from browser_steps import SHOT_DIR, ApiClient
from viewer_steps import admin_api, enrol, signed_in

FLEET = [
    ("PC-FRONT01", {"company": "Glaztech", "site": "Phoenix Office", "os_name": "Windows 11 Pro", "os_version": "10.0.22631",
                    "os_build": "22631", "serial": "8XKJF93", "service_tag": "8XKJF93", "internal_ips": "192.168.1.45",
                    "macs": "00:11:22:33:44:55", "external_ip": "72.194.62.4", "logged_on_user": "jsmith", "idle_seconds": 42,
                    "manufacturer": "Dell Inc.", "model": "OptiPlex 7090", "cpu": "Intel(R) Core(TM) i7-11700", "ram_bytes": 17179869184,
                    "device_type": "workstation", "tag": "Front desk", "department": "Reception",
                    "properties_json": json.dumps({"Asset": "A-17"}),
                    "inventory_json": json.dumps({"hostname": "PC-FRONT01", "network": [{"name": "eth0", "mac": "00:11:22:33:44:55", "addresses": ["192.168.1.45/24"]}],
                                                  "disks": [{"mount": "C:\\", "totalBytes": 512000000000, "freeBytes": 100000000000}],
                                                  "memory": {"totalBytes": 17179869184, "availableBytes": 8000000000}})}),
    ("SERVER-DC01", {"company": "Glaztech", "site": "Phoenix Office", "os_name": "Windows Server 2022", "device_type": "server"}),
    ("LAPTOP-SALES", {"company": "Glaztech", "site": "Tucson", "os_name": "Windows 10 Pro", "device_type": "laptop", "tag": "Laptop"}),
    ("ACG-RECEPTION", {"company": "ACG", "site": "Main", "os_name": "Windows 11 Pro", "device_type": "workstation"}),
]


def seed(server, api):
    """Enrols the fleet and writes its inventory into the server's database; name → id."""
    ids = {name: enrol(api, name)[0] for name, _ in FLEET}  # before the database is opened here: one writer at a time
    with sqlite3.connect(server.data_dir / "guruconnect.sqlite", timeout=10) as db:
        for name, columns in FLEET:
            agent_id = ids[name]
            names = sorted(columns)
            db.execute(f"UPDATE agents SET {', '.join(f'{c} = ?' for c in names)}, hostname = ? WHERE id = ?",
                       [columns[c] for c in names] + [name, agent_id])
    return ids


@pytest.fixture(scope="module")
def fleet(server):
    api = admin_api(server)
    return api, seed(server, api)


def rows(page):
    return page.locator("[data-testid=agent-row]")


def names(page):
    return rows(page).evaluate_all("rs => rs.map(r => r.dataset.name)")


def test_sidebar_counts_and_narrows_the_list(server, fleet, new_page):
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    sidebar = page.locator("#access-sidebar")
    expect(rows(page)).to_have_count(4)
    company = sidebar.locator("[data-testid=field-group][data-field=Company]")
    glaztech = company.locator("[data-testid=group-value][data-value=Glaztech]")
    expect(glaztech.get_by_test_id("group-count")).to_have_text("3")
    expect(company.locator("[data-testid=group-value][data-value=ACG]").get_by_test_id("group-count")).to_have_text("1")
    glaztech.click()
    expect(rows(page)).to_have_count(3)
    expect(glaztech).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#access-summary")).to_have_text("3 machines match")
    # Another group: By OS, which starts collapsed.
    os_group = sidebar.locator("[data-testid=field-group][data-field=OS]")
    os_group.locator("summary").click()
    os_group.locator("[data-testid=group-value][data-value='Windows 11 Pro']").click()
    expect(rows(page)).to_have_count(2)
    sidebar.get_by_test_id("group-all").click()
    expect(rows(page)).to_have_count(4)
    # The eight smart groups, with counts; Outdated Clients holds the machines that reported an older version.
    smart = sidebar.locator("[data-testid=smart-group]")
    expect(smart).to_have_count(8)
    expect(smart.locator(".access-group-label")).to_have_text(["Attention", "Host Connected", "Guest Connected", "Recently Accessed",
                                                               "Offline 30 Days", "Offline 1 Year", "Outdated Clients", "Powered on last 10 min"])
    sidebar.locator("[data-testid=smart-group][data-smart=hostConnected]").click()
    expect(page.get_by_test_id("access-no-match")).to_be_visible()
    page.click("#access-filter-clear")
    expect(rows(page)).to_have_count(4)


def test_search_filter_expression_and_saved_filters(server, fleet, new_page):
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    expect(rows(page)).to_have_count(4)
    # Search goes to the server: serial, IP and user all find the one machine.
    for text in ("8xkjf", "192.168.1.45", "jsmith", "A-17"):
        page.fill("#access-filter", text)
        expect(rows(page)).to_have_count(1)
        expect(rows(page).first).to_have_attribute("data-name", "PC-FRONT01")
    page.fill("#access-filter", "")
    expect(rows(page)).to_have_count(4)

    # A broken expression: the server's message, with its column, under the box; the list says why it is empty.
    page.fill("#access-expression", "Company = 'Glaztech' AND Site =")
    page.press("#access-expression", "Enter")
    error = page.locator("#access-expression-error")
    expect(error).to_have_text("Filter at column 32: expected a value after '='.")
    expect(page.locator("#access-expression")).to_have_attribute("aria-invalid", "true")
    shot(page, "access-filter-error")
    page.fill("#access-expression", "Company = 'Glaztech' AND OS LIKE '%Server%'")
    page.click("#access-expression-apply")
    expect(error).to_be_hidden()
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_have_attribute("data-name", "SERVER-DC01")

    # Save it, pinned, under My Filters; it applies with one click from the sidebar.
    page.click("#access-expression-save")
    expect(page.locator("#filter-expression")).to_have_value("Company = 'Glaztech' AND OS LIKE '%Server%'")
    page.fill("#filter-name", "Glaztech servers")
    page.check("#filter-shared")
    page.click("#filter-save-submit")
    saved = page.locator("[data-testid=saved-filter]", has_text="Glaztech servers")
    expect(saved).to_have_attribute("data-pinned", "true")
    expect(saved).to_have_attribute("aria-pressed", "true")
    saved.click()  # again: off
    expect(rows(page)).to_have_count(4)
    expect(page.locator("#access-expression")).to_have_value("")
    saved.click()
    expect(rows(page)).to_have_count(1)
    # Unpin it; a second, unpinned filter sorts after the pinned one.
    page.locator("li", has=saved).get_by_test_id("saved-filter-pin").click()
    expect(saved).to_have_attribute("data-pinned", "false")
    api, _ = fleet
    status, body = api.call("GET", "/api/saved-filters")
    mine = [f for f in body["filters"] if f["name"] == "Glaztech servers"]
    assert status == 200 and mine and mine[0]["shared"] is True and mine[0]["pinned"] is False, body
    # A broken expression is refused by the dialog too, saying where.
    page.click("#access-new-filter")
    page.fill("#filter-name", "Broken")
    page.fill("#filter-expression", "Tag IN ('a',")
    page.click("#filter-save-submit")
    expect(page.locator("#filter-save-error")).to_contain_text("at column 13")
    page.keyboard.press("Escape")


def test_the_sidebar_groups_by_a_custom_property(server, fleet, new_page):
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    expect(rows(page)).to_have_count(4)
    page.select_option("#access-group-by", "property")
    dialog = page.locator("#group-property-dialog")
    expect(dialog).to_be_visible()
    # A name the server refuses keeps the dialog open and says why; the sidebar is unchanged.
    page.fill("#group-property-name", 'Asset"; --')
    page.click("#group-property-submit")
    expect(page.locator("#group-property-error")).to_contain_text("not a property name")
    expect(page.locator("[data-testid=field-group][data-field^='Property.']")).to_have_count(0)
    page.fill("#group-property-name", "Asset")
    page.click("#group-property-submit")
    expect(dialog).to_have_count(0)
    group = page.locator("[data-testid=field-group][data-field='Property.Asset']")
    expect(group.locator("[data-testid=group-value][data-value=A-17]").get_by_test_id("group-count")).to_have_text("1")
    expect(group.locator("[data-testid=group-value][data-value='']").get_by_test_id("group-count")).to_have_text("3")
    group.locator("[data-testid=group-value][data-value=A-17]").click()
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_have_attribute("data-name", "PC-FRONT01")
    # Cancelled, the chooser goes back to what the sidebar shows.
    page.select_option("#access-group-by", "property")
    expect(page.locator("#group-property-name")).to_have_value("Asset")
    page.click("#group-property-dialog button:has-text('Cancel')")
    expect(dialog).to_have_count(0)
    expect(page.locator("#access-group-by")).to_have_value("property")


def test_columns_are_configurable_kept_and_sortable(server, fleet, new_page):
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    expect(rows(page)).to_have_count(4)
    assert names(page) == ["ACG-RECEPTION", "LAPTOP-SALES", "PC-FRONT01", "SERVER-DC01"]
    head = page.locator("#access-head")
    expect(head.get_by_test_id("access-sort")).to_have_text(["Name▲", "Company", "Site", "OS", "User", "Last seen"])
    # Add Serial, remove User: kept across a reload (localStorage).
    page.click("#access-columns")
    page.locator("#access-columns-menu input[data-column=serial]").check()
    page.locator("#access-columns-menu input[data-column=user]").uncheck()
    page.keyboard.press("Escape")
    expect(head.get_by_test_id("access-sort")).to_have_text(["Name▲", "Company", "Site", "OS", "Serial", "Last seen"])
    page.reload()
    expect(head.get_by_test_id("access-sort")).to_have_text(["Name▲", "Company", "Site", "OS", "Serial", "Last seen"])
    front = page.locator("[data-testid=agent-row][data-name=PC-FRONT01]")
    expect(front.locator("[data-column=serial]")).to_have_text("8XKJF93")
    # Sort by a header: the server orders; again reverses.
    head.locator("[data-sort=company]").click()
    expect(head.locator("[data-sort=company]")).to_have_text("Company▲")
    expect(rows(page).first).to_have_attribute("data-name", "ACG-RECEPTION")
    head.locator("[data-sort=company]").click()
    expect(head.locator("[data-sort=company]")).to_have_text("Company▼")
    expect(rows(page).last).to_have_attribute("data-name", "ACG-RECEPTION")
    page.evaluate("() => localStorage.removeItem('gc-access-columns')")


def test_detail_sections_flag_and_wake(server, fleet, new_page):
    api, ids = fleet
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    page.locator("[data-testid=agent-row][data-name=PC-FRONT01]").get_by_test_id("agent-select").click()
    detail = page.locator("#access-detail")
    expect(page.locator("#access-detail-title")).to_have_text("PC-FRONT01")
    for testid in ("detail-session", "detail-device", "detail-network", "detail-other"):
        expect(detail.get_by_test_id(testid)).to_be_visible()
    expect(detail.get_by_test_id("detail-company")).to_have_text("Glaztech")
    expect(detail.get_by_test_id("detail-site")).to_have_text("Phoenix Office")
    expect(detail.get_by_test_id("detail-user")).to_have_text("jsmith")
    expect(detail.get_by_test_id("detail-os")).to_have_text("Windows 11 Pro · 10.0.22631 · build 22631")
    expect(detail.get_by_test_id("detail-serial")).to_have_text("8XKJF93")
    expect(detail.get_by_test_id("detail-model")).to_have_text("Dell Inc. OptiPlex 7090")
    expect(detail.get_by_test_id("detail-memory")).to_have_text("17 GB · 8.0 GB available")
    expect(detail.get_by_test_id("detail-disks")).to_contain_text("100 GB free of 512 GB")
    expect(detail.get_by_test_id("detail-external-ip")).to_have_text("72.194.62.4")
    expect(detail.get_by_test_id("detail-internal-ips")).to_have_text("192.168.1.45")
    expect(detail.get_by_test_id("detail-macs")).to_have_text("00:11:22:33:44:55")
    expect(detail.get_by_test_id("detail-properties")).to_have_text("Asset: A-17")

    # Flag for attention with a note: the row and the detail show it, the Attention group counts it, the audit has it.
    detail.get_by_test_id("agent-flag").click()
    page.fill("#flag-note", "Disk nearly full")
    page.click("#flag-submit")
    expect(detail.get_by_test_id("detail-attention")).to_have_text("Disk nearly full")
    expect(page.locator("[data-testid=agent-row][data-name=PC-FRONT01]").get_by_test_id("agent-attention")).to_be_visible()
    attention = page.locator("[data-testid=smart-group][data-smart=attention]")
    expect(attention.get_by_test_id("group-count")).to_have_text("1")
    status, events = api.call("GET", "/api/audit?action=agent.attention")
    assert status == 200 and any(e["detail"] == "Disk nearly full" and e["target"] == ids["PC-FRONT01"] for e in events["events"]), events

    # Wake: offered (offline, MAC known); with no agent online on its subnet the server says so.
    detail.get_by_test_id("agent-wake").click()
    expect(page.locator(".toast", has_text="Couldn't wake PC-FRONT01")).to_contain_text("No online agent shares a subnet")
    shot(page, "access-detail-sections")
    # No MAC: no Wake button at all.
    page.locator("[data-testid=agent-row][data-name=SERVER-DC01]").get_by_test_id("agent-select").click()
    expect(page.locator("#access-detail-title")).to_have_text("SERVER-DC01")
    expect(detail.get_by_test_id("agent-wake")).to_have_count(0)
    # Clear the flag again.
    page.locator("[data-testid=agent-row][data-name=PC-FRONT01]").get_by_test_id("agent-select").click()
    detail.get_by_test_id("agent-flag").click()
    page.click("#confirm-ok")
    expect(detail.get_by_test_id("detail-attention")).to_have_count(0)
    expect(attention.get_by_test_id("group-count")).to_have_text("0")


def test_a_scoped_technician_sees_only_their_company(server, fleet, new_page):
    api, ids = fleet
    # Settings → Roles: a role limited to one company, made in the role editor.
    admin = signed_in(new_page(), server.base_url)
    admin.goto(f"{server.base_url}/app/settings/roles")
    admin.click("#role-add")
    admin.fill("#role-name", "ACG techs")
    admin.check("#perm-accessUnattended")
    expect(admin.locator("#role-scope-details")).to_be_hidden()
    admin.check("#role-scope-limited")
    admin.fill("#role-companies", "ACG")
    shot(admin, "access-role-scope-editor")
    admin.click("#role-submit")
    card = admin.locator("[data-testid=role-card][data-role-name='ACG techs']")
    expect(card.get_by_test_id("role-scope")).to_have_text("Machines: ACG")
    status, roles = api.call("GET", "/api/roles")
    role = next(r for r in roles if r["name"] == "ACG techs")
    assert role["scope"] == {"companies": ["ACG"], "filters": []}, role
    status, body = api.call("POST", "/api/users", {"username": "acg.tech", "displayName": "ACG Tech", "password": "acg-password-123",
                                                   "roleId": role["id"], "teamId": None})
    assert status == 201, body
    page = new_page()
    page.goto(f"{server.base_url}/login")
    page.fill("#login-username", "acg.tech")
    page.fill("#login-password", "acg-password-123")
    page.click("#login-submit")
    page.wait_for_url("**/app/support")
    page.goto(f"{server.base_url}/app/access")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_have_attribute("data-name", "ACG-RECEPTION")
    expect(page.get_by_test_id("group-all").get_by_test_id("group-count")).to_have_text("1")
    expect(page.locator("[data-testid=field-group][data-field=Company] [data-testid=group-value]")).to_have_count(1)
    page.fill("#access-filter", "8xkjf")
    expect(page.get_by_test_id("access-no-match")).to_be_visible()
    # Outside the scope the machine does not exist for them, not even for the viewer.
    tech = ApiClient(server.base_url)
    tech.login("acg.tech", "acg-password-123")
    assert tech.call("GET", f"/api/agents/{ids['PC-FRONT01']}")[0] == 404
    assert tech.call("POST", f"/api/agents/{ids['PC-FRONT01']}/join", {"mode": "control"})[0] == 404
    assert tech.call("GET", f"/api/agents/{ids['ACG-RECEPTION']}")[0] == 200


def test_phone_stacks_the_panels_and_screenshots(server, fleet, new_page):
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    for theme in ("light", "dark"):
        for label, viewport in (("desktop", {"width": 1440, "height": 900}), ("phone", {"width": 390, "height": 844})):
            page = signed_in(new_page(viewport=viewport, theme=theme), server.base_url)
            page.goto(f"{server.base_url}/app/access")
            expect(rows(page)).to_have_count(4)
            if label == "phone":
                # Stacked: the sidebar above the list, the list as wide as the screen, nothing scrolls sideways.
                sidebar = page.locator("#access-sidebar").bounding_box()
                listing = page.locator("#agents-card").bounding_box()
                assert sidebar["y"] + sidebar["height"] <= listing["y"] + 1, (sidebar, listing)
                assert listing["width"] <= 390
                assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
            page.locator("[data-testid=agent-row][data-name=PC-FRONT01]").get_by_test_id("agent-select").click()
            expect(page.locator("#access-detail-title")).to_have_text("PC-FRONT01")
            page.screenshot(path=str(SHOT_DIR / f"access-fleet-{theme}-{label}.png"), full_page=True)


def shot(page, name):
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOT_DIR / f"{name}.png"), full_page=True)
