"""What the relay sees is ciphertext: a recording proxy sits between the real agent and the server,
and while the viewer paints the agent's screen, no image data crosses the relay in the clear."""
import struct
import threading
import time

from playwright.sync_api import expect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.sync.server import serve

import real_agent
from real_agent import start_agent, stop, wait_until
from viewer_steps import admin_api, canvas_samples, enrol, signed_in

WIDTH, HEIGHT = 800, 600
ROOT = (0x2E, 0x8B, 0x57)
IMAGE_MAGIC = [b"RIFF", b"WEBP", b"VP8L", b"\x89PNG", b"IDAT", b"JFIF", b"\xff\xd8\xff"]


class RecordingProxy:
    """Forwards one agent's WebSocket to the server and keeps every frame the agent sends."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.frames = []
        self.lock = threading.Lock()
        self.server = serve(self.handle, "127.0.0.1", 0, max_size=2 * 1024 * 1024)
        self.port = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, agent_side):
        with connect(self.upstream, max_size=2 * 1024 * 1024, open_timeout=5) as server_side:
            def downstream():
                try:
                    for message in server_side:
                        agent_side.send(message)
                except ConnectionClosed:
                    pass
                agent_side.close()

            thread = threading.Thread(target=downstream, daemon=True)
            thread.start()
            try:
                for message in agent_side:
                    with self.lock:
                        self.frames.append(bytes(message))
                    server_side.send(message)
            except ConnectionClosed:
                pass
            server_side.close()
            thread.join(timeout=5)

    def relay_records(self):
        with self.lock:
            frames = list(self.frames)
        # Envelope header (8 bytes), tag 0x30 = Relay, then u32 peer and the E2E record.
        return [f[12:] for f in frames if len(f) > 12 and f[1] == 0x30]

    def close(self):
        self.server.shutdown()


desktop = real_agent.desktop_fixture(WIDTH, HEIGHT, ROOT)


def test_the_relay_carries_only_ciphertext(server, desktop, new_page, tmp_path):
    display, env = desktop
    xterm = real_agent.subprocess.Popen(["xterm", "-geometry", "80x24+10+10", "-e", "sh", "-c", "echo SECRET-PAYROLL-2026; sleep 120"], env=env)
    api = admin_api(server)
    agent_id, credential = enrol(api, "CAPTURED-DESKTOP")
    proxy = RecordingProxy(server.base_url.replace("http://", "ws://") + "/api/agent/ws")
    agent, log_path = start_agent(f"http://127.0.0.1:{proxy.port}", agent_id, credential, display, env, tmp_path)
    try:
        wait_until(lambda: api.call("GET", f"/api/agents/{agent_id}")[1]["online"], 15, f"agent offline:\n{log_path.read_text()[-1500:]}")
        page = signed_in(new_page(), server.base_url)
        page.goto(f"{server.base_url}/app/viewer/{agent_id}?mode=view")
        expect(page.locator("#viewer")).to_have_attribute("data-state", "connected", timeout=15_000)
        # Wait until the viewer shows the desktop: the root colour far from the xterm.
        def painted():
            samples = canvas_samples(page, step=(50, 50))["samples"]
            return sum(1 for s in samples if tuple(s[2:]) == ROOT) > len(samples) // 2
        wait_until(painted, 15, "the viewer never painted the desktop")
        time.sleep(0.5)
        records = proxy.relay_records()
        total = sum(len(r) for r in records)
        assert total > 2_000, f"too little relayed to judge: {total} bytes"
        kinds = {r[0] for r in records}
        # KeyCommit and KeyConfirm, then ordered and picture records (docs/protocol.md §3.1).
        assert kinds <= {0x02, 0x03, 0x04, 0x05}, kinds
        assert [len(r) for r in records if r[0] == 0x03] == [33]
        assert [len(r) for r in records if r[0] == 0x04] == [162]
        for kind in (0x02, 0x05):  # each stream's counters go up, each once (pictures may skip)
            counters = [struct.unpack(">Q", r[1:9])[0] for r in records if r[0] == kind]
            assert counters and counters == sorted(counters) and len(set(counters)) == len(counters), kind
        ordered = [struct.unpack(">Q", r[1:9])[0] for r in records if r[0] == 0x02]
        assert ordered == list(range(1, len(ordered) + 1))  # no gap on the ordered stream
        blob = b"".join(records)
        for magic in IMAGE_MAGIC + [b"SECRET-PAYROLL"]:
            assert magic not in blob, f"{magic!r} crossed the relay in the clear"
        # Screen pixels in the clear would show as long runs of the root colour (BGRX or RGB).
        for run in (bytes([ROOT[2], ROOT[1], ROOT[0], 0]) * 8, bytes(ROOT) * 8):
            assert run not in blob
    finally:
        stop(agent)
        stop(xterm)
        proxy.close()
