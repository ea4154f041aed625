"""The data directory and the secrets in it belong to the server's user alone (issue #11): the folder is
created 0700, the SQLite database with its -wal and -shm files and server.key are 0600, and the server
refuses to start when server.key can be read by group or others."""
import os
import stat
import subprocess
import time
import urllib.request

import serverkit
from api import Api


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_data_directory_and_its_files_are_private_even_under_a_loose_umask(tmp_path):
    data = tmp_path / "fresh" / "data"  # does not exist yet: the server creates it
    server = start_without_precreating(data, tmp_path / "logs", serverkit.free_port())
    try:
        Api(server.base_url).setup_and_login()  # writes go through the WAL
        assert mode(data) == 0o700
        files = {name: mode(data / name) for name in os.listdir(data)}
        assert {"guruconnect.sqlite", "guruconnect.sqlite-wal", "guruconnect.sqlite-shm", "server.key"} <= files.keys(), files
        assert all(m == 0o600 for m in files.values()), {k: oct(v) for k, v in files.items()}
    finally:
        server.stop()


def start_without_precreating(data, log_dir, port):
    """serverkit.start with its log outside the data folder, so the server is the one that creates it, under
    the usual permissive umask 022 (which the child inherits)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"server-{port}.log"
    log_file = open(log_path, "w")
    previous = os.umask(0o022)
    try:
        process = subprocess.Popen(
            [str(serverkit.binary()), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data),
             "--bcrypt-cost", "4"], cwd=serverkit.REPO, stdout=log_file, stderr=subprocess.STDOUT)
    finally:
        os.umask(previous)
    server = serverkit.RunningServer(process, f"http://127.0.0.1:{port}", port, data, log_path, log_file)
    deadline = time.monotonic() + serverkit.HEALTH_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop(sig_term=False)
    raise AssertionError(f"server did not start:\n{server.log()[-2000:]}")


def test_a_server_key_others_can_read_stops_the_start_with_a_clear_message(tmp_path):
    data = tmp_path / "data"
    server = serverkit.start(data)
    server.stop()
    key = data / "server.key"
    assert mode(key) == 0o600
    os.chmod(key, 0o640)
    refused = serverkit.start(data, wait=False)
    code = refused.process.wait(timeout=30)
    refused.stop()
    assert code != 0
    log = refused.log()
    assert f"{key} can be read by other users (mode 640)" in log, log[-2000:]
    assert f"chmod 600 {key}" in log
    # Fixed as the message says, it starts again with the same key.
    os.chmod(key, 0o600)
    again = serverkit.start(data)
    assert again.stop() == 0
