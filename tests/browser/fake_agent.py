"""A fake GuruConnect agent for the viewer tests: a real WebSocket client that
speaks the envelope (docs/protocol.md §2), does the agent side of the E2E key
exchange (version 2: a commit, the viewer's share, a confirm signed with the machine's Ed25519
identity, §3), sends inner messages (§4) and records the inner messages the viewer
sends back, decrypted. The protocol itself is tests/guruproto's."""
import queue
import struct
import threading
import time
import zlib
from contextlib import ExitStack

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from guruproto import proof as agent_proof
from guruproto import e2e, envelope, inner
# The inner-message builders the viewer tests send through a FakeAgent (tests/guruproto/inner.py).
from guruproto.inner import (clipboard_text, cursor_image, cursor_position, frame_end,  # noqa: F401
                             monitor_layout, tile_update, video_data)


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


class Viewer:
    """One viewer as the agent sees it."""

    def __init__(self, viewer_id, mode, session_id, identity):
        self.id = viewer_id
        self.mode = mode
        self.handshake = e2e.AgentHandshake(identity, session_id, viewer_id)  # its own ephemeral key
        self.public = self.handshake.public
        self.channel = None  # the agreed channel, once the viewer's KeyShare arrived
        self.sizes = []  # the wire size of each sealed record from the viewer
        self.closed = None  # why this end closed the channel (ChannelClosed sent), or None
        self.before_key_exchange = 0  # sealed records dropped: they came before this agent's key exchange
        self.ready = threading.Event()
        self.left = threading.Event()
        self.inbox = queue.Queue()


class FakeAgent:
    """Connects as an enrolled agent; a reader thread answers pings and runs key exchanges."""

    def __init__(self, ws_url, agent_id, credential, identity=None, proof_key=None, hold_confirms=False):
        self.ws_url = ws_url
        # Set: each KeyShare is answered at once. A test that holds confirms sets it when the viewer
        # may finish its key exchange (to see the state in between).
        self.confirms = threading.Event()
        if not hold_confirms:
            self.confirms.set()
        # The key that answers the server's identity challenge: by default this agent id's own (stable
        # across reconnects), apart from `identity` so a test can change one without the other.
        self.proof_key = proof_key or agent_proof.key_for(bytes.fromhex(agent_id))
        # The long-term identity that signs every key exchange (the same machine keeps it).
        self.identity = identity or e2e.identity_key()
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
        raw = self._stack.enter_context(connect(self.ws_url, open_timeout=timeout, max_size=2 * 1024 * 1024))
        self.ws = agent_proof.ProvingSocket(raw, bytes.fromhex(self.agent_id), self.proof_key)  # answers the identity challenge
        self.ws.send(envelope.agent_hello(bytes.fromhex(self.agent_id), self.credential.encode(), "0.9.0"))
        welcome = envelope.decode(self.ws.recv(timeout=timeout))
        assert welcome["type"] == "Welcome", welcome
        self._thread = threading.Thread(target=self._read, name="fake-agent", daemon=True)
        self._thread.start()
        # Like a real agent, it pings every heartbeat: the server ends links silent for three of them.
        self._heartbeat = threading.Thread(target=self._ping, args=(welcome["heartbeatSeconds"],), name="fake-agent-ping", daemon=True)
        self._heartbeat.start()
        return self

    def _ping(self, interval):
        nonce = 0
        while not self.closed.wait(interval):
            nonce += 1
            try:
                self._send(envelope.ping(nonce))
            except ConnectionClosed:
                return

    def _send(self, data):
        with self._send_lock:
            self.ws.send(data)

    def _read(self):
        try:
            while True:
                message = envelope.decode(self.ws.recv())
                kind = message["type"]
                if kind == "Ping":
                    self._send(envelope.pong(message["nonce"]))
                elif kind == "ViewerJoined":
                    viewer = Viewer(message["viewerId"], message["mode"], bytes(message["sessionId"]),
                                    self.identity)
                    self.viewers[viewer.id] = viewer
                    self._send(envelope.relay(viewer.id, viewer.handshake.commit_record()))
                    self.joined.put(viewer)
                elif kind == "ViewerLeft":
                    viewer = self.viewers.get(message["viewerId"])
                    if viewer:
                        viewer.left.set()
                elif kind == "Relay":
                    self._on_record(message["peerId"], message["sealed"])
        except ConnectionClosed:
            pass
        except Exception as err:  # noqa: BLE001 (recorded and asserted on by the tests)
            self.errors.append(repr(err))
        finally:
            self.closed.set()

    def _on_record(self, viewer_id, record):
        viewer = self.viewers[viewer_id]
        if record[0] == e2e.KEY_SHARE:
            assert viewer.channel is None, "a second KeyShare"
            assert self.confirms.wait(30), "the test never let the KeyConfirm go"
            channel, confirm = viewer.handshake.finish(record)
            self._send(envelope.relay(viewer.id, confirm))  # before any sealed record
            viewer.channel = channel
            viewer.ready.set()
        elif viewer.channel is None:
            # As the real agent does (agent/core/session_loop.cpp): a record sealed before this process's
            # key exchange (for the process it replaced) is dropped.
            viewer.before_key_exchange += 1
        elif viewer.closed is None:
            viewer.sizes.append(len(record))
            try:
                message = viewer.channel.open(record)
            except e2e.E2EError as err:
                if err.kind != "MissingRecord":
                    raise
                # As the real agent does: the channel's last record says why, then silence.
                viewer.closed = str(err)
                self._send(envelope.relay(viewer.id, viewer.channel.seal(b"\x50\x01")))
                return
            viewer.inbox.put(inner.decode(message))

    # ---- used by the tests ----
    def wait_viewer(self, timeout=15):
        """The next viewer that joined and finished the key exchange."""
        viewer = self.joined.get(timeout=timeout)
        assert viewer.ready.wait(timeout), "the viewer never sent its KeyShare"
        return viewer

    def send(self, viewer, plaintext):
        self._send(envelope.relay(viewer.id, viewer.channel.seal(plaintext)))

    def send_record(self, viewer, record):
        self._send(envelope.relay(viewer.id, record))

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
