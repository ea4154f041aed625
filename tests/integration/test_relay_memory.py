"""Relay caps (docs/protocol.md §2.4) against the real binary with real WebSocket clients: a session
refuses the viewer past its cap with Reject code 6."""
from contextlib import ExitStack

import pytest
from websockets.exceptions import ConnectionClosed

import serverkit
from api import Api
from guruproto import envelope
from test_relay import connect_agent, join, recv, recv_joined


@pytest.fixture
def relay_server(tmp_path):
    server = serverkit.start(tmp_path)
    api = Api(server.base_url)
    api.setup_and_login()
    status, _, enrolled = api.call("POST", "/api/agents", {"name": "STALLED-PC"})
    assert status == 201, enrolled
    yield server, api, enrolled["agent"]["id"], enrolled["credential"]
    server.stop()


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
