"""The Access tab against the real server and a fake agent: enrolment shows the
credential once with the exact command line, the list goes online when the agent
connects, Connect opens the viewer in a new tab, Delete asks first. Screenshots in
both themes."""
import re

from playwright.sync_api import expect

import fake_agent
from browser_steps import SHOT_DIR
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
    page.click("#agent-enrol")
    page.fill("#agent-name", "RECEPTION-PC")
    page.click("#agent-enrol-submit")
    credential = page.locator("#agent-credential").inner_text().strip()
    command = page.locator("#agent-command").inner_text().strip()
    match = re.fullmatch(r"guruconnect-agent --server (\S+) --agent-id ([0-9a-f]{32}) --credential (\S+)", command)
    assert match, command
    assert match.group(1) == ws_url(server)
    assert match.group(3) == credential
    agent_id = match.group(2)
    page.click("#agent-enrol-done")
    expect(page.locator("#agent-enrol-dialog")).to_have_count(0)
    # Shown once: the credential is nowhere on the page or in the API any more.
    expect(page.locator("#agent-credential")).to_have_count(0)
    assert credential not in page.content()
    status, agents = api.call("GET", "/api/agents")
    assert status == 200 and credential not in str(agents)

    row = page.locator(f"[data-testid=agent-row][data-agent-id='{agent_id}']")
    expect(row.get_by_test_id("agent-status")).to_have_text("Offline")
    expect(row.get_by_test_id("agent-control")).to_have_attribute("aria-disabled", "true")

    agent = fake_agent.FakeAgent(match.group(1), agent_id, credential).start()
    try:
        # Polling picks the agent up within a few seconds, with no reload.
        expect(row.get_by_test_id("agent-status")).to_have_text("Online", timeout=15_000)
        expect(page.locator("#access-summary")).to_have_text("1 enrolled · 1 online")
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

    # Delete asks first; Cancel keeps the machine.
    row.get_by_test_id("agent-delete").click()
    expect(page.locator("#confirm-dialog")).to_contain_text("RECEPTION-PC")
    page.click("#confirm-cancel")
    expect(row).to_have_count(1)
    row.get_by_test_id("agent-delete").click()
    page.click("#confirm-ok")
    expect(row).to_have_count(0)
    expect(page.get_by_test_id("access-empty")).to_be_visible()
    status, agents = api.call("GET", "/api/agents")
    assert agents == []


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
                if label == "desktop":
                    page.click("#agent-enrol")
                    page.fill("#agent-name", "NEW-MACHINE")
                    page.click("#agent-enrol-submit")
                    expect(page.locator("#agent-command")).to_be_visible()
                    page.screenshot(path=str(SHOT_DIR / f"access-enrolled-{theme}-desktop.png"))
                    page.click("#agent-enrol-done")
                    row = page.locator("[data-testid=agent-row][data-name='NEW-MACHINE']")
                    row.get_by_test_id("agent-delete").click()
                    page.click("#confirm-ok")
                    expect(row).to_have_count(0)
    finally:
        agent.stop()
    assert not agent.errors, agent.errors
