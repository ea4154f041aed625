#!/usr/bin/env python3
"""Integration tests of guruconnect-agent against a real WebSocket server in Python
(websockets) that plays the server and viewer sides of docs/protocol.md, with the E2E
crypto done by pyca/cryptography:
  session    hello fields, Welcome, Ping/Pong both ways, a control viewer's key exchange,
             sealed MonitorLayout/tiles/FrameEnd that decrypt and decode, FrameAck, input
             moving the real X pointer, a view-only viewer's input ignored, capture
             stopped when the viewers leave
  reconnect  the server process is killed and restarted on the same port: the agent is
             back within 5 s
  heartbeat  a server that stops answering: the agent drops it after 3 intervals
  reject     Reject(bad credential): the agent backs off to the cap, not a retry storm
  tls        wss:// with a test CA: verified with --ca-file (and --pin-ca), refused without
usage: test_agent_net.py AGENT_BINARY   (needs GURU_XVFB_DIR from the ctest Xvfb fixture)
Every wait is bounded; only processes started here are stopped, by pid."""
import asyncio
import os
import random
import re
import ssl
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tests"))  # tests/guruproto, the protocol
import test_ca  # noqa: E402
from guruproto import envelope, inner  # noqa: E402


from agent_net_harness import (  # noqa: E402
    AGENT, AGENT_ID, CREDENTIAL, IDENTITY_FILE, Agent, FakeServer, display, free_port, image_format, prove, run_tests)


async def test_session():
    async with FakeServer() as server:
        agent = await Agent(server.url()).start()
        try:
            conn, (agent_id, credential, version) = await server.accept()
            assert agent_id == AGENT_ID.bytes and credential == CREDENTIAL and version
            await conn.send(envelope.welcome(41, 1))
            await agent.wait_log(r"connected \(connection 41, heartbeat 1 s\)", 5)

            # Heartbeat both ways.
            await conn.send(envelope.ping(0xDEADBEEF))
            assert (await conn.expect("Pong"))["nonce"] == 0xDEADBEEF
            deadline = time.monotonic() + 3
            while conn.agent_pings < 1 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert conn.agent_pings >= 1, "agent sent no Ping within 3 heartbeat intervals"

            # A control viewer: key exchange, then the whole screen, sealed, in frames of
            # at most 28 tiles (the relay's 64-message viewer queue), each acknowledged.
            channel = await conn.join(7)
            await agent.wait_log("viewer 7: keys agreed and signed, code " + channel.code, 5)
            covered, frames, per_frame, counts = {}, 0, 0, []
            while sum(covered.values()) < 1920 * 1080:
                before = len(conn.received)
                end = await conn.until(lambda p, k, f: k == "FrameEnd", 60)
                tiles = [f for _, k, f in conn.received[before:] if k == "TileUpdate"]
                per_frame = max(per_frame, len(tiles))
                counts.append(len(tiles))
                for t in tiles:
                    assert image_format(t["data"]) == t["encoding"], t["encoding"]
                    covered[(t["x"], t["y"])] = t["width"] * t["height"]
                frames += 1
                await conn.send_inner(7, inner.frame_ack(end["sequence"]))
            kinds = [k for _, k, _ in conn.received]
            assert kinds[0] == "MonitorLayout", kinds[:3]
            assert per_frame <= 28, f"{per_frame} tiles in one frame"
            print(f"  whole screen: {len(covered)} tiles in {frames} frames "
                  f"(at most {per_frame} per frame: {counts})", flush=True)

            # Input from the control viewer moves the real pointer; the agent reports it.
            # (A position the shared Xvfb's pointer cannot already be at from an earlier run.)
            target = (random.randrange(100, 900), random.randrange(100, 500))
            await conn.send_inner(7, inner.pointer_move(*target))
            await conn.until(lambda p, k, f: k == "CursorPosition" and (f["x"], f["y"]) == target, 10)

            # A view-only viewer gets the screen but its input is ignored.
            await conn.join(8, view_only=True)
            end8 = await conn.until(lambda p, k, f: p == 8 and k == "FrameEnd", 60)
            await conn.send_inner(8, inner.frame_ack(end8["sequence"]))
            await conn.send_inner(8, inner.pointer_move(1000, 600))
            await agent.wait_log("viewer 8 is view only: input ignored", 5)
            try:
                await conn.until(lambda p, k, f: k == "CursorPosition" and f["x"] == 1000, 1.5)
                raise AssertionError("a view-only viewer moved the pointer")
            except (AssertionError, asyncio.TimeoutError) as e:
                if "view-only" in str(e):
                    raise

            # Both leave: the capturer closes.
            await conn.send(envelope.viewer_left(7))
            await conn.send(envelope.viewer_left(8))
            await agent.wait_log("capture stopped", 5)
        finally:
            await agent.stop()


async def test_reconnect():
    port = free_port()
    server_cmd = [sys.executable, os.path.join(HERE, "fake_server.py"), "--port", str(port)]

    def start_server():
        proc = subprocess.Popen(server_cmd, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().startswith("listening"), "fake server did not start"
        return proc

    async def next_line(proc, prefix, timeout):
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = await asyncio.wait_for(loop.run_in_executor(None, proc.stdout.readline),
                                          deadline - time.monotonic())
            if line.startswith(prefix):
                return line
            if not line:
                break
        raise AssertionError(f"no '{prefix}' from the fake server within {timeout} s")

    first = start_server()
    agent = await Agent(f"ws://127.0.0.1:{port}/api/agent/ws").start()
    second = None
    try:
        await next_line(first, "hello", 10)
        await next_line(first, "agent-ping", 3)
        first.kill()  # a crash: the kernel resets the connection
        first.wait(5)
        killed = time.monotonic()
        second = start_server()
        await next_line(second, "hello", 5)
        back = time.monotonic() - killed
        print(f"  agent back {back:.2f} s after the server was killed", flush=True)
        assert back < 5, f"reconnect took {back:.2f} s"
        await agent.wait_log(r"connected \(connection 1", 2)
    finally:
        await agent.stop()
        for proc in (first, second):
            if proc and proc.poll() is None:
                proc.kill()
                proc.wait(5)


async def test_heartbeat_timeout():
    async with FakeServer(answer_pings=False) as server:
        agent = await Agent(server.url()).start()
        try:
            conn, _ = await server.accept()
            await conn.send(envelope.welcome(1, 1))
            started = time.monotonic()
            await agent.wait_log("heartbeat lost", 6)
            silent = time.monotonic() - started
            assert 2.5 <= silent <= 5, f"dropped after {silent:.2f} s, expected about 3"
            await server.accept(10)  # and it comes back
        finally:
            await agent.stop()


async def test_reject_backs_off():
    async with FakeServer() as server:
        agent = await Agent(server.url()).start()
        try:
            conn, _ = await server.accept()
            await conn.send(envelope.reject(1))
            line = await agent.wait_log(r"reconnecting in \d+ ms", 5)
            delay = int(re.search(r"in (\d+) ms", line).group(1))
            assert 15000 <= delay <= 30000, f"bad-credential retry after {delay} ms"
            await asyncio.sleep(2)
            assert server.connections.empty(), "the agent retried a bad credential at once"
        finally:
            await agent.stop()


async def test_identity_proof():
    """The agent answers the challenge with a valid proof, with the same persisted key on a reconnect and
    after a restart; the key file is 0600."""
    async with FakeServer() as server:
        agent = await Agent(server.url()).start()
        try:
            conn, _ = await server.accept()
            first, _ = await prove(conn, os.urandom(32))
            await conn.send(envelope.welcome(1, 20))
            await agent.wait_log(r"connected \(connection 1", 5)
            await conn.ws.close()
            again, _ = await server.accept()
            second, _ = await prove(again, os.urandom(32))
            assert second == first, "a reconnect proved another key"
        finally:
            await agent.stop()
        mode = os.stat(IDENTITY_FILE).st_mode & 0o777
        assert mode == 0o600, f"identity file mode {mode:o}"
        agent = await Agent(server.url()).start()
        try:
            conn, _ = await server.accept()
            third, _ = await prove(conn, os.urandom(32))
            assert third == first, "a restart created another key"
        finally:
            await agent.stop()


async def test_identity_file_readable_by_others_is_refused():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "identity.key")
        with open(path, "w") as f:
            f.write("11" * 32 + "\n")
        os.chmod(path, 0o644)
        proc = await asyncio.create_subprocess_exec(
            AGENT, "--server", "ws://127.0.0.1:9/api/agent/ws", "--agent-id", str(AGENT_ID),
            "--credential", CREDENTIAL.decode(), "--identity-file", path, "--display", display(),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
        assert proc.returncode == 1, f"exit code {proc.returncode}"
        assert b"TooOpen" in err, err


async def test_tls():
    with tempfile.TemporaryDirectory() as tmp:
        paths = test_ca.make_ca(tmp)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(paths["cert.pem"], paths["key.pem"])
        async with FakeServer(tls=context) as server:
            for host, pin in (("localhost", []), ("127.0.0.1", ["--pin-ca"])):
                agent = await Agent(server.url("wss", host), "--ca-file", paths["ca.pem"], *pin).start()
                try:
                    conn, _ = await server.accept()
                    await conn.send(envelope.welcome(3, 1))
                    await agent.wait_log(r"connected \(connection 3", 5)
                finally:
                    await agent.stop()
            agent = await Agent(server.url("wss")).start()  # system trust only: refused
            try:
                await agent.wait_log("transport: CertificateRejected", 5)
                assert server.connections.empty(), "a WebSocket opened over an unverified TLS link"
            finally:
                await agent.stop()


TESTS = [test_session, test_reconnect, test_heartbeat_timeout, test_reject_backs_off, test_identity_proof,
         test_identity_file_readable_by_others_is_refused, test_tls]


if __name__ == "__main__":
    sys.exit(asyncio.run(run_tests(TESTS, 90)))
