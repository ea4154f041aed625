"""The real Linux agent as the Build tab bakes it, against the real server (docs/unattended.md §3):
the binary inside the server's .deb download (the agent with its slot stamped and the signed
unattended trailer, extracted with dpkg-deb) run directly with a temporary --config enrols through POST /api/agent/enrol, stores its
configuration 0600 without the token, and comes online in GET /api/agents; a restart reuses it;
--reconfigure edits it; a revoked token is refused (exit 78, nothing stored).
The agent comes from agent/build/asan or agent/build/release (make agent-build); skipped without one."""
import json
import os
import shutil
import signal
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import serverkit
from api import Api

REPO = Path(__file__).resolve().parents[2]
AGENTS = [REPO / "agent/build/release/guruconnect-agent", REPO / "agent/build/asan/guruconnect-agent"]


@pytest.fixture(scope="module")
def fleet_server(tmp_path_factory):
    agent = next((a for a in AGENTS if a.exists()), None)
    if agent is None:
        pytest.skip("no Linux agent built (make agent-build)")
    agents = tmp_path_factory.mktemp("agents")
    shutil.copy(agent, agents / "guruconnect-agent")
    server = serverkit.start(tmp_path_factory.mktemp("data"), "--agent-dir", str(agents))
    api = Api(server.base_url)
    api.setup_and_login()
    yield server, api
    server.stop()


def baked_agent(api, tmp_path):
    status, _, result = api.call("POST", "/api/build", {
        "format": "deb", "platform": "linux64",
        "metadata": {"company": "Glaztech", "site": "Phoenix Office", "deviceType": "workstation"}})
    assert status == 201, result
    with urllib.request.urlopen(result["download"]["url"], timeout=60) as response:
        data = response.read()
    deb = tmp_path / "agent.deb"
    deb.write_bytes(data)
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path / "deb")], check=True, timeout=60)
    path = tmp_path / "deb/usr/lib/guruconnect/guruconnect-agent"
    assert os.access(path, os.X_OK)
    return path, result["token"]["id"]


def agents(api):
    status, _, body = api.call("GET", "/api/agents")
    assert status == 200, body
    return body["items"] if isinstance(body, dict) else body


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(what() if callable(what) else what)


def start(exe, config, log):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "GURU_SERVER")}
    return subprocess.Popen([str(exe), "--unattended", "--config", str(config)], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, env=env)


def stop(process):
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0


def online(api, agent_id):
    return any(a["id"].replace("-", "").lower() == agent_id and a["online"] for a in agents(api))


def test_baked_linux_agent_enrols_comes_online_and_reconfigures(fleet_server, tmp_path):
    server, api = fleet_server
    exe, _ = baked_agent(api, tmp_path)
    config = tmp_path / "etc" / "agent.json"
    log_path = tmp_path / "agent.log"
    with open(log_path, "w") as log:
        process = start(exe, config, log)
        try:
            wait_until(lambda: config.exists(), 60, lambda: "never enrolled:\n" + log_path.read_text())
            stored = json.loads(config.read_text())
            assert stat.S_IMODE(config.stat().st_mode) == 0o600
            assert "token" not in config.read_text().lower()
            assert stored["metadata"]["company"] == "Glaztech" and stored["metadata"]["site"] == "Phoenix Office"
            wait_until(lambda: online(api, stored["agentId"]), 30, lambda: "never online:\n" + log_path.read_text())
        finally:
            stop(process)
    # The restart reads the stored configuration: the same machine, no second enrolment.
    count = len(agents(api))
    with open(log_path, "a") as log:
        process = start(exe, config, log)
        try:
            wait_until(lambda: online(api, stored["agentId"]), 30, lambda: "restart not online:\n" + log_path.read_text())
        finally:
            stop(process)
    assert len(agents(api)) == count
    assert "running with the stored configuration" in log_path.read_text()

    edit = subprocess.run([str(exe), "--reconfigure", "--config", str(config), "--site", "New York Office"],
                          capture_output=True, text=True, timeout=30)
    assert edit.returncode == 0, edit.stderr
    assert json.loads(config.read_text())["metadata"]["site"] == "New York Office"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


def test_revoked_token_is_refused_and_nothing_is_stored(fleet_server, tmp_path):
    _, api = fleet_server
    exe, token_id = baked_agent(api, tmp_path)
    status, _, _ = api.call("DELETE", f"/api/enrolment-tokens/{token_id}")
    assert status == 204
    config = tmp_path / "agent.json"
    result = subprocess.run([str(exe), "--unattended", "--config", str(config)], capture_output=True, text=True,
                            timeout=60, env={k: v for k, v in os.environ.items() if k != "DISPLAY"})
    assert result.returncode == 78, result.stderr
    assert "refused the enrolment token (expired or invalid)" in result.stderr, result.stderr
    assert not config.exists()
