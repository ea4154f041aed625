"""The relay with real WebSocket clients playing agent and viewers: authentication, routing,
limits on what each side may send, and a slow viewer that must not hold up a fast one."""
import json
from contextlib import contextmanager
import struct
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from guruproto import proof as agent_proof
import serverkit
from api import Api
from guruproto import envelope


@pytest.fixture
def relay_server(tmp_path):
    server = serverkit.start(tmp_path)
    api = Api(server.base_url)
    api.setup_and_login()
    status, _, enrolled = api.call("POST", "/api/agents", {"name": "FRONT-DESK"})
    assert status == 201, enrolled
    yield server, api, enrolled["agent"]["id"], enrolled["credential"]
    server.stop()


def ws_url(server, path):
    return server.base_url.replace("http://", "ws://") + path


def recv(ws, timeout=5):
    """(type, fields) of the next envelope (tests/guruproto decodes and checks it)."""
    message = envelope.decode(ws.recv(timeout=timeout))
    return message.pop("type"), message


def recv_joined(agent, name="Admin"):
    """ViewerJoined, then the ViewerInfo that names the technician."""
    joined = recv(agent)
    assert joined[0] == "ViewerJoined", joined
    info = recv(agent)
    assert info == ("ViewerInfo", {"viewerId": joined[1]["viewerId"], "name": info[1].get("name")}), info
    assert info[1]["name"] == name, info
    return joined


@contextmanager
def connect_agent(server, agent_id, credential, key=None):
    """An agent connection that answers the identity challenge with `key` (by default the one this agent id
    always uses in this test run)."""
    with connect(ws_url(server, "/api/agent/ws"), open_timeout=5, max_size=2 * 1024 * 1024) as ws:
        ws.send(envelope.agent_hello(bytes.fromhex(agent_id), credential.encode()))
        yield agent_proof.ProvingSocket(ws, bytes.fromhex(agent_id), key)


@contextmanager
def join(server, api, agent_id, mode="control"):
    status, _, ticket = api.call("POST", f"/api/agents/{agent_id}/join", {"mode": mode})
    assert status == 200, ticket
    with connect(ws_url(server, ticket["webSocketPath"]), open_timeout=5, max_size=2 * 1024 * 1024) as ws:
        ws.send(envelope.viewer_join(bytes.fromhex(ticket["sessionId"]), ticket["joinToken"].encode(), mode))
        yield ws, ticket


def test_agent_and_viewer_are_relayed_both_ways(relay_server):
    server, api, agent_id, credential = relay_server
    with connect_agent(server, agent_id, credential) as agent:
        name, welcome = recv(agent)
        assert name == "Welcome" and welcome["heartbeatSeconds"] == 60  # the default check-in interval
        _, _, agents = api.call("GET", "/api/agents")
        assert agents["items"][0]["online"] is True
        agent.send(envelope.ping(42))
        assert recv(agent) == ("Pong", {"nonce": 42})
        with join(server, api, agent_id, mode="view") as (viewer, ticket):
            name, viewer_welcome = recv(viewer)
            assert name == "Welcome"
            viewer_id = viewer_welcome["connectionId"]
            name, joined = recv_joined(agent)
            assert name == "ViewerJoined" and joined["viewerId"] == viewer_id and joined["mode"] == "view"
            assert joined["sessionId"].hex() == agent_id
            agent.send(envelope.relay(viewer_id, b"\x01" + b"A" * 65))
            assert recv(viewer) == ("Relay", {"peerId": 0, "sealed": b"\x01" + b"A" * 65, "mark": "none"})
            viewer.send(envelope.relay(0, b"\x02sealed-input"))
            assert recv(agent) == ("Relay", {"peerId": viewer_id, "sealed": b"\x02sealed-input", "mark": "none"})
            # A record addressed to a viewer of another agent, or to nobody, goes nowhere.
            agent.send(envelope.relay(viewer_id + 1000, b"\x02lost"))
            agent.send(envelope.relay(viewer_id, b"\x02second"))
            assert recv(viewer)[1]["sealed"] == b"\x02second"
        name, left = recv(agent)
        assert name == "ViewerLeft" and left["viewerId"] == viewer_id
        # The join token was single-use.
        with connect(ws_url(server, "/api/viewer/ws"), open_timeout=5) as replay:
            replay.send(envelope.viewer_join(bytes.fromhex(agent_id), ticket["joinToken"].encode()))
            assert recv(replay) == ("Reject", {"code": 2})


def test_wrong_credentials_and_tokens_are_rejected(relay_server):
    server, api, agent_id, credential = relay_server
    with connect_agent(server, agent_id, "not-the-credential") as agent:
        assert recv(agent) == ("Reject", {"code": 1})
        with pytest.raises(ConnectionClosed):
            agent.recv(timeout=5)
    with connect(ws_url(server, "/api/viewer/ws"), open_timeout=5) as viewer:
        viewer.send(envelope.viewer_join(bytes.fromhex(agent_id), b"guessed-token"))
        assert recv(viewer) == ("Reject", {"code": 2})
    # Joining an offline agent is refused before any token is issued.
    status, _, body = api.call("POST", f"/api/agents/{agent_id}/join", {"mode": "control"})
    assert status == 409 and body["error"] == "conflict"
    status, _, audit = api.call("GET", "/api/audit?action=agent.connect&outcome=failure")
    assert audit["total"] == 1


def test_malformed_and_oversized_frames_close_only_that_connection(relay_server):
    server, api, agent_id, credential = relay_server
    with connect_agent(server, agent_id, credential) as agent:
        assert recv(agent)[0] == "Welcome"
        with join(server, api, agent_id) as (viewer, _):
            assert recv(viewer)[0] == "Welcome"
            recv_joined(agent)
            # A viewer may not address peers, and may not send garbage.
            viewer.send(envelope.relay(5, b"\x02x"))
            with pytest.raises(ConnectionClosed) as closed:
                viewer.recv(timeout=5)
            assert closed.value.rcvd.code == 1002 and "unexpected" in closed.value.rcvd.reason
        assert recv(agent)[0] == "ViewerLeft"
        # The agent is unharmed.
        agent.send(envelope.ping(7))
        assert recv(agent) == ("Pong", {"nonce": 7})
        agent.send(b"\x01\x10\x00\x00\x00\x00\x00\x09" + b"\x00" * 9)
        with pytest.raises(ConnectionClosed) as closed:
            agent.recv(timeout=5)
        assert closed.value.rcvd.reason == "MalformedPayload"
    with connect_agent(server, agent_id, credential) as agent:
        assert recv(agent)[0] == "Welcome"
        # The server may close while the megabyte is still being sent; either way the link ends,
        # and a close frame, when it arrives first, says why.
        with pytest.raises(ConnectionClosed) as closed:
            agent.send(b"\x01\x30\x00\x00" + struct.pack(">I", 1_048_577) + b"\x00" * 1_048_577)
            agent.recv(timeout=10)
        if closed.value.rcvd is not None:
            assert closed.value.rcvd.code in (1002, 1009)
    with connect(ws_url(server, "/api/agent/ws"), open_timeout=5) as silent:
        silent.send("hello as text")
        with pytest.raises(ConnectionClosed) as closed:
            silent.recv(timeout=5)
        assert closed.value.rcvd.code == 1003


def test_a_slow_viewer_does_not_stall_a_fast_one(relay_server):
    server, api, agent_id, credential = relay_server
    with connect_agent(server, agent_id, credential) as agent:
        assert recv(agent)[0] == "Welcome"
        with join(server, api, agent_id, mode="view") as (slow, _), join(server, api, agent_id, mode="view") as (fast, _):
            slow_id = recv(slow)[1]["connectionId"]
            fast_id = recv(fast)[1]["connectionId"]
            assert {recv_joined(agent)[1]["viewerId"], recv_joined(agent)[1]["viewerId"]} == {slow_id, fast_id}
            chunk = b"\x02" + b"x" * 60_000
            started = time.monotonic()
            for index in range(300):  # 18 MB for each viewer, one-record picture frames; the slow one reads nothing
                record = chunk[:-4] + struct.pack(">I", index)
                agent.send(envelope.relay(slow_id, record, mark="frameEnd"))
                agent.send(envelope.relay(fast_id, record, mark="frameEnd"))
                # The fast viewer gets every frame, in order, and no mark: that was for the relay.
                assert recv(fast) == ("Relay", {"peerId": 0, "sealed": record, "mark": "none"})
            assert time.monotonic() - started < 30
            agent.send(envelope.relay(slow_id, b"\x02end"))  # unmarked: never dropped
            # The slow viewer skipped whole frames: it gets what sat in socket buffers and the newest
            # few (docs/protocol.md §2.5), in order, the last among them, then the unmarked record.
            indices = []
            for _ in range(301):
                name, fields = recv(slow)
                assert name == "Relay"
                if fields["sealed"] == b"\x02end":
                    break
                indices.append(struct.unpack(">I", fields["sealed"][-4:])[0])
            assert indices == sorted(indices) and indices[-1] == 299
            assert 0 < len(indices) < 300, len(indices)


def test_cli_enrolment_creates_an_agent_that_can_connect(tmp_path):
    import subprocess
    out = subprocess.run([str(serverkit.binary()), "enrol-agent", "--name", "DEMO-PC", "--data-dir", str(tmp_path)],
                         check=True, capture_output=True, text=True, timeout=60)
    enrolled = json.loads(out.stdout)
    assert len(enrolled["id"]) == 32 and len(enrolled["credential"]) >= 40
    server = serverkit.start(tmp_path)
    try:
        with connect_agent(server, enrolled["id"], enrolled["credential"]) as agent:
            assert recv(agent)[0] == "Welcome"
    finally:
        server.stop()
