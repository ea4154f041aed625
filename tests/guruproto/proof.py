"""The agent's identity proof (docs/protocol.md section 1.1) for the tests' fake agents: an Ed25519 key
(pyca/cryptography), the AgentProof answer to an AgentChallenge, and a socket wrapper that answers the
server's challenge wherever it arrives, so a test reads Welcome or Reject as before.

Checked against protocol/vectors/identity.json by tests/integration/test_support_binding.py."""
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

LABEL = b"GuruConnect agent proof v1"
CHALLENGE, PROOF = 0x05, 0x06


def new_key():
    return Ed25519PrivateKey.generate()


_KEYS = {}


def key_for(agent_id: bytes):
    """One key per agent id for this test process: the same fake agent reconnects with the same key, as a real
    one does (support mode: kept in memory; unattended: persisted)."""
    return _KEYS.setdefault(bytes(agent_id), new_key())


def public_bytes(key):
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def proof_message(agent_id: bytes, nonce: bytes, identity_key: bytes) -> bytes:
    return LABEL + agent_id + nonce + identity_key


def proof_frame(key, agent_id: bytes, nonce: bytes, signature: bytes = None) -> bytes:
    """The AgentProof frame; `signature` overrides the real one (for refusal tests)."""
    public = public_bytes(key)
    signature = signature if signature is not None else key.sign(proof_message(agent_id, nonce, public))
    payload = public + signature
    return struct.pack(">BBHI", 1, PROOF, 0, len(payload)) + payload


def challenge_nonce(data: bytes):
    """The nonce if `data` is an AgentChallenge frame, else None."""
    if len(data) == 8 + 32 and data[0] == 1 and data[1] == CHALLENGE:
        return bytes(data[8:])
    return None


class ProvingSocket:
    """A fake agent's WebSocket that answers AgentChallenge with `key` (default: this agent id's key) and hands
    every other frame on."""

    def __init__(self, ws, agent_id: bytes, key=None):
        self.ws, self.agent_id, self.key = ws, agent_id, key or key_for(agent_id)
        self.challenges = 0

    def recv(self, timeout=None):
        for _ in range(2):  # at most one challenge per connection, then the real answer
            data = self.ws.recv(timeout=timeout)
            nonce = challenge_nonce(data)
            if nonce is None:
                return data
            self.challenges += 1
            self.ws.send(proof_frame(self.key, self.agent_id, nonce))
        raise AssertionError("the server sent two challenges")

    def __getattr__(self, name):
        return getattr(self.ws, name)
