"""The end-to-end channel, version 2 (docs/protocol.md §3), on pyca/cryptography.

Handshake: the agent sends KeyCommit (0x03 ‖ SHA-256(commit label ‖ agentPub ‖ identityPub)), the
viewer answers KeyShare (0x01 ‖ viewerPub), the agent reveals KeyConfirm (0x04 ‖ agentPub ‖
identityPub ‖ Ed25519 signature over the confirm label ‖ th). th = SHA-256(label ‖ agentPub ‖
viewerPub ‖ identityPub ‖ sessionId ‖ u32 viewerId) salts HKDF-SHA256 for both directions' keys.
Records: Sealed (0x02, ordered: no gap) and SealedPicture (0x05, agent to viewer, gaps allowed),
`kind ‖ u64 counter ‖ AES-256-GCM(u16 padding ‖ message ‖ zeros)`, the 9-byte header as associated
data, nonce u32 space ‖ u64 counter (1 agent ordered, 2 viewer ordered, 3 agent picture). Failures
raise `E2EError` whose `kind` is the vectors' error name.
"""
import hashlib
import struct

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

TRANSCRIPT_LABEL = b"GuruConnect E2E v2"
COMMIT_LABEL = b"GuruConnect E2E v2 commit"
CONFIRM_LABEL = b"GuruConnect E2E v2 key-confirm"
SAS_LABEL = b"GuruConnect E2E v2 sas"
INFO_AGENT_TO_VIEWER = b"guruconnect e2e v2 agent-to-viewer"
INFO_VIEWER_TO_AGENT = b"guruconnect e2e v2 viewer-to-agent"
KEY_SHARE, SEALED, KEY_COMMIT, KEY_CONFIRM, SEALED_PICTURE = 0x01, 0x02, 0x03, 0x04, 0x05
RECORD_KIND = {"ordered": SEALED, "picture": SEALED_PICTURE}
NONCE_SPACE = {("agentToViewer", "ordered"): 1, ("viewerToAgent", "ordered"): 2, ("agentToViewer", "picture"): 3}
PUBLIC_KEY_SIZE = 65
SEALED_HEADER = 9
TAG_SIZE = 16
INPUT_PLAINTEXT_SIZE = 136
PICTURE_TYPES = {0x10, 0x11, 0x20, 0x21}  # TileUpdate, FrameEnd, CursorImage, CursorPosition
INPUT_TYPES = {0x30, 0x31, 0x32, 0x33}


class E2EError(Exception):
    """A channel failure; `kind` is a vectors' error name (Replay, MissingRecord, BadSignature…)."""

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


def identity_key(seed=None):
    """An Ed25519 identity: from a 32-byte seed, or a fresh one."""
    return Ed25519PrivateKey.from_private_bytes(seed) if seed is not None else Ed25519PrivateKey.generate()


def identity_public(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_public(raw):
    """A peer's public key; anything but an uncompressed point on the curve is InvalidPublicKey."""
    raw = bytes(raw)
    if len(raw) != PUBLIC_KEY_SIZE or raw[0] != 0x04:
        raise E2EError("InvalidPublicKey", "not an uncompressed P-256 point")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        raise E2EError("InvalidPublicKey", "not on the curve") from None


def shared_secret(own_private, peer_public):
    return own_private.exchange(ec.ECDH(), load_public(peer_public))


def hkdf(secret, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret)


def transcript_hash(agent_public, viewer_public, identity, session_id, viewer_id):
    return hashlib.sha256(TRANSCRIPT_LABEL + bytes(agent_public) + bytes(viewer_public) + bytes(identity)
                          + bytes(session_id) + struct.pack(">I", viewer_id)).digest()


def key_commitment(agent_public, identity):
    return hashlib.sha256(COMMIT_LABEL + bytes(agent_public) + bytes(identity)).digest()


def short_auth_string(th):
    """The 6 digits both ends show: u32be(SHA-256(sas label ‖ th)[0..4]) mod 10^6, as "123 456"."""
    n = struct.unpack(">I", hashlib.sha256(SAS_LABEL + th).digest()[:4])[0] % 1_000_000
    digits = f"{n:06d}"
    return f"{digits[:3]} {digits[3:]}"


def key_share(public):
    return bytes([KEY_SHARE]) + bytes(public)


def key_share_public(record):
    record = bytes(record)
    if len(record) != 1 + PUBLIC_KEY_SIZE or record[0] != KEY_SHARE:
        raise E2EError("MalformedRecord", "not a KeyShare")
    return record[1:]


def key_commit_record(agent_public, identity):
    return bytes([KEY_COMMIT]) + key_commitment(agent_public, identity)


def key_confirm_record(agent_public, identity, signature):
    return bytes([KEY_CONFIRM]) + bytes(agent_public) + bytes(identity) + bytes(signature)


def parse_key_confirm(record):
    record = bytes(record)
    if len(record) != 162 or record[0] != KEY_CONFIRM:
        raise E2EError("MalformedRecord", "not a KeyConfirm")
    return record[1:66], record[66:98], record[98:]


# ---------- sealed records ----------
def pad(message, pad_to=0):
    padding = max(0, pad_to - 2 - len(message))
    return struct.pack(">H", padding) + bytes(message) + bytes(padding)


def unpad(plaintext):
    if len(plaintext) < 2:
        raise E2EError("BadPadding")
    (padding,) = struct.unpack(">H", plaintext[:2])
    if padding > len(plaintext) - 2 or any(plaintext[len(plaintext) - padding:]):
        raise E2EError("BadPadding")
    return plaintext[2:len(plaintext) - padding]


def nonce(direction, stream, counter):
    return struct.pack(">IQ", NONCE_SPACE[(direction, stream)], counter)


def sealed_header(stream, counter):
    return bytes([RECORD_KIND[stream]]) + struct.pack(">Q", counter)


def seal(key, direction, stream, counter, plaintext):
    """The record of an already padded `plaintext` under `key`."""
    header = sealed_header(stream, counter)
    return header + AESGCM(key).encrypt(nonce(direction, stream, counter), plaintext, header)


class Channel:
    """One end of an agreed channel; `role` is "agent" or "viewer"."""

    def __init__(self, role, agent_to_viewer, viewer_to_agent, transcript):
        assert role in ("agent", "viewer"), role
        self.role = role
        self.keys = {"agentToViewer": agent_to_viewer, "viewerToAgent": viewer_to_agent}
        self.transcript = transcript
        self.code = short_auth_string(transcript)
        self.fingerprint = self.code  # what the viewer's status bar shows
        self.identity = None
        self.sent = {"ordered": 0, "picture": 0}
        self.last = {"ordered": 0, "picture": 0}
        self.broken = False
        self.last_stream = None

    @property
    def _out(self):
        return "agentToViewer" if self.role == "agent" else "viewerToAgent"

    @property
    def _in(self):
        return "viewerToAgent" if self.role == "agent" else "agentToViewer"

    def seal(self, message, stream=None, pad_to=None):
        """Seals an inner message. By default the agent sends pictures on their own stream and
        the viewer pads input to INPUT_PLAINTEXT_SIZE, as the real ends do."""
        message = bytes(message)
        if stream is None:
            stream = "picture" if self.role == "agent" and message and message[0] in PICTURE_TYPES else "ordered"
        if stream == "picture" and self.role != "agent":
            raise E2EError("UnexpectedRecord", "only the agent sends pictures")
        if pad_to is None:
            pad_to = INPUT_PLAINTEXT_SIZE if self.role == "viewer" and message and message[0] in INPUT_TYPES else 0
        self.sent[stream] += 1
        return seal(self.keys[self._out], self._out, stream, self.sent[stream], pad(message, pad_to))

    def open(self, record):
        """The message of a record: Replay, AuthenticationFailed, then MissingRecord (ordered)."""
        record = bytes(record)
        if self.broken:
            raise E2EError("MissingRecord", "the channel is closed")
        if len(record) < SEALED_HEADER + TAG_SIZE or record[0] not in (SEALED, SEALED_PICTURE):
            raise E2EError("MalformedRecord")
        stream = "ordered" if record[0] == SEALED else "picture"
        if stream == "picture" and self.role != "viewer":
            raise E2EError("UnexpectedRecord", "a picture record to the agent")
        (counter,) = struct.unpack(">Q", record[1:SEALED_HEADER])
        if counter <= self.last[stream]:
            raise E2EError("Replay")
        try:
            plaintext = AESGCM(self.keys[self._in]).decrypt(nonce(self._in, stream, counter), record[SEALED_HEADER:],
                                                           record[:SEALED_HEADER])
        except InvalidTag:
            raise E2EError("AuthenticationFailed") from None
        if stream == "ordered" and counter != self.last[stream] + 1:
            self.broken = True
            raise E2EError("MissingRecord", f"record {self.last[stream] + 1} never arrived")
        self.last[stream] = counter
        self.last_stream = stream
        return unpad(plaintext)


def _channel(role, secret, th):
    return Channel(role, hkdf(secret, th, INFO_AGENT_TO_VIEWER), hkdf(secret, th, INFO_VIEWER_TO_AGENT), th)


class AgentHandshake:
    """The agent's half for one viewer: commit_record() first, then finish(the viewer's KeyShare)."""

    def __init__(self, identity, session_id, viewer_id, private=None):
        self.identity = identity
        self.session_id, self.viewer_id = bytes(session_id), viewer_id
        self._private = private or private_key()
        self.public = public_bytes(self._private)

    def commit_record(self):
        return key_commit_record(self.public, identity_public(self.identity))

    def finish(self, share_record):
        """(channel, KeyConfirm record) from the viewer's KeyShare."""
        viewer_public = key_share_public(share_record)
        secret = shared_secret(self._private, viewer_public)
        identity = identity_public(self.identity)
        th = transcript_hash(self.public, viewer_public, identity, self.session_id, self.viewer_id)
        confirm = key_confirm_record(self.public, identity, self.identity.sign(CONFIRM_LABEL + th))
        return _channel("agent", secret, th), confirm


class ViewerHandshake:
    """The viewer's half: commit_received(KeyCommit) → KeyShare; confirm_received(KeyConfirm) → channel."""

    def __init__(self, session_id, viewer_id, private=None):
        self.session_id, self.viewer_id = bytes(session_id), viewer_id
        self._private = private or private_key()
        self.public = public_bytes(self._private)
        self._commitment = None

    def commit_received(self, record):
        record = bytes(record)
        if self._commitment is not None:
            raise E2EError("UnexpectedRecord", "a second KeyCommit")
        if len(record) != 33 or record[0] != KEY_COMMIT:
            raise E2EError("MalformedRecord", "not a KeyCommit")
        self._commitment = record[1:]
        return key_share(self.public)

    def confirm_received(self, record):
        if self._commitment is None:
            raise E2EError("UnexpectedRecord", "KeyConfirm before KeyCommit")
        agent_public, identity, signature = parse_key_confirm(record)
        if key_commitment(agent_public, identity) != self._commitment:
            raise E2EError("BadCommitment")
        th = transcript_hash(agent_public, self.public, identity, self.session_id, self.viewer_id)
        try:
            Ed25519PublicKey.from_public_bytes(identity).verify(signature, CONFIRM_LABEL + th)
        except (InvalidSignature, ValueError):
            raise E2EError("BadSignature") from None
        channel = _channel("viewer", shared_secret(self._private, agent_public), th)
        channel.identity = identity
        return channel
