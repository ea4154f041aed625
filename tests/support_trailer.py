"""The one-time agent's signed trailer as the agent checks it (docs/support.md section 4), shared by
the integration and browser tests."""
import json
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MAGIC = b"GCSUPP02"


def read_trailer(data: bytes):
    """The config JSON of the one-time agent, after checking what the agent checks:
    <binary, one key slot "GCKEY001" + Ed25519 public key> <json> <64-byte signature of
    "GCSUPP02\\0" + json> <u32 LE json length> "GCSUPP02"."""
    assert data[-8:] == MAGIC, data[-16:]
    (length,) = struct.unpack("<I", data[-12:-8])
    assert 0 < length <= 16384, length
    start = len(data) - 76 - length
    config, signature = data[start:start + length], data[-76:-12]
    binary = data[:start]
    assert binary.count(b"GCKEY001") == 1, "the agent must carry exactly one key slot"
    at = binary.index(b"GCKEY001") + 8
    key = Ed25519PublicKey.from_public_bytes(binary[at:at + 32])
    key.verify(signature, b"GCSUPP02\0" + config)  # raises InvalidSignature
    return json.loads(config)
