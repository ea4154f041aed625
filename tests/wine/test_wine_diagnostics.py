"""Diagnostics from the Windows agent under Wine: "Collect diagnostics" in the viewer gets a
report with platform windows, the Windows version, this machine's name (Wine answers the host's),
a C:\\ disk and memory, and the readable page shows it.
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import json
import socket

from playwright.sync_api import expect

from browser_steps import shot
from diagnostics_steps import collect
from real_agent import stop, wait_until, xvfb
from viewer_steps import admin_api, agent_online, enrol, expect_live, signed_in
from wine_agent import require_wine_parts, start_wine_agent, wine_session


def test_diagnostics_from_the_windows_agent(server, new_page, tmp_path):
    require_wine_parts()
    with xvfb(800, 500) as (_display, display_env), wine_session(display_env, tmp_path) as env:
        api = admin_api(server)
        agent_id, credential = enrol(api, "WINE-DIAG")
        agent, log_path = start_wine_agent(server.base_url, agent_id, credential, env, tmp_path)
        try:
            wait_until(lambda: agent_online(api, agent_id), 30, lambda: "agent never came online:\n" + log_path.read_text())
            page = signed_in(new_page(), server.base_url)
            page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=control")
            expect_live(page, timeout=20_000)
            collect(page)
            opened = page.locator("#viewer-diagnostics-open")
            expect(opened).to_be_visible(timeout=25_000)
            report_id = opened.get_attribute("data-report-id")
            status, report = api.call("GET", f"/api/diagnostics/{report_id}/json")
            assert status == 200, report
            assert report["schema"] == 1
            assert report["host"]["platform"] == "windows"
            assert any(d["mount"].upper() == "C:\\" for d in report["disks"] or []), report["disks"]
            assert report["memory"]["totalBytes"] > 0
            assert "Windows" in report["host"]["os"], report["host"]
            # Wine answers the host's own name.
            assert report["host"]["name"].lower() == socket.gethostname().lower(), report["host"]
            page.goto(f"{server.base_url}/app/diagnostics/{report_id}")
            expect(page.get_by_test_id("diag-platform")).to_have_text("windows")
            expect(page.locator('[data-testid=diag-disk-row][data-mount="C:\\\\"]')).to_have_count(1)
            shot(page, "diagnostics-report-wine")
            print(json.dumps({k: report[k] for k in ("host", "memory", "sectionErrors") if k in report}))
        finally:
            stop(agent)
