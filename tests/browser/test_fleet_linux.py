"""The Linux fleet story with real parts: the Build tab's .deb around the real agent, its binary run the way
the package's systemd unit runs it (`--unattended --config`), on Xvfb. The machine enrols with the baked
token, lands under its company and site with the inventory the agent read from this machine, moves with
`--reconfigure` at the next check-in (audited), is found by its IP in the Access tab's search, and its detail
panel shows the Device and Network sections; Connect opens the live viewer on it."""
import json
import socket
import subprocess
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from fleet_steps import fleet_server
from real_agent import AGENT, require_real_parts, stop, wait_until, xvfb
from viewer_steps import expect_live, signed_in

METADATA = {"company": "Glaztech", "site": "Phoenix Office", "department": "IT", "deviceType": "server",
            "tag": "Rack 4", "properties": {"Asset": "A-17"}}


@pytest.fixture
def linux_fleet(tmp_path):
    require_real_parts()
    with fleet_server(tmp_path, AGENT, "guruconnect-agent") as running:
        yield running


def machines(api, query=""):
    status, body = api.call("GET", "/api/agents" + (f"?q={urllib.parse.quote(query)}" if query else ""))
    assert status == 200, body
    return body["items"]


def baked_agent(api, tmp_path):
    """The .deb's agent binary, extracted as dpkg would install it."""
    status, result = api.call("POST", "/api/build", {"format": "deb", "platform": "linux64", "metadata": METADATA})
    assert status == 201, result
    with urllib.request.urlopen(result["download"]["url"], timeout=30) as response:
        package = tmp_path / "guruconnect.deb"
        package.write_bytes(response.read())
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(package), str(root)], check=True, timeout=60)
    unit = (root / "lib/systemd/system/guruconnect-agent.service").read_text()
    assert "--unattended" in unit and "--config" in unit
    return root / "usr/lib/guruconnect/guruconnect-agent"


def test_a_linux_machine_enrols_from_the_deb_reports_its_inventory_moves_and_is_found(linux_fleet, tmp_path, new_page):
    server, api = linux_fleet
    binary = baked_agent(api, tmp_path)
    config = tmp_path / "agent.json"
    log_path = tmp_path / "agent.log"
    with xvfb(1024, 768) as (display, env):
        with open(log_path, "w") as log:
            agent = subprocess.Popen([str(binary), "--unattended", "--config", str(config), "--display", display],
                                     stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            hostname = socket.gethostname()

            def reported():
                found = [m for m in machines(api) if m.get("hostname") and m["online"]]
                return found[0] if found else None
            wait_until(reported, 60, lambda: f"the machine never reported: {log_path.read_text()[-2000:]}")
            machine = reported()
            assert machine["hostname"].lower().startswith(hostname.lower().split(".")[0])
            assert (machine["company"], machine["site"], machine["deviceType"], machine["tag"]) == \
                ("Glaztech", "Phoenix Office", "server", "Rack 4")
            assert machine["properties"] == {"Asset": "A-17"}
            assert machine["os"]["name"] and machine["hardware"]["ramBytes"] > 0
            assert machine["network"]["internalIPs"], machine["network"]
            # The stored config holds the credential, never the token, and only root may read it.
            stored = json.loads(config.read_text())
            assert stored["agentId"] == machine["id"] and "enrolToken" not in json.dumps(stored)
            assert config.stat().st_mode & 0o077 == 0

            moved = subprocess.run([str(binary), "--reconfigure", "--config", str(config), "--site", "New York Office"],
                                   capture_output=True, text=True, timeout=30)
            assert moved.returncode == 0, moved.stdout + moved.stderr
            wait_until(lambda: machines(api)[0]["site"] == "New York Office", 60, "the new site never arrived")
            status, audit = api.call("GET", "/api/audit?action=agent.reconfigured&limit=50")
            assert any(e["target"] == machine["id"] and "site" in (e.get("detail") or "") for e in audit["events"]), audit

            address = machine["network"]["internalIPs"][0]
            assert [m["id"] for m in machines(api, address)] == [machine["id"]]
            assert machines(api, "no-such-machine-anywhere") == []

            # The Access tab: search by IP, the detail panel, Connect.
            page = signed_in(new_page(), server.base_url)
            page.goto(f"{server.base_url}/app/access")
            rows = page.locator("[data-testid=agent-row]")
            page.fill("#access-filter", address)
            expect(rows).to_have_count(1)
            row = page.locator(f"[data-testid=agent-row][data-agent-id='{machine['id']}']")
            row.get_by_test_id("agent-select").click()
            detail = page.locator("#access-detail")
            expect(detail.get_by_test_id("detail-site")).to_have_text("New York Office")
            expect(detail.get_by_test_id("detail-company")).to_have_text("Glaztech")
            expect(detail.get_by_test_id("detail-internal-ips")).to_contain_text(address)
            expect(detail.get_by_test_id("detail-os")).to_contain_text(machine["os"]["name"])
            with page.context.expect_page() as opened:
                detail.get_by_test_id("agent-control").click()
            expect_live(opened.value, timeout=30_000)
        finally:
            stop(agent)
