#!/usr/bin/env python3
"""The one-time support agent (docs/support.md §4) against the fake server of
agent_net_harness.py, with its windows clicked by xdotool as a person would:
  allow      AgentStatus 1; a viewer that joins before consent agrees its keys (signed) but
             gets no pixel; the consent window names the technician and shows the channel's
             6-digit code in its title; Allow → AgentStatus 2, pixels; the session window
             with the code; End → AgentStatus 4, exit 0, file deleted
  decline    Decline → AgentStatus 3, exit 0, file deleted
  timeout    no answer within --consent-timeout → AgentStatus 3, exit 0, file deleted
  end        consent not required → AgentStatus 2 at once; SessionEnd → exit 0, file deleted
  reconnect  the link drops: the agent redials and reports consent again; file kept
  refused    Reject(unknown session) → exit 0, file deleted
  undeletable  the file cannot be deleted (immutable as root, else in a read-only folder): exit 0,
             the file stays, an XDG autostart entry is written and logged; run as a desktop's login
             runs it (gio launch), it removes the file and then itself
  self       a copy of the agent, its key slot stamped and the signed trailer appended, runs
             with no arguments and deletes itself on SessionEnd
  tampered   one byte of the trailer's JSON changed (the server URL): exit 2, BadSignature
             logged, no connection; the same for a copy whose slot was never stamped (Unsigned)
usage: test_support_mode.py AGENT_BINARY   (needs GURU_XVFB_DIR from the ctest Xvfb fixture)
Every wait is bounded; only processes started here are stopped, by pid."""
import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import agent_net_harness as net  # noqa: E402  (reads the same argv[1]; puts tests/ on the path)
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from guruproto import envelope, trailer as support_trailer  # noqa: E402

AGENT = sys.argv[1]
SESSION_HEX = "00112233445566778899aabbccddeeff"
SECRET = "c0ffee" * 8
CONSENT_TITLE = "GuruConnect: allow remote support?"
SESSION_TITLE = "GuruConnect: session active"
ALLOW, DECLINE, END = (394, 197), (282, 197), (254, 161)  # x11_prompt_layout.h


# The portal's signing key, for this run (docs/support.md §4).
SIGNING_KEY = Ed25519PrivateKey.generate()
KEY_SLOT = support_trailer.KEY_SLOT + support_trailer.raw_public(SIGNING_KEY)


def trailer(port, consent):
    config = json.dumps({"server": f"http://127.0.0.1:{port}", "session": SESSION_HEX,
                         "secret": SECRET, "code": "123456", "company": "Acme IT",
                         "consent": consent}).encode()
    return support_trailer.trailer(config, SIGNING_KEY)


def stamped(binary):
    """What the portal does to the stock binary (tests/guruproto/trailer.py)."""
    return support_trailer.stamp(binary, support_trailer.raw_public(SIGNING_KEY))


def xdotool(*args):
    env = dict(os.environ, DISPLAY=net.display())
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=10)


async def find_window(title, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = xdotool("search", "--name", title)  # the recipe in agent/README.md
        ids = found.stdout.split()
        if found.returncode == 0 and ids:
            return ids[-1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no window titled {title!r} within {timeout} s")


def window_name(window):
    found = xdotool("getwindowname", window)
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()


async def title_becomes(title, expected, timeout=10):
    """The window found by `title` gets the title `expected` (the code arrives a little later)."""
    deadline = time.monotonic() + timeout
    while True:
        name = window_name(await find_window(title))
        if name == expected or time.monotonic() > deadline:
            assert name == expected, (name, expected)
            return
        await asyncio.sleep(0.05)


async def click(title, at):
    window = await find_window(title)
    result = xdotool("mousemove", "--window", window, str(at[0]), str(at[1]), "click", "1")
    assert result.returncode == 0, result.stderr


class SupportAgent(net.Agent):
    """The agent in support mode: the trailer from --support-trailer FILE, or its own."""

    def __init__(self, *argv, env=None):
        super().__init__(None)
        self.argv = argv
        self.env = env

    async def start(self):
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
            env=self.env)
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def exited(self, timeout=10):
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        await asyncio.wait_for(self.reader, 5)
        return code


def download(tmp, port, consent):
    """A stand-in for the portal's download: some bytes, the key slot and the signed trailer."""
    path = os.path.join(tmp, "GuruConnect-123456")
    with open(path, "wb") as f:
        f.write(b"\x7fELF not really" + KEY_SLOT + trailer(port, consent))
    return path


async def start(server, tmp, consent, *extra):
    path = download(tmp, server.port, consent)
    agent = await SupportAgent(AGENT, "--support-trailer", path, "--display", net.display(),
                               *extra).start()
    conn, (agent_id, credential, _) = await server.accept()
    assert agent_id.hex() == SESSION_HEX and credential == SECRET.encode()
    await conn.send(envelope.welcome(5, 1))
    return agent, conn, path


@contextlib.asynccontextmanager
async def support_session(consent, *extra):
    """A fake server and the support agent started against it from a downloaded file; yields
    (server, agent, conn, path) and stops the agent (by pid) however the test ends."""
    with tempfile.TemporaryDirectory() as tmp:
        async with net.FakeServer() as server:
            agent, conn, path = await start(server, tmp, consent, *extra)
            try:
                yield server, agent, conn, path
            finally:
                await agent.stop()


async def expect_status(conn, state, skip_relays=False):
    """The next AgentStatus; with skip_relays, screen records streamed meanwhile are skipped."""
    deadline = time.monotonic() + 10
    while True:
        message = await asyncio.wait_for(conn.inbox.get(), max(0.01, deadline - time.monotonic()))
        if message["type"] == "Relay" and skip_relays:
            continue
        if message["type"] == "AgentInfo":  # sent on every connection, before the status
            assert message["hostname"] and message["osName"].startswith("Linux"), message
            continue
        assert message["type"] == "AgentStatus", f"expected AgentStatus, got {message['type']}"
        assert message["state"] == state, f"AgentStatus {message['state']}, expected {state}"
        return


async def finish(agent, path):
    try:
        code = await agent.exited()
    except asyncio.TimeoutError:
        await agent.stop()
        raise AssertionError("support agent did not exit by itself")
    assert code == 0, f"exit code {code}"
    assert not os.path.exists(path), "the support file was not deleted"
    await agent.wait_log("support: deleted ", 1)


async def test_allow():
    async with support_session(True) as (_, agent, conn, path):
        await expect_status(conn, 1)
        await agent.wait_log("support: consent prompt shown", 5)
        await conn.send(envelope.viewer_info(7, "Ada Lovelace"))
        await conn.send(envelope.viewer_joined(net.SESSION_ID, 7))
        # The keys are agreed before consent (signed by the agent's identity), so the consent
        # window can show the code; nothing sealed comes until the end user allows it.
        channel = await conn.accept_key_share(7)
        await agent.wait_log(re.escape(f"viewer 7: keys agreed and signed, code {channel.code} (held"), 5)
        await title_becomes(CONSENT_TITLE, f"{CONSENT_TITLE} (code {channel.code})")
        try:
            message = await asyncio.wait_for(conn.inbox.get(), 1.5)
            raise AssertionError(f"the agent sent {message['type']} before consent")
        except asyncio.TimeoutError:
            pass  # nothing before consent but the key exchange: no pixel
        await click(CONSENT_TITLE, ALLOW)
        await expect_status(conn, 2)
        await conn.until(lambda p, k, f: k == "FrameEnd", 30)
        await agent.wait_log("support: session window shown", 5)
        await title_becomes(SESSION_TITLE, f"{SESSION_TITLE} (code {channel.code})")
        await click(SESSION_TITLE, END)
        await expect_status(conn, 4, skip_relays=True)
        await finish(agent, path)
        await agent.wait_log("support: ended by the user", 1)


async def test_decline():
    async with support_session(True) as (_, agent, conn, path):
        await expect_status(conn, 1)
        await click(CONSENT_TITLE, DECLINE)
        await expect_status(conn, 3)
        await finish(agent, path)
        await agent.wait_log("support: consent declined", 1)


async def test_consent_timeout():
    async with support_session(True, "--consent-timeout", "1") as (_, agent, conn, path):
        await expect_status(conn, 1)
        await expect_status(conn, 3)
        await finish(agent, path)
        await agent.wait_log("support: consent timed out", 1)


async def test_session_end():
    async with support_session(False) as (_, agent, conn, path):
        await expect_status(conn, 2)
        await find_window(SESSION_TITLE)
        await conn.send(envelope.session_end(bytes.fromhex(SESSION_HEX), 2))
        await finish(agent, path)
        await agent.wait_log(r"support: session ended by the server \(reason 2\)", 1)


async def test_reconnect():
    """A dropped link is redialled; consent given before the drop is reported again."""
    async with support_session(True) as (server, agent, conn, path):
        await expect_status(conn, 1)
        await click(CONSENT_TITLE, ALLOW)
        await expect_status(conn, 2)
        await conn.ws.close()
        again, _ = await server.accept(15)
        await again.send(envelope.welcome(9, 1))
        await expect_status(again, 2)
        assert os.path.exists(path), "a dropped link must not end the session"
        await again.send(envelope.session_end(bytes.fromhex(SESSION_HEX), 1))
        await finish(agent, path)


async def test_refused():
    with tempfile.TemporaryDirectory() as tmp:
        async with net.FakeServer() as server:
            path = download(tmp, server.port, True)
            agent = await SupportAgent(AGENT, "--support-trailer", path, "--display",
                                       net.display()).start()
            try:
                conn, _ = await server.accept()
                await conn.send(envelope.reject(2))
                await finish(agent, path)
                await agent.wait_log(r"support: the server refused the session \(reject code 2\)", 1)
            finally:
                await agent.stop()


async def test_identity_proof_and_rate_limited():
    """The support agent proves a key of its own, keeps it across reconnects (in memory), and a RateLimited
    refusal neither ends the session nor deletes the file: the agent backs off and comes back."""
    with tempfile.TemporaryDirectory() as tmp:
        async with net.FakeServer() as server:
            path = download(tmp, server.port, False)
            agent = await SupportAgent(AGENT, "--support-trailer", path, "--display", net.display()).start()
            try:
                conn, _ = await server.accept()
                key, _ = await net.prove(conn, os.urandom(32), bytes.fromhex(SESSION_HEX))
                await conn.send(envelope.reject(4))
                await agent.wait_log(r"connection: rejected: rate limited", 5)
                await agent.wait_log(r"reconnecting in \d+ ms", 5)
                again, _ = await server.accept(40)  # the penalty delay: 15 to 30 s
                assert agent.proc.returncode is None and os.path.exists(path), "a throttle ended the support agent"
                assert not any("refused the session" in line for line in agent.lines), agent.lines[-5:]
                same, _ = await net.prove(again, os.urandom(32), bytes.fromhex(SESSION_HEX))
                assert same == key, "the reconnect proved another key"
                await again.send(envelope.welcome(6, 1))
                await expect_status(again, 2)
                await again.send(envelope.session_end(bytes.fromhex(SESSION_HEX), 2))
                await finish(agent, path)
            finally:
                await agent.stop()


async def test_self():
    with tempfile.TemporaryDirectory() as tmp:
        async with net.FakeServer() as server:
            copy = os.path.join(tmp, "GuruConnect-123456")
            with open(AGENT, "rb") as f:
                binary = f.read()
            with open(copy, "wb") as f:
                f.write(stamped(binary) + trailer(server.port, False))
            os.chmod(copy, 0o700)
            env = {k: v for k, v in os.environ.items() if not k.startswith("GURU_")}
            env["DISPLAY"] = net.display()
            env["GURU_SERVER"] = "ws://127.0.0.1:1/ignored"  # support mode ignores it
            agent = await SupportAgent(copy, env=env).start()
            try:
                conn, (agent_id, _, _) = await server.accept()
                assert agent_id.hex() == SESSION_HEX
                await conn.send(envelope.welcome(6, 1))
                await expect_status(conn, 2)
                await conn.send(envelope.session_end(bytes.fromhex(SESSION_HEX), 5))
                await finish(agent, copy)
            finally:
                await agent.stop()


def refuse_deletion(path):
    """Makes `path` undeletable for this user the way a real system does: root ignores folder
    permissions, so the file is made immutable (ext4, chattr); anyone else gets a folder they
    cannot write. Returns the function that lifts it."""
    folder = os.path.dirname(path)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", path], check=True, timeout=10)
        return lambda: subprocess.run(["chattr", "-i", path], check=True, timeout=10)
    os.chmod(folder, 0o555)
    return lambda: os.chmod(folder, 0o755)


async def test_undeletable():
    with tempfile.TemporaryDirectory() as tmp:
        async with net.FakeServer() as server:
            config = os.path.join(tmp, "config")
            downloads = os.path.join(tmp, "Down loads")  # a space: the entry's quoting
            os.mkdir(downloads)
            path = download(downloads, server.port, False)
            lift = refuse_deletion(path)
            try:
                env = dict(os.environ, XDG_CONFIG_HOME=config)
                agent = await SupportAgent(AGENT, "--support-trailer", path, "--display", net.display(),
                                           env=env).start()
                try:
                    conn, _ = await server.accept()
                    await conn.send(envelope.welcome(5, 1))
                    await expect_status(conn, 2)
                    await conn.send(envelope.session_end(bytes.fromhex(SESSION_HEX), 2))
                    assert await agent.exited() == 0
                finally:
                    await agent.stop()
                assert os.path.exists(path), "the file was deleted after all: the test refused nothing"
                entries = os.listdir(os.path.join(config, "autostart"))
                assert len(entries) == 1 and entries[0].startswith("guruconnect-cleanup-"), entries
                entry = os.path.join(config, "autostart", entries[0])
                await agent.wait_log(re.escape(f"support: could not delete {path} (") + r".+\): " +
                                     re.escape(f"deletion scheduled for the next login (LoginAutostart: {entry})"), 1)
            finally:
                lift()
            # The next login: the desktop runs the entry (GLib's own Desktop Entry parser).
            launched = subprocess.run(["gio", "launch", entry], capture_output=True, text=True, timeout=20,
                                      env={k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"})
            assert launched.returncode == 0, launched.stderr
            deadline = time.monotonic() + 10
            while (os.path.exists(path) or os.path.exists(entry)) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert not os.path.exists(path), "the login cleanup did not remove the file"
            assert not os.path.exists(entry), "the login cleanup did not remove itself"


async def refused_file(server, path, error):
    """The agent started on `path` exits 2 with `error` logged and never dials."""
    agent = await SupportAgent(AGENT, "--support-trailer", path, "--display", net.display()).start()
    try:
        assert await agent.exited() == 2
        await agent.wait_log(rf"support: bad trailer in .*: {error}", 1)
        await asyncio.sleep(0.5)
        assert server.connections.empty(), "an agent with a bad trailer connected"
        assert os.path.exists(path), "a refused file is not deleted"
    finally:
        await agent.stop()


async def test_tampered():
    with tempfile.TemporaryDirectory() as tmp:
        async with net.FakeServer() as server:
            path = download(tmp, server.port, True)
            with open(path, "rb") as f:
                data = f.read()
            at = data.index(b"127.0.0.1") + 8  # 127.0.0.1 -> 127.0.0.2: another server
            with open(path, "wb") as f:
                f.write(data[:at] + b"2" + data[at + 1:])
            await refused_file(server, path, "BadSignature")
            with open(AGENT, "rb") as f:
                binary = f.read()
            with open(path, "wb") as f:
                f.write(binary + trailer(server.port, True))  # slot left empty
            await refused_file(server, path, "Unsigned")


TESTS = [test_allow, test_decline, test_consent_timeout, test_session_end, test_reconnect, test_identity_proof_and_rate_limited,
         test_refused, test_undeletable, test_self, test_tampered]


if __name__ == "__main__":
    sys.exit(asyncio.run(net.run_tests(TESTS, 60)))
