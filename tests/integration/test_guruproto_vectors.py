"""The tests' protocol package (tests/guruproto) against every shared vector in protocol/vectors, and
the vector generator's --check mode against the committed files."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guruproto import e2e, envelope, inner
from guruproto.vectors import DIRECTORY, from_json, load, to_json

ENVELOPE, INNER, E2E = load("envelope"), load("inner"), load("e2e")
GENERATOR = Path(__file__).resolve().parents[2] / "protocol" / "tools" / "gen_vectors.py"


def by_name(vectors):
    return pytest.mark.parametrize("vector", vectors, ids=[v["name"] for v in vectors])


@by_name(ENVELOPE["valid"])
def test_envelope_valid_frames_decode_and_reencode(vector):
    data = bytes.fromhex(vector["hex"])
    assert to_json(envelope.decode(data)) == vector["message"]
    assert envelope.encode(from_json(vector["message"])) == data
    for cut in range(len(data)):  # every strict prefix is Incomplete, never anything else
        with pytest.raises(envelope.EnvelopeError) as failed:
            envelope.decode(data[:cut])
        assert failed.value.kind == "Incomplete", cut


@by_name(ENVELOPE["invalid"])
def test_envelope_invalid_frames_fail_with_the_named_error(vector):
    with pytest.raises(envelope.EnvelopeError) as failed:
        envelope.decode(bytes.fromhex(vector["hex"]))
    assert failed.value.kind == vector["error"]


def test_envelope_limits_match_the_vectors():
    assert (envelope.VERSION, envelope.HEADER_SIZE, envelope.MAX_PAYLOAD) == (
        ENVELOPE["version"], ENVELOPE["headerSize"], ENVELOPE["maxPayload"])
    # Every tag the vectors use is known, and every known tag has a valid vector.
    assert {v["message"]["type"] for v in ENVELOPE["valid"]} == {t.name for t in envelope.Tag}


@by_name(INNER["valid"])
def test_inner_valid_messages_decode_and_reencode(vector):
    data = bytes.fromhex(vector["hex"])
    assert to_json(inner.decode(data)) == vector["message"]
    assert inner.encode(from_json(vector["message"])) == data


@by_name(INNER["invalid"])
def test_inner_invalid_messages_fail_with_the_named_error(vector):
    with pytest.raises(inner.InnerError) as failed:
        inner.decode(bytes.fromhex(vector["hex"]))
    assert failed.value.kind == vector["error"]


def fixed_handshakes():
    """The agent's and the viewer's handshake halves from the vectors' fixed keys."""
    agent = e2e.AgentHandshake(e2e.identity_key(bytes.fromhex(E2E["identitySeed"])), bytes.fromhex(E2E["sessionId"]),
                               E2E["viewerId"], e2e.private_key(bytes.fromhex(E2E["agentPrivate"])))
    viewer = e2e.ViewerHandshake(bytes.fromhex(E2E["sessionId"]), E2E["viewerId"],
                                 e2e.private_key(bytes.fromhex(E2E["viewerPrivate"])))
    return agent, viewer


def channels():
    """Both ends' channels after the vectors' signed handshake."""
    agent, viewer = fixed_handshakes()
    share = viewer.commit_received(agent.commit_record())
    agent_channel, confirm = agent.finish(share)
    return agent_channel, viewer.confirm_received(confirm)


def test_e2e_signed_handshake_from_the_fixed_keys():
    agent, viewer = fixed_handshakes()
    assert agent.public.hex() == E2E["agentPublic"] and viewer.public.hex() == E2E["viewerPublic"]
    assert e2e.identity_public(agent.identity).hex() == E2E["identityPublic"]
    assert agent.commit_record().hex() == E2E["keyCommitRecord"]
    share = viewer.commit_received(agent.commit_record())
    assert share.hex() == E2E["keyShareViewer"]
    agent_channel, confirm = agent.finish(share)
    assert confirm.hex() == E2E["keyConfirmRecord"]  # Ed25519 is deterministic
    viewer_channel = viewer.confirm_received(confirm)
    assert agent_channel.transcript.hex() == viewer_channel.transcript.hex() == E2E["transcriptHash"]
    assert agent_channel.keys["agentToViewer"].hex() == E2E["keyAgentToViewer"]
    assert viewer_channel.keys["viewerToAgent"].hex() == E2E["keyViewerToAgent"]
    assert agent_channel.code == viewer_channel.code == E2E["shortAuthString"]
    assert viewer_channel.identity.hex() == E2E["identityPublic"]
    assert e2e.TRANSCRIPT_LABEL.hex() == E2E["transcriptLabel"]
    assert e2e.shared_secret(e2e.private_key(bytes.fromhex(E2E["agentPrivate"])),
                             bytes.fromhex(E2E["viewerPublic"])).hex() == E2E["sharedSecret"]


@by_name(E2E["handshakeRejections"])
def test_e2e_what_a_relay_does_to_the_handshake_is_refused(vector):
    _, viewer = fixed_handshakes()
    with pytest.raises(e2e.E2EError) as failed:
        viewer.commit_received(bytes.fromhex(vector["commit"]))
        viewer.confirm_received(bytes.fromhex(vector["confirm"]))
    assert failed.value.kind == vector["error"]


def test_e2e_records_seal_to_the_vectors_and_open_in_order_then_refuse_replays():
    agent, viewer = channels()
    receivers = {"agentToViewer": viewer, "viewerToAgent": agent}
    senders = {"agentToViewer": agent, "viewerToAgent": viewer}
    for record in E2E["records"]:
        assert e2e.nonce(record["direction"], record["stream"], record["counter"]).hex() == record["nonce"]
        assert e2e.sealed_header(record["stream"], record["counter"]).hex() == record["aad"]
        sealed = senders[record["direction"]].seal(bytes.fromhex(record["message"]), record["stream"], record["padTo"])
        assert sealed.hex() == record["sealed"]
        if not record["dropped"]:  # a dropped picture is skipped: allowed on its own stream
            assert receivers[record["direction"]].open(sealed).hex() == record["message"]
    for record in E2E["records"]:
        with pytest.raises(e2e.E2EError) as failed:
            receivers[record["direction"]].open(bytes.fromhex(record["sealed"]))
        assert failed.value.kind == E2E["replayError"]


@by_name(E2E["rejections"])
def test_e2e_rejections_fail_with_the_named_error(vector):
    agent, viewer = channels()
    receiver = viewer if vector["direction"] == "agentToViewer" else agent
    with pytest.raises(e2e.E2EError) as failed:
        receiver.open(bytes.fromhex(vector["sealed"]))
    assert failed.value.kind == vector["error"]


@by_name(E2E["sequences"])
def test_e2e_a_deleted_ordered_record_ends_the_channel(vector):
    agent, viewer = channels()
    receiver = viewer if vector["direction"] == "agentToViewer" else agent
    for record in vector["sealed"][:-1]:
        receiver.open(bytes.fromhex(record))
    with pytest.raises(e2e.E2EError) as failed:
        receiver.open(bytes.fromhex(vector["sealed"][-1]))
    assert failed.value.kind == vector["error"]


@by_name(E2E["invalidPublicKeys"])
def test_e2e_invalid_public_keys_are_refused(vector):
    with pytest.raises(e2e.E2EError) as failed:
        e2e.load_public(bytes.fromhex(vector["hex"]))
    assert failed.value.kind == vector["error"]


def test_the_generator_reproduces_the_committed_vectors_and_check_catches_a_stale_file(tmp_path):
    ok = subprocess.run([sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    stale = tmp_path / "vectors"
    shutil.copytree(DIRECTORY, stale)
    text = (stale / "inner.json").read_text(encoding="utf-8")
    (stale / "inner.json").write_text(text.replace('"sequence": 42', '"sequence": 43', 1), encoding="utf-8")
    failed = subprocess.run([sys.executable, str(GENERATOR), "--check", "--out", str(stale)],
                            capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1 and "inner.json" in failed.stderr, failed.stdout + failed.stderr
    written = subprocess.run([sys.executable, str(GENERATOR), "--out", str(stale)], capture_output=True, timeout=60)
    assert written.returncode == 0 and (stale / "inner.json").read_text(encoding="utf-8") == text
