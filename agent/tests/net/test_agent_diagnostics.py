#!/usr/bin/env python3
"""Diagnostics end to end (docs/protocol.md §4): a fake server's viewer sends a sealed
DiagnosticsRequest to the real agent and gets a DiagnosticsReport with the same requestId,
sealed to it alone; its JSON is schema 1 and describes this machine (memory as /proc/meminfo
says, the root file system, lo). A view-only viewer may ask too.
usage: test_agent_diagnostics.py AGENT_BINARY   (needs GURU_XVFB_DIR from the ctest Xvfb fixture)
Every wait is bounded; only processes started here are stopped, by pid."""
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tests"))  # tests/guruproto, the protocol
import asyncio  # noqa: E402

from guruproto import envelope, inner  # noqa: E402

from agent_net_harness import Agent, FakeServer, run_tests  # noqa: E402

SCHEMA_KEYS = ["schema", "collectedAt", "agentVersion", "host", "uptimeSeconds", "cpu", "memory", "disks",
               "processes", "recentErrors", "network", "pendingReboot", "sectionErrors"]


def mem_total_bytes():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no MemTotal in /proc/meminfo")


def check_schema(report):
    assert list(report) == SCHEMA_KEYS, list(report)
    assert report["schema"] == 1
    assert report["collectedAt"].endswith("Z") and len(report["collectedAt"]) == 20, report["collectedAt"]
    assert report["agentVersion"]
    errors = report["sectionErrors"]
    assert isinstance(errors, dict)
    host = report["host"]
    assert host["platform"] == "linux" and host["name"] == os.uname().nodename and host["kernel"] == os.uname().release
    assert isinstance(report["uptimeSeconds"], int) and report["uptimeSeconds"] > 0
    cpu = report["cpu"]
    assert cpu["logicalCores"] == os.cpu_count() and 0 <= cpu["usagePercent"] <= 100
    assert report["memory"]["totalBytes"] == mem_total_bytes()
    assert any(d["mount"] == "/" and d["totalBytes"] >= d["freeBytes"] >= 0 for d in report["disks"]), report["disks"]
    assert 1 <= len(report["processes"]) <= 15
    for p in report["processes"]:
        assert set(p) == {"pid", "name", "cpuPercent", "memoryBytes"}, p
    cpus = [p["cpuPercent"] for p in report["processes"]]
    assert cpus == sorted(cpus, reverse=True), cpus
    assert isinstance(report["recentErrors"], list) and len(report["recentErrors"]) <= 50
    if "recentErrors" in errors:  # no journal here (a container): an empty list and a reason, never a made-up entry
        assert report["recentErrors"] == [] and errors["recentErrors"]
    lo = [i for i in report["network"]["interfaces"] if i["name"] == "lo"]
    assert lo and lo[0]["mac"] is None and "127.0.0.1/8" in lo[0]["addresses"], report["network"]
    assert isinstance(report["network"]["gateways"], list) and isinstance(report["network"]["dnsServers"], list)
    assert report["pendingReboot"]["pending"] == os.path.exists("/var/run/reboot-required")


async def test_diagnostics_request_and_report():
    async with FakeServer() as server:
        agent = await Agent(server.url()).start()
        try:
            conn, _ = await server.accept()
            await conn.send(envelope.welcome(5, 20))
            await conn.join(7, view_only=True)
            await conn.join(8)
            await agent.wait_log("viewer 8: keys agreed", 5)

            asked = time.monotonic()
            await conn.send_inner(7, inner.diagnostics_request(11))
            answer = await conn.until(lambda p, k, f: k == "DiagnosticsReport", 15)
            took = time.monotonic() - asked
            to = [p for p, k, f in conn.received if k == "DiagnosticsReport"]
            assert to == [7], f"report sealed to {to}"
            assert answer["requestId"] == 11
            assert len(answer["report"].encode()) <= 262144
            report = json.loads(answer["report"])
            check_schema(report)
            print(f"  report: {len(answer['report'])} bytes in {took:.2f} s, sectionErrors {report['sectionErrors']}",
                  flush=True)
            assert took < 10, f"collection took {took:.1f} s"

            # The barrier: viewer 8's own request is answered after 11 went out, so had 11 been
            # sealed to viewer 8 as well, it would have been seen by now.
            await conn.send_inner(8, inner.diagnostics_request(12))
            second = await conn.until(lambda p, k, f: k == "DiagnosticsReport" and p == 8, 15)
            assert second["requestId"] == 12
            reports = [(p, f["requestId"]) for p, k, f in conn.received if k == "DiagnosticsReport"]
            assert reports == [(7, 11), (8, 12)], reports
            check_schema(json.loads(second["report"]))
        finally:
            await agent.stop()


async def test_bad_requests_are_dropped():
    """requestId 0 is InvalidField: logged and dropped, never answered; the channel stays open."""
    async with FakeServer() as server:
        agent = await Agent(server.url()).start()
        try:
            conn, _ = await server.accept()
            await conn.send(envelope.welcome(6, 20))
            await conn.join(9)
            await agent.wait_log("viewer 9: keys agreed", 5)
            await conn.send_inner(9, b"\x60\x00\x00\x00\x00")
            await agent.wait_log("viewer 9: bad message: InvalidField", 5)
            await conn.send_inner(9, inner.diagnostics_request(3))
            answer = await conn.until(lambda p, k, f: k == "DiagnosticsReport", 15)
            assert answer["requestId"] == 3
            assert [f["requestId"] for _, k, f in conn.received if k == "DiagnosticsReport"] == [3]
        finally:
            await agent.stop()


TESTS = [test_diagnostics_request_and_report, test_bad_requests_are_dropped]


if __name__ == "__main__":
    sys.exit(asyncio.run(run_tests(TESTS, 60)))
