"""Runs `guruconnect serve` bound to 0.0.0.0 inside an empty network namespace, so the server believes it is
reachable from the network while nothing outside the test can reach it, and bridges one loopback port of the
host to it through a Unix socket (the namespaces share the file system).

    server = netns_bridge.start(data_dir)       # a serverkit.RunningServer, base_url on the host's loopback
    ...
    server.stop()

Run as a script it is the half inside the namespace: it starts the server and forwards the Unix socket's
connections to the server's port there."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import serverkit

READY_TIMEOUT_S = 30


def available():
    return shutil.which("unshare") is not None and shutil.which("ip") is not None


def _pump(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _bridge(listener, connect):
    """Accepts on `listener` until it is closed; each connection is piped to a fresh `connect()`."""
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        try:
            upstream = connect()
        except OSError:
            client.close()
            continue
        threading.Thread(target=_pump, args=(client, upstream), daemon=True).start()
        threading.Thread(target=_pump, args=(upstream, client), daemon=True).start()


class BridgedServer(serverkit.RunningServer):
    """A server in its own network namespace, reached through a loopback port of the host."""

    def __init__(self, process, base_url, port, data_dir, log_path, log_file, listener):
        super().__init__(process, base_url, port, data_dir, log_path, log_file)
        self._listener = listener

    def stop(self, sig_term=True, timeout=15):
        code = super().stop(sig_term=sig_term, timeout=timeout)
        self._listener.close()
        return code


def start(data_dir, *extra, wait=True):
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    inner_port = serverkit.free_port()
    sock_path = data_dir / f"bridge-{inner_port}.sock"
    log_path = data_dir / f"server-{inner_port}.log"
    log_file = open(log_path, "w")
    command = [str(serverkit.binary()), "serve", "--host", "0.0.0.0", "--port", str(inner_port), "--data-dir",
               str(data_dir), "--bcrypt-cost", "4", *extra]
    inner = [sys.executable, str(Path(__file__).resolve()), str(sock_path), str(inner_port), "--", *command]
    process = subprocess.Popen(["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *inner],
                               cwd=serverkit.REPO, stdout=log_file, stderr=subprocess.STDOUT)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]

    def connect():
        upstream = socket.socket(socket.AF_UNIX)
        upstream.connect(str(sock_path))
        return upstream

    threading.Thread(target=_bridge, args=(listener, connect), daemon=True).start()
    server = BridgedServer(process, f"http://127.0.0.1:{port}", port, data_dir, log_path, log_file, listener)
    if not wait:
        return server
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        if sock_path.exists():
            try:
                with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return server
            except OSError:
                pass
        time.sleep(0.2)
    server.stop(sig_term=False)
    raise RuntimeError(f"server in the namespace did not become healthy:\n{server.log()[-3000:]}")


def _inside(sock_path, port, command):
    """Inside the namespace: run the server, forward the Unix socket to its port, end when it ends."""
    server = subprocess.Popen(command, stdout=sys.stdout, stderr=subprocess.STDOUT)
    signal.signal(signal.SIGTERM, lambda *_: server.send_signal(signal.SIGTERM))
    signal.signal(signal.SIGINT, lambda *_: server.send_signal(signal.SIGINT))
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(sock_path)
    listener.listen(64)
    threading.Thread(target=_bridge, args=(listener, lambda: socket.create_connection(("127.0.0.1", port))),
                     daemon=True).start()
    code = server.wait()
    listener.close()
    os.unlink(sock_path)
    sys.exit(code)


if __name__ == "__main__":
    separator = sys.argv.index("--")
    _inside(sys.argv[1], int(sys.argv[2]), sys.argv[separator + 1:])
