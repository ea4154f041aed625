"""The Access tab against the real server and a fake agent: "Add machines" leads to the
Build tab (no credential or command line is shown), the list goes online when the agent
connects (over the dashboard WebSocket, no polling), Connect opens the viewer in a new
tab, Tools → Remove machine asks first; a click selects a machine for the detail panel,
which follows live changes, the search and status menu narrow the list (on the server),
and on a phone the details show once a machine is selected. Screenshots in both themes.
The sidebar, filter expressions, saved filters, columns and flags are test_access_fleet.py's."""
import hashlib

import pytest
from playwright.sync_api import expect

from guruproto import proof as agent_proof
import fake_agent
from guruproto import e2e
from browser_steps import SHOT_DIR, ApiClient
from viewer_steps import admin_api, desktop_scene, enrol, expect_painted, png_of, send_screen, signed_in, ws_url


def test_empty_state(server, new_page):
    admin_api(server)
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    expect(page.get_by_test_id("access-empty")).to_be_visible()
    expect(page.get_by_test_id("access-empty")).to_contain_text("No machines yet")


def test_enrol_connect_and_delete(server, new_page):
    api = admin_api(server)
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    # No credential or command line is ever shown: "Add machines" leads to the Build tab's installers.
    page.click("#agent-enrol")
    page.wait_for_url(f"{server.base_url}/app/build")
    assert page.locator("#agent-credential").count() == 0 and page.locator("#agent-command").count() == 0
    # The machine enrols itself with a token, as an installer's agent does.
    status, created = api.call("POST", "/api/enrolment-tokens", {"maxUses": 1})
    assert status == 201
    status, enrolled = ApiClient(server.base_url).call(
        "POST", "/api/agent/enrol", {"token": created["secret"], "hostname": "RECEPTION-PC"})
    assert status == 201, enrolled
    agent_id, credential = enrolled["agentId"], enrolled["credential"]
    assert enrolled["server"] == ws_url(server)
    page.goto(f"{server.base_url}/app/access")
    assert credential not in page.content()
    status, agents = api.call("GET", "/api/agents")
    assert status == 200 and credential not in str(agents)

    row = page.locator(f"[data-testid=agent-row][data-agent-id='{agent_id}']")
    expect(row.get_by_test_id("agent-status")).to_have_text("Offline")
    expect(row.get_by_test_id("agent-control")).to_have_attribute("aria-disabled", "true")

    agent = fake_agent.FakeAgent(ws_url(server), agent_id, credential).start()
    try:
        # The dashboard WebSocket's agents.changed notice brings it online, with no reload or polling.
        expect(row.get_by_test_id("agent-status")).to_have_text("Online", timeout=15_000)
        expect(page.locator("#access-summary")).to_have_text("1 machine")
        with page.context.expect_page() as opened:
            row.get_by_test_id("agent-control").click()
        viewer_page = opened.value
        viewer_page.wait_for_load_state()
        assert viewer_page.url.endswith(f"/app/viewer/{agent_id}?mode=control")
        viewer = agent.wait_viewer()
        assert viewer.mode == "control"
        send_screen(agent, viewer, png_of(desktop_scene))
        agent.wait_for(viewer, lambda m: m["type"] == "FrameAck")
        expect_painted(viewer_page, viewer.channel.fingerprint)
        expect(viewer_page.locator("#viewer-agent-name")).to_have_text("RECEPTION-PC")
        viewer_page.close()
    finally:
        agent.stop()
    assert not agent.errors, agent.errors
    expect(row.get_by_test_id("agent-status")).to_have_text("Offline", timeout=15_000)

    # Tools → Remove machine asks first; Cancel keeps the machine.
    row.get_by_test_id("agent-select").click()
    detail = page.locator("#access-detail")
    expect(detail.get_by_test_id("detail-status")).to_have_text("Offline")
    remove_from_tools(detail)
    expect(page.locator("#confirm-dialog")).to_contain_text("RECEPTION-PC")
    page.click("#confirm-cancel")
    expect(row).to_have_count(1)
    remove_from_tools(detail)
    page.click("#confirm-ok")
    expect(row).to_have_count(0)
    expect(page.get_by_test_id("access-empty")).to_be_visible()
    status, agents = api.call("GET", "/api/agents")
    assert agents["total"] == 0 and agents["items"] == []


def remove_from_tools(detail):
    """Opens the detail panel's Tools menu and picks Remove machine."""
    detail.get_by_test_id("agent-tools").click()
    detail.locator(".menu.is-open [data-action=remove]").click()


def test_filter_select_and_detail(server, new_page):
    api = admin_api(server)
    desk_id, desk_credential = enrol(api, "FRONT-DESK-02")
    scanner_id, _ = enrol(api, "WAREHOUSE-SCANNER-2")
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    rows = page.locator("[data-testid=agent-row]")
    expect(rows).to_have_count(2)
    detail = page.locator("#access-detail")
    expect(detail).to_be_hidden()

    # A click on a row selects it; the detail panel shows that machine.
    desk = page.locator(f"[data-testid=agent-row][data-agent-id='{desk_id}']")
    desk.locator(".access-td").nth(2).click()
    expect(desk).to_have_attribute("data-selected", "true")
    expect(page.locator("#access-detail-title")).to_have_text("FRONT-DESK-02")
    expect(detail.get_by_test_id("detail-id")).to_have_text(desk_id)
    expect(detail.get_by_test_id("detail-status")).to_have_text("Offline")
    expect(detail.get_by_test_id("agent-control")).to_have_attribute("aria-disabled", "true")
    expect(detail.get_by_test_id("detail-version")).to_have_text("Not connected yet")

    # The selection and the detail follow live changes: the agent comes online.
    agent = fake_agent.FakeAgent(ws_url(server), desk_id, desk_credential).start()
    try:
        expect(detail.get_by_test_id("detail-status")).to_have_text("Online", timeout=15_000)
        expect(detail.get_by_test_id("detail-version")).to_have_text("0.9.0")
        expect(desk).to_have_attribute("data-selected", "true")
        link = detail.get_by_test_id("agent-view")
        expect(link).not_to_have_attribute("aria-disabled", "true")
        assert link.get_attribute("href") == f"/app/viewer/{desk_id}?mode=view"

        # Search (on the server): by name or id, and the status menu; the summary says how many match.
        page.fill("#access-filter", "scanner")
        expect(rows).to_have_count(1)
        expect(rows.first).to_have_attribute("data-agent-id", scanner_id)
        expect(page.locator("#access-summary")).to_have_text("1 machine match")
        page.fill("#access-filter", desk_id[:10].upper())
        expect(rows).to_have_count(1)
        expect(rows.first).to_have_attribute("data-agent-id", desk_id)
        page.select_option("#access-status-filter", "offline")
        expect(rows).to_have_count(0)
        expect(page.get_by_test_id("access-no-match")).to_be_visible()
        page.click("#access-filter-clear")
        expect(rows).to_have_count(2)
        expect(page.locator("#access-filter")).to_have_value("")
        page.select_option("#access-status-filter", "online")
        expect(rows).to_have_count(1)
        expect(rows.first).to_have_attribute("data-agent-id", desk_id)
        page.select_option("#access-status-filter", "all")
    finally:
        agent.stop()
    assert not agent.errors, agent.errors

    # Remove from the detail panel's Tools: asks first, then the selection is gone with the machine.
    expect(detail.get_by_test_id("detail-status")).to_have_text("Offline", timeout=15_000)
    remove_from_tools(detail)
    expect(page.locator("#confirm-dialog")).to_contain_text("FRONT-DESK-02")
    page.click("#confirm-ok")
    expect(desk).to_have_count(0)
    expect(detail).to_be_hidden()
    status, agents = api.call("GET", "/api/agents")
    assert [a["id"] for a in agents["items"] if a["id"] in (desk_id, scanner_id)] == [scanner_id]
    api.call("DELETE", f"/api/agents/{scanner_id}")


def test_phone_shows_details_once_a_machine_is_selected(server, new_page):
    api = admin_api(server)
    agent_id, _ = enrol(api, "PHONE-PICK-01")
    page = signed_in(new_page(viewport={"width": 390, "height": 844}), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    row = page.locator(f"[data-testid=agent-row][data-agent-id='{agent_id}']")
    expect(row).to_be_visible()
    expect(page.locator("#access-detail")).to_be_hidden()
    row.get_by_test_id("agent-select").click()
    expect(page.locator("#access-detail")).to_be_visible()
    expect(page.locator("#access-detail-title")).to_have_text("PHONE-PICK-01")
    page.click("#access-detail-close")
    expect(page.locator("#access-detail")).to_be_hidden()
    expect(row).to_have_attribute("data-selected", "false")
    api.call("DELETE", f"/api/agents/{agent_id}")


def test_access_screenshots(server, new_page):
    api = admin_api(server)
    online_id, online_credential = enrol(api, "ACCT-LAPTOP-07")
    enrol(api, "FRONT-DESK-01")
    enrol(api, "WAREHOUSE-SCANNER")
    agent = fake_agent.FakeAgent(ws_url(server), online_id, online_credential).start()
    SHOT_DIR.mkdir(parents=True, exist_ok=True)
    try:
        for theme in ("light", "dark"):
            for label, viewport in (("desktop", {"width": 1440, "height": 900}), ("phone", {"width": 390, "height": 844})):
                page = signed_in(new_page(viewport=viewport, theme=theme), server.base_url)
                page.goto(f"{server.base_url}/app/access")
                expect(page.locator("[data-testid=agent-row][data-online=true]")).to_have_count(1)
                expect(page.locator("[data-testid=agent-row]")).to_have_count(3)
                page.screenshot(path=str(SHOT_DIR / f"access-agents-{theme}-{label}.png"), full_page=True)
                page.locator("[data-testid=agent-row][data-online=true]").get_by_test_id("agent-select").click()
                expect(page.locator("#access-detail-title")).to_have_text("ACCT-LAPTOP-07")
                expect(page.locator("#access-detail").get_by_test_id("detail-status")).to_have_text("Online")
                page.evaluate("() => window.scrollTo(0, 0)")  # a phone scrolled down to the details
                page.screenshot(path=str(SHOT_DIR / f"access-detail-{theme}-{label}.png"), full_page=True)
                page.click("#access-detail-close")
                if label == "desktop":
                    enrol(api, "NEW-MACHINE")
                    page.reload()
                    row = page.locator("[data-testid=agent-row][data-name='NEW-MACHINE']")
                    row.get_by_test_id("agent-select").click()
                    expect(page.locator("#access-detail-title")).to_have_text("NEW-MACHINE")
                    remove_from_tools(page.locator("#access-detail"))
                    page.click("#confirm-ok")
                    expect(row).to_have_count(0)
    finally:
        agent.stop()
    assert not agent.errors, agent.errors


def fingerprint(identity):
    """The fingerprint the viewer and the Access tab show: SHA-256 of the public key, 8 bytes, 4 hex a group."""
    digits = hashlib.sha256(agent_proof.public_bytes(identity)).hexdigest()[:16].upper()
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def test_reset_identity_lets_a_machine_that_lost_its_key_bind_a_new_one(server, new_page):
    api = admin_api(server)
    agent_id, credential = enrol(api, "REIMAGED-PC")
    old_key, new_key = e2e.identity_key(), e2e.identity_key()
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    row = page.locator(f"[data-testid=agent-row][data-agent-id='{agent_id}']")
    row.locator(".access-td").nth(2).click()
    detail = page.locator("#access-detail")
    expect(detail.get_by_test_id("detail-identity")).to_have_text("Bound at the next connection")
    detail.get_by_test_id("agent-tools").click()  # nothing to reset yet: the Tools menu has no such entry
    expect(detail.locator(".menu.is-open [data-action=reset-identity]")).to_have_count(0)
    expect(detail.locator(".menu.is-open [data-action=collect-diagnostics]")).to_have_count(1)
    page.keyboard.press("Escape")

    # First connection binds the key; the detail shows its fingerprint.
    fake_agent.FakeAgent(ws_url(server), agent_id, credential, old_key, proof_key=old_key).start().stop()
    expect(detail.get_by_test_id("detail-identity")).to_have_text(fingerprint(old_key), timeout=15_000)

    # The machine lost its key: with the same credential and another key it is refused.
    with pytest.raises(AssertionError, match="Reject"):
        fake_agent.FakeAgent(ws_url(server), agent_id, credential, new_key, proof_key=new_key).start()

    # Reset asks first, says what it does, then the next connection binds the new key.
    detail.get_by_test_id("agent-tools").click()
    detail.locator(".menu.is-open [data-action=reset-identity]").click()
    expect(page.locator("#confirm-dialog")).to_contain_text("REIMAGED-PC")
    expect(page.locator("#confirm-dialog")).to_contain_text("warns that the identity changed")
    page.click("#confirm-ok")
    expect(page.locator(".toast", has_text="Identity key reset")).to_be_visible()
    expect(detail.get_by_test_id("detail-identity")).to_have_text("Bound at the next connection")
    agent = fake_agent.FakeAgent(ws_url(server), agent_id, credential, new_key, proof_key=new_key).start()
    try:
        expect(detail.get_by_test_id("detail-identity")).to_have_text(fingerprint(new_key), timeout=15_000)
        expect(detail.get_by_test_id("detail-status")).to_have_text("Online")
    finally:
        agent.stop()
    status, events = api.call("GET", "/api/audit?action=agent.identity.reset")
    mine = [e for e in events["events"] if e["target"] == agent_id]
    assert status == 200 and len(mine) == 1, events
    assert mine[0]["detail"].startswith("forgot key "), events


def test_only_those_who_enrol_machines_may_reset_an_identity(server):
    api = admin_api(server)
    agent_id, _ = enrol(api, "LOCKED-PC")
    status, body = api.call("POST", "/api/users", {"username": "reset.tech", "displayName": "Reset Tech",
                                                   "password": "tech-password-123", "roleId": "technician", "teamId": None})
    assert status == 201, body
    technician = ApiClient(server.base_url)
    technician.login("reset.tech", "tech-password-123")
    status, body = technician.call("POST", f"/api/agents/{agent_id}/identity/reset", {})
    assert status == 403, body
    status, body = api.call("POST", "/api/agents/00000000000000000000000000000000/identity/reset", {})
    assert status == 404, body
    status, events = api.call("GET", "/api/audit?action=agent.identity.reset")
    assert not [e for e in events["events"] if e["target"] in (agent_id, "0" * 32)], events
