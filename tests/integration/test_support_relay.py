"""Support sessions through the real server with WebSocket clients: the trailer's secret admits the
one-time agent, its status reports drive the session's state, the dashboard hears every change, and
ending, declining or a wrong secret all close the agent's door for good."""
import json
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

import serverkit
from api import Api
from guruproto import envelope
from support_agent import create_code, dashboard, download, read_trailer
from test_relay import connect_agent, recv, ws_url
from websockets.sync.client import connect


@pytest.fixture
def support_server(tmp_path):
    agents = tmp_path / "agents"
    agents.mkdir()
    # One empty key slot, as in a real agent build: the server stamps it and signs the trailer.
    (agents / "guruconnect-agent").write_bytes(b"\x7fELF stand-in agent" + b"GCKEY001" + bytes(32))
    server = serverkit.start(tmp_path / "data", "--agent-dir", str(agents))
    api = Api(server.base_url)
    api.setup_and_login()
    yield server, api
    if server.process.poll() is None:  # a test may have stopped it itself
        server.stop()


def session_status(api, session_id):
    _, _, body = api.call("GET", "/api/support/sessions")
    return next(s for s in body["sessions"] if s["id"] == session_id)


def wait_for(predicate, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def notices(ws, session_id, count, timeout=5):
    seen = 0
    deadline = time.monotonic() + timeout
    while seen < count and time.monotonic() < deadline:
        notice = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if notice.get("sessionId") == session_id:
            seen += 1
    return seen


def join_support(server, api, session_id, mode="control"):
    status, _, ticket = api.call("POST", f"/api/support/sessions/{session_id}/join", {"mode": mode})
    assert status == 200, ticket
    ws = connect(ws_url(server, ticket["webSocketPath"]), open_timeout=5)
    ws.send(envelope.viewer_join(bytes.fromhex(session_id), ticket["joinToken"].encode(), mode))
    assert recv(ws)[0] == "Welcome"
    return ws


def test_consent_connect_and_end_drive_the_session_and_the_dashboard(support_server):
    server, api = support_server
    with dashboard(server.base_url, api) as board:
        assert json.loads(board.recv(timeout=5)) == {"type": "hello"}
        session = create_code(api)
        assert notices(board, session["id"], 1) == 1
        checked, data = download(server.base_url, session["code"])
        assert checked["fileName"] == f"GuruConnect-{session['code']}"
        trailer = read_trailer(data)
        assert trailer["session"] == session["id"] and trailer["consent"] is True
        assert trailer["server"] == server.base_url

        with connect_agent(server, trailer["session"], trailer["secret"]) as agent:
            assert recv(agent)[0] == "Welcome"
            assert wait_for(lambda: session_status(api, session["id"])["agentOnline"])
            agent.send(envelope.agent_info("SARAH-PC", "Linux 6.1", "sarah"))
            assert wait_for(lambda: session_status(api, session["id"])["machineName"] == "SARAH-PC")
            agent.send(envelope.agent_status(1))
            assert wait_for(lambda: session_status(api, session["id"])["status"] == "waitingConsent")
            # The technician may join while the end user decides; the agent learns who it is.
            viewer = join_support(server, api, session["id"])
            assert recv(agent)[0] == "ViewerJoined"
            assert recv(agent) [1]["name"] == "Admin"
            agent.send(envelope.agent_status(2))
            connected = wait_for(lambda: (s := session_status(api, session["id"]))["status"] == "connected" and s)
            assert connected["connectedAt"] and connected["canEnd"]
            # While an agent is connected the code cannot fetch a second agent.
            try:
                download(server.base_url, session["code"])
                raise AssertionError("second download allowed")
            except Exception as error:  # urllib raises HTTPError 409
                assert getattr(error, "code", None) == 409, error

            status, _, _ = api.call("POST", f"/api/support/sessions/{session['id']}/end", {})
            assert status == 204
            assert recv(agent) == ("SessionEnd", {"sessionId": bytes.fromhex(session["id"]), "reason": 2})
            with pytest.raises(ConnectionClosed):
                recv(agent)
            assert recv(viewer)[0] == "SessionEnd"
            viewer.close()
        assert notices(board, session["id"], 4, timeout=5) == 4
    assert session_status(api, session["id"])["status"] == "ended"
    # The session is over: its secret no longer opens the door.
    with connect_agent(server, trailer["session"], trailer["secret"]) as again:
        assert recv(again) == ("Reject", {"code": 1})


def test_declining_ends_the_session_and_wrong_secrets_are_refused(support_server):
    server, api = support_server
    session = create_code(api)
    _, data = download(server.base_url, session["code"])
    trailer = read_trailer(data)
    with connect_agent(server, trailer["session"], trailer["secret"][:-2] + "00") as forged:
        assert recv(forged) == ("Reject", {"code": 1})
    with connect_agent(server, trailer["session"], trailer["secret"]) as agent:
        assert recv(agent)[0] == "Welcome"
        agent.send(envelope.agent_status(1))
        wait_for(lambda: session_status(api, session["id"])["status"] == "waitingConsent")
        viewer = join_support(server, api, session["id"], mode="view")
        agent.send(envelope.agent_status(3))
        assert recv(viewer) == ("SessionEnd", {"sessionId": bytes.fromhex(session["id"]), "reason": 6})
        viewer.close()
    declined = session_status(api, session["id"])
    assert declined["status"] == "declined" and not declined["canJoin"]
    status, _, body = api.call("POST", "/api/portal/code", {"code": session["code"]})
    assert status == 404 and "ended" in body["message"]


def test_an_unattended_agent_cannot_send_support_status(support_server):
    server, api = support_server
    status, _, enrolled = api.call("POST", "/api/agents", {"name": "FRONT-DESK"})
    with connect_agent(server, enrolled["agent"]["id"], enrolled["credential"]) as agent:
        assert recv(agent)[0] == "Welcome"
        agent.send(envelope.agent_status(2))
        with pytest.raises(ConnectionClosed) as closed:
            recv(agent)
        assert closed.value.rcvd.code == 1002


def test_the_dashboard_socket_needs_a_signed_in_user(support_server):
    server, _ = support_server
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url(server, "/api/dashboard/ws"), open_timeout=5)
    # The upgrade is refused before any WebSocket exists (Hummingbird answers a refused upgrade with 400).
    assert refused.value.response.status_code in (400, 401)
