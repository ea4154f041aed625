"""An unattended agent's inventory (docs/protocol.md §2.6) over a real WebSocket: stored and shown by the API,
metadata changes audited, the check-in interval from Settings, and hostile reports refused without losing the
last good one. Each "nothing changed" is proved with a Ping answered after the report (the server handles an
agent's frames in order)."""
import copy
import json

import pytest

from guruproto import envelope
from test_relay import connect_agent, recv, relay_server as fleet  # noqa: F401 (fixture: an enrolled machine)

REPORT = {
    "hostname": "PC-FRONT01",
    "os": {"name": "Windows 11 Pro", "version": "10.0.22631", "build": "22631", "installDate": 1700000000},
    "hardware": {"manufacturer": "Dell Inc.", "model": "OptiPlex 7090", "serial": "8XKJF93", "serviceTag": "8XKJF93"},
    "cpu": {"model": "Intel(R) Core(TM) i7-11700", "cores": 8, "threads": 16},
    "memory": {"totalBytes": 17179869184, "availableBytes": 8000000000},
    "disks": [{"mount": "C:\\", "totalBytes": 512000000000, "freeBytes": 100000000000}],
    "network": [{"name": "eth0", "mac": "00:11:22:33:44:55", "addresses": ["fe80::1/64", "192.168.1.45/24"]},
                {"name": "lo", "mac": "00:00:00:00:00:00", "addresses": ["127.0.0.1/8"]}],
    "user": {"name": "jsmith", "idleSeconds": 42},
    "bootTime": 1701000000,
    "agentVersion": "0.9.0",
    "metadata": {"name": "", "company": "Glaztech", "site": "Phoenix Office", "department": "IT",
                 "deviceType": "workstation", "tag": "Laptop", "properties": {"Asset": "A-17"}},
}


def welcomed(agent):
    name, welcome = recv(agent)
    assert name == "Welcome", (name, welcome)
    return welcome


def barrier(agent, nonce):
    """Every frame sent before this has been handled once the Pong is back."""
    agent.send(envelope.ping(nonce))
    assert recv(agent) == ("Pong", {"nonce": nonce})


def machine(api, agent_id):
    status, _, body = api.call("GET", "/api/agents")
    assert status == 200, body
    items = body["items"] if isinstance(body, dict) else body
    return next(a for a in items if a["id"] == agent_id)


def audits(api, action):
    status, _, body = api.call("GET", f"/api/audit?action={action}&limit=50")
    assert status == 200, body
    return body["events"] if isinstance(body, dict) else body


def send_report(agent, report):
    agent.send(envelope.agent_inventory(json.dumps(report)))


def test_a_report_is_stored_shown_and_its_metadata_change_audited(fleet):
    server, api, agent_id, credential = fleet
    with connect_agent(server, agent_id, credential) as agent:
        assert welcomed(agent)["heartbeatSeconds"] == 60
        send_report(agent, REPORT)
        barrier(agent, 1)
    m = machine(api, agent_id)
    assert m["name"] == "PC-FRONT01" and m["hostname"] == "PC-FRONT01" and m.get("customName") is None
    assert (m["company"], m["site"], m["department"], m["deviceType"], m["tag"]) == \
        ("Glaztech", "Phoenix Office", "IT", "workstation", "Laptop")
    assert m["properties"] == {"Asset": "A-17"}
    assert m["os"]["name"] == "Windows 11 Pro" and m["os"]["build"] == "22631"
    assert m["hardware"]["serial"] == "8XKJF93" and m["hardware"]["ramBytes"] == 17179869184
    # IPv4 first, loopback and the all-zero MAC left out; the external address is the one the server saw.
    assert m["network"] == {"internalIPs": ["192.168.1.45", "fe80::1"], "macs": ["00:11:22:33:44:55"], "externalIP": "127.0.0.1"}
    assert m["loggedOnUser"] == "jsmith" and m["idleSeconds"] == 42
    assert m["firstSeenAt"] is not None and m["inventoryAt"] is not None
    first = [e for e in audits(api, "agent.reconfigured") if e["target"] == agent_id]
    assert len(first) == 1 and "company" in first[0]["detail"] and "site" in first[0]["detail"]

    # --reconfigure on the machine: the next report names a new site and a custom name; absent keys keep theirs.
    changed = copy.deepcopy(REPORT)
    changed["metadata"] = {"site": "New York Office", "name": "Front desk"}
    with connect_agent(server, agent_id, credential) as agent:
        welcomed(agent)
        send_report(agent, changed)
        barrier(agent, 2)
    m = machine(api, agent_id)
    assert (m["name"], m["site"], m["company"], m["tag"]) == ("Front desk", "New York Office", "Glaztech", "Laptop")
    events = [e for e in audits(api, "agent.reconfigured") if e["target"] == agent_id]
    assert len(events) == 2 and set(events[0]["detail"].split(", ")) | set(events[1]["detail"].split(", ")) >= {"name", "site"}


def test_the_check_in_interval_comes_from_settings(fleet):
    server, api, agent_id, credential = fleet
    status, _, settings = api.call("GET", "/api/settings")
    assert status == 200 and settings["checkInSeconds"] == 60
    for bad in (9, 3601):
        status, _, body = api.call("PUT", "/api/settings", {**settings, "checkInSeconds": bad})
        assert status == 400 and "checkInSeconds" in json.dumps(body), body
    status, _, saved = api.call("PUT", "/api/settings", {**settings, "checkInSeconds": 15})
    assert status == 200 and saved["checkInSeconds"] == 15
    with connect_agent(server, agent_id, credential) as agent:
        assert welcomed(agent)["heartbeatSeconds"] == 15


@pytest.mark.parametrize("mutate, why", [
    (lambda r: r.update(hostname="x" * 256), "a string over 255 characters"),
    (lambda r: r.pop("hostname"), "no hostname"),
    (lambda r: r["network"].extend([{"name": "e", "addresses": []}] * 64), "more than 64 adapters"),
    (lambda r: r["network"][0].update(mac="00:11:22:33:44"), "a MAC of five bytes"),
    (lambda r: r["network"][0].update(addresses=["192.168.1.300/24"]), "an address that is not one"),
    (lambda r: r["metadata"].update(deviceType="toaster"), "an unknown device type"),
    (lambda r: r.update(bootTime=-5), "a boot time before 1970"),
])
def test_a_hostile_report_is_refused_and_the_last_good_one_kept(fleet, mutate, why):
    server, api, agent_id, credential = fleet
    bad = copy.deepcopy(REPORT)
    mutate(bad)
    with connect_agent(server, agent_id, credential) as agent:
        welcomed(agent)
        send_report(agent, REPORT)
        barrier(agent, 1)
        send_report(agent, bad)
        agent.send(envelope.agent_inventory("{not json"))
        barrier(agent, 2)  # the connection is still served
    m = machine(api, agent_id)
    assert m["hostname"] == "PC-FRONT01" and m["deviceType"] == "workstation", why


def test_reports_past_the_burst_are_dropped_until_the_allowance_refills(fleet):
    server, api, agent_id, credential = fleet
    with connect_agent(server, agent_id, credential) as agent:
        welcomed(agent)
        for index in range(5):
            send_report(agent, {**REPORT, "hostname": f"HOST-{index}"})
        barrier(agent, 1)
    # Three at once are taken (the third is stored), the fourth and fifth dropped.
    assert machine(api, agent_id)["hostname"] == "HOST-2"
