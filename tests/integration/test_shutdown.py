"""SIGTERM ends `guruconnect serve` within 5 s in every state (issue #11): after a full attended session,
with live agent, viewer and dashboard sockets, with a peer that never answers the close handshake, and
with a request whose body never arrives. Each test prints how long the exit took."""
import base64
import os
import signal
import socket
import time

import pytest
from websockets.exceptions import ConnectionClosed

from guruproto import envelope
from support_agent import create_code, cookie_header, dashboard, download, read_trailer
from test_relay import connect_agent, recv
from test_support_relay import join_support, session_status, support_server, wait_for  # noqa: F401 (fixture)

LIMIT_S = 5.0


def terminate_and_time(server):
    """Sends SIGTERM to the server's pid; returns (exit code, seconds until it exited). Bounded."""
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    try:
        code = server.process.wait(timeout=30)
    except Exception:
        server.process.kill()
        server.process.wait(timeout=10)
        raise AssertionError(f"SIGTERM did not end the server within 30 s:\n{server.log()[-2000:]}")
    elapsed = time.monotonic() - started
    print(f"SIGTERM to exit: {elapsed:.2f} s")
    return code, elapsed


def recv_until(ws, name, limit=20):
    """Reads envelopes (at most `limit`) until one named `name`; ViewerInfo and the like come first."""
    for _ in range(limit):
        if recv(ws)[0] == name:
            return True
    return False


def attended_session(server, api):
    """A real attended session: dashboard open, agent reports, consent, a viewer joins, the technician ends it."""
    with dashboard(server.base_url, api) as board:
        assert board.recv(timeout=5) == '{"type":"hello"}'
        session = create_code(api)
        _, data = download(server.base_url, session["code"])
        trailer = read_trailer(data)
        with connect_agent(server, trailer["session"], trailer["secret"]) as agent:
            assert recv(agent)[0] == "Welcome"
            agent.send(envelope.agent_info("SARAH-PC", "Linux 6.1", "sarah"))
            agent.send(envelope.agent_status(1))
            wait_for(lambda: session_status(api, session["id"])["status"] == "waitingConsent")
            viewer = join_support(server, api, session["id"])
            assert recv(agent)[0] == "ViewerJoined"
            agent.send(envelope.agent_status(2))
            wait_for(lambda: session_status(api, session["id"])["status"] == "connected")
            status, _, _ = api.call("POST", f"/api/support/sessions/{session['id']}/end", {})
            assert status == 204
            assert recv_until(agent, "SessionEnd")
            with pytest.raises(ConnectionClosed):
                recv(agent)
            assert recv_until(viewer, "SessionEnd")
            viewer.close()
    # The browser's tab is gone: no socket of the session is left open.
    assert session_status(api, session["id"])["status"] == "ended"
    return session


def test_sigterm_after_a_full_attended_session_exits_within_5_s(support_server):
    server, api = support_server
    attended_session(server, api)
    code, elapsed = terminate_and_time(server)
    assert code == 0, server.log()[-2000:]
    assert elapsed < LIMIT_S, f"took {elapsed:.2f} s"
    assert "server stopped" in server.log()


def raw_websocket(server, path, cookie):
    """Upgrades a socket to a WebSocket and then never reads it: it will not answer the server's close."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nCookie: {cookie}\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 4096:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head[:200]
    return sock


def test_sigterm_with_live_sockets_and_a_silent_peer_exits_within_5_s(support_server):
    server, api = support_server
    session = create_code(api)
    _, data = download(server.base_url, session["code"])
    trailer = read_trailer(data)
    silent = raw_websocket(server, "/api/dashboard/ws", cookie_header(api))
    # A request whose body never comes.
    stalled = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    stalled.sendall(f"POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    f"Content-Length: 100\r\n\r\n{{".encode())
    with dashboard(server.base_url, api) as board, connect_agent(server, trailer["session"], trailer["secret"]) as agent:
        assert board.recv(timeout=5) == '{"type":"hello"}'
        assert recv(agent)[0] == "Welcome"
        agent.send(envelope.agent_status(1))
        wait_for(lambda: session_status(api, session["id"])["status"] == "waitingConsent")
        viewer = join_support(server, api, session["id"])
        assert recv(agent)[0] == "ViewerJoined"
        code, elapsed = terminate_and_time(server)
        viewer.close()
    silent.close()
    stalled.close()
    assert code == 0, server.log()[-2000:]
    assert elapsed < LIMIT_S, f"took {elapsed:.2f} s"
