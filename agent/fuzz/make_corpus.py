#!/usr/bin/env python3
"""Writes libFuzzer seed corpora from the shared vectors: every valid and invalid
envelope frame, and every inner message (including the plaintexts of the E2E records).
The WebSocket seeds carry the envelope frames as unmasked server frames, whole,
fragmented and between control frames. The support-trailer seeds are file tails with a
valid trailer (docs/support.md §4) and a few broken ones.
usage: make_corpus.py VECTORS_DIR OUT_DIR  → OUT_DIR/{envelope,inner,websocket,support_trailer}/*"""
import json
import os
import sys


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


def support_trailer(config):
    body = config.encode()
    return b"\x7fELF" + bytes(32) + body + len(body).to_bytes(4, "little") + b"GCSUPP01"


def support_seeds():
    good = {"server": "http://127.0.0.1:8080", "session": "0123456789abcdef0123456789abcdef",
            "secret": "5ec2e7", "code": "123456", "company": "Acme IT", "consent": True}
    configs = [good, dict(good, consent=False, server="https://h/prefix"),
               dict(good, code="12345"), dict(good, company="\u00e9" * 200)]
    seeds = [support_trailer(json.dumps(c)) for c in configs]
    seeds.append(support_trailer("{")[: -3])
    seeds.append(bytes(8) + (0xFFFFFFFF).to_bytes(4, "little") + b"GCSUPP01")
    return seeds


def main():
    vectors, out = sys.argv[1], sys.argv[2]
    env = json.load(open(os.path.join(vectors, "envelope.json"), encoding="utf-8"))
    for i, v in enumerate(env["valid"] + env["invalid"]):
        write(os.path.join(out, "envelope"), f"seed{i:03d}", v["hex"])
    inner = json.load(open(os.path.join(vectors, "inner.json"), encoding="utf-8"))
    e2e = json.load(open(os.path.join(vectors, "e2e.json"), encoding="utf-8"))
    hexes = [v["hex"] for v in inner["valid"] + inner["invalid"]]
    hexes += [r["plaintext"] for r in e2e["records"]]
    for i, h in enumerate(hexes):
        write(os.path.join(out, "inner"), f"seed{i:03d}", h)
    for i, v in enumerate(env["valid"]):
        frame = bytes.fromhex(v["hex"])
        half = len(frame) // 2
        seed = (ws_frame(0x2, frame) + ws_frame(0x9, b"hb") +
                ws_frame(0x2, frame[:half], fin=False) + ws_frame(0xA, b"") +
                ws_frame(0x0, frame[half:]) + ws_frame(0x8, b"\x03\xe8"))
        write(os.path.join(out, "websocket"), f"seed{i:03d}", seed.hex())
    for i, seed in enumerate(support_seeds()):
        write(os.path.join(out, "support_trailer"), f"seed{i:03d}", seed.hex())


if __name__ == "__main__":
    main()
