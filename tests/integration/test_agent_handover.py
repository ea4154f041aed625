"""A support agent handing its live session to a new process of itself (Run as administrator,
docs/protocol.md section 1): the new connection proves the same identity key, is told about every
viewer that stayed (ViewerJoined, then ViewerInfo, in viewer id order), the viewers stay attached and
the session stays connected; the replacement is audited. On SQLite and on PostgreSQL. That another key
is refused and displaces nothing is test_support_binding.py's
test_a_second_agent_with_the_same_trailer_is_refused_and_never_displaces_the_first."""
import os
import subprocess
import urllib.parse
import uuid

import pytest
from websockets.exceptions import ConnectionClosed

import serverkit
from api import Api
from guruproto import envelope
from guruproto import proof as agent_proof
from support_agent import create_code, download, read_trailer
from test_relay import connect_agent, recv
from test_support_relay import join_support, session_status, wait_for


def postgres_database():
    """A fresh database on the PostgreSQL that scripts/with-postgres.sh started."""
    base = os.environ.get("GURU_TEST_POSTGRES_URL")
    if not base:
        pytest.fail("GURU_TEST_POSTGRES_URL is not set: run through scripts/with-postgres.sh (make test does)")
    name = "gc_handover_" + uuid.uuid4().hex[:12]
    parts = urllib.parse.urlsplit(base)
    subprocess.run(["psql", "-v", "ON_ERROR_STOP=1", "-q", "-h", parts.hostname, "-p", str(parts.port), "-U", parts.username,
                    "-d", "postgres", "-c", f"CREATE DATABASE {name}"], check=True, timeout=30)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


@pytest.fixture(params=["sqlite", "postgres"])
def support_server(request, tmp_path):
    agents = tmp_path / "agents"
    agents.mkdir()
    (agents / "guruconnect-agent").write_bytes(b"\x7fELF stand-in agent" + b"GCKEY001" + bytes(32))
    extra = ["--database-url", postgres_database()] if request.param == "postgres" else []
    server = serverkit.start(tmp_path / "data", "--agent-dir", str(agents), *extra)
    api = Api(server.base_url)
    api.setup_and_login()
    yield server, api
    server.stop()


def audit(api, action):
    status, _, body = api.call("GET", f"/api/audit?action={action}&limit=50")
    assert status == 200, body
    return body


def test_the_new_process_is_told_of_the_viewers_and_the_session_goes_on(support_server):
    server, api = support_server
    session = create_code(api)
    _, data = download(server.base_url, session["code"])
    trailer = read_trailer(data)
    key = agent_proof.new_key()
    with connect_agent(server, trailer["session"], trailer["secret"], key) as old:
        old_welcome = recv(old)
        assert old_welcome[0] == "Welcome"
        old.send(envelope.agent_status(2))  # consent given: connected
        assert wait_for(lambda: session_status(api, session["id"])["status"] == "connected")
        viewers = [join_support(server, api, session["id"], mode) for mode in ("control", "view")]
        joined = []
        for _ in viewers:
            kind, fields = recv(old)
            assert kind == "ViewerJoined", (kind, fields)
            assert recv(old)[0] == "ViewerInfo"
            joined.append(fields)
        ids = sorted(j["viewerId"] for j in joined)
        mode_of = {j["viewerId"]: j["mode"] for j in joined}

        with connect_agent(server, trailer["session"], trailer["secret"], key) as new:
            new_welcome = recv(new)
            assert new_welcome[0] == "Welcome"
            for viewer_id in ids:
                assert recv(new) == ("ViewerJoined", {"sessionId": bytes.fromhex(session["id"]), "viewerId": viewer_id,
                                                      "mode": mode_of[viewer_id]})
                assert recv(new) == ("ViewerInfo", {"viewerId": viewer_id, "name": "Admin"})
            # The old process's connection is closed; its end takes nothing with it.
            with pytest.raises(ConnectionClosed):
                while True:
                    recv(old)
            for viewer in viewers:
                viewer.send(envelope.ping(11))
                assert recv(viewer) == ("Pong", {"nonce": 11})
            viewers[0].send(envelope.relay(0, b"\x01" + bytes(65)))
            assert recv(new) == ("Relay", {"peerId": joined[0]["viewerId"], "sealed": b"\x01" + bytes(65), "mark": "none"})
            new.send(envelope.relay(joined[1]["viewerId"], b"\x03" + bytes(32)))
            assert recv(viewers[1]) == ("Relay", {"peerId": 0, "sealed": b"\x03" + bytes(32), "mark": "none"})
            new.send(envelope.ping(12))
            assert recv(new) == ("Pong", {"nonce": 12})
            status = session_status(api, session["id"])
            assert status["status"] == "connected" and status["agentOnline"], status
            events = audit(api, "support.agent.replaced")
            assert events["total"] == 1, events
            event = events["events"][0]
            assert event["outcome"] == "success" and event["target"] == session["id"]
            assert event["detail"] == (f"connection {old_welcome[1]['connectionId']} replaced by "
                                       f"{new_welcome[1]['connectionId']}")
        for viewer in viewers:
            viewer.close()
