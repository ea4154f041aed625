"""The E2E v2 vectors (protocol/vectors/e2e.json, docs/protocol.md section 3): the key exchange, the
transcript and its short authentication string, sealed records, and the cases a hostile relay makes.
Made with tests/guruproto's e2e module (pyca/cryptography); protocol/tools/gen_vectors.py writes them."""
import hashlib
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from guruproto import e2e, inner
from guruproto.vectors import from_json


def inner_bytes(m):
    return inner.encode(from_json(m))


# The pieces, from tests/guruproto/e2e.py (docs/protocol.md section 3).
E2E_LABEL, COMMIT_LABEL, CONFIRM_LABEL, SAS_LABEL = (e2e.TRANSCRIPT_LABEL, e2e.COMMIT_LABEL, e2e.CONFIRM_LABEL,
                                                     e2e.SAS_LABEL)
INFO_A2V, INFO_V2A = e2e.INFO_AGENT_TO_VIEWER, e2e.INFO_VIEWER_TO_AGENT
INPUT_PLAINTEXT_SIZE = e2e.INPUT_PLAINTEXT_SIZE
pub_bytes, hkdf, ed25519_public, transcript_hash = e2e.public_bytes, e2e.hkdf, e2e.identity_public, e2e.transcript_hash
short_auth_string, pad = e2e.short_auth_string, e2e.pad


def seal_raw(key, direction, stream, counter, plaintext):
    return (e2e.nonce(direction, stream, counter), e2e.sealed_header(stream, counter),
            e2e.seal(key, direction, stream, counter, plaintext))


def e2e_vectors():
    agent_d = bytes.fromhex("1f" * 31 + "01")
    viewer_d = bytes.fromhex("2e" * 31 + "02")
    identity_seed = bytes.fromhex("3d" * 31 + "03")
    relay_seed = bytes.fromhex("4c" * 31 + "04")
    relay_d = bytes.fromhex("5b" * 31 + "05")
    session_id = bytes.fromhex("0123456789abcdef0123456789abcdef")
    viewer_id = 7
    agent, viewer, relay = e2e.private_key(agent_d), e2e.private_key(viewer_d), e2e.private_key(relay_d)
    identity = Ed25519PrivateKey.from_private_bytes(identity_seed)
    relay_identity = Ed25519PrivateKey.from_private_bytes(relay_seed)
    a_pub, v_pub, r_pub = pub_bytes(agent), pub_bytes(viewer), pub_bytes(relay)
    id_pub, relay_id_pub = ed25519_public(identity), ed25519_public(relay_identity)
    secret = e2e.shared_secret(agent, pub_bytes(viewer))
    assert secret == e2e.shared_secret(viewer, pub_bytes(agent))
    transcript = transcript_hash(a_pub, v_pub, id_pub, session_id, viewer_id)
    commitment = hashlib.sha256(COMMIT_LABEL + a_pub + id_pub).digest()
    signing_input = CONFIRM_LABEL + transcript
    signature = identity.sign(signing_input)
    k_a2v, k_v2a = hkdf(secret, transcript, INFO_A2V), hkdf(secret, transcript, INFO_V2A)
    keys = {"agentToViewer": k_a2v, "viewerToAgent": k_v2a}
    commit_record = bytes([0x03]) + commitment
    confirm_record = bytes([0x04]) + a_pub + id_pub + signature
    share_record = bytes([0x01]) + v_pub

    # Sealed in this order by each sender; "dropped" ones are sealed (their counter is used)
    # but never reach the receiver, which is allowed on the picture stream only.
    plan = [
        ("agentToViewer", "ordered", {"type": "SessionInfo", "captureName": "xshm", "secureAttention": "keys",
                                      "elevated": False}, 0, False),
        ("agentToViewer", "picture", {"type": "CursorPosition", "x": 5, "y": 6, "visible": True}, 0, False),
        ("agentToViewer", "picture", {"type": "FrameEnd", "sequence": 1}, 0, True),
        ("agentToViewer", "picture", {"type": "FrameEnd", "sequence": 2}, 0, False),
        ("agentToViewer", "ordered", {"type": "ClipboardText", "text": "Grüße"}, 0, False),
        ("viewerToAgent", "ordered", {"type": "Key", "pressed": True, "modifiers": 0, "code": "Digit2", "key": "é"},
         INPUT_PLAINTEXT_SIZE, False),
        ("viewerToAgent", "ordered", {"type": "Key", "pressed": True, "modifiers": 1, "code": "ShiftLeft", "key": "Shift"},
         INPUT_PLAINTEXT_SIZE, False),
        ("viewerToAgent", "ordered", {"type": "PointerMove", "x": 10, "y": 20}, INPUT_PLAINTEXT_SIZE, False),
        ("viewerToAgent", "ordered", {"type": "FrameAck", "sequence": 2}, 0, False),
    ]
    counters = {}
    records = []
    for direction, stream, message, pad_to, dropped in plan:
        counter = counters[(direction, stream)] = counters.get((direction, stream), 0) + 1
        plaintext = pad(inner_bytes(message), pad_to)
        nonce, aad, sealed = seal_raw(keys[direction], direction, stream, counter, plaintext)
        records.append({"direction": direction, "stream": stream, "counter": counter,
                        "message": inner_bytes(message).hex(), "padTo": pad_to,
                        "plaintext": plaintext.hex(), "nonce": nonce.hex(), "aad": aad.hex(),
                        "sealed": sealed.hex(), "dropped": dropped})

    def sealed_of(direction, stream, counter):
        return next(bytes.fromhex(r["sealed"]) for r in records
                    if (r["direction"], r["stream"], r["counter"]) == (direction, stream, counter))

    first = sealed_of("agentToViewer", "ordered", 1)
    picture = sealed_of("agentToViewer", "picture", 1)
    tampered_body = first[:9] + bytes([first[9] ^ 1]) + first[10:]
    tampered_counter = first[:8] + bytes([first[8] ^ 0x10]) + first[9:]
    tampered_tag = first[:-1] + bytes([first[-1] ^ 0x80])
    _, _, long_padding = seal_raw(k_a2v, "agentToViewer", "ordered", 1, struct.pack(">H", 9) + b"\x11\x00")
    _, _, dirty_padding = seal_raw(k_a2v, "agentToViewer", "ordered", 1,
                                   struct.pack(">H", 2) + inner_bytes({"type": "FrameEnd", "sequence": 1}) + b"\x00\x01")
    _, _, no_padding_length = seal_raw(k_a2v, "agentToViewer", "ordered", 1, b"\x00")
    rejections = [
        {"name": "flipped ciphertext bit", "direction": "agentToViewer", "sealed": tampered_body.hex(),
         "error": "AuthenticationFailed"},
        {"name": "changed counter (it is authenticated)", "direction": "agentToViewer",
         "sealed": tampered_counter.hex(), "error": "AuthenticationFailed"},
        {"name": "flipped tag bit", "direction": "agentToViewer", "sealed": tampered_tag.hex(),
         "error": "AuthenticationFailed"},
        {"name": "agent record reflected back to the agent", "direction": "viewerToAgent",
         "sealed": first.hex(), "error": "AuthenticationFailed"},
        {"name": "ordered record relabelled as a picture (the kind is authenticated)", "direction": "agentToViewer",
         "sealed": ("05" + first[1:].hex()), "error": "AuthenticationFailed"},
        {"name": "picture record relabelled as ordered", "direction": "agentToViewer",
         "sealed": ("02" + picture[1:].hex()), "error": "AuthenticationFailed"},
        {"name": "picture record sent to the agent", "direction": "viewerToAgent",
         "sealed": ("05" + first[1:].hex()), "error": "UnexpectedRecord"},
        {"name": "shorter than header and tag", "direction": "agentToViewer", "sealed": first[:24].hex(),
         "error": "MalformedRecord"},
        {"name": "unknown record kind", "direction": "agentToViewer", "sealed": "06" + first[1:].hex(),
         "error": "MalformedRecord"},
        {"name": "padding longer than the plaintext", "direction": "agentToViewer", "sealed": long_padding.hex(),
         "error": "BadPadding"},
        {"name": "padding bytes not zero", "direction": "agentToViewer", "sealed": dirty_padding.hex(),
         "error": "BadPadding"},
        {"name": "plaintext shorter than the padding length", "direction": "agentToViewer",
         "sealed": no_padding_length.hex(), "error": "BadPadding"},
    ]
    # Each sequence goes to a fresh receiver: every record but the last opens, the last fails.
    sequences = [
        {"name": "an input record deleted on the way", "direction": "viewerToAgent",
         "sealed": [sealed_of("viewerToAgent", "ordered", 1).hex(), sealed_of("viewerToAgent", "ordered", 3).hex()],
         "error": "MissingRecord"},
        {"name": "the first ordered record deleted", "direction": "agentToViewer",
         "sealed": [sealed_of("agentToViewer", "ordered", 2).hex()], "error": "MissingRecord"},
        {"name": "a picture record older than the last", "direction": "agentToViewer",
         "sealed": [sealed_of("agentToViewer", "picture", 3).hex(), sealed_of("agentToViewer", "picture", 1).hex()],
         "error": "Replay"},
    ]

    # What a relay can try on the handshake; the viewer checks each (commit, confirm) pair.
    relay_commit = bytes([0x03]) + hashlib.sha256(COMMIT_LABEL + r_pub + relay_id_pub).digest()
    relay_th = transcript_hash(r_pub, v_pub, relay_id_pub, session_id, viewer_id + 1)
    relay_confirm = bytes([0x04]) + r_pub + relay_id_pub + relay_identity.sign(CONFIRM_LABEL + relay_th)
    swapped_point = bytes([0x04]) + r_pub + id_pub + signature
    flipped_signature = confirm_record[:-1] + bytes([confirm_record[-1] ^ 0x01])
    own_point_forged = bytes([0x04]) + r_pub + relay_id_pub + relay_identity.sign(
        CONFIRM_LABEL + transcript_hash(r_pub, v_pub, relay_id_pub, session_id, viewer_id))
    handshake_rejections = [
        {"name": "the agent's point swapped for the relay's (no longer the committed one)",
         "commit": commit_record.hex(), "confirm": swapped_point.hex(), "error": "BadCommitment"},
        {"name": "a flipped signature bit", "commit": commit_record.hex(), "confirm": flipped_signature.hex(),
         "error": "BadSignature"},
        {"name": "the relay's own keys, signed for another viewer id", "commit": relay_commit.hex(),
         "confirm": relay_confirm.hex(), "error": "BadSignature"},
        {"name": "a confirm that does not match the commit", "commit": commit_record.hex(),
         "confirm": own_point_forged.hex(), "error": "BadCommitment"},
        {"name": "a confirm one byte short", "commit": commit_record.hex(), "confirm": confirm_record[:-1].hex(),
         "error": "MalformedRecord"},
        {"name": "a version 1 agent's KeyShare instead of a commit", "commit": ("01" + a_pub.hex()),
         "confirm": confirm_record.hex(), "error": "MalformedRecord"},
    ]
    # A relay's own keys on both legs (first contact): it is detected by the identity
    # (a pinned viewer) or by the codes, which differ.
    relay_accepted_th = transcript_hash(r_pub, v_pub, relay_id_pub, session_id, viewer_id)
    off_curve = bytearray(v_pub)
    off_curve[-1] ^= 1
    return {
        "description": "E2E channel version 2 (docs/protocol.md section 3) from fixed keys. The handshake: "
                       "keyCommitRecord (agent), keyShareViewer (viewer), keyConfirmRecord (agent). 'records' are "
                       "sealed in order by each sender (dropped ones too) and opened in order by the receiver "
                       "(dropped ones skipped); replaying any of them afterwards fails with Replay. 'rejections' are "
                       "each fed to a fresh receiver; 'sequences' open in order on a fresh receiver, the last fails; "
                       "'handshakeRejections' are fed to a fresh viewer (commit, then its KeyShare, then confirm).",
        "curve": "P-256",
        "agentPrivate": agent_d.hex(), "viewerPrivate": viewer_d.hex(),
        "agentPublic": a_pub.hex(), "viewerPublic": v_pub.hex(),
        "identitySeed": identity_seed.hex(), "identityPublic": id_pub.hex(),
        "sessionId": session_id.hex(), "viewerId": viewer_id,
        "sharedSecret": secret.hex(),
        "transcriptLabel": E2E_LABEL.hex(),
        "transcriptHash": transcript.hex(),
        "commitLabel": COMMIT_LABEL.hex(), "keyCommitment": commitment.hex(),
        "keyCommitRecord": commit_record.hex(),
        "keyShareViewer": share_record.hex(),
        "confirmLabel": CONFIRM_LABEL.hex(), "signingInput": signing_input.hex(), "signature": signature.hex(),
        "keyConfirmRecord": confirm_record.hex(),
        "hkdfSalt": transcript.hex(),
        "infoAgentToViewer": INFO_A2V.hex(), "infoViewerToAgent": INFO_V2A.hex(),
        "keyAgentToViewer": k_a2v.hex(), "keyViewerToAgent": k_v2a.hex(),
        "sasLabel": SAS_LABEL.hex(), "shortAuthString": short_auth_string(transcript),
        "relayShortAuthString": short_auth_string(relay_accepted_th),
        "inputPlaintextSize": INPUT_PLAINTEXT_SIZE,
        "records": records,
        "replayError": "Replay",
        "rejections": rejections,
        "sequences": sequences,
        "handshakeRejections": handshake_rejections,
        "invalidPublicKeys": [
            {"name": "point not on the curve", "hex": bytes(off_curve).hex(), "error": "InvalidPublicKey"},
            {"name": "compressed point", "hex": "02" + v_pub[1:33].hex(), "error": "InvalidPublicKey"},
            {"name": "64 bytes without prefix", "hex": v_pub[1:].hex(), "error": "InvalidPublicKey"},
        ],
    }
