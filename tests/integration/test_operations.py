"""Operating the server: graceful shutdown, JSON logs, metrics, and the warning for plain HTTP on a network."""
import json
import shutil
import signal
import subprocess
import time

import pytest

import serverkit
from api import Api


def test_sigterm_shuts_down_gracefully(tmp_path):
    server = serverkit.start(tmp_path)
    Api(server.base_url).setup_and_login()
    started = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - started < 10
    # The SQLite file is intact and reused by the next start.
    again = serverkit.start(tmp_path)
    try:
        status, _, body = Api(again.base_url).call("GET", "/api/setup/status")
        assert status == 200 and body == {"needsSetup": False, "tokenRequired": False}
    finally:
        again.stop()


def test_json_logs_are_one_object_per_line_and_never_contain_secrets(tmp_path):
    server = serverkit.start(tmp_path, "--log-format", "json", "--log-level", "debug")
    try:
        api = Api(server.base_url)
        api.setup_and_login(password="super-secret-password-42")
        api.call("POST", "/api/auth/login", {"username": "admin", "password": "wrong-password-99"})
    finally:
        server.stop()
    log = server.log()
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(r.get("message") == "GuruConnect listening" for r in records)
    assert all({"time", "level", "label", "message"} <= r.keys() for r in records)
    assert "super-secret-password-42" not in log and "wrong-password-99" not in log


METRICS_TOKEN = "prometheus-scrape-token-2f9c41"


def test_metrics_need_the_configured_bearer_token(tmp_path):
    server = serverkit.start(tmp_path, "--metrics-token", METRICS_TOKEN)
    try:
        api = Api(server.base_url)
        for _ in range(3):
            api.call("GET", "/api/setup/status")
        status, headers, body = api.call("GET", "/metrics")
        assert status == 401 and body["error"] == "metrics_token"
        assert headers.get("WWW-Authenticate") == 'Bearer realm="metrics"'
        status, _, _ = api.call("GET", "/metrics", headers={"Authorization": "Bearer " + METRICS_TOKEN[:-1] + "x"})
        assert status == 401
        api.setup_and_login()
        status, _, _ = api.call("GET", "/metrics")
        assert status == 403, "a signed-in user is not the scraper"
        status, _, body = Api(server.base_url).call("GET", "/metrics", headers={"Authorization": "Bearer " + METRICS_TOKEN})
        text = body.decode()
        assert status == 200
        assert "hb_requests" in text or "http_requests" in text, text[:500]
    finally:
        server.stop()


def test_metrics_are_closed_without_a_token(tmp_path):
    server = serverkit.start(tmp_path)
    try:
        status, _, body = Api(server.base_url).call("GET", "/metrics")
        assert status == 401 and body["error"] == "metrics_token"
        status, _, _ = Api(server.base_url).call("GET", "/metrics", headers={"Authorization": "Bearer anything-at-all-12345"})
        assert status == 401
    finally:
        server.stop()


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare (util-linux)")
def test_plain_http_on_a_network_address_warns_loudly(tmp_path):
    # An empty network namespace: binding 0.0.0.0 there reaches nothing outside the test.
    script = "ip link set lo up && exec \"$@\""
    server = serverkit.start(tmp_path, "--host", "0.0.0.0", wait=False, wrapper=("unshare", "-n", "sh", "-c", script, "sh"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "INSECURE" not in server.log() and server.process.poll() is None:
        time.sleep(0.2)
    log = server.log()
    server.stop()
    assert "INSECURE: serving plain HTTP on 0.0.0.0" in log
