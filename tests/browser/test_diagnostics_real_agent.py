"""Diagnostics from the real C++ agent on Xvfb: "Collect diagnostics" in the viewer gets this
machine's own snapshot over the end-to-end channel. Its memory total is this machine's
/proc/meminfo MemTotal, its host name this machine's, its disks include /, and the readable page
and the JSON download show the same values."""
import json
import socket
from pathlib import Path

from playwright.sync_api import expect

import real_agent
from browser_steps import shot
from diagnostics_steps import collect
from real_agent import live_viewer

xvfb = real_agent.desktop_fixture(800, 500, (0x20, 0x30, 0x40), name="xvfb")


def mem_total_bytes():
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no MemTotal in /proc/meminfo")


def collected_report(page, tmp_path):
    """Collects in the viewer, opens the report page and downloads its JSON; (report page, report)."""
    collect(page)
    opened = page.locator("#viewer-diagnostics-open")
    expect(opened).to_be_visible(timeout=25_000)
    with page.context.expect_page() as new_tab:
        opened.click()
    report_page = new_tab.value
    expect(report_page.locator("#diag-report")).to_be_visible()
    with report_page.expect_download() as download:
        report_page.click("#diag-download")
    saved = tmp_path / "report.json"
    download.value.save_as(saved)
    return report_page, json.loads(saved.read_text(encoding="utf-8"))


def test_the_real_agent_reports_this_machine(server, xvfb, new_page, tmp_path):
    with live_viewer(server, xvfb, new_page(theme="light"), tmp_path, "DIAG-LINUX") as (page, _env, _log):
        report_page, report = collected_report(page, tmp_path)
        assert report["schema"] == 1
        assert report["host"]["platform"] == "linux"
        assert report["host"]["name"] == socket.gethostname()
        assert report["memory"]["totalBytes"] == mem_total_bytes()
        assert any(d["mount"] == "/" for d in report["disks"]), report["disks"]
        assert report["cpu"]["logicalCores"] >= 1
        assert report["uptimeSeconds"] > 0
        assert 1 <= len(report["processes"]) <= 15
        expect(report_page.get_by_test_id("diag-host-name")).to_have_text(socket.gethostname())
        expect(report_page.get_by_test_id("diag-memory-total")).to_have_attribute("data-bytes", str(mem_total_bytes()))
        expect(report_page.locator('[data-testid=diag-disk-row][data-mount="/"]')).to_have_count(1)
        shot(report_page, "diagnostics-report-real-linux")
