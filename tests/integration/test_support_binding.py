"""A support session belongs to the agent that first joined it (docs/protocol.md section 1.1): through the
real server, a second agent with the same trailer is refused and audited and never displaces the first, the
bound agent's reconnect works, and a wrong or missing proof is refused. Enrolled agents bind the same way."""
import json
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from guruproto import proof as agent_proof
from guruproto import envelope
from support_agent import create_code, download, read_trailer
from test_relay import connect_agent, recv, relay_server  # noqa: F401 (fixture)
from test_support_relay import join_support, session_status, support_server, wait_for  # noqa: F401 (fixture)

VECTORS = Path(__file__).resolve().parents[2] / "protocol" / "vectors" / "identity.json"


def test_the_python_proof_matches_the_shared_vectors():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    v = json.loads(VECTORS.read_text())
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(v["seed"]))
    assert agent_proof.LABEL.hex() == v["label"]
    assert agent_proof.public_bytes(key).hex() == v["identityKey"]
    message = agent_proof.proof_message(bytes.fromhex(v["agentId"]), bytes.fromhex(v["nonce"]), bytes.fromhex(v["identityKey"]))
    assert message.hex() == v["message"]
    frame = agent_proof.proof_frame(key, bytes.fromhex(v["agentId"]), bytes.fromhex(v["nonce"]))
    assert frame[8:].hex() == v["identityKey"] + v["signature"]


def audit(api, action):
    status, _, body = api.call("GET", f"/api/audit?action={action}&limit=50")
    assert status == 200, body
    return body


def trailer_of(server, api):
    session = create_code(api, )
    _, data = download(server.base_url, session["code"])
    return session, read_trailer(data)


def test_a_second_agent_with_the_same_trailer_is_refused_and_never_displaces_the_first(support_server):
    server, api = support_server
    session, trailer = trailer_of(server, api)
    first_key, second_key = agent_proof.new_key(), agent_proof.new_key()
    with connect_agent(server, trailer["session"], trailer["secret"], first_key) as first:
        assert recv(first)[0] == "Welcome"
        assert first.challenges == 1
        assert wait_for(lambda: session_status(api, session["id"])["agentOnline"])
        first.send(envelope.agent_status(2))
        viewer = join_support(server, api, session["id"])
        joined = recv(first)
        assert joined[0] == "ViewerJoined"
        assert recv(first)[0] == "ViewerInfo"

        with connect_agent(server, trailer["session"], trailer["secret"], second_key) as second:
            assert recv(second) == ("Reject", {"code": 1})
            with pytest.raises(ConnectionClosed):
                recv(second)
        refused = audit(api, "support.agent.refused")
        assert refused["total"] == 1, refused
        event = refused["events"][0]
        assert event["outcome"] == "denied" and event["target"] == session["id"]
        assert "another agent's key" in event["detail"]

        # The first agent still serves its viewer, both ways, and answers on its own link.
        viewer.send(envelope.relay(0, b"\x02" + bytes(24)))
        assert recv(first) == ("Relay", {"peerId": joined[1]["viewerId"], "sealed": b"\x02" + bytes(24), "mark": "none"})
        first.send(envelope.relay(joined[1]["viewerId"], b"\x02" + b"\x01" * 24))
        assert recv(viewer) == ("Relay", {"peerId": 0, "sealed": b"\x02" + b"\x01" * 24, "mark": "none"})
        first.send(envelope.ping(7))
        assert recv(first) == ("Pong", {"nonce": 7})
        assert session_status(api, session["id"])["agentOnline"]
        viewer.close()

    # The bound agent's reconnect (the same key) is welcomed.
    with connect_agent(server, trailer["session"], trailer["secret"], first_key) as again:
        assert recv(again)[0] == "Welcome"
    assert audit(api, "support.agent.bound")["total"] == 1


def test_a_legit_reconnect_replaces_the_old_connection(support_server):
    server, api = support_server
    session, trailer = trailer_of(server, api)
    key = agent_proof.new_key()
    with connect_agent(server, trailer["session"], trailer["secret"], key) as old:
        assert recv(old)[0] == "Welcome"
        with connect_agent(server, trailer["session"], trailer["secret"], key) as new:
            assert recv(new)[0] == "Welcome"
            with pytest.raises(ConnectionClosed):
                while True:
                    recv(old)
            new.send(envelope.ping(3))
            assert recv(new) == ("Pong", {"nonce": 3})
            assert session_status(api, session["id"])["agentOnline"]


def test_a_wrong_signature_or_no_proof_is_refused_and_binds_nothing(support_server):
    server, api = support_server
    session, trailer = trailer_of(server, api)
    agent_id = bytes.fromhex(trailer["session"])
    thief = agent_proof.new_key()
    with connect_agent(server, trailer["session"], trailer["secret"]) as agent:
        nonce = agent_proof.challenge_nonce(agent.ws.recv(timeout=5))
        assert nonce is not None and len(nonce) == 32
        # Signed over another nonce: a replayed proof.
        stale = thief.sign(agent_proof.proof_message(agent_id, bytes(32), agent_proof.public_bytes(thief)))
        agent.ws.send(agent_proof.proof_frame(thief, agent_id, nonce, signature=stale))
        assert recv(agent) == ("Reject", {"code": 1})
    with connect_agent(server, trailer["session"], trailer["secret"]) as agent:
        assert agent_proof.challenge_nonce(agent.ws.recv(timeout=5)) is not None
        agent.ws.send(envelope.ping(1))  # anything but a proof
        assert recv(agent) == ("Reject", {"code": 1})
    details = [e["detail"] for e in audit(api, "support.agent.refused")["events"]]
    assert any("does not verify" in d for d in details) and any("no AgentProof" in d for d in details), details
    # Nothing was bound: a fresh key still gets the session.
    with connect_agent(server, trailer["session"], trailer["secret"], agent_proof.new_key()) as agent:
        assert recv(agent)[0] == "Welcome"


def test_two_downloads_get_their_own_secrets_and_a_ticket_works_once(support_server):
    import urllib.error
    import urllib.request
    server, api = support_server
    session = create_code(api)
    checked, first = download(server.base_url, session["code"])
    _, second = download(server.base_url, session["code"])
    assert read_trailer(first)["secret"] != read_trailer(second)["secret"]
    with pytest.raises(urllib.error.HTTPError) as reused:
        urllib.request.urlopen(server.base_url + checked["downloadUrl"], timeout=10)
    assert reused.value.code == 404
    # Each secret is a credential of its own; the old, derived one is not.
    for data in (first, second):
        with connect_agent(server, session["id"], read_trailer(data)["secret"]) as agent:
            assert recv(agent)[0] == "Welcome"


def test_the_host_header_is_not_baked_into_a_download(support_server):
    import http.client
    server, api = support_server
    session = create_code(api)
    host, port = server.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("POST", "/api/portal/code", body=json.dumps({"code": session["code"]}),
                       headers={"Host": "evil.test", "Content-Type": "application/json", "User-Agent": "X11; Linux"})
    response = connection.getresponse()
    checked = json.loads(response.read())
    assert response.status == 200, checked
    connection.request("GET", checked["downloadUrl"], headers={"Host": "evil.test"})
    response = connection.getresponse()
    data = response.read()
    assert response.status == 200
    assert b"evil.test" not in data
    assert read_trailer(data)["server"] == server.base_url


def test_an_enrolled_agent_binds_its_key_and_another_key_is_refused(relay_server):
    server, api, agent_id, credential = relay_server
    key = agent_proof.new_key()
    with connect_agent(server, agent_id, credential, key) as agent:
        assert recv(agent)[0] == "Welcome"
    with connect_agent(server, agent_id, credential, agent_proof.new_key()) as impostor:
        assert recv(impostor) == ("Reject", {"code": 1})
    with connect_agent(server, agent_id, credential, key) as agent:
        assert recv(agent)[0] == "Welcome"
    events = audit(api, "agent.refused")["events"]
    assert len(events) == 1 and events[0]["target"] == agent_id


def test_a_credential_without_its_key_is_throttled_like_a_wrong_one(relay_server):
    """A stolen credential alone is a failed hello: after the agent id's 5 free failures the next hello
    (and the sixth, which sets the lock as it is counted) the next hello gets Reject 4 (rate limited, so a
    real agent backs off) before any proof is asked; the bound agent
    is let in again once the lock has passed."""
    server, api, agent_id, credential = relay_server
    key = agent_proof.new_key()
    with connect_agent(server, agent_id, credential, key) as agent:
        assert recv(agent)[0] == "Welcome"
    for _ in range(6):
        with connect_agent(server, agent_id, credential, agent_proof.new_key()) as impostor:
            assert recv(impostor) == ("Reject", {"code": 1})
    with connect_agent(server, agent_id, credential, agent_proof.new_key()) as throttled:
        assert recv(throttled) == ("Reject", {"code": 4})
        assert throttled.challenges == 0, "a throttled hello is never challenged"
    denied = audit(api, "agent.connect")["events"]
    assert any(e["outcome"] == "denied" and "rate limited" in e["detail"] for e in denied), denied
    assert len(audit(api, "agent.refused")["events"]) == 6
    assert wait_for(lambda: try_welcome(server, agent_id, credential, key), timeout=20)


def try_welcome(server, agent_id, credential, key):
    with connect_agent(server, agent_id, credential, key) as agent:
        return recv(agent)[0] == "Welcome"
