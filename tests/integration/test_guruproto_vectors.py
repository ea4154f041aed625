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


def test_e2e_key_schedule_from_the_fixed_private_keys():
    agent = e2e.private_key(bytes.fromhex(E2E["agentPrivate"]))
    viewer = e2e.private_key(bytes.fromhex(E2E["viewerPrivate"]))
    assert e2e.public_bytes(agent).hex() == E2E["agentPublic"]
    assert e2e.public_bytes(viewer).hex() == E2E["viewerPublic"]
    for own, peer, is_agent in ((agent, E2E["viewerPublic"], True), (viewer, E2E["agentPublic"], False)):
        keys = e2e.KeySchedule.agree(own, bytes.fromhex(peer), is_agent)
        assert keys.shared_secret.hex() == E2E["sharedSecret"]
        assert keys.transcript.hex() == E2E["transcriptHash"] == E2E["hkdfSalt"]
        assert keys.agent_to_viewer.hex() == E2E["keyAgentToViewer"]
        assert keys.viewer_to_agent.hex() == E2E["keyViewerToAgent"]
        assert keys.fingerprint == E2E["fingerprint"]
    assert e2e.TRANSCRIPT_LABEL.hex() == E2E["transcriptLabel"]
    assert (e2e.INFO_AGENT_TO_VIEWER.hex(), e2e.INFO_VIEWER_TO_AGENT.hex()) == (
        E2E["infoAgentToViewer"], E2E["infoViewerToAgent"])
    assert e2e.key_share(e2e.public_bytes(agent)).hex() == E2E["keyShareAgent"]


def channels():
    """The agent's and the viewer's channel from the fixed keys, agreed."""
    agent = e2e.Channel("agent", e2e.private_key(bytes.fromhex(E2E["agentPrivate"])))
    viewer = e2e.Channel("viewer", e2e.private_key(bytes.fromhex(E2E["viewerPrivate"])))
    agent.agree(viewer.key_share())
    viewer.agree(agent.key_share())
    return agent, viewer


def test_e2e_records_seal_to_the_vectors_and_open_in_order_then_refuse_replays():
    keys = {"agentToViewer": E2E["keyAgentToViewer"], "viewerToAgent": E2E["keyViewerToAgent"]}
    for record in E2E["records"]:
        direction = e2e.DIRECTIONS[record["direction"]]
        plaintext = bytes.fromhex(record["plaintext"])
        assert e2e.nonce(direction, record["counter"]).hex() == record["nonce"]
        assert e2e.sealed_header(record["counter"]).hex() == record["aad"]
        assert e2e.seal(bytes.fromhex(keys[record["direction"]]), direction, record["counter"], plaintext).hex() == record["sealed"]
    agent, viewer = channels()
    receivers = {"agentToViewer": viewer, "viewerToAgent": agent}
    senders = {"agentToViewer": agent, "viewerToAgent": viewer}
    for record in E2E["records"]:  # the Channel class seals the same bytes with its own counters
        assert senders[record["direction"]].seal(bytes.fromhex(record["plaintext"])).hex() == record["sealed"]
        assert receivers[record["direction"]].open(bytes.fromhex(record["sealed"])).hex() == record["plaintext"]
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
    assert receiver.last_received == 0  # a refused record does not move the window


@by_name(E2E["invalidPublicKeys"])
def test_e2e_invalid_public_keys_are_refused(vector):
    with pytest.raises(e2e.E2EError) as failed:
        e2e.Channel("viewer").agree(bytes.fromhex(vector["hex"]))
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
