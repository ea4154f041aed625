"""A fake GuruConnect agent for the viewer tests: a real WebSocket client that
speaks the envelope (docs/protocol.md §2), does the agent side of the E2E key
exchange with pyca/cryptography (§3), sends inner messages (§4) and records the
inner messages the viewer sends back, decrypted."""
import hashlib
import queue
import struct
import threading
import time
import zlib
from contextlib import ExitStack

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

TAGS = {"AgentHello": 0x01, "ViewerJoin": 0x02, "Welcome": 0x03, "Reject": 0x04, "Ping": 0x10, "Pong": 0x11,
        "ViewerJoined": 0x20, "ViewerLeft": 0x21, "SessionEnd": 0x22, "ViewerInfo": 0x23,
        "Relay": 0x30, "AgentStatus": 0x40}
TAG_NAMES = {v: k for k, v in TAGS.items()}
INNER_NAMES = {0x12: "FrameAck", 0x30: "PointerMove", 0x31: "PointerButton", 0x32: "Wheel", 0x33: "Key", 0x40: "ClipboardText"}
ENCODINGS = {"jpeg": 1, "png": 2, "webp-lossless": 3, "vp8": 4}
VIDEO_KEYFRAME = 0x01


# ---------- envelope ----------
def frame(tag, payload):
    return struct.pack(">BBHI", 1, TAGS[tag], 0, len(payload)) + payload


def decode_frame(data):
    version, tag, flags, length = struct.unpack(">BBHI", data[:8])
    assert version == 1 and flags == 0 and length == len(data) - 8
    return TAG_NAMES[tag], data[8:]


# ---------- inner messages ----------
def monitor_layout(monitors):
    out = struct.pack(">BB", 0x01, len(monitors))
    for m in monitors:
        out += struct.pack(">iiHHB", m["x"], m["y"], m["width"], m["height"], 1 if m.get("primary") else 0)
    return out


def tile_update(x, y, width, height, encoding, data):
    return struct.pack(">BHHHHB", 0x10, x, y, width, height, ENCODINGS[encoding]) + data


def video_data(frame, keyframe):
    """The data of a "vp8" TileUpdate: the flags byte (bit 0 keyframe), then one VP8 frame."""
    return bytes([VIDEO_KEYFRAME if keyframe else 0]) + frame


def frame_end(sequence):
    return struct.pack(">BI", 0x11, sequence)


def cursor_image(width, height, hot_x, hot_y, rgba):
    return struct.pack(">BHHHH", 0x20, width, height, hot_x, hot_y) + rgba


def cursor_position(x, y, visible=True):
    return struct.pack(">BiiB", 0x21, x, y, 1 if visible else 0)


def decode_inner(data):
    name = INNER_NAMES.get(data[0], f"0x{data[0]:02x}")
    body = data[1:]
    if name == "FrameAck":
        return {"type": name, "sequence": struct.unpack(">I", body)[0]}
    if name == "PointerMove":
        x, y = struct.unpack(">ii", body)
        return {"type": name, "x": x, "y": y}
    if name == "PointerButton":
        return {"type": name, "button": body[0], "pressed": body[1] == 1}
    if name == "Wheel":
        dx, dy = struct.unpack(">hh", body)
        return {"type": name, "dx": dx, "dy": dy}
    if name == "Key":
        pressed, modifiers, code_len = body[0], body[1], body[2]
        code = body[3:3 + code_len].decode("ascii")
        key_len = body[3 + code_len]
        key = body[4 + code_len:4 + code_len + key_len].decode("utf-8")
        assert len(body) == 4 + code_len + key_len
        return {"type": name, "pressed": pressed == 1, "modifiers": modifiers, "code": code, "key": key}
    return {"type": name, "raw": body}


# ---------- a PNG encoded by hand (no Pillow needed) ----------
def png_rgb(width, height, pixel):
    """A truecolour PNG whose pixel (x, y) is pixel(x, y) → (r, g, b)."""
    raw = bytearray()
    for y in range(height):
        raw.append(0)  # filter: none
        for x in range(width):
            raw.extend(pixel(x, y))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


# ---------- the E2E channel (agent side) ----------
LABEL = b"GuruConnect E2E v1"


class AgentChannel:
    def __init__(self, private_key, agent_pub, viewer_pub):
        peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), viewer_pub)
        secret = private_key.exchange(ec.ECDH(), peer)
        th = hashlib.sha256(LABEL + agent_pub + viewer_pub).digest()

        def hkdf(info):
            return HKDF(algorithm=hashes.SHA256(), length=32, salt=th, info=info).derive(secret)

        self.seal_key = AESGCM(hkdf(b"guruconnect e2e v1 agent-to-viewer"))
        self.open_key = AESGCM(hkdf(b"guruconnect e2e v1 viewer-to-agent"))
        fp = th[:6].hex().upper()
        self.fingerprint = f"{fp[0:4]}-{fp[4:8]}-{fp[8:12]}"
        self.counter = 0
        self.last = 0

    def seal(self, plaintext):
        self.counter += 1
        header = b"\x02" + struct.pack(">Q", self.counter)
        return header + self.seal_key.encrypt(struct.pack(">IQ", 1, self.counter), plaintext, header)

    def open(self, record):
        assert record[0] == 0x02 and len(record) >= 25, record[:1].hex()
        counter = struct.unpack(">Q", record[1:9])[0]
        assert counter > self.last, "Replay"
        plaintext = self.open_key.decrypt(struct.pack(">IQ", 2, counter), record[9:], record[:9])
        self.last = counter
        return plaintext


class Viewer:
    """One viewer as the agent sees it."""

    def __init__(self, viewer_id, mode):
        self.id = viewer_id
        self.mode = mode
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.public = self.private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        self.channel = None
        self.ready = threading.Event()
        self.left = threading.Event()
        self.inbox = queue.Queue()


class FakeAgent:
    """Connects as an enrolled agent; a reader thread answers pings and runs key exchanges."""

    def __init__(self, ws_url, agent_id, credential):
        self.ws_url = ws_url
        self.agent_id = agent_id
        self.credential = credential
        self.ws = None
        self.viewers = {}
        self.joined = queue.Queue()
        self.closed = threading.Event()
        self.errors = []
        self._thread = None
        self._send_lock = threading.Lock()

    def start(self, timeout=5):
        self._stack = ExitStack()
        self.ws = self._stack.enter_context(connect(self.ws_url, open_timeout=timeout, max_size=2 * 1024 * 1024))
        hello = bytes.fromhex(self.agent_id) + struct.pack(">H", len(self.credential)) + self.credential.encode() + b"\x050.9.0"
        self.ws.send(frame("AgentHello", hello))
        name, body = decode_frame(self.ws.recv(timeout=timeout))
        assert name == "Welcome", (name, body.hex())
        self._thread = threading.Thread(target=self._read, name="fake-agent", daemon=True)
        self._thread.start()
        return self

    def _send(self, data):
        with self._send_lock:
            self.ws.send(data)

    def _read(self):
        try:
            while True:
                name, body = decode_frame(self.ws.recv())
                if name == "Ping":
                    self._send(frame("Pong", body))
                elif name == "ViewerJoined":
                    viewer_id, mode = struct.unpack(">IB", body[16:21])
                    viewer = Viewer(viewer_id, "control" if mode == 0 else "view")
                    self.viewers[viewer_id] = viewer
                    self._send(frame("Relay", struct.pack(">I", viewer_id) + b"\x01" + viewer.public))
                    self.joined.put(viewer)
                elif name == "ViewerLeft":
                    viewer = self.viewers.get(struct.unpack(">I", body[:4])[0])
                    if viewer:
                        viewer.left.set()
                elif name == "Relay":
                    self._on_record(struct.unpack(">I", body[:4])[0], body[4:])
        except ConnectionClosed:
            pass
        except Exception as err:  # noqa: BLE001 (recorded and asserted on by the tests)
            self.errors.append(repr(err))
        finally:
            self.closed.set()

    def _on_record(self, viewer_id, record):
        viewer = self.viewers[viewer_id]
        if record[0] == 0x01:
            assert len(record) == 66 and viewer.channel is None
            viewer.channel = AgentChannel(viewer.private_key, viewer.public, record[1:])
            viewer.ready.set()
        else:
            viewer.inbox.put(decode_inner(viewer.channel.open(record)))

    # ---- used by the tests ----
    def wait_viewer(self, timeout=15):
        """The next viewer that joined and finished the key exchange."""
        viewer = self.joined.get(timeout=timeout)
        assert viewer.ready.wait(timeout), "the viewer never sent its KeyShare"
        return viewer

    def send(self, viewer, plaintext):
        self._send(frame("Relay", struct.pack(">I", viewer.id) + viewer.channel.seal(plaintext)))

    def send_record(self, viewer, record):
        self._send(frame("Relay", struct.pack(">I", viewer.id) + record))

    def wait_for(self, viewer, predicate, timeout=10):
        """Inner messages from `viewer` up to the first one matching `predicate`."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = viewer.inbox.get(timeout=max(0.05, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(message)
            if predicate(message):
                return seen
        raise AssertionError(f"no matching message within {timeout}s; got {seen}")

    def drain(self, viewer, seconds):
        """Everything `viewer` sends within `seconds`."""
        seen = []
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return seen
            try:
                seen.append(viewer.inbox.get(timeout=left))
            except queue.Empty:
                return seen

    def stop(self):
        """Closes the connection (the agent going away) and joins the reader."""
        if self.ws is not None:
            self._stack.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
