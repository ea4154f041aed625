#!/usr/bin/env python3
"""The unattended agent's inventory and Wake-on-LAN end to end (docs/protocol.md §2.6, §2.7),
against a fake server: after Welcome the real agent sends AgentInventory describing this
machine, and nothing more while it stays the same; WakeOnLan makes it broadcast the magic
packet, which a UDP socket on port 9 receives. The whole test runs in a network namespace
it makes (`unshare -rn`), so the broadcast never leaves it.
usage: test_agent_inventory.py AGENT_BINARY   (needs GURU_XVFB_DIR from the ctest Xvfb fixture)
Every wait is bounded; only processes started here are stopped, by pid."""
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tests"))  # tests/guruproto, the protocol

from guruproto import envelope  # noqa: E402

from agent_net_harness import Agent, FakeServer, run_tests  # noqa: E402

IN_NAMESPACE = "GURU_INVENTORY_TEST_NETNS"


def mem_total_bytes():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no MemTotal in /proc/meminfo")


async def welcomed_agent(server, heartbeat):
    agent = await Agent(server.url()).start()
    conn, _ = await server.accept()
    await conn.send(envelope.welcome(5, heartbeat))
    return agent, conn


async def test_inventory_after_welcome_then_only_on_change():
    async with FakeServer() as server:
        agent, conn = await welcomed_agent(server, 1)
        try:
            await asyncio.wait_for(conn.inventory_arrived.wait(), 15)
            report = conn.inventories[0]
            assert report["hostname"] == os.uname().nodename, report["hostname"]
            assert report["os"]["build"] == os.uname().release, report["os"]
            assert report["memory"]["totalBytes"] == mem_total_bytes(), report["memory"]
            assert report["cpu"]["threads"] == os.cpu_count(), report["cpu"]
            assert report["agentVersion"], report
            assert isinstance(report["bootTime"], int) and report["bootTime"] < time.time()
            assert all(a["name"] != "lo" for a in report.get("network", [])), report.get("network")
            assert "metadata" not in report  # no stored metadata given to this agent
            await agent.wait_log(r"inventory: sent \(\d+ bytes, after Welcome\)", 5)
            # A heartbeat of 1 s: re-collected every second, but unchanged, so not sent again.
            collections_window = 3.5
            await asyncio.sleep(collections_window)
            assert len(conn.inventories) == 1, f"{len(conn.inventories)} reports for an unchanged machine"
        finally:
            await agent.stop()


async def test_wake_on_lan_broadcasts_the_magic_packet():
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("0.0.0.0", 9))
    receiver.setblocking(False)
    mac = bytes.fromhex("0242ac110007")
    async with FakeServer() as server:
        agent, conn = await welcomed_agent(server, 20)
        try:
            await conn.send(envelope.wake_on_lan(mac, bytes([127, 255, 255, 255])))
            data = await asyncio.wait_for(asyncio.get_running_loop().sock_recv(receiver, 512), 10)
            assert data == b"\xff" * 6 + mac * 16, data.hex()
            await agent.wait_log(r"wake-on-lan: magic packet for 02:42:ac:11:00:07 to 127\.255\.255\.255:9 sent", 5)
            # The connection stays up: WakeOnLan is a message the agent knows.
            await conn.send(envelope.ping(77))
            assert (await conn.expect("Pong"))["nonce"] == 77
        finally:
            await agent.stop()
            receiver.close()


TESTS = [test_inventory_after_welcome_then_only_on_change, test_wake_on_lan_broadcasts_the_magic_packet]


def reexec_in_namespace():
    """Runs this script again in a new network namespace with loopback up; returns its exit code."""
    if not shutil.which("unshare") or not shutil.which("ip"):
        print("SKIP: no unshare/ip here, the broadcast would leave the test", flush=True)
        return 0
    env = dict(os.environ, **{IN_NAMESPACE: "1"})
    command = ["unshare", "-rn", "sh", "-c", 'ip link set lo up && exec "$0" "$@"', sys.executable, *sys.argv]
    return subprocess.run(command, env=env, timeout=170).returncode


if __name__ == "__main__":
    if os.environ.get(IN_NAMESPACE) != "1":
        sys.exit(reexec_in_namespace())
    sys.exit(asyncio.run(run_tests(TESTS, 60)))
