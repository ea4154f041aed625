"""The one-time agent's signed trailer (docs/support.md §4): what the portal appends to the agent
binary, and what the agent checks before it trusts the config.

<binary, one key slot "GCKEY001" + Ed25519 public key> <json> <64-byte signature of
"GCSUPP02\\0" + json> <u32 LE json length> "GCSUPP02"
"""
import json
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

MAGIC = b"GCSUPP02"
KEY_SLOT = b"GCKEY001"
SIGNATURE_SIZE = 64
MAX_CONFIG = 16384


def signed_message(config: bytes):
    return MAGIC + b"\0" + config


def trailer(config: bytes, signing_key):
    """The trailer for `config` (JSON bytes), signed with an Ed25519 private key."""
    return config + signing_key.sign(signed_message(config)) + struct.pack("<I", len(config)) + MAGIC


def stamp(binary: bytes, public_key: bytes):
    """What the portal does to the stock binary: its public key into the one empty key slot."""
    empty = KEY_SLOT + bytes(32)
    assert binary.count(KEY_SLOT) == 1 and binary.count(empty) == 1, "not one empty key slot"
    return binary.replace(empty, KEY_SLOT + public_key)


def raw_public(signing_key):
    return signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def read_trailer(data: bytes):
    """The config JSON of a one-time agent, after checking what the agent checks (raises
    InvalidSignature or AssertionError otherwise)."""
    assert data[-8:] == MAGIC, data[-16:]
    (length,) = struct.unpack("<I", data[-12:-8])
    assert 0 < length <= MAX_CONFIG, length
    start = len(data) - (SIGNATURE_SIZE + 12) - length
    config, signature = data[start:start + length], data[-(SIGNATURE_SIZE + 12):-12]
    binary = data[:start]
    assert binary.count(KEY_SLOT) == 1, "the agent must carry exactly one key slot"
    at = binary.index(KEY_SLOT) + len(KEY_SLOT)
    Ed25519PublicKey.from_public_bytes(binary[at:at + 32]).verify(signature, signed_message(config))
    return json.loads(config)
