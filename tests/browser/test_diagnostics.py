"""Diagnostics against the real server and a fake agent (tests/guruproto, checked against
protocol/vectors by test_protocol_vectors.py): "Collect diagnostics" in the viewer sends a
DiagnosticsRequest, the agent's DiagnosticsReport is uploaded and opens as a readable page
with the agent's values, its JSON download is the report the agent sent, the collection is
audited; an agent that does not answer (older than diagnostics) gets a clear message; the
Access tab's Tools menu really collects; and a technician without access to the machine or
session can neither store nor read a report."""
import json

import pytest
from playwright.sync_api import expect

from browser_steps import ADMIN, ApiClient, shot
from diagnostics_steps import REPORT, REPORT_TEXT, answer, collect, expect_report_page
from viewer_steps import admin_api, desktop_scene, enrol, expect_painted, open_viewer, png_of, send_screen, signed_in


@pytest.fixture(scope="module")
def agent_account(server):
    return enrol(admin_api(server), "RECEPTION-PC")


def live_viewer(server, agent_id, fake, page):
    open_viewer(signed_in(page, server.base_url), server.base_url, agent_id)
    viewer = fake.wait_viewer()
    send_screen(fake, viewer, png_of(desktop_scene))
    fake.wait_for(viewer, lambda m: m["type"] == "FrameAck")
    expect_painted(page, viewer.channel.fingerprint)
    return viewer


def test_collect_in_the_viewer_opens_the_report_downloads_it_and_audits(server, agent_account, agent, new_page, tmp_path):
    agent_id, _ = agent_account
    fake = agent()
    page = new_page(theme="light")
    viewer = live_viewer(server, agent_id, fake, page)
    collect(page)
    expect(page.locator("#viewer-diagnostics-status")).to_contain_text("Collecting")
    request_id = answer(fake, viewer)
    assert request_id >= 1
    opened = page.locator("#viewer-diagnostics-open")
    expect(opened).to_be_visible()
    report_id = opened.get_attribute("data-report-id")
    expect(page.locator("[data-testid=viewer-diagnostics-list] [data-testid=diagnostics-report-row]")).to_have_count(1)
    shot(page, "diagnostics-viewer-panel-light")

    with page.context.expect_page() as new_tab:
        opened.click()
    report_page = new_tab.value
    report_page.wait_for_load_state()
    assert report_page.url.endswith(f"/app/diagnostics/{report_id}")
    expect_report_page(report_page, REPORT)
    expect(report_page.get_by_test_id("diag-cpu-bar")).to_have_attribute("data-percent", "37.5")
    expect(report_page.get_by_test_id("diag-memory-bar")).to_have_attribute("data-percent", "75.0")
    expect(report_page.locator('[data-testid=diag-disk-row][data-mount="/"] [data-testid=diag-disk-bar]')).to_have_attribute("data-percent", "90.0")
    expect(report_page.locator("[data-testid=diag-section-error][data-section=recentErrors]")).to_contain_text("the system log cannot be read")
    expect(report_page.get_by_test_id("diag-errors-empty")).to_have_count(0)  # a failed section is not "no errors"
    expect(report_page.locator("#diag-warnings")).to_contain_text("recent errors")
    expect(report_page.get_by_test_id("diag-pending-reboot")).to_contain_text("Reboot pending")
    expect(report_page.get_by_test_id("diag-uptime")).to_have_text("1 d 2 h 3 min")
    shot(report_page, "diagnostics-report-light-desktop")

    with report_page.expect_download() as download:
        report_page.click("#diag-download")
    saved = tmp_path / "report.json"
    download.value.save_as(saved)
    assert download.value.suggested_filename.startswith("diagnostics-RECEPTION-PC-")
    assert saved.read_text(encoding="utf-8") == REPORT_TEXT, "the download is the JSON the agent sent, byte for byte"
    assert json.loads(saved.read_text(encoding="utf-8")) == REPORT

    api = admin_api(server)
    status, events = api.call("GET", "/api/audit?action=diagnostics.collect")
    assert status == 200
    collected = [e for e in events["events"] if e["action"] == "diagnostics.collect"]
    assert len(collected) == 1 and collected[0]["target"] == agent_id and collected[0]["actorName"] == ADMIN["username"]
    assert report_id in collected[0]["detail"] and f"{len(REPORT_TEXT.encode())} bytes" in collected[0]["detail"]


def test_report_page_dark_and_phone(server, agent_account, new_page):
    agent_id, _ = agent_account
    api = admin_api(server)
    status, stored = api.call("POST", f"/api/agents/{agent_id}/diagnostics", REPORT)
    assert status == 201, stored
    for theme, viewport, name in (("dark", None, "diagnostics-report-dark-desktop"),
                                  ("light", {"width": 390, "height": 844}, "diagnostics-report-light-phone"),
                                  ("dark", {"width": 390, "height": 844}, "diagnostics-report-dark-phone")):
        page = signed_in(new_page(viewport=viewport, theme=theme), server.base_url)
        page.goto(f"{server.base_url}/app/diagnostics/{stored['id']}")
        expect_report_page(page, REPORT)
        # Nothing spills sideways on a phone: the page is no wider than the screen.
        if viewport:
            assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        shot(page, name)


def test_an_agent_that_does_not_answer_gets_a_clear_message(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = new_page(theme="dark")
    viewer = live_viewer(server, agent_id, fake, page)
    before = len(admin_api(server).call("GET", f"/api/agents/{agent_id}/diagnostics")[1]["reports"])
    collect(page)
    request = fake.wait_for(viewer, lambda m: m["type"] == "DiagnosticsRequest")[-1]
    # A report for another request is no answer: the viewer keeps waiting, then says why it gave up.
    from guruproto import inner
    fake.send(viewer, inner.diagnostics_report(request["requestId"] + 1, REPORT_TEXT))
    error = page.locator("#viewer-diagnostics-error")
    expect(error).to_contain_text("did not answer within 20 s", timeout=30_000)
    expect(error).to_contain_text("update the agent")
    expect(page.locator("#viewer-diagnostics-open")).to_have_count(0)
    expect(page.locator("#viewer-diagnostics-collect")).to_be_enabled()
    shot(page, "diagnostics-viewer-timeout-dark")
    after = len(admin_api(server).call("GET", f"/api/agents/{agent_id}/diagnostics")[1]["reports"])
    assert after == before, "nothing was stored"


def test_access_tools_menu_collects_from_the_agent(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = signed_in(new_page(), server.base_url)
    page.goto(f"{server.base_url}/app/access")
    row = page.locator(f"[data-testid=agent-row][data-agent-id='{agent_id}']")
    expect(row.get_by_test_id("agent-status")).to_have_text("Online", timeout=15_000)
    # The Tools menu lives in the machine's detail panel.
    row.get_by_test_id("agent-select").click()
    detail = page.locator("#access-detail")
    detail.get_by_test_id("agent-tools").click()
    with page.context.expect_page() as new_tab:
        detail.locator(".menu.is-open [data-action=collect-diagnostics]").click()
    viewer_page = new_tab.value
    viewer_page.wait_for_load_state()
    viewer = fake.wait_viewer()
    # No click in the viewer: it asks the agent as soon as the session is connected.
    answer(fake, viewer, REPORT_TEXT.replace("RECEPTION-PC", "FROM-ACCESS"))
    expect(viewer_page.locator("#viewer-diagnostics-panel")).to_be_visible()
    opened = viewer_page.locator("#viewer-diagnostics-open")
    expect(opened).to_be_visible()
    report_id = opened.get_attribute("data-report-id")
    # The URL keeps no trace of the request: a reload does not collect again.
    assert "collect=" not in viewer_page.url

    # The machine's details list the new report, linked to its page.
    page.reload()
    page.locator(f"[data-testid=agent-row][data-agent-id='{agent_id}'] [data-testid=agent-select]").click()
    link = page.locator(f"[data-testid=detail-diagnostics] [data-report-id='{report_id}'] [data-testid=diagnostics-report-link]")
    expect(link).to_be_visible()
    shot(page, "diagnostics-access-detail-light")
    with page.context.expect_page() as report_tab:
        link.click()
    report_page = report_tab.value
    expect(report_page.get_by_test_id("diag-host-name")).to_have_text("FROM-ACCESS")


def test_a_technician_without_access_can_neither_store_nor_read(server, agent_account, new_page):
    agent_id, _ = agent_account
    api = admin_api(server)
    status, stored = api.call("POST", f"/api/agents/{agent_id}/diagnostics", REPORT)
    assert status == 201, stored
    status, role = api.call("POST", "/api/roles", {"name": "Auditor", "permissions": ["viewAudit"]})
    assert status == 201, role
    for username, role_id in (("auditor", role["id"]), ("alice", "technician"), ("bob", "technician")):
        status, body = api.call("POST", "/api/users", {"username": username, "displayName": username.title(), "password": "correct-horse-battery", "roleId": role_id})
        assert status == 201, body
    auditor = ApiClient(server.base_url)
    auditor.login("auditor", "correct-horse-battery")
    # No accessUnattended: no Access machine's reports, to store or to read.
    assert auditor.call("POST", f"/api/agents/{agent_id}/diagnostics", REPORT)[0] == 403
    assert auditor.call("GET", f"/api/agents/{agent_id}/diagnostics")[0] == 403
    assert auditor.call("GET", f"/api/diagnostics/{stored['id']}")[0] == 404
    assert auditor.call("GET", f"/api/diagnostics/{stored['id']}/json")[0] == 404
    page = new_page()
    page.goto(f"{server.base_url}/login")
    page.fill("#login-username", "auditor")
    page.fill("#login-password", "correct-horse-battery")
    page.click("#login-submit")
    page.wait_for_url("**/app/**")
    page.goto(f"{server.base_url}/app/diagnostics/{stored['id']}")
    expect(page.get_by_test_id("load-error")).to_contain_text("No such report, or not yours to see")
    expect(page.locator("#diag-report")).to_have_count(0)

    # Another technician's private support session: Bob can neither store a report in it nor read Alice's.
    alice, bob = ApiClient(server.base_url), ApiClient(server.base_url)
    alice.login("alice", "correct-horse-battery")
    bob.login("bob", "correct-horse-battery")
    status, session = alice.call("POST", "/api/support/sessions", {"assigned": True, "visibility": "private"})
    assert status == 201, session
    path = f"/api/support/sessions/{session['id']}/diagnostics"
    assert bob.call("POST", path, REPORT)[0] == 404
    assert bob.call("GET", path)[0] == 404
    # A pending session has no agent to collect from, even for its owner.
    assert alice.call("POST", path, REPORT)[0] == 403


def test_empty_sections_say_so(server, agent_account, new_page):
    agent_id, _ = agent_account
    quiet = {**REPORT, "disks": [], "processes": [], "recentErrors": [], "network": {"interfaces": [], "gateways": [], "dnsServers": []},
             "pendingReboot": {"pending": False, "reasons": []}, "sectionErrors": {}}
    status, stored = admin_api(server).call("POST", f"/api/agents/{agent_id}/diagnostics", quiet)
    assert status == 201, stored
    page = signed_in(new_page(theme="dark"), server.base_url)
    page.goto(f"{server.base_url}/app/diagnostics/{stored['id']}")
    for testid, words in (("diag-disks-empty", "No local disks"), ("diag-processes-empty", "No processes"),
                          ("diag-errors-empty", "No errors in the system log"), ("diag-network-empty", "No network interfaces")):
        expect(page.get_by_test_id(testid)).to_contain_text(words)
    expect(page.locator("#diag-warnings")).to_have_count(0)
    expect(page.get_by_test_id("diag-pending-reboot")).to_contain_text("No reboot pending")
    shot(page, "diagnostics-report-empty-dark")


def test_collect_in_a_support_session_attaches_the_report_to_it(server, new_page):
    """A support session: the report goes to the session (and its one-time agent), and the
    session's list in the viewer shows it."""
    from portal_steps import FakeSupportAgent, create_code, portal_download
    from viewer_steps import ws_url

    api = admin_api(server)
    session = create_code(api)
    trailer = portal_download(server.base_url, session["code"])
    support_agent = FakeSupportAgent(ws_url(server), trailer["session"], trailer["secret"]).start()
    try:
        support_agent.status(2)  # the customer allowed it
        page = signed_in(new_page(), server.base_url)
        page.goto(f"{server.base_url}/app/viewer/{session['id']}?kind=support&mode=control")
        viewer = support_agent.wait_viewer()
        send_screen(support_agent, viewer, png_of(desktop_scene))
        expect_painted(page, viewer.channel.fingerprint)
        collect(page)
        answer(support_agent, viewer, REPORT_TEXT.replace("RECEPTION-PC", "SARAH-LAPTOP"))
        expect(page.locator("#viewer-diagnostics-open")).to_be_visible()
        expect(page.locator("[data-testid=viewer-diagnostics-list] [data-testid=diagnostics-report-row]")).to_have_count(1)
        report_id = page.locator("#viewer-diagnostics-open").get_attribute("data-report-id")
        # The Support tab's row of the session links its report.
        support_tab = page.context.new_page()
        support_tab.goto(f"{server.base_url}/app/support")
        link = support_tab.locator(f"[data-testid=support-row][data-code='{session['code']}'] [data-testid=support-diagnostics]")
        expect(link).to_have_attribute("href", f"/app/diagnostics/{report_id}")
        expect(link).to_have_text("Diagnostics report")
        shot(support_tab, "diagnostics-support-row-light")
    finally:
        support_agent.stop()
    assert not support_agent.errors, support_agent.errors
    status, listed = api.call("GET", f"/api/support/sessions/{session['id']}/diagnostics")
    assert status == 200 and len(listed["reports"]) == 1, listed
    stored = listed["reports"][0]
    assert stored["sessionKind"] == "support" and stored["sessionId"] == session["id"] and stored["hostName"] == "SARAH-LAPTOP"
