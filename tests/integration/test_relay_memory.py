"""Relay memory (docs/protocol.md §2.4) against the real binary with real WebSocket clients: an agent
that never reads, with a viewer flooding it, cannot raise the server's RSS past the two connections'
queue caps (before the fix: 55 MiB, as the queue's slots kept written records alive and NIO buffered
ten frames ahead), and a session refuses the viewer past its cap with Reject code 6."""
import socket
import threading
import time
from contextlib import ExitStack

import pytest
from websockets.exceptions import ConnectionClosed

from guruproto import envelope
from test_relay import connect_agent, join, recv, recv_joined, relay_server  # noqa: F401 (fixture)

MIB = 1 << 20
QUEUE_CAP = 16 * MIB  # the default relayQueueBytes
RECORD = b"\x02" + bytes(MIB - 64)  # one near-largest record per frame


def status_kib(pid, field):
    """A /proc/PID/status figure (VmRSS, VmHWM) in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} for pid {pid}")


class Flood(threading.Thread):
    """Sends `total` bytes of Relay frames from a viewer as fast as the server takes them."""

    def __init__(self, ws, total):
        super().__init__(name="viewer-flood", daemon=True)
        self.ws, self.total, self.sent, self.error = ws, total, 0, None
        self.frame = envelope.relay(0, RECORD)

    def run(self):
        try:
            while self.sent < self.total:
                self.ws.send(self.frame)
                self.sent += len(self.frame)
        except (ConnectionClosed, OSError) as err:  # the socket shut down under a blocked send: the end
            self.error = err

    def until_stalled(self, quiet=2.0, limit=90):
        """Waits until every byte went out or nothing more went out for `quiet` s (bounded by `limit`)."""
        deadline = time.monotonic() + limit
        last, since = -1, time.monotonic()
        while self.is_alive() and time.monotonic() < deadline:
            if self.sent != last:
                last, since = self.sent, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return
            self.join(timeout=0.1)


def test_a_stalled_agent_and_a_flooding_viewer_cannot_raise_the_servers_memory_past_the_caps(relay_server):
    server, api, agent_id, credential = relay_server
    pid = server.process.pid
    with connect_agent(server, agent_id, credential) as agent:
        assert recv(agent)[0] == "Welcome"
        with join(server, api, agent_id) as (viewer, _):
            assert recv(viewer)[0] == "Welcome"
            recv_joined(agent)
            # From here on the agent reads nothing; its socket buffers fill, then the server's queue.
            agent.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
            warm = Flood(viewer, 2 * MIB)  # warm the allocator and the code paths first
            warm.run()
            baseline = status_kib(pid, "VmRSS")
            flood = Flood(viewer, 10 * QUEUE_CAP)
            flood.start()
            flood.until_stalled()
            peak = status_kib(pid, "VmHWM")
            now = status_kib(pid, "VmRSS")
            growth_mib = (max(peak, now) - baseline) / 1024
            print(f"\nflood: {flood.sent / MIB:.0f} MiB sent of {flood.total / MIB:.0f}; server RSS {baseline / 1024:.0f} MiB "
                  f"before, {now / 1024:.0f} MiB after, peak {peak / 1024:.0f} MiB: growth {growth_mib:.1f} MiB "
                  f"(agent queue cap {QUEUE_CAP / MIB:.0f} MiB)")
            assert flood.is_alive(), "the server took the whole flood: nothing held the viewer back"
            # What the server took is its queue and allowances plus the kernel's socket buffers on both
            # sides (up to tcp_rmem/tcp_wmem each) and the agent client's own queue of unread messages.
            assert flood.sent < 5 * QUEUE_CAP, f"{flood.sent / MIB:.0f} MiB accepted for an agent that reads nothing"
            # The agent's queue (16 MiB), 2 MiB read ahead of the relay and 2 MiB waiting in NIO (RelayFlow),
            # the record in hand and allocator slack: under the two connections' caps.
            assert growth_mib < 2 * QUEUE_CAP / MIB, f"RSS grew {growth_mib:.1f} MiB"
            # The server still serves everyone else: an HTTP call, and a second viewer's Welcome.
            status, _, _ = api.call("GET", "/api/agents")
            assert status == 200
            with join(server, api, agent_id, mode="view") as (other, _):
                assert recv(other)[0] == "Welcome"
            viewer.socket.shutdown(socket.SHUT_RDWR)  # ends the blocked send
            flood.join(timeout=10)
            assert not flood.is_alive()


def test_a_session_refuses_the_viewer_past_its_cap(relay_server):
    server, api, agent_id, credential = relay_server
    with connect_agent(server, agent_id, credential) as agent, ExitStack() as viewers:
        assert recv(agent)[0] == "Welcome"
        last = None
        for _ in range(8):
            last = viewers.enter_context(ExitStack())
            viewer, _ = last.enter_context(join(server, api, agent_id, mode="view"))
            assert recv(viewer)[0] == "Welcome"
            recv_joined(agent)
        with join(server, api, agent_id, mode="view") as (ninth, _):
            assert recv(ninth) == ("Reject", {"code": 6})
            with pytest.raises(ConnectionClosed):
                ninth.recv(timeout=5)
        # The agent never heard of the ninth: the next thing it gets answers its own ping.
        agent.send(envelope.ping(9))
        assert recv(agent) == ("Pong", {"nonce": 9})
        # A place freed is a place taken again.
        last.close()
        assert recv(agent)[0] == "ViewerLeft"
        with join(server, api, agent_id, mode="view") as (again, _):
            assert recv(again)[0] == "Welcome"
            recv_joined(agent)
