"""The harness of test_agent_net.py and test_support_mode.py: the agent under test as a subprocess (`Agent`), and a WebSocket
server in Python (`FakeServer`, one `Connection` per agent connection) that plays the server and viewer
sides of docs/protocol.md, with the E2E crypto done by pyca/cryptography (tests/guruproto)."""
import asyncio
import json
import os
import re
import signal
import socket
import sys
import tempfile
import time
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests"))
import websockets  # noqa: E402
from guruproto import e2e, envelope, inner  # noqa: E402

# The agent binary under test: the test script's argument (sys.argv[1]), read when an Agent starts.
AGENT = sys.argv[1] if len(sys.argv) > 1 else "guruconnect-agent"
AGENT_ID = uuid.UUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
CREDENTIAL = b"agent-credential-token"
# The unattended agent's identity key (docs/protocol.md §1.1), created on its first start.
IDENTITY_DIR = tempfile.mkdtemp(prefix="guru-agent-net-")
IDENTITY_FILE = os.path.join(IDENTITY_DIR, "identity.key")
SESSION_ID = bytes(range(16))


def display():
    with open(os.path.join(os.environ["GURU_XVFB_DIR"], "display")) as f:
        return ":" + f.read().strip()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Agent:
    """The agent under test as a subprocess; its stderr is kept and echoed."""

    def __init__(self, url, *extra):
        self.lines = []
        self.url = url
        self.extra = extra
        self.proc = None

    async def start(self):
        self.proc = await asyncio.create_subprocess_exec(
            AGENT, "--server", self.url, "--agent-id", str(AGENT_ID),
            "--credential", CREDENTIAL.decode(), "--identity-file", IDENTITY_FILE, "--display", display(), *self.extra,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def _read(self):
        while True:
            line = await self.proc.stderr.readline()
            if not line:
                return
            text = line.decode(errors="replace").rstrip()
            self.lines.append(text)
            print("    agent| " + text, flush=True)

    async def wait_log(self, pattern, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines:
                if re.search(pattern, line):
                    return line
            await asyncio.sleep(0.05)
        raise AssertionError(f"agent never logged /{pattern}/ within {timeout} s")

    async def stop(self):
        """SIGTERM, then a clean exit within 10 s is part of what is tested."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                code = await asyncio.wait_for(self.proc.wait(), 10)
            except asyncio.TimeoutError:
                self.proc.kill()
                await self.proc.wait()
                raise AssertionError("agent did not exit within 10 s of SIGTERM")
            await asyncio.wait_for(self.reader, 5)
            assert code == 0, f"agent exit code {code}"
            assert any("stopped" in line for line in self.lines[-3:]), "no clean stop logged"


def image_format(data):
    """What a tile's image bytes are, from their magic."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp-lossless"
    return None


class Connection:
    """One agent connection as the fake server sees it."""

    def __init__(self, ws, answer_pings):
        self.ws = ws
        self.answer_pings = answer_pings
        self.inbox = asyncio.Queue()
        self.agent_pings = 0
        self.viewers = {}  # viewer id -> e2e.Channel (the viewer's end)
        self.received = []  # (viewer id, type, fields) in arrival order
        self.inventories = []  # AgentInventory JSON objects, parsed, in arrival order
        self.inventory_arrived = asyncio.Event()

    async def pump(self):
        """Decodes every envelope (raising on anything malformed) and answers the agent's pings."""
        try:
            async for message in self.ws:
                decoded = envelope.decode(message)
                if decoded["type"] == "Ping":
                    self.agent_pings += 1
                    if self.answer_pings:
                        await self.ws.send(envelope.pong(decoded["nonce"]))
                    continue
                if decoded["type"] == "AgentInventory":
                    # The unattended agent's reports come on their own schedule (§2.6): kept
                    # aside, so the tests' expect() sees the session's messages only.
                    self.inventories.append(json.loads(decoded["json"]))
                    self.inventory_arrived.set()
                    continue
                await self.inbox.put(decoded)
        except websockets.ConnectionClosed:
            pass
        await self.inbox.put({"type": None})

    async def send(self, data):
        await self.ws.send(data)

    async def expect(self, kind, timeout=10):
        """The next envelope, which must be of type `kind`."""
        message = await asyncio.wait_for(self.inbox.get(), timeout)
        assert message["type"] == kind, f"expected {kind}, got {message['type']}"
        return message

    async def accept_key_share(self, viewer_id):
        """The agent's KeyCommit for `viewer_id`: answers with a fresh viewer key, then checks the
        KeyConfirm (commitment, the identity's signature) and returns the viewer's channel."""
        relay = await self.expect("Relay")
        assert relay["peerId"] == viewer_id, f"KeyCommit for {relay['peerId']}, not {viewer_id}"
        handshake = e2e.ViewerHandshake(SESSION_ID, viewer_id)
        await self.send(envelope.relay(viewer_id, handshake.commit_received(relay["sealed"])))
        confirm = await self.expect("Relay")
        channel = handshake.confirm_received(confirm["sealed"])  # raises unless the identity signed it
        self.viewers[viewer_id] = channel
        return channel

    async def join(self, viewer_id, view_only=False):
        await self.send(envelope.viewer_joined(SESSION_ID, viewer_id, "view" if view_only else "control"))
        return await self.accept_key_share(viewer_id)

    async def send_inner(self, viewer_id, plaintext):
        await self.send(envelope.relay(viewer_id, self.viewers[viewer_id].seal(plaintext)))

    async def until(self, predicate, timeout):
        """Opens sealed records until predicate(viewer, type, fields) holds."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("timed out waiting for the agent")
            message = await asyncio.wait_for(self.inbox.get(), left)
            assert message["type"] == "Relay", f"unexpected {message['type']}"
            peer = message["peerId"]
            fields = inner.decode(self.viewers[peer].open(message["sealed"]))  # raises unless it decrypts and decodes
            kind = fields["type"]
            self.received.append((peer, kind, fields))
            if predicate(peer, kind, fields):
                return fields


class FakeServer:
    """In-process WebSocket server; connections are handed to the test."""

    def __init__(self, answer_pings=True, tls=None):
        self.answer_pings = answer_pings
        self.tls = tls
        self.connections = asyncio.Queue()

    async def __aenter__(self):
        async def handler(ws, *_):
            conn = Connection(ws, self.answer_pings)
            await self.connections.put(conn)
            await conn.pump()
        self.server = await websockets.serve(handler, "127.0.0.1", 0, ping_interval=None,
                                             max_size=8 + (1 << 20), ssl=self.tls)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        await asyncio.wait_for(self.server.wait_closed(), 10)

    def url(self, scheme="ws", host="127.0.0.1"):
        return f"{scheme}://{host}:{self.port}/api/agent/ws"

    async def accept(self, timeout=10):
        conn = await asyncio.wait_for(self.connections.get(), timeout)
        hello = await asyncio.wait_for(conn.inbox.get(), timeout)
        assert hello["type"] == "AgentHello", f"first message {hello['type']}"
        return conn, (hello["agentId"], hello["credential"], hello["agentVersion"])


async def prove(conn, nonce, agent_id=AGENT_ID.bytes):
    """Sends AgentChallenge and returns the agent's (identity key, signature), checked against the message."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    await conn.send(envelope.agent_challenge(nonce))
    proof = await conn.expect("AgentProof")
    key, signature = proof["identityKey"], proof["signature"]
    message = b"GuruConnect agent proof v1" + agent_id + nonce + key
    Ed25519PublicKey.from_public_bytes(key).verify(signature, message)  # raises if it does not verify
    return key, signature


async def run_tests(tests, timeout):
    """Runs each test within `timeout` s, reports every failure and goes on; returns the exit
    code, 1 if any failed (test_support_mode.py runs its tests with it too)."""
    failed = 0
    for test in tests:
        started = time.monotonic()
        print(f"== {test.__name__}", flush=True)
        try:
            await asyncio.wait_for(test(), timeout)
            print(f"PASS {test.__name__} ({time.monotonic() - started:.1f} s)", flush=True)
        except BaseException as e:  # noqa: B902 — report every failure, then go on
            failed += 1
            print(f"FAIL {test.__name__}: {type(e).__name__}: {e}", flush=True)
    print(f"{len(tests) - failed} passed, {failed} failed", flush=True)
    return 1 if failed else 0
