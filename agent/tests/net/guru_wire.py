"""The server and viewer side of docs/protocol.md, for the agent's integration tests:
envelope framing (Python struct), inner messages, and the E2E channel with
pyca/cryptography (OpenSSL), independent of the agent's libgcrypt code."""
import struct

VERSION = 1
AGENT_HELLO, VIEWER_JOIN, WELCOME, REJECT = 0x01, 0x02, 0x03, 0x04
PING, PONG = 0x10, 0x11
VIEWER_JOINED, VIEWER_LEFT, SESSION_END, RELAY = 0x20, 0x21, 0x22, 0x30
VIEWER_INFO, AGENT_STATUS, AGENT_INFO = 0x23, 0x40, 0x41

MONITOR_LAYOUT, TILE_UPDATE, FRAME_END, FRAME_ACK = 0x01, 0x10, 0x11, 0x12
CURSOR_IMAGE, CURSOR_POSITION = 0x20, 0x21
POINTER_MOVE, POINTER_BUTTON, WHEEL, KEY = 0x30, 0x31, 0x32, 0x33


def frame(tag, payload=b""):
    return struct.pack(">BBHI", VERSION, tag, 0, len(payload)) + payload


def parse(message):
    """(tag, payload) of one envelope frame; raises on anything malformed."""
    version, tag, flags, length = struct.unpack(">BBHI", message[:8])
    assert version == VERSION and flags == 0 and length == len(message) - 8, message[:8].hex()
    return tag, message[8:]


def welcome(connection_id, heartbeat):
    return frame(WELCOME, struct.pack(">IH", connection_id, heartbeat))


def reject(code):
    return frame(REJECT, struct.pack(">H", code))


def ping(nonce):
    return frame(PING, struct.pack(">Q", nonce))


def pong(nonce):
    return frame(PONG, struct.pack(">Q", nonce))


def viewer_joined(session_id, viewer_id, view_only=False):
    return frame(VIEWER_JOINED, session_id + struct.pack(">IB", viewer_id, 1 if view_only else 0))


def viewer_left(viewer_id, reason=0):
    return frame(VIEWER_LEFT, struct.pack(">IH", viewer_id, reason))


def viewer_info(viewer_id, name):
    encoded = name.encode()
    return frame(VIEWER_INFO, struct.pack(">IB", viewer_id, len(encoded)) + encoded)


def session_end(session_id, reason):
    return frame(SESSION_END, session_id + struct.pack(">H", reason))


def relay(peer, record):
    return frame(RELAY, struct.pack(">I", peer) + record)


def parse_agent_info(payload):
    """(hostname, os name, user name) of an AgentInfo payload; raises on trailing or missing bytes."""
    fields, at = [], 0
    for _ in range(3):
        n = payload[at]
        fields.append(payload[at + 1:at + 1 + n].decode())
        at += 1 + n
    assert at == len(payload), "trailing bytes in AgentInfo"
    return tuple(fields)


def parse_hello(payload):
    agent_id = payload[:16]
    (n,) = struct.unpack(">H", payload[16:18])
    credential = payload[18:18 + n]
    rest = payload[18 + n:]
    version = rest[1:1 + rest[0]].decode()
    assert len(rest) == 1 + rest[0], "trailing bytes in AgentHello"
    return agent_id, credential, version


def parse_inner(data):
    """(type, fields dict) of one inner message."""
    t, body = data[0], data[1:]
    if t == MONITOR_LAYOUT:
        count = body[0]
        monitors = [struct.unpack(">iiHHB", body[1 + 13 * i:14 + 13 * i]) for i in range(count)]
        assert len(body) == 1 + 13 * count
        return t, {"monitors": monitors}
    if t == TILE_UPDATE:
        x, y, w, h, enc = struct.unpack(">HHHHB", body[:9])
        return t, {"x": x, "y": y, "width": w, "height": h, "encoding": enc, "data": body[9:]}
    if t in (FRAME_END, FRAME_ACK):
        return t, {"sequence": struct.unpack(">I", body)[0]}
    if t == CURSOR_IMAGE:
        w, h, hx, hy = struct.unpack(">HHHH", body[:8])
        assert len(body) == 8 + w * h * 4
        return t, {"width": w, "height": h}
    if t == CURSOR_POSITION:
        x, y, visible = struct.unpack(">iiB", body)
        return t, {"x": x, "y": y, "visible": visible}
    return t, {"raw": body}


def pointer_move(x, y):
    return bytes([POINTER_MOVE]) + struct.pack(">ii", x, y)


def frame_ack(sequence):
    return bytes([FRAME_ACK]) + struct.pack(">I", sequence)


def image_format(data):
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


class ViewerChannel:
    """The viewer's end of one E2E channel (docs/protocol.md §3)."""

    def __init__(self):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        self._ec = ec
        self._private = ec.generate_private_key(ec.SECP256R1())
        self.public = self._private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        self._rx = self._tx = None
        self._send_counter = 0
        self._last_received = 0
        self.fingerprint = None

    def key_share(self):
        return b"\x01" + self.public

    def agree(self, agent_record):
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF
        assert agent_record[0] == 0x01 and len(agent_record) == 66, agent_record[:2].hex()
        agent_public = agent_record[1:]
        peer = self._ec.EllipticCurvePublicKey.from_encoded_point(self._ec.SECP256R1(), agent_public)
        secret = self._private.exchange(self._ec.ECDH(), peer)
        digest = hashes.Hash(hashes.SHA256())
        digest.update(b"GuruConnect E2E v1" + agent_public + self.public)
        th = digest.finalize()

        def hkdf(info):
            return HKDF(algorithm=hashes.SHA256(), length=32, salt=th, info=info).derive(secret)

        self._rx = AESGCM(hkdf(b"guruconnect e2e v1 agent-to-viewer"))
        self._tx = AESGCM(hkdf(b"guruconnect e2e v1 viewer-to-agent"))
        fp = th[:6].hex().upper()
        self.fingerprint = "-".join(fp[i:i + 4] for i in range(0, 12, 4))

    def open(self, record):
        assert record[0] == 0x02, "not a Sealed record"
        (counter,) = struct.unpack(">Q", record[1:9])
        assert counter > self._last_received, "replayed counter"
        plain = self._rx.decrypt(struct.pack(">I", 1) + record[1:9], record[9:], record[:9])
        self._last_received = counter
        return plain

    def seal(self, plaintext):
        self._send_counter += 1
        head = b"\x02" + struct.pack(">Q", self._send_counter)
        return head + self._tx.encrypt(struct.pack(">I", 2) + head[1:], plaintext, head)
