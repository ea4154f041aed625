#!/usr/bin/env python3
"""Generates protocol/vectors/*.json from an implementation independent of the agent's:
Python's struct for the layouts and pyca/cryptography (OpenSSL) for ECDH, HKDF and
AES-GCM. The C++, Swift and JavaScript test suites all check themselves against these
files. Output is deterministic; rerun after any protocol change and review the diff.

usage: python3 protocol/tools/gen_vectors.py [OUTPUT_DIR]
"""
import hashlib
import json
import os
import struct
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = 1
MAX_PAYLOAD = 1 << 20
TAGS = {"AgentHello": 0x01, "ViewerJoin": 0x02, "Welcome": 0x03, "Reject": 0x04,
        "Ping": 0x10, "Pong": 0x11, "ViewerJoined": 0x20, "ViewerLeft": 0x21,
        "SessionEnd": 0x22, "ViewerInfo": 0x23, "Relay": 0x30, "AgentStatus": 0x40,
        "AgentInfo": 0x41}
MODES = {"control": 0, "view": 1}


def frame(tag, payload, version=VERSION, flags=0, length=None):
    n = len(payload) if length is None else length
    return struct.pack(">BBHI", version, tag, flags, n) + payload


def env_payload(m):
    t = m["type"]
    h = bytes.fromhex
    if t == "AgentHello":
        cred, ver = h(m["credential"]), m["agentVersion"].encode()
        return h(m["agentId"]) + struct.pack(">H", len(cred)) + cred + bytes([len(ver)]) + ver
    if t == "ViewerJoin":
        tok = h(m["joinToken"])
        return h(m["sessionId"]) + struct.pack(">H", len(tok)) + tok + bytes([MODES[m["mode"]]])
    if t == "Welcome":
        return struct.pack(">IH", m["connectionId"], m["heartbeatSeconds"])
    if t == "Reject":
        return struct.pack(">H", m["code"])
    if t in ("Ping", "Pong"):
        return struct.pack(">Q", int(m["nonce"]))
    if t == "ViewerJoined":
        return h(m["sessionId"]) + struct.pack(">IB", m["viewerId"], MODES[m["mode"]])
    if t == "ViewerLeft":
        return struct.pack(">IH", m["viewerId"], m["reason"])
    if t == "SessionEnd":
        return h(m["sessionId"]) + struct.pack(">H", m["reason"])
    if t == "Relay":
        return struct.pack(">I", m["peerId"]) + h(m["sealed"])
    if t == "ViewerInfo":
        name = m["name"].encode()
        return struct.pack(">IB", m["viewerId"], len(name)) + name
    if t == "AgentStatus":
        return bytes([m["state"]])
    if t == "AgentInfo":
        return b"".join(bytes([len(v)]) + v for v in (m[k].encode() for k in ("hostname", "osName", "userName")))
    raise ValueError(t)


def env_frame(m):
    return frame(TAGS[m["type"]], env_payload(m))


INNER_TYPES = {"MonitorLayout": 0x01, "SessionInfo": 0x02, "TileUpdate": 0x10, "FrameEnd": 0x11, "FrameAck": 0x12,
               "CursorImage": 0x20, "CursorPosition": 0x21, "PointerMove": 0x30,
               "PointerButton": 0x31, "Wheel": 0x32, "Key": 0x33, "ClipboardText": 0x40}
ENCODINGS = {"jpeg": 1, "png": 2, "webp-lossless": 3, "vp8": 4}
SECURE_ATTENTION = {"keys": 0, "sas": 1, "unavailable": 2}


def session_info(name, secure_attention, flags=0):
    """SessionInfo's body from raw parts, so the invalid vectors can break each rule."""
    return bytes([INNER_TYPES["SessionInfo"], len(name)]) + name + bytes([secure_attention, flags])


def inner_bytes(m):
    t = m["type"]
    out = bytes([INNER_TYPES[t]])
    if t == "MonitorLayout":
        out += bytes([len(m["monitors"])])
        for mon in m["monitors"]:
            out += struct.pack(">iiHHB", mon["x"], mon["y"], mon["width"], mon["height"],
                               1 if mon["primary"] else 0)
    elif t == "SessionInfo":
        return session_info(m["captureName"].encode(), SECURE_ATTENTION[m["secureAttention"]])
    elif t == "TileUpdate":
        out += struct.pack(">HHHHB", m["x"], m["y"], m["width"], m["height"],
                           ENCODINGS[m["encoding"]]) + bytes.fromhex(m["data"])
    elif t in ("FrameEnd", "FrameAck"):
        out += struct.pack(">I", m["sequence"])
    elif t == "CursorImage":
        out += struct.pack(">HHHH", m["width"], m["height"], m["hotX"], m["hotY"])
        out += bytes.fromhex(m["rgba"])
    elif t == "CursorPosition":
        out += struct.pack(">iiB", m["x"], m["y"], 1 if m["visible"] else 0)
    elif t == "PointerMove":
        out += struct.pack(">ii", m["x"], m["y"])
    elif t == "PointerButton":
        out += struct.pack(">BB", m["button"], 1 if m["pressed"] else 0)
    elif t == "Wheel":
        out += struct.pack(">hh", m["dx"], m["dy"])
    elif t == "Key":
        code, key = m["code"].encode(), m["key"].encode()
        out += struct.pack(">BB", 1 if m["pressed"] else 0, m["modifiers"])
        out += bytes([len(code)]) + code + bytes([len(key)]) + key
    elif t == "ClipboardText":
        out += m["text"].encode()
    return out


SESSION = "0123456789abcdef0123456789abcdef"
AGENT = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"


def envelope_vectors():
    valid = [
        {"type": "AgentHello", "agentId": AGENT, "credential": "736563726574",
         "agentVersion": "0.1.0"},
        {"type": "ViewerJoin", "sessionId": SESSION, "joinToken": "6a6f696e", "mode": "control"},
        {"type": "ViewerJoin", "sessionId": SESSION, "joinToken": "6a6f696e", "mode": "view"},
        {"type": "Welcome", "connectionId": 7, "heartbeatSeconds": 20},
        {"type": "Reject", "code": 1},
        {"type": "Ping", "nonce": "18446744073709551615"},
        {"type": "Pong", "nonce": "1"},
        {"type": "ViewerJoined", "sessionId": SESSION, "viewerId": 7, "mode": "control"},
        {"type": "ViewerLeft", "viewerId": 7, "reason": 0},
        {"type": "SessionEnd", "sessionId": SESSION, "reason": 2},
        {"type": "Relay", "peerId": 7, "sealed": "02" + "00" * 8 + "ff" * 16},
        {"type": "ViewerInfo", "viewerId": 7, "name": "Ada Lovelace"},
        {"type": "AgentStatus", "state": 2},
        {"type": "AgentInfo", "hostname": "SARAH-PC", "osName": "Linux 6.1", "userName": "sarah"},
    ]
    ping = env_payload({"type": "Ping", "nonce": "5"})
    invalid = [
        ("empty input", b"", "Incomplete"),
        ("header cut short", frame(0x10, ping)[:5], "Incomplete"),
        ("payload cut short", frame(0x10, ping)[:-1], "Incomplete"),
        ("version 2", frame(0x10, ping, version=2), "UnsupportedVersion"),
        ("version 0", frame(0x10, ping, version=0), "UnsupportedVersion"),
        ("unknown tag 0x7f", frame(0x7F, ping), "UnknownTag"),
        ("reserved flags set", frame(0x10, ping, flags=1), "ReservedFlags"),
        ("declared length max+1, no body (rejected before allocation)",
         frame(0x30, b"", length=MAX_PAYLOAD + 1), "FrameTooLarge"),
        ("declared length 0xffffffff", frame(0x30, b"", length=0xFFFFFFFF), "FrameTooLarge"),
        ("ping payload too short", frame(0x10, ping[:7]), "MalformedPayload"),
        ("ping with trailing byte", frame(0x10, ping + b"\x00"), "MalformedPayload"),
        ("frame with trailing byte after payload", frame(0x10, ping) + b"\x00",
         "MalformedPayload"),
        ("token length past payload",
         frame(0x02, bytes.fromhex(SESSION) + struct.pack(">H", 200) + b"ab"), "MalformedPayload"),
        ("empty join token", frame(0x02, bytes.fromhex(SESSION) + struct.pack(">H", 0) + b"\x00"),
         "InvalidField"),
        ("token longer than 1024", frame(0x01, bytes.fromhex(AGENT) + struct.pack(">H", 1025)
                                         + b"x" * 1025 + b"\x00"), "InvalidField"),
        ("viewer mode 2", frame(0x02, bytes.fromhex(SESSION) + struct.pack(">H", 1) + b"t\x02"),
         "InvalidField"),
        ("welcome heartbeat 0", frame(0x03, struct.pack(">IH", 1, 0)), "InvalidField"),
        ("reject code 9", frame(0x04, struct.pack(">H", 9)), "InvalidField"),
        ("viewer id 0 in ViewerJoined",
         frame(0x20, bytes.fromhex(SESSION) + struct.pack(">IB", 0, 0)), "InvalidField"),
        ("relay without sealed bytes", frame(0x30, struct.pack(">I", 7)), "InvalidField"),
        ("viewer id 0 in ViewerInfo", frame(0x23, struct.pack(">IB", 0, 12) + b"Ada Lovelace"), "InvalidField"),
        ("agent status state 0", frame(0x40, b"\x00"), "InvalidField"),
        ("agent status state 5", frame(0x40, b"\x05"), "InvalidField"),
        ("agent status with trailing byte", frame(0x40, b"\x02\x00"), "MalformedPayload"),
        ("agent info cut short", frame(0x41, b"\x08SARAH-PC\x05Linux"), "MalformedPayload"),
        ("agent info with trailing byte", frame(0x41, b"\x01a\x01b\x01c\x00"), "MalformedPayload"),
        ("agent info hostname not UTF-8", frame(0x41, b"\x02\xff\xfe\x00\x00"), "InvalidField"),
    ]
    return {
        "description": "Envelope frames (docs/protocol.md section 2). 'valid' frames decode "
                       "to 'message' and re-encode to the same bytes; 'invalid' frames fail "
                       "with 'error'.",
        "version": VERSION, "headerSize": 8, "maxPayload": MAX_PAYLOAD,
        "valid": [{"name": m["type"] + ("/" + m["mode"] if "mode" in m else ""),
                   "hex": env_frame(m).hex(), "message": m} for m in valid],
        "invalid": [{"name": n, "hex": b.hex(), "error": e} for n, b, e in invalid],
    }


def inner_vectors():
    valid = [
        {"type": "MonitorLayout", "monitors": [
            {"x": 0, "y": 0, "width": 1920, "height": 1080, "primary": True},
            {"x": -1280, "y": 0, "width": 1280, "height": 1024, "primary": False}]},
        # SessionInfo: u8 len + capture name (UTF-8, 1..32), u8 secureAttention, u8 flags (0).
        {"type": "SessionInfo", "captureName": "xshm", "secureAttention": "keys"},
        {"type": "SessionInfo", "captureName": "dxgi", "secureAttention": "sas"},
        {"type": "SessionInfo", "captureName": "gdi", "secureAttention": "unavailable"},
        {"type": "SessionInfo", "captureName": "écran-ü" + "x" * 23, "secureAttention": "keys"},
        {"type": "TileUpdate", "x": 64, "y": 128, "width": 64, "height": 32,
         "encoding": "png", "data": "89504e47"},
        # VP8 (encoding 4): u8 flags (bit 0 keyframe) then one VP8 frame; opaque to the codec.
        {"type": "TileUpdate", "x": 0, "y": 0, "width": 1920, "height": 1080,
         "encoding": "vp8", "data": "015042009d012a8007380700"},
        {"type": "TileUpdate", "x": 0, "y": 0, "width": 1920, "height": 1080,
         "encoding": "vp8", "data": "00b10400"},
        {"type": "FrameEnd", "sequence": 42},
        {"type": "FrameAck", "sequence": 42},
        {"type": "CursorImage", "width": 2, "height": 1, "hotX": 1, "hotY": 0,
         "rgba": "ff000080000000ff"},
        {"type": "CursorPosition", "x": -5, "y": 700, "visible": True},
        {"type": "PointerMove", "x": 1919, "y": 1079},
        {"type": "PointerButton", "button": 2, "pressed": True},
        {"type": "Wheel", "dx": 0, "dy": -120},
        {"type": "Key", "pressed": True, "modifiers": 0, "code": "Digit2", "key": "é"},
        {"type": "Key", "pressed": False, "modifiers": 1, "code": "KeyA", "key": "A"},
        {"type": "Key", "pressed": True, "modifiers": 16, "code": "KeyE", "key": "€"},
        {"type": "ClipboardText", "text": "Grüße, 世界"},
    ]
    invalid = [
        ("empty", b"", "Empty"),
        ("unknown type 0xee", b"\xee", "UnknownType"),
        ("pointer move truncated", b"\x30\x00\x00\x00\x01\x00", "Truncated"),
        ("frame end with trailing byte", b"\x11\x00\x00\x00\x01\x00", "TrailingBytes"),
        ("button 9", b"\x31\x09\x01", "InvalidField"),
        ("tile of width 0", b"\x10" + struct.pack(">HHHHB", 0, 0, 0, 8, 1) + b"\xff",
         "InvalidField"),
        ("tile encoding 5", b"\x10" + struct.pack(">HHHHB", 0, 0, 8, 8, 5) + b"\xff",
         "InvalidField"),
        ("vp8 flags 0x02", b"\x10" + struct.pack(">HHHHB", 0, 0, 8, 8, 4) + b"\x02\xff",
         "InvalidField"),
        ("vp8 keyframe with reserved flag 0x80",
         b"\x10" + struct.pack(">HHHHB", 0, 0, 8, 8, 4) + b"\x81\xff", "InvalidField"),
        ("vp8 data of just the flags byte",
         b"\x10" + struct.pack(">HHHHB", 0, 0, 8, 8, 4) + b"\x01", "InvalidField"),
        ("vp8 without data", b"\x10" + struct.pack(">HHHHB", 0, 0, 8, 8, 4), "InvalidField"),
        ("cursor 300 wide", b"\x20" + struct.pack(">HHHH", 300, 1, 0, 0), "InvalidField"),
        ("cursor pixels short", b"\x20" + struct.pack(">HHHH", 2, 2, 0, 0) + b"\x00" * 15,
         "Truncated"),
        ("cursor hotspot outside", b"\x20" + struct.pack(">HHHH", 2, 2, 2, 0) + b"\x00" * 16,
         "InvalidField"),
        ("monitor count 0", b"\x01\x00", "InvalidField"),
        ("monitor count 17", b"\x01\x11" + b"\x00" * (17 * 13), "InvalidField"),
        ("monitor list short", b"\x01\x02" + b"\x00" * 13, "Truncated"),
        ("key string past end", b"\x33\x01\x00\x04Ke", "Truncated"),
        ("key with both strings empty", b"\x33\x01\x00\x00\x00", "InvalidField"),
        ("session info secureAttention 3", session_info(b"gdi", 3), "InvalidField"),
        ("session info secureAttention 0xff", session_info(b"gdi", 0xFF), "InvalidField"),
        ("session info reserved flags 0x01", session_info(b"gdi", 0, flags=1), "InvalidField"),
        ("session info empty capture name", session_info(b"", 0), "InvalidField"),
        ("session info capture name of 33 bytes", session_info(b"x" * 33, 0), "InvalidField"),
        ("session info capture name not UTF-8", session_info(b"\xff\xfe", 0), "InvalidField"),
        ("session info capture name past the end", b"\x02\x20xshm", "Truncated"),
        ("session info without flags", session_info(b"gdi", 0)[:-1], "Truncated"),
        ("session info with trailing byte", session_info(b"gdi", 0) + b"\x00", "TrailingBytes"),
    ]
    return {
        "description": "Inner (end-to-end) messages, the plaintext of sealed records "
                       "(docs/protocol.md section 4).",
        "valid": [{"name": m["type"], "hex": inner_bytes(m).hex(), "message": m} for m in valid],
        "invalid": [{"name": n, "hex": b.hex(), "error": e} for n, b, e in invalid],
    }


def pub_bytes(key):
    return key.public_key().public_bytes(serialization.Encoding.X962,
                                         serialization.PublicFormat.UncompressedPoint)


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def e2e_vectors():
    agent_d = bytes.fromhex("1f" * 31 + "01")
    viewer_d = bytes.fromhex("2e" * 31 + "02")
    agent = ec.derive_private_key(int.from_bytes(agent_d, "big"), ec.SECP256R1())
    viewer = ec.derive_private_key(int.from_bytes(viewer_d, "big"), ec.SECP256R1())
    a_pub, v_pub = pub_bytes(agent), pub_bytes(viewer)
    secret = agent.exchange(ec.ECDH(), viewer.public_key())
    assert secret == viewer.exchange(ec.ECDH(), agent.public_key())
    transcript = hashlib.sha256(b"GuruConnect E2E v1" + a_pub + v_pub).digest()
    info_a2v = b"guruconnect e2e v1 agent-to-viewer"
    info_v2a = b"guruconnect e2e v1 viewer-to-agent"
    k_a2v, k_v2a = hkdf(secret, transcript, info_a2v), hkdf(secret, transcript, info_v2a)
    fp = transcript[:6].hex().upper()
    fingerprint = "-".join(fp[i:i + 4] for i in range(0, 12, 4))

    def seal(key, direction, counter, plaintext):
        header = bytes([0x02]) + struct.pack(">Q", counter)
        nonce = struct.pack(">IQ", direction, counter)
        return nonce, header, header + AESGCM(key).encrypt(nonce, plaintext, header)

    records = []
    plan = [("agentToViewer", 1, inner_bytes({"type": "FrameEnd", "sequence": 1})),
            ("agentToViewer", 2, inner_bytes({"type": "ClipboardText", "text": "Grüße"})),
            ("agentToViewer", 3, b""),
            ("viewerToAgent", 1, inner_bytes({"type": "Key", "pressed": True, "modifiers": 0,
                                              "code": "Digit2", "key": "é"})),
            ("viewerToAgent", 2, inner_bytes({"type": "PointerMove", "x": 10, "y": 20}))]
    for direction, counter, pt in plan:
        key, d = (k_a2v, 1) if direction == "agentToViewer" else (k_v2a, 2)
        nonce, aad, sealed = seal(key, d, counter, pt)
        records.append({"direction": direction, "counter": counter, "plaintext": pt.hex(),
                        "nonce": nonce.hex(), "aad": aad.hex(), "sealed": sealed.hex()})

    first = bytearray.fromhex(records[0]["sealed"])
    tampered_body = bytes(first[:9]) + bytes([first[9] ^ 1]) + bytes(first[10:])
    tampered_counter = bytes(first[:8]) + bytes([first[8] ^ 0x10]) + bytes(first[9:])
    tampered_tag = bytes(first[:-1]) + bytes([first[-1] ^ 0x80])
    rejections = [
        {"name": "flipped ciphertext bit", "direction": "agentToViewer",
         "sealed": tampered_body.hex(), "error": "AuthenticationFailed"},
        {"name": "changed counter (it is authenticated)", "direction": "agentToViewer",
         "sealed": tampered_counter.hex(), "error": "AuthenticationFailed"},
        {"name": "flipped tag bit", "direction": "agentToViewer", "sealed": tampered_tag.hex(),
         "error": "AuthenticationFailed"},
        {"name": "agent record reflected back to the agent", "direction": "viewerToAgent",
         "sealed": records[0]["sealed"], "error": "AuthenticationFailed"},
        {"name": "shorter than header and tag", "direction": "agentToViewer",
         "sealed": first[:24].hex(), "error": "MalformedRecord"},
        {"name": "unknown record kind", "direction": "agentToViewer",
         "sealed": "03" + bytes(first[1:]).hex(), "error": "MalformedRecord"},
    ]
    off_curve = bytearray(v_pub)
    off_curve[-1] ^= 1
    return {
        "description": "E2E channel (docs/protocol.md section 3) from fixed private keys. "
                       "'records' are opened in order by the receiving side; replaying any "
                       "of them afterwards fails with Replay. 'rejections' are each fed to "
                       "a fresh receiver and must fail with 'error'.",
        "curve": "P-256",
        "agentPrivate": agent_d.hex(), "viewerPrivate": viewer_d.hex(),
        "agentPublic": a_pub.hex(), "viewerPublic": v_pub.hex(),
        "sharedSecret": secret.hex(),
        "transcriptLabel": b"GuruConnect E2E v1".hex(),
        "transcriptHash": transcript.hex(),
        "hkdfSalt": transcript.hex(),
        "infoAgentToViewer": info_a2v.hex(), "infoViewerToAgent": info_v2a.hex(),
        "keyAgentToViewer": k_a2v.hex(), "keyViewerToAgent": k_v2a.hex(),
        "fingerprint": fingerprint,
        "keyShareAgent": ("01" + a_pub.hex()),
        "records": records,
        "replayError": "Replay",
        "rejections": rejections,
        "invalidPublicKeys": [
            {"name": "point not on the curve", "hex": bytes(off_curve).hex(),
             "error": "InvalidPublicKey"},
            {"name": "compressed point", "hex": "02" + v_pub[1:33].hex(),
             "error": "InvalidPublicKey"},
            {"name": "64 bytes without prefix", "hex": v_pub[1:].hex(),
             "error": "InvalidPublicKey"},
        ],
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "vectors")
    os.makedirs(out, exist_ok=True)
    for name, data in (("envelope.json", envelope_vectors()), ("inner.json", inner_vectors()),
                       ("e2e.json", e2e_vectors())):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
