#!/usr/bin/env python3
"""Generates protocol/vectors/*.json with the tests' protocol package (tests/guruproto): Python's
struct for the layouts and pyca/cryptography (OpenSSL) for ECDH, HKDF and AES-GCM, independent of
the agent's, the server's and the viewer's code. The C++, Swift and JavaScript test suites all check
themselves against these files. Output is deterministic; rerun after any protocol change and review
the diff. The E2E vectors are made in vectors_e2e.py beside this file.

usage: python3 protocol/tools/gen_vectors.py [--out DIR] [--check]
"""
import argparse
import difflib
import json
import struct
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from guruproto import e2e, envelope, inner  # noqa: E402
from guruproto.vectors import DIRECTORY, from_json  # noqa: E402
from vectors_e2e import e2e_vectors, inner_bytes  # noqa: E402

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

MAX_PAYLOAD = envelope.MAX_PAYLOAD
frame = envelope.frame
session_info = inner.session_info_raw


def env_payload(m):
    return envelope.payload_of(from_json(m))


def env_frame(m):
    return envelope.encode(from_json(m))


SESSION = "0123456789abcdef0123456789abcdef"
AGENT = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"


# The agent's identity proof (docs/protocol.md §1.1), with RFC 8032 TEST 1's seed as the key.
PROOF_LABEL = b"GuruConnect agent proof v1"
PROOF_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
PROOF_NONCE = bytes(range(0x40, 0x60)).hex()


def proof_identity_public(seed=PROOF_SEED):
    return e2e.identity_public(Ed25519PrivateKey.from_private_bytes(seed))


def proof_message(agent_id=AGENT, nonce=PROOF_NONCE, key=None):
    return PROOF_LABEL + bytes.fromhex(agent_id) + bytes.fromhex(nonce) + (key or proof_identity_public())


def proof_signature():
    return Ed25519PrivateKey.from_private_bytes(PROOF_SEED).sign(proof_message())


def identity_vectors():
    signature = proof_signature()
    public = proof_identity_public().hex()
    flipped = (signature[:40] + bytes([signature[40] ^ 1]) + signature[41:]).hex()
    return {
        "description": "The agent's Ed25519 identity proof (docs/protocol.md section 1.1): the "
                       "AgentProof signature over label || agentId || nonce || identityKey. "
                       "Ed25519 is deterministic, so a signer must reproduce 'signature' from "
                       "'seed'; a verifier must accept it and refuse every 'refused' case.",
        "label": PROOF_LABEL.hex(), "seed": PROOF_SEED.hex(), "identityKey": public,
        "agentId": AGENT, "nonce": PROOF_NONCE, "message": proof_message().hex(), "signature": signature.hex(),
        "refused": [
            {"name": "another agent id", "message": proof_message(agent_id="b0b1b2b3b4b5b6b7b8b9babbbcbdbebf").hex(),
             "identityKey": public, "signature": signature.hex()},
            {"name": "another nonce", "message": proof_message(nonce="00" * 32).hex(),
             "identityKey": public, "signature": signature.hex()},
            {"name": "one signature bit flipped", "message": proof_message().hex(), "identityKey": public,
             "signature": flipped},
            {"name": "another key", "message": proof_message().hex(),
             "identityKey": proof_identity_public(b"\x07" * 32).hex(), "signature": signature.hex()},
        ],
        "rfc8032Test1Signature": Ed25519PrivateKey.from_private_bytes(PROOF_SEED).sign(b"").hex(),
    }


def vector_name(m):
    """Type, then what sets this vector apart from the others of its type."""
    if "mode" in m:
        return f"{m['type']}/{m['mode']}"
    if m.get("mark", "none") != "none":
        return f"{m['type']}/{m['mark']}"
    if m["type"] == "Reject" and m["code"] != 1:
        return f"Reject/{envelope.REJECT_CODES[m['code']]}"
    return m["type"]


def envelope_vectors():
    valid = [
        {"type": "AgentHello", "agentId": AGENT, "credential": "736563726574",
         "agentVersion": "0.1.0"},
        {"type": "ViewerJoin", "sessionId": SESSION, "joinToken": "6a6f696e", "mode": "control"},
        {"type": "ViewerJoin", "sessionId": SESSION, "joinToken": "6a6f696e", "mode": "view"},
        {"type": "Welcome", "connectionId": 7, "heartbeatSeconds": 20},
        {"type": "Reject", "code": 1},
        {"type": "Reject", "code": 6},
        {"type": "Ping", "nonce": "18446744073709551615"},
        {"type": "Pong", "nonce": "1"},
        {"type": "ViewerJoined", "sessionId": SESSION, "viewerId": 7, "mode": "control"},
        {"type": "ViewerLeft", "viewerId": 7, "reason": 0},
        {"type": "SessionEnd", "sessionId": SESSION, "reason": 2},
        {"type": "Relay", "peerId": 7, "sealed": "02" + "00" * 8 + "ff" * 16, "mark": "none"},
        # The records of a picture frame, marked in the header's flags (section 2.5).
        {"type": "Relay", "peerId": 7, "sealed": "02" + "00" * 7 + "01" + "ee" * 16, "mark": "picture"},
        {"type": "Relay", "peerId": 7, "sealed": "02" + "00" * 7 + "02" + "dd" * 16, "mark": "frameEnd"},
        {"type": "ViewerInfo", "viewerId": 7, "name": "Ada Lovelace"},
        {"type": "AgentStatus", "state": 2},
        {"type": "AgentInfo", "hostname": "SARAH-PC", "osName": "Linux 6.1", "userName": "sarah"},
        {"type": "AgentInventory", "json": '{"hostname":"PC-FRONT01","os":{"name":"Windows 11 Pro"}}'},
        {"type": "WakeOnLan", "mac": "001122334455", "broadcast": "c0a801ff"},
        {"type": "AgentChallenge", "nonce": PROOF_NONCE},
        {"type": "AgentProof", "identityKey": proof_identity_public().hex(), "signature": proof_signature().hex()},
    ]
    ping = env_payload({"type": "Ping", "nonce": "5"})
    relay_payload = env_payload({"type": "Relay", "peerId": 7, "sealed": "02" + "00" * 24})
    invalid = [
        ("empty input", b"", "Incomplete"),
        ("header cut short", frame(0x10, ping)[:5], "Incomplete"),
        ("payload cut short", frame(0x10, ping)[:-1], "Incomplete"),
        ("version 2", frame(0x10, ping, version=2), "UnsupportedVersion"),
        ("version 0", frame(0x10, ping, version=0), "UnsupportedVersion"),
        ("unknown tag 0x7f", frame(0x7F, ping), "UnknownTag"),
        ("reserved flags set", frame(0x10, ping, flags=1), "ReservedFlags"),
        ("relay flags 0x0002 (frame end without picture)", frame(0x30, relay_payload, flags=2), "ReservedFlags"),
        ("relay flags 0x0004", frame(0x30, relay_payload, flags=4), "ReservedFlags"),
        ("relay flags 0x8001", frame(0x30, relay_payload, flags=0x8001), "ReservedFlags"),
        ("welcome with the picture flag", frame(0x03, struct.pack(">IH", 1, 20), flags=1), "ReservedFlags"),
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
        ("agent challenge nonce cut short", frame(0x05, b"\x11" * 31), "MalformedPayload"),
        ("agent challenge with trailing byte", frame(0x05, b"\x11" * 33), "MalformedPayload"),
        ("agent proof signature cut short", frame(0x06, b"\x22" * 95), "MalformedPayload"),
        ("agent proof with trailing byte", frame(0x06, b"\x22" * 97), "MalformedPayload"),
        ("AgentInventory empty", frame(0x42, b""), "InvalidField"),
        ("AgentInventory of one byte", frame(0x42, b"{"), "InvalidField"),
        ("AgentInventory not UTF-8", frame(0x42, b'{"h":"\xff"}'), "InvalidField"),
        ("AgentInventory over 65536 bytes", frame(0x42, b'{"pad":"' + b"a" * 65529 + b'"}'), "InvalidField"),
        ("WakeOnLan cut short", frame(0x43, bytes.fromhex("001122334455c0a801")), "MalformedPayload"),
        ("WakeOnLan with a trailing byte", frame(0x43, bytes.fromhex("001122334455c0a801ff00")), "MalformedPayload"),
        ("WakeOnLan zero MAC", frame(0x43, bytes.fromhex("000000000000c0a801ff")), "InvalidField"),
        ("WakeOnLan broadcast MAC", frame(0x43, bytes.fromhex("ffffffffffffc0a801ff")), "InvalidField"),
    ]
    return {
        "description": "Envelope frames (docs/protocol.md section 2). 'valid' frames decode "
                       "to 'message' and re-encode to the same bytes; 'invalid' frames fail "
                       "with 'error'.",
        "version": envelope.VERSION, "headerSize": envelope.HEADER_SIZE, "maxPayload": MAX_PAYLOAD,
        "valid": [{"name": vector_name(m),
                   "hex": env_frame(m).hex(), "message": m} for m in valid],
        "invalid": [{"name": n, "hex": b.hex(), "error": e} for n, b, e in invalid],
    }


def inner_vectors():
    valid = [
        {"type": "MonitorLayout", "monitors": [
            {"x": 0, "y": 0, "width": 1920, "height": 1080, "primary": True},
            {"x": -1280, "y": 0, "width": 1280, "height": 1024, "primary": False}]},
        # SessionInfo: u8 len + capture name (UTF-8, 1..32), u8 secureAttention, u8 flags
        # (bit 0 elevated, bits 1-7 reserved: 0).
        {"type": "SessionInfo", "captureName": "xshm", "secureAttention": "keys", "elevated": False},
        {"type": "SessionInfo", "captureName": "dxgi", "secureAttention": "sas", "elevated": True},
        {"type": "SessionInfo", "captureName": "gdi", "secureAttention": "unavailable", "elevated": False},
        {"type": "SessionInfo", "captureName": "gdi", "secureAttention": "unavailable", "elevated": True},
        {"type": "SessionInfo", "captureName": "écran-ü" + "x" * 23, "secureAttention": "keys", "elevated": False},
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
        {"type": "ChannelClosed", "reason": "missingRecord"},
        {"type": "ChannelClosed", "reason": "unexpectedRecord"},
        # Diagnostics: u32 requestId (>= 1); the report's UTF-8 JSON (1..262,144 bytes) to the end.
        {"type": "DiagnosticsRequest", "requestId": 1},
        {"type": "DiagnosticsRequest", "requestId": 0xFFFFFFFF},
        {"type": "DiagnosticsReport", "requestId": 7,
         "report": '{"schema":1,"host":{"name":"SARAH-PC","os":"Windows 10 Pro 22H2 (build 19045)"},'
                   '"recentErrors":[{"message":"Dienst \\"Spooler\\" beendet: Grüße"}],"sectionErrors":{}}'},
        {"type": "DiagnosticsReport", "requestId": 1, "report": "{}"},
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
        ("session info reserved flags 0x02", session_info(b"gdi", 0, flags=0x02), "InvalidField"),
        ("session info elevated with reserved flags 0x81", session_info(b"gdi", 0, flags=0x81), "InvalidField"),
        ("session info reserved flags 0xff", session_info(b"gdi", 2, flags=0xFF), "InvalidField"),
        ("session info empty capture name", session_info(b"", 0), "InvalidField"),
        ("session info capture name of 33 bytes", session_info(b"x" * 33, 0), "InvalidField"),
        ("session info capture name not UTF-8", session_info(b"\xff\xfe", 0), "InvalidField"),
        ("session info capture name past the end", b"\x02\x20xshm", "Truncated"),
        ("session info without flags", session_info(b"gdi", 0)[:-1], "Truncated"),
        ("session info with trailing byte", session_info(b"gdi", 0) + b"\x00", "TrailingBytes"),
        ("channel closed reason 0", b"\x50\x00", "InvalidField"),
        ("channel closed reason 3", b"\x50\x03", "InvalidField"),
        ("channel closed without reason", b"\x50", "Truncated"),
        ("diagnostics request id 0", b"\x60" + struct.pack(">I", 0), "InvalidField"),
        ("diagnostics request id cut short", b"\x60\x00\x00\x01", "Truncated"),
        ("diagnostics request with trailing byte", b"\x60" + struct.pack(">I", 1) + b"\x00", "TrailingBytes"),
        ("diagnostics report id 0", b"\x61" + struct.pack(">I", 0) + b"{}", "InvalidField"),
        ("diagnostics report id cut short", b"\x61\x00\x00", "Truncated"),
        ("diagnostics report with empty JSON", b"\x61" + struct.pack(">I", 1), "InvalidField"),
        ("diagnostics report JSON not UTF-8", b"\x61" + struct.pack(">I", 1) + b'{"a":"\xff"}', "InvalidField"),
        ("diagnostics report JSON of 262,145 bytes",
         b"\x61" + struct.pack(">I", 1) + b"[" + b" " * (inner.MAX_DIAGNOSTICS_REPORT - 1) + b"]", "InvalidField"),
    ]
    return {
        "description": "Inner (end-to-end) messages, the plaintext of sealed records "
                       "(docs/protocol.md section 4).",
        "valid": [{"name": m["type"], "hex": inner_bytes(m).hex(), "message": m} for m in valid],
        "invalid": [{"name": n, "hex": b.hex(), "error": e} for n, b, e in invalid],
    }


GENERATORS = {"envelope.json": envelope_vectors, "inner.json": inner_vectors, "e2e.json": e2e_vectors,
              "identity.json": identity_vectors}


def rendered():
    """Each vector file's name and exact text."""
    return {name: json.dumps(make(), indent=2, ensure_ascii=False) + "\n" for name, make in GENERATORS.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Generate (or check) the shared protocol test vectors.")
    parser.add_argument("--out", type=Path, default=DIRECTORY, metavar="DIR",
                        help="directory of the vector files (default: protocol/vectors)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if any file in DIR differs from what this generates")
    args = parser.parse_args(argv)
    files = rendered()
    if args.check:
        stale = []
        for name, text in files.items():
            path = args.out / name
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                stale.append(name)
                sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True),
                                                           str(path), "generated", n=1))
        if stale:
            print(f"out of date: {', '.join(stale)} (rerun protocol/tools/gen_vectors.py)", file=sys.stderr)
            return 1
        print(f"{len(files)} vector files match the generator")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
