"""Shared steps for the diagnostics browser tests: a schema-1 report as an agent sends it,
collecting from the viewer's Diagnostics panel, and reading the readable report page."""
import json

from playwright.sync_api import expect

# A report as the agent sends it (docs/api.md, Diagnostics): one failed section, so the page's
# warning path is covered too.
REPORT = {
    "schema": 1, "collectedAt": "2026-12-03T20:00:00Z", "agentVersion": "0.9.0-test",
    "host": {"name": "RECEPTION-PC", "os": "Debian GNU/Linux 12 (bookworm)", "kernel": "6.1.0-27-amd64", "platform": "linux"},
    "uptimeSeconds": 93784,
    "cpu": {"model": "Intel(R) Xeon(R) Test CPU @ 2.20GHz", "logicalCores": 4, "usagePercent": 37.5},
    "memory": {"totalBytes": 8589934592, "availableBytes": 2147483648, "swapTotalBytes": 2147483648, "swapFreeBytes": 1073741824},
    "disks": [
        {"mount": "/", "fileSystem": "ext4", "totalBytes": 107374182400, "freeBytes": 10737418240},
        {"mount": "/home", "fileSystem": "xfs", "totalBytes": 536870912000, "freeBytes": 429496729600},
    ],
    "processes": [
        {"pid": 4242, "name": "chromium", "cpuPercent": 31.2, "memoryBytes": 734003200},
        {"pid": 1, "name": "systemd", "cpuPercent": 0.1, "memoryBytes": 12582912},
    ],
    "recentErrors": None,
    "network": {
        "interfaces": [
            {"name": "eth0", "mac": "aa:bb:cc:dd:ee:ff", "up": True, "addresses": ["192.168.1.5/24", "fe80::1/64"]},
            {"name": "wlan0", "mac": None, "up": False, "addresses": []},
        ],
        "gateways": ["192.168.1.1"], "dnsServers": ["1.1.1.1", "9.9.9.9"],
    },
    "pendingReboot": {"pending": True, "reasons": ["/var/run/reboot-required"]},
    "sectionErrors": {"recentErrors": "the system log cannot be read: permission denied"},
}
REPORT_TEXT = json.dumps(REPORT, ensure_ascii=False)


def open_panel(page):
    page.click("#viewer-diagnostics")
    expect(page.locator("#viewer-diagnostics-panel")).to_be_visible()


def collect(page):
    """Clicks Collect diagnostics once the session is connected."""
    open_panel(page)
    expect(page.locator("#viewer-diagnostics-collect")).to_be_enabled(timeout=15_000)
    page.click("#viewer-diagnostics-collect")


def answer(fake, viewer, report_text=REPORT_TEXT, timeout=15):
    """Waits for the viewer's DiagnosticsRequest and answers it; its requestId."""
    from guruproto import inner
    request = fake.wait_for(viewer, lambda m: m["type"] == "DiagnosticsRequest", timeout=timeout)[-1]
    fake.send(viewer, inner.diagnostics_report(request["requestId"], report_text))
    return request["requestId"]


def expect_report_page(page, report):
    """The readable page shows what `report` holds."""
    expect(page.locator("#diag-report")).to_be_visible()
    expect(page.get_by_test_id("diag-host-name")).to_have_text(report["host"]["name"])
    expect(page.get_by_test_id("diag-os")).to_have_text(report["host"]["os"])
    expect(page.get_by_test_id("diag-platform")).to_have_text(report["host"]["platform"])
    expect(page.get_by_test_id("diag-memory-total")).to_have_attribute("data-bytes", str(report["memory"]["totalBytes"]))
    expect(page.get_by_test_id("diag-disk-row")).to_have_count(len(report["disks"]))
    for disk in report["disks"]:
        expect(page.locator(f'[data-testid=diag-disk-row][data-mount="{disk["mount"]}"]')).to_have_count(1)
    expect(page.get_by_test_id("diag-process-row")).to_have_count(len(report["processes"]))
    expect(page.get_by_test_id("diag-interface-row")).to_have_count(len(report["network"]["interfaces"]))
