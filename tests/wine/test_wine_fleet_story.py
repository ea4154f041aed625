"""The Windows fleet story with real parts, as an MSP technician lives it: the Build tab's MSI (wixl)
with the form's metadata, downloaded in Chromium; `msiexec /i … /qn` under Wine 8 installs the service,
which enrols with the MSI's token and reports the machine's inventory (its SMBIOS strings from a DMI
table the test gives Wine, see fake_dmi.py); the machine appears in the Access tab under its company
and site with its serial, OS and addresses; `--reconfigure` moves it, and the open detail panel shows
the new site at the next check-in (audited); it is found by serial and by IP; a filter is saved and
pinned; Connect in the detail panel opens the live viewer on the Wine desktop; `msiexec /x` removes the
service, the keys, the files and the Add/Remove Programs entry, and the row turns offline.
Opt-in: GURU_WINE_TESTS=1 (see tests/wine/wine_agent.py)."""
import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from fake_dmi import fake_dmi
from fleet_steps import fill_build_form, fleet_server
from real_agent import wait_until, xvfb
from test_wine_service import CONFIG_KEY, INSTALLED_EXE, SERVER_KEY, service_log, wine, wine_session
from test_wine_unattended import MSI_KEY, ROOT_KEY, stored_agent_id
from viewer_steps import expect_live, signed_in
from wine_agent import EXE, require_wine_parts

UNINSTALL_KEY = r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall"
DMI = {"sys_vendor": "Dell Inc.", "product_name": "OptiPlex 7090", "product_serial": "GC7Q4S3",
       "product_version": "1.0", "chassis_vendor": "Dell Inc.", "chassis_serial": "7Q4S3DL",
       "chassis_type": "3", "board_vendor": "Dell Inc.", "board_name": "0K240Y", "bios_vendor": "Dell Inc.",
       "bios_version": "1.22.0", "bios_date": "07/11/2024"}


@pytest.fixture
def windows_fleet(tmp_path):
    require_wine_parts()
    if shutil.which("wixl") is None:
        pytest.fail("wixl (msitools) is needed for the MSI: make deps installs it")
    with fleet_server(tmp_path, EXE, "guruconnect-agent.exe") as running:
        yield running


def build_msi_in_the_build_tab(page, base_url, tmp_path):
    page.goto(f"{base_url}/app/build")
    expect(page.locator("#build-platform-windows64")).to_be_checked()
    fill_build_form(page, "Glaztech", "Phoenix Office", "Reception", "workstation", "Front", {"Asset": "A-17"})
    with page.expect_download(timeout=60_000) as info:
        page.click("#build-download-msi")
    msi = tmp_path / info.value.suggested_filename
    info.value.save_as(msi)
    assert msi.suffix == ".msi" and msi.stat().st_size > 100_000
    return msi


def machine(api, agent_id):
    status, body = api.call("GET", "/api/agents/" + agent_id)
    assert status == 200, body
    return body


def product_code(msi):
    table = subprocess.run(["msiinfo", "export", str(msi), "Property"], capture_output=True, text=True, check=True, timeout=30).stdout
    found = re.search(r"^ProductCode\t(\{[0-9A-F-]{36}\})", table, re.MULTILINE)
    assert found, table
    return found.group(1)


def arp_entry(env, msi):
    """The product's Add/Remove Programs entry (its registry values as reg.exe prints them), or None."""
    listed = wine(env, "reg.exe", "query", UNINSTALL_KEY + "\\" + product_code(msi))
    return listed.stdout if listed.returncode == 0 else None


def test_a_windows_machine_from_the_build_tabs_msi_to_uninstall(windows_fleet, tmp_path, new_page):
    server, api = windows_fleet
    page = signed_in(new_page(), server.base_url)
    msi = build_msi_in_the_build_tab(page, server.base_url, tmp_path)

    with fake_dmi(DMI) as launcher, xvfb(1024, 768) as (display, display_env), \
            wine_session(display_env, tmp_path, launcher) as env:
        if INSTALLED_EXE.exists():  # a prefix left over by an interrupted run
            wine(env, INSTALLED_EXE, "--uninstall")
        try:
            installed = wine(env, "msiexec.exe", "/i", msi, "/qn", timeout=180)
            assert installed.returncode == 0, installed.stdout + installed.stderr + service_log()
            assert wine(env, "reg.exe", "query", MSI_KEY).returncode != 0, "the MSI's properties were left behind"
            entry = arp_entry(env, msi)
            assert entry and "GuruConnect Agent" in entry, f"no Add/Remove Programs entry: {entry}"
            agent_id, _ = stored_agent_id(env)

            def reported():
                m = machine(api, agent_id)
                return m if m["online"] and m.get("hardware", {}).get("serial") else None
            wait_until(reported, 90, lambda: "the machine never reported its inventory:\n" + service_log())
            m = reported()
            assert (m["company"], m["site"], m["department"], m["deviceType"], m["tag"]) == \
                ("Glaztech", "Phoenix Office", "Reception", "workstation", "Front")
            assert m["properties"] == {"Asset": "A-17"}
            assert (m["hardware"]["manufacturer"], m["hardware"]["model"], m["hardware"]["serial"]) == \
                ("Dell Inc.", "OptiPlex 7090", "GC7Q4S3")
            assert m["hardware"]["serviceTag"] == "7Q4S3DL" and m["hardware"]["ramBytes"] > 0
            assert "Windows" in m["os"]["name"], m["os"]
            address = m["network"]["internalIPs"][0]
            assert m["network"]["externalIP"] == "127.0.0.1"

            # 3. Under its company and site, with its inventory in the detail panel.
            page.goto(f"{server.base_url}/app/access")
            sidebar = page.locator("#access-sidebar")
            company = sidebar.locator("[data-testid=field-group][data-field=Company]")
            glaztech = company.locator("[data-testid=group-value][data-value=Glaztech]")
            expect(glaztech.get_by_test_id("group-count")).to_have_text("1")
            site = sidebar.locator("[data-testid=field-group][data-field=Site]")
            expect(site.locator("[data-testid=group-value][data-value='Phoenix Office']").get_by_test_id("group-count")).to_have_text("1")
            glaztech.click()
            row = page.locator(f"[data-testid=agent-row][data-agent-id='{agent_id}']")
            expect(row).to_have_attribute("data-online", "true")
            row.get_by_test_id("agent-select").click()
            detail = page.locator("#access-detail")
            expect(detail.get_by_test_id("detail-serial")).to_have_text("GC7Q4S3 / 7Q4S3DL")
            expect(detail.get_by_test_id("detail-os")).to_contain_text("Windows")
            expect(detail.get_by_test_id("detail-internal-ips")).to_contain_text(address)
            expect(detail.get_by_test_id("detail-site")).to_have_text("Phoenix Office")

            # 4. --reconfigure: the open panel shows the new site at the next check-in, with no reload.
            moved = wine(env, INSTALLED_EXE, "--reconfigure", "--site", "New York Office", "--tag", "Laptop")
            assert moved.returncode == 0, moved.stdout + moved.stderr
            expect(detail.get_by_test_id("detail-site")).to_have_text("New York Office", timeout=60_000)
            expect(detail.get_by_test_id("detail-tag")).to_have_text("Laptop")
            status, audit = api.call("GET", "/api/audit?action=agent.reconfigured&limit=50")
            assert any(e["target"] == agent_id and "site" in (e.get("detail") or "") for e in audit["events"]), audit

            # 5. Found by serial and by IP.
            rows = page.locator("[data-testid=agent-row]")
            for text in ("GC7Q4S3", address):
                page.fill("#access-filter", text)
                expect(rows).to_have_count(1)
                expect(rows.first).to_have_attribute("data-agent-id", agent_id)
            page.fill("#access-filter", "no-such-serial-here")
            expect(page.get_by_test_id("access-no-match")).to_be_visible()
            page.click("#access-filter-clear")

            # 6. A saved, pinned filter.
            page.fill("#access-expression", "Site = 'New York Office' AND Serial LIKE 'GC7%'")
            page.click("#access-expression-apply")
            expect(rows).to_have_count(1)
            page.click("#access-expression-save")
            page.fill("#filter-name", "New York front desks")
            page.click("#filter-save-submit")
            saved = page.locator("[data-testid=saved-filter]", has_text="New York front desks")
            expect(saved).to_have_attribute("data-pinned", "true")
            status, filters = api.call("GET", "/api/saved-filters")
            assert any(f["name"] == "New York front desks" and f["pinned"] for f in filters["filters"]), filters

            # 7. Connect from the detail panel: the live viewer on the Wine desktop.
            with page.context.expect_page() as opened:
                detail.get_by_test_id("agent-control").click()
            viewer = opened.value
            expect_live(viewer, timeout=60_000)
            viewer.close()

            # 8. Uninstall with msiexec /x: nothing of it is left, and the row turns offline.
            removed = wine(env, "msiexec.exe", "/x", msi, "/qn", timeout=180)
            assert removed.returncode == 0, removed.stdout + removed.stderr
            expect(page.locator(f"[data-testid=agent-row][data-agent-id='{agent_id}']")).to_have_attribute(
                "data-online", "false", timeout=30_000)
            for key in (CONFIG_KEY, SERVER_KEY, MSI_KEY, ROOT_KEY):
                assert wine(env, "reg.exe", "query", key).returncode != 0, key
            assert wine(env, "sc.exe", "query", "GuruConnect").returncode != 0
            assert arp_entry(env, msi) is None, "the Add/Remove Programs entry is still there"
            wait_until(lambda: not INSTALLED_EXE.exists(), 20, "the installed .exe is still there")
        finally:
            if INSTALLED_EXE.exists():
                wine(env, INSTALLED_EXE, "--uninstall")
