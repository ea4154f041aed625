#!/usr/bin/env python3
"""Writes libFuzzer seed corpora from the shared vectors: every valid and invalid
envelope frame, and every inner message (including the plaintexts of the E2E records).
usage: make_corpus.py VECTORS_DIR OUT_DIR  → OUT_DIR/envelope/*, OUT_DIR/inner/*"""
import json
import os
import sys


def write(folder, name, hexdata):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(bytes.fromhex(hexdata))


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


if __name__ == "__main__":
    main()
