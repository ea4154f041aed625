#!/usr/bin/env python3
"""Server benchmark: idle RSS and CPU, and login throughput at the production bcrypt cost.

Usage: bench/server_bench.py [--binary PATH] [--seconds 10] [--clients 4] [--bcrypt-cost 12]
Prints one figure per line. Every loop is bounded by time and count.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import serverkit  # noqa: E402
from api import Api  # noqa: E402

PASSWORD = "correct horse battery"


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def login_once(base_url):
    body = json.dumps({"username": "admin", "password": PASSWORD}).encode()
    request = urllib.request.Request(base_url + "/api/auth/login", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        ok = response.status == 200
    return ok, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.environ.get("GURU_BIN", ".build/release/guruconnect"))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--bcrypt-cost", type=int, default=12)
    args = parser.parse_args()
    os.environ["GURU_BIN"] = str(Path(args.binary).resolve())

    with tempfile.TemporaryDirectory() as data:
        server = serverkit.start(data, bcrypt_cost=args.bcrypt_cost)
        try:
            pid = server.process.pid
            Api(server.base_url).setup_and_login(password=PASSWORD)
            time.sleep(2)
            cpu_before, wall_before = cpu_seconds(pid), time.monotonic()
            time.sleep(5)
            idle_cpu = (cpu_seconds(pid) - cpu_before) / (time.monotonic() - wall_before) * 100
            idle_rss = rss_kib(pid)

            latencies, failures, lock = [], [0], threading.Lock()
            deadline = time.monotonic() + args.seconds

            def worker():
                for _ in range(100_000):
                    if time.monotonic() >= deadline:
                        return
                    ok, seconds = login_once(server.base_url)
                    with lock:
                        if ok:
                            latencies.append(seconds)
                        else:
                            failures[0] += 1

            threads = [threading.Thread(target=worker) for _ in range(args.clients)]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.seconds + 60)
            elapsed = time.monotonic() - started
            peak_rss = rss_kib(pid)
        finally:
            server.stop()

    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    print(f"binary: {args.binary}")
    print(f"machine: {os.cpu_count()} cores")
    print(f"idle RSS: {idle_rss / 1024:.1f} MiB")
    print(f"idle CPU: {idle_cpu:.2f} %")
    print(f"login throughput (bcrypt cost {args.bcrypt_cost}, {args.clients} clients, {elapsed:.1f} s): "
          f"{len(latencies) / elapsed:.1f} logins/s")
    print(f"login latency p50: {statistics.median(latencies) * 1000:.0f} ms, p95: {p95 * 1000:.0f} ms" if latencies else "no logins")
    print(f"failed logins: {failures[0]}")
    print(f"RSS after the login run: {peak_rss / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
