#!/usr/bin/env python3
"""The unattended (enrolled) agent end to end against Python stand-ins for the server
(docs/unattended.md): a copy of the agent stamped with this run's key and a signed
{"mode":"unattended"} trailer, run with --unattended --config FILE:
  enrol      first start: POST /api/agent/enrol with the token, hostname and metadata; the
             answer's id and credential stored 0600 without the token; AgentHello with them;
             the identity key beside the config
  restart    the second start reads the config: no enrolment, the same id and credential
  reconfigure  --reconfigure edits the stored metadata (and refuses a bad device type)
  tampered   one byte of the trailer changed: exit 2, "BadSignature", no request made
  refused    a 401 answer: exit 78, the server's reason logged, no config written
  retry      the enrolment server down at first: retried with backoff until it answers
  token file the stock binary with --enrol-token-file FILE --server URL
usage: test_unattended_mode.py AGENT_BINARY   (needs GURU_XVFB_DIR: the ctest xvfb fixture)"""
import asyncio
import json
import os
import stat
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import agent_net_harness as net  # noqa: E402  (reads the same argv[1]; puts tests/ on the path)
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from guruproto import trailer as support_trailer  # noqa: E402

AGENT = sys.argv[1]
SIGNING_KEY = Ed25519PrivateKey.generate()
TOKEN = "enrol-token-3f9a"
AGENT_HEX = net.AGENT_ID.hex
CREDENTIAL = "issued-credential-77"
METADATA = {"name": "", "company": "Glaztech", "site": "Phoenix Office", "department": "IT",
            "deviceType": "workstation", "tag": "Front desk", "properties": {"Asset": "A-17"}}


class EnrolServer:
    """POST /api/agent/enrol: records each request body and answers with `status`."""

    def __init__(self, agent_url, status=201, port=0):
        self.agent_url = agent_url
        self.status = status
        self.requests = []
        self.port = port

    async def __aenter__(self):
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc):
        self.server.close()
        await self.server.wait_closed()

    async def handle(self, reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        length = next(int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:"))
        body = json.loads(await reader.readexactly(length))
        self.requests.append((lines[0], body))
        if self.status == 201:
            answer = {"agentId": AGENT_HEX, "credential": CREDENTIAL, "server": self.agent_url}
        else:
            answer = {"error": {"code": "enrolment_refused", "message": "expired or invalid"}}
        data = json.dumps(answer).encode()
        writer.write(f"HTTP/1.1 {self.status} X\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data)
        await writer.drain()
        writer.close()


def baked(tmp, enrol_port, metadata=METADATA):
    """What the Build tab's Download EXE does: the stock agent, its slot stamped, the trailer appended."""
    with open(AGENT, "rb") as f:
        binary = support_trailer.stamp(f.read(), support_trailer.raw_public(SIGNING_KEY))
    config = json.dumps({"mode": "unattended", "server": f"http://127.0.0.1:{enrol_port}",
                         "enrolToken": TOKEN, "metadata": metadata}).encode()
    path = os.path.join(tmp, "guruconnect-agent")
    with open(path, "wb") as f:
        f.write(binary + support_trailer.trailer(config, SIGNING_KEY))
    os.chmod(path, 0o755)
    return path


class Run(net.Agent):
    """The agent with any command line (net.Agent always passes --server and a credential)."""

    def __init__(self, *argv):
        super().__init__("")
        self.argv = argv

    async def start(self):
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def exited(self, timeout=15):
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        await asyncio.wait_for(self.reader, 5)
        return code


def read_config(path):
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, oct(os.stat(path).st_mode)
    with open(path) as f:
        text = f.read()
    assert TOKEN not in text, "the enrolment token was stored"
    return json.loads(text)


async def start_unattended(exe, config, *extra):
    return await Run(exe, "--unattended", "--config", config, "--display", net.display(), *extra).start()


async def test_enrol_restart_reconfigure():
    with tempfile.TemporaryDirectory() as tmp:
        async with net.FakeServer() as server:
            async with EnrolServer(server.url()) as enrol:
                exe = baked(tmp, enrol.port)
                config = os.path.join(tmp, "etc", "agent.json")
                agent = await start_unattended(exe, config)
                try:
                    conn, (agent_id, credential, _) = await server.accept(timeout=20)
                    assert agent_id == net.AGENT_ID.bytes and credential == CREDENTIAL.encode()
                    await net.prove(conn, bytes(32))
                finally:
                    await agent.stop()
                assert len(enrol.requests) == 1
                line, body = enrol.requests[0]
                assert line == "POST /api/agent/enrol HTTP/1.1", line
                assert body["token"] == TOKEN and body["hostname"] == os.uname().nodename
                assert body["metadata"] == METADATA, body["metadata"]
                stored = read_config(config)
                assert stored["agentId"] == AGENT_HEX and stored["credential"] == CREDENTIAL
                assert stored["server"] == server.url() and stored["metadata"] == METADATA
                assert os.path.exists(os.path.join(tmp, "etc", "identity.key")), "identity key not beside the config"
                assert not any(TOKEN in arg for arg in agent.argv), "the token reached a command line"

                # The second start: the stored configuration, no enrolment.
                agent = await start_unattended(exe, config)
                try:
                    _, (agent_id, credential, _) = await server.accept(timeout=20)
                    assert agent_id == net.AGENT_ID.bytes and credential == CREDENTIAL.encode()
                    await agent.wait_log("running with the stored configuration", 5)
                finally:
                    await agent.stop()
                assert len(enrol.requests) == 1, "enrolled twice"

        edit = await Run(exe, "--reconfigure", "--config", config, "--site", "New York Office",
                         "--tag", "", "--device-type", "laptop").start()
        assert await edit.exited() == 0
        stored = read_config(config)
        assert stored["metadata"]["site"] == "New York Office" and stored["metadata"]["tag"] == ""
        assert stored["metadata"]["deviceType"] == "laptop" and stored["metadata"]["company"] == "Glaztech"
        assert stored["credential"] == CREDENTIAL
        bad = await Run(exe, "--reconfigure", "--config", config, "--device-type", "toaster").start()
        assert await bad.exited() == 2
        await bad.wait_log("workstation, server or laptop", 1)
        assert read_config(config)["metadata"]["deviceType"] == "laptop"
        none = await Run(exe, "--reconfigure", "--config", os.path.join(tmp, "missing.json"), "--site", "x").start()
        assert await none.exited() == 2
        await none.wait_log("not enrolled", 1)


async def test_tampered():
    with tempfile.TemporaryDirectory() as tmp:
        async with EnrolServer("ws://127.0.0.1:9/api/agent/ws") as enrol:
            exe = baked(tmp, enrol.port)
            with open(exe, "rb") as f:
                data = f.read()
            at = data.rindex(b"Phoenix Office")  # the trailer's copy, not one in the binary
            with open(exe, "wb") as f:
                f.write(data[:at] + b"Q" + data[at + 1:])
            config = os.path.join(tmp, "agent.json")
            for argv in ([exe, "--unattended", "--config", config], [exe]):
                agent = await Run(*argv).start()
                assert await agent.exited() == 2
                await agent.wait_log(r"bad trailer in .*: BadSignature: .*not starting", 1)
            assert enrol.requests == [], "a tampered agent enrolled"
            assert not os.path.exists(config)


async def test_refused():
    with tempfile.TemporaryDirectory() as tmp:
        async with EnrolServer("ws://127.0.0.1:9/api/agent/ws", status=401) as enrol:
            exe = baked(tmp, enrol.port)
            config = os.path.join(tmp, "agent.json")
            agent = await start_unattended(exe, config)
            assert await agent.exited() == 78
            await agent.wait_log(r"refused the enrolment token \(expired or invalid\)", 1)
            assert len(enrol.requests) == 1, "a refused token was retried"
            assert not os.path.exists(config)


async def test_retry_until_the_server_answers():
    with tempfile.TemporaryDirectory() as tmp:
        async with net.FakeServer() as server:
            port = net.free_port()
            exe = baked(tmp, port)
            config = os.path.join(tmp, "agent.json")
            agent = await start_unattended(exe, config)
            try:
                await agent.wait_log(r"enrolment attempt 1 failed: cannot reach the server .*retrying in", 15)
                async with EnrolServer(server.url(), port=port) as enrol:
                    _, (agent_id, _, _) = await server.accept(timeout=30)
                    assert agent_id == net.AGENT_ID.bytes
                    assert len(enrol.requests) == 1
            finally:
                await agent.stop()
            assert read_config(config)["agentId"] == AGENT_HEX


async def test_token_file():
    with tempfile.TemporaryDirectory() as tmp:
        async with net.FakeServer() as server:
            async with EnrolServer(server.url()) as enrol:
                token_file = os.path.join(tmp, "token")
                with open(token_file, "w") as f:
                    f.write(TOKEN + "\n")
                config = os.path.join(tmp, "agent.json")
                agent = await start_unattended(AGENT, config, "--enrol-token-file", token_file,
                                               "--server", f"http://127.0.0.1:{enrol.port}", "--site", "Lab")
                try:
                    await server.accept(timeout=20)
                finally:
                    await agent.stop()
                assert enrol.requests[0][1]["token"] == TOKEN
                assert enrol.requests[0][1]["metadata"]["site"] == "Lab"
                assert read_config(config)["metadata"]["site"] == "Lab"
        # The stock binary without a token says what is missing.
        agent = await start_unattended(AGENT, os.path.join(tmp, "other.json"))
        assert await agent.exited() == 2
        await agent.wait_log("no enrolment token", 1)


TESTS = [test_enrol_restart_reconfigure, test_tampered, test_refused, test_retry_until_the_server_answers, test_token_file]


if __name__ == "__main__":
    sys.exit(asyncio.run(net.run_tests(TESTS, 90)))
