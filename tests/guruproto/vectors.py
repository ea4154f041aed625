"""The vectors' JSON shape (docs/protocol.md §5) to and from the Python values of `envelope` and
`inner`: bytes are lower-case hex, u64 values are decimal strings."""
import json
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parents[2] / "protocol" / "vectors"
BYTE_FIELDS = {"agentId", "credential", "sessionId", "joinToken", "sealed", "data", "rgba", "identityKey", "signature", "mac", "broadcast"}
U64_FIELDS = {"nonce"}
# Messages whose `nonce` is bytes (AgentChallenge's 32), not a u64 (Ping, Pong).
BYTE_NONCE_TYPES = {"AgentChallenge"}


def from_json(message):
    """A vector's `message` with bytes and ints for its hex and decimal-string fields."""
    out = {}
    for key, value in message.items():
        if key in BYTE_FIELDS or (key == "nonce" and message.get("type") in BYTE_NONCE_TYPES):
            out[key] = bytes.fromhex(value)
        elif key in U64_FIELDS:
            out[key] = int(value)
        else:
            out[key] = value
    return out


def to_json(message):
    """The inverse of `from_json`."""
    out = {}
    for key, value in message.items():
        if key in BYTE_FIELDS or (key == "nonce" and message.get("type") in BYTE_NONCE_TYPES):
            out[key] = bytes(value).hex()
        elif key in U64_FIELDS:
            out[key] = str(value)
        else:
            out[key] = value
    return out


def load(name, directory=DIRECTORY):
    """One vector file: "envelope", "inner" or "e2e"."""
    return json.loads((Path(directory) / f"{name}.json").read_text(encoding="utf-8"))
