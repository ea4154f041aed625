"""Starts and stops the real guruconnect binary for the Python test suites."""
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
import ssl
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEALTH_TIMEOUT_S = 30


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary():
    path = Path(os.environ.get("GURU_BIN", ".build/debug/guruconnect"))
    return path if path.is_absolute() else REPO / path


class RunningServer:
    """One server process: its URL, data folder and log."""

    def __init__(self, process, base_url, port, data_dir, log_path, log_file):
        self.process = process
        self.base_url = base_url
        self.port = port
        self.data_dir = data_dir
        self.log_path = log_path
        self._log_file = log_file

    def log(self):
        return Path(self.log_path).read_text(errors="replace")

    def stop(self, sig_term=True, timeout=15):
        """Stops the process by its pid; returns its exit code."""
        if self.process.poll() is None:
            if sig_term:
                self.process.terminate()
            else:
                self.process.kill()
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(timeout=10)
        self._log_file.close()
        return code


def start(data_dir, *extra, scheme="http", cafile=None, wrapper=(), wait=True, env=None, bcrypt_cost=4, port=None):
    """Starts `guruconnect serve` on a free loopback port and waits (bounded) for /healthz."""
    exe = binary()
    if not exe.exists():
        raise RuntimeError(f"server binary not found: {exe} (set GURU_BIN)")
    port = port or free_port()
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"server-{port}.log"
    log_file = open(log_path, "w")
    cmd = [*wrapper, str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir),
           "--bcrypt-cost", str(bcrypt_cost), *extra]
    process = subprocess.Popen(cmd, cwd=REPO, stdout=log_file, stderr=subprocess.STDOUT,
                               env={**os.environ, **(env or {})})
    server = RunningServer(process, f"{scheme}://127.0.0.1:{port}", port, data_dir, log_path, log_file)
    if not wait:
        return server
    context = ssl.create_default_context(cafile=cafile) if scheme == "https" else None
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2, context=context) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    server.stop(sig_term=False)
    raise RuntimeError(f"server did not become healthy within {HEALTH_TIMEOUT_S}s:\n{server.log()[-3000:]}")


def make_certificate(directory, common_name="127.0.0.1", alt_names="IP:127.0.0.1"):
    """A self-signed P-256 certificate and key for TLS tests; returns (cert path, key path).
    Its ECDSA signature's r and s are both a full 32 bytes: Wine 8's crypt32 rejects a signature with
    a shorter one (TRUST_E_CERT_SIGNATURE, 0x80096004; about one certificate in 128), which real
    Windows verifies, so the Wine tests' Schannel would otherwise fail now and then."""
    cert, key = Path(directory) / "cert.pem", Path(directory) / "key.pem"
    for _ in range(50):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
             "-subj", f"/CN={common_name}", "-addext", f"subjectAltName={alt_names}", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=30)
        if _full_length_signature(cert.read_bytes()):
            return cert, key
    raise RuntimeError("no certificate with a full-length ECDSA signature in 50 tries")


def _full_length_signature(pem):
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    r, s = decode_dss_signature(x509.load_pem_x509_certificate(pem).signature)
    return r.bit_length() > 248 and s.bit_length() > 248
