"""The end-to-end channel (docs/protocol.md §3) on pyca/cryptography: ECDH P-256, a transcript hash
over both public keys, HKDF-SHA256 keys per direction, and AES-256-GCM records with counter nonces.

Records: KeyShare = 0x01 || 65-byte uncompressed public key; Sealed = 0x02 || u64 counter ||
ciphertext || 16-byte tag, with the 9-byte header as associated data and nonce u32 direction ||
u64 counter (1 agent to viewer, 2 viewer to agent). Failures raise `E2EError` whose `kind` is the
vectors' error name.
"""
import hashlib
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

TRANSCRIPT_LABEL = b"GuruConnect E2E v1"
INFO_AGENT_TO_VIEWER = b"guruconnect e2e v1 agent-to-viewer"
INFO_VIEWER_TO_AGENT = b"guruconnect e2e v1 viewer-to-agent"
KEY_SHARE, SEALED = 0x01, 0x02
AGENT_TO_VIEWER, VIEWER_TO_AGENT = 1, 2
DIRECTIONS = {"agentToViewer": AGENT_TO_VIEWER, "viewerToAgent": VIEWER_TO_AGENT}
PUBLIC_KEY_SIZE = 65
SEALED_HEADER = 9
TAG_SIZE = 16


class E2EError(Exception):
    """A channel failure; `kind` is MalformedRecord, Replay, AuthenticationFailed or InvalidPublicKey."""

    def __init__(self, kind, detail=""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


# ---------- keys and the key schedule ----------
def private_key(scalar=None):
    """A P-256 private key: from a 32-byte big-endian scalar, or a fresh one."""
    if scalar is None:
        return ec.generate_private_key(ec.SECP256R1())
    return ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())


def public_bytes(key):
    """The uncompressed X9.62 point (65 bytes) of a private or public key."""
    public = key.public_key() if hasattr(key, "public_key") else key
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def load_public(raw):
    """A peer's public key; anything but an uncompressed point on the curve is InvalidPublicKey."""
    raw = bytes(raw)
    if len(raw) != PUBLIC_KEY_SIZE or raw[0] != 0x04:
        raise E2EError("InvalidPublicKey", "not an uncompressed P-256 point")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise E2EError("InvalidPublicKey", "not on the curve") from None


def key_share(public):
    """The KeyShare record carrying `public` (65 bytes)."""
    return bytes([KEY_SHARE]) + public


def key_share_public(record):
    """The public key inside a KeyShare record."""
    record = bytes(record)
    if len(record) != 1 + PUBLIC_KEY_SIZE or record[0] != KEY_SHARE:
        raise E2EError("MalformedRecord", "not a KeyShare")
    return record[1:]


def transcript_hash(agent_public, viewer_public):
    return hashlib.sha256(TRANSCRIPT_LABEL + agent_public + viewer_public).digest()


def hkdf(secret, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret)


def fingerprint(transcript):
    """What both sides show: the first 6 bytes of the transcript hash as XXXX-XXXX-XXXX."""
    digits = transcript[:6].hex().upper()
    return "-".join(digits[i:i + 4] for i in range(0, 12, 4))


class KeySchedule:
    """Everything both sides derive from the two public keys and the ECDH secret."""

    def __init__(self, shared_secret, agent_public, viewer_public):
        self.shared_secret = shared_secret
        self.transcript = transcript_hash(agent_public, viewer_public)
        self.agent_to_viewer = hkdf(shared_secret, self.transcript, INFO_AGENT_TO_VIEWER)
        self.viewer_to_agent = hkdf(shared_secret, self.transcript, INFO_VIEWER_TO_AGENT)
        self.fingerprint = fingerprint(self.transcript)

    @classmethod
    def agree(cls, own_private, peer_public, own_is_agent):
        own = public_bytes(own_private)
        secret = own_private.exchange(ec.ECDH(), load_public(peer_public))
        agent, viewer = (own, peer_public) if own_is_agent else (peer_public, own)
        return cls(secret, bytes(agent), bytes(viewer))


# ---------- sealed records ----------
def nonce(direction, counter):
    return struct.pack(">IQ", direction, counter)


def sealed_header(counter):
    return bytes([SEALED]) + struct.pack(">Q", counter)


def seal(key, direction, counter, plaintext):
    """The Sealed record of `plaintext` under `key` with the given counter."""
    header = sealed_header(counter)
    return header + AESGCM(key).encrypt(nonce(direction, counter), plaintext, header)


def open_sealed(key, direction, record, last_counter=0):
    """(counter, plaintext) of a Sealed record; a counter not above `last_counter` is Replay,
    checked before any decryption."""
    record = bytes(record)
    if len(record) < SEALED_HEADER + TAG_SIZE or record[0] != SEALED:
        raise E2EError("MalformedRecord")
    (counter,) = struct.unpack(">Q", record[1:SEALED_HEADER])
    if counter <= last_counter:
        raise E2EError("Replay")
    try:
        plaintext = AESGCM(key).decrypt(nonce(direction, counter), record[SEALED_HEADER:], record[:SEALED_HEADER])
    except InvalidTag:
        raise E2EError("AuthenticationFailed") from None
    return counter, plaintext


class Channel:
    """One side of one E2E channel: role "agent" or "viewer", with its own ephemeral key pair."""

    def __init__(self, role, private=None):
        assert role in ("agent", "viewer"), role
        self.role = role
        self._private = private or private_key()
        self.public = public_bytes(self._private)
        self.keys = None
        self.send_counter = 0
        self.last_received = 0

    @property
    def fingerprint(self):
        return self.keys.fingerprint if self.keys else None

    def key_share(self):
        return key_share(self.public)

    def agree(self, peer):
        """Derives the keys from the peer's KeyShare record (or its bare 65-byte public key)."""
        peer = bytes(peer)
        peer_public = key_share_public(peer) if len(peer) == 1 + PUBLIC_KEY_SIZE else peer
        self.keys = KeySchedule.agree(self._private, peer_public, self.role == "agent")
        return self

    def _directions(self):
        if self.role == "agent":
            return (self.keys.agent_to_viewer, AGENT_TO_VIEWER), (self.keys.viewer_to_agent, VIEWER_TO_AGENT)
        return (self.keys.viewer_to_agent, VIEWER_TO_AGENT), (self.keys.agent_to_viewer, AGENT_TO_VIEWER)

    def seal(self, plaintext):
        (key, direction), _ = self._directions()
        self.send_counter += 1
        return seal(key, direction, self.send_counter, plaintext)

    def open(self, record):
        _, (key, direction) = self._directions()
        counter, plaintext = open_sealed(key, direction, record, self.last_received)
        self.last_received = counter  # only authenticated records advance the window
        return plaintext
