#!/usr/bin/env python3
"""Writes libFuzzer seed corpora from the shared vectors: every valid and invalid
envelope frame (the identity handshake's AgentChallenge/AgentProof among them, also as one
stream), and every inner message (including the plaintexts of the E2E records).
The WebSocket seeds carry the envelope frames as unmasked server frames, whole,
fragmented and between control frames. The support-trailer seeds are whole files with a
signed trailer (docs/support.md §4), a few broken ones, and bare config JSON.
The HTTP-response seeds are the portal's answers (Content-Length, chunked, errors), each
behind the byte that picks how fuzz_http_response splits its input.
The E2E handshake seeds are record lists (`u16 length ‖ bytes` each) as fuzz_e2e_handshake
reads them: the vectors' KeyCommit and KeyConfirm, then sealed records for the viewer.
The SMBIOS seeds are the RawSMBIOSData dumps of agent/tests/fixtures/smbios, whole and cut.
usage: make_corpus.py VECTORS_DIR OUT_DIR
       → OUT_DIR/{envelope,inner,websocket,support_trailer,http_response,e2e_handshake,smbios}/*"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests"))
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from guruproto import trailer  # noqa: E402  (tests/guruproto: the signed trailer's layout)


def write(folder, name, hexdata):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(bytes.fromhex(hexdata))


def ws_frame(opcode, payload, fin=True):
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([n])
    elif n <= 0xFFFF:
        head += bytes([126]) + n.to_bytes(2, "big")
    else:
        head += bytes([127]) + n.to_bytes(8, "big")
    return head + payload


# RFC 8032 TEST 1, as in agent/tests/trailer_test_signer.cpp.
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")


def support_trailer(config):
    """A stand-in binary with a stamped key slot and the signed trailer for `config`."""
    binary = b"\x7fELF" + bytes(8) + trailer.KEY_SLOT + RFC8032_PUBLIC + bytes(8)
    return binary + trailer.trailer(config.encode(), Ed25519PrivateKey.from_private_bytes(RFC8032_SEED))


def support_seeds():
    """Whole signed files, broken ones, and bare JSON (the target also signs its input)."""
    good = {"server": "http://127.0.0.1:8080", "session": "0123456789abcdef0123456789abcdef",
            "secret": "5ec2e7", "code": "123456", "company": "Acme IT", "consent": True}
    configs = [good, dict(good, consent=False, server="https://h/prefix"),
               dict(good, code="12345"), dict(good, company="\u00e9" * 200)]
    seeds = [support_trailer(json.dumps(c)) for c in configs]
    seeds += [json.dumps(c).encode() for c in configs]
    seeds.append(support_trailer("{")[: -3])
    seeds.append(bytes(8) + (0xFFFFFFFF).to_bytes(4, "little") + trailer.MAGIC)
    seeds.append(support_trailer(json.dumps(good)).replace(RFC8032_PUBLIC, bytes(32)))
    return seeds


def http_seeds():
    """Responses as the portal sends them, and a few broken ones; the first byte is the split."""
    body = b'{"code":"123456","downloadUrl":"/api/portal/download/t?platform=linux"}'
    responses = [
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body) + body,
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 24\r\n\r\n{\"error\":\"not_found\"}  ",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nGCSU\r\n4\r\nPP02\r\n0\r\nT: 1\r\n\r\n",
        b"HTTP/1.1 204 No Content\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"HTTP/1.0 200\nContent-Length: 1\n\nx",
    ]
    return [bytes([i * 5]) + r for i, r in enumerate(responses)]


def handshake_seeds(e2e):
    """The vectors' handshake then agent → viewer records; and each relay trick."""
    def records(*parts):
        return b"".join(len(p).to_bytes(2, "big") + p for p in parts)
    to_viewer = [bytes.fromhex(r["sealed"]) for r in e2e["records"] if r["direction"] == "agentToViewer"]
    commit, confirm = bytes.fromhex(e2e["keyCommitRecord"]), bytes.fromhex(e2e["keyConfirmRecord"])
    seeds = [records(commit, confirm, *to_viewer), records(bytes.fromhex(e2e["keyShareViewer"]), confirm)]
    seeds += [records(bytes.fromhex(r["commit"]), bytes.fromhex(r["confirm"]), *to_viewer[:1])
              for r in e2e["handshakeRejections"]]
    seeds += [records(commit, confirm, bytes.fromhex(r["sealed"])) for r in e2e["rejections"]]
    return seeds


def smbios_seeds(vectors):
    folder = os.path.join(vectors, "..", "..", "agent", "tests", "fixtures", "smbios")
    seeds = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".bin"):
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            seeds += [data, data[8:], data[: len(data) // 2]]
    return seeds


def main():
    vectors, out = sys.argv[1], sys.argv[2]
    env = json.load(open(os.path.join(vectors, "envelope.json"), encoding="utf-8"))
    for i, v in enumerate(env["valid"] + env["invalid"]):
        write(os.path.join(out, "envelope"), f"seed{i:03d}", v["hex"])
    inner = json.load(open(os.path.join(vectors, "inner.json"), encoding="utf-8"))
    e2e = json.load(open(os.path.join(vectors, "e2e.json"), encoding="utf-8"))
    hexes = [v["hex"] for v in inner["valid"] + inner["invalid"]]
    hexes += [r["message"] for r in e2e["records"]]
    for i, h in enumerate(hexes):
        write(os.path.join(out, "inner"), f"seed{i:03d}", h)
    # The identity handshake as a stream (docs/protocol.md §1.1): hello, challenge, proof, welcome,
    # whole and with the proof cut short, so the stream decoder meets the new tags back to back.
    by_type = {v["message"]["type"]: bytes.fromhex(v["hex"]) for v in env["valid"]}
    handshake = b"".join(by_type[t] for t in ("AgentHello", "AgentChallenge", "AgentProof", "Welcome"))
    for i, seed in enumerate((handshake, handshake[:-20], by_type["AgentChallenge"] + by_type["AgentProof"][:50])):
        write(os.path.join(out, "envelope"), f"handshake{i}", seed.hex())
    for i, v in enumerate(env["valid"]):
        frame = bytes.fromhex(v["hex"])
        half = len(frame) // 2
        seed = (ws_frame(0x2, frame) + ws_frame(0x9, b"hb") +
                ws_frame(0x2, frame[:half], fin=False) + ws_frame(0xA, b"") +
                ws_frame(0x0, frame[half:]) + ws_frame(0x8, b"\x03\xe8"))
        write(os.path.join(out, "websocket"), f"seed{i:03d}", seed.hex())
    for i, seed in enumerate(support_seeds()):
        write(os.path.join(out, "support_trailer"), f"seed{i:03d}", seed.hex())
    for i, seed in enumerate(handshake_seeds(e2e)):
        write(os.path.join(out, "e2e_handshake"), f"seed{i:03d}", seed.hex())
    for i, seed in enumerate(http_seeds()):
        write(os.path.join(out, "http_response"), f"seed{i:03d}", seed.hex())
    for i, seed in enumerate(smbios_seeds(vectors)):
        write(os.path.join(out, "smbios"), f"seed{i:03d}", seed.hex())


if __name__ == "__main__":
    main()
