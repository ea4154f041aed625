#!/usr/bin/env python3
"""Search and filter latency of the Access tab's API at fleet scale.

Starts the real server (GURU_BIN, default .build/release/guruconnect, else debug) on SQLite,
or on PostgreSQL with --postgres (a fresh database on $GURU_TEST_POSTGRES_URL: run it through
scripts/with-postgres.sh). Seeds N machines with realistic inventory straight into the
database: 300 companies, with a few big ones; sites; Windows, Server and Linux builds; IPs;
MACs; serials; users; versions; custom properties; 35 % online. Then it times
GET /api/agents (search, filters, groups, smart groups, sorts, deep pages) and
GET /api/agents/groups over HTTP, as the browser calls them, and prints p50/p95 per query.

    .venv/bin/python bench/access_search.py --machines 50000
    scripts/with-postgres.sh .venv/bin/python bench/access_search.py --machines 50000 --postgres
"""
import argparse
import csv
import io
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
import serverkit  # noqa: E402

PASSWORD = "correct horse battery"
COLUMNS = ["id", "name", "credential_hash", "created_at", "last_seen_at", "agent_version", "hostname", "os_name", "os_version",
           "os_build", "manufacturer", "model", "serial", "service_tag", "cpu", "ram_bytes", "boot_at", "logged_on_user",
           "idle_seconds", "internal_ips", "macs", "external_ip", "company", "site", "department", "device_type", "tag",
           "properties_json", "inventory_json", "inventory_at", "first_seen_at", "attention", "connection_id"]

QUERIES = [
    ("first page, by name", ""),
    ("search serial fragment", "q=KJF9"),
    ("search internal IP", "q=10.20.33.1"),
    ("search user", "q=jsmith"),
    ("search two words", "q=phoenix%20server"),
    ("search no match", "q=zzzzqqq"),
    ("filter company", "filter=" + urllib.parse.quote("Company = 'Glaztech'")),
    ("filter issue example", "filter=" + urllib.parse.quote("Company = 'Glaztech' AND OS LIKE '%Server%' AND LastSeen < $30DAYSAGO")),
    ("filter OS LIKE", "filter=" + urllib.parse.quote("OS LIKE '%Server%'")),
    ("filter IP LIKE", "filter=" + urllib.parse.quote("InternalIP LIKE '10.20.%'")),
    ("filter property", "filter=" + urllib.parse.quote("Property.Asset = 'A-17017'")),
    ("filter online + RAM", "filter=" + urllib.parse.quote("Online AND RAM >= 16GB")),
    ("group company", "group=Company:Glaztech"),
    ("smart offline 30 days", "smart=offline30Days"),
    ("smart outdated", "smart=outdatedClients"),
    ("sort last seen desc", "sort=lastseen&order=desc"),
    ("deep page (offset 40000)", "offset=40000"),
    ("search + sort company", "q=server&sort=company"),
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def rows(count, now_ms):
    rng = random.Random(12)
    companies = ["Glaztech", "ACG", "4 Paws", "AirPros", "Northwind"] + [f"Client {i:03d}" for i in range(295)]
    weights = [2400, 900, 300, 200, 150] + [rng.randint(20, 200) for _ in range(295)]
    sites = ["Phoenix Office", "Tucson", "Remote", "HQ", "Warehouse", "Branch 2"]
    systems = [("Windows 11 Pro", "10.0.22631", "22631"), ("Windows 10 Pro", "10.0.19045", "19045"),
               ("Windows Server 2022", "10.0.20348", "20348"), ("Windows Server 2019", "10.0.17763", "17763"),
               ("Ubuntu 24.04 LTS", "24.04", "6.8.0"), ("Debian GNU/Linux 12", "12", "6.1.0")]
    users = ["jsmith", "mgarcia", "akim", "tnguyen", "lchen", "", ""]
    versions = ["0.1.0", "0.1.0", "0.1.0", "0.0.9", "0.0.8"]
    for n in range(count):
        company = rng.choices(companies, weights)[0]
        os_name, os_version, os_build = rng.choice(systems)
        server = "Server" in os_name
        hostname = f"{'SRV' if server else 'PC'}-{company[:4].upper().replace(' ', '')}-{n:05d}"
        ip = f"10.{20 + n % 40}.{(n // 250) % 250}.{n % 250 + 1}"
        mac = ":".join(f"{b:02x}" for b in rng.randbytes(6))
        serial = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(7))
        online = rng.random() < 0.35
        seen = now_ms - (0 if online else int(rng.expovariate(1 / (20 * 86400_000))))
        user = rng.choice(users) if not server else ""
        inventory = {"hostname": hostname, "network": [{"name": "eth0", "mac": mac, "addresses": [f"{ip}/16"]}]}
        yield [uuid.uuid4().hex, hostname, "x" * 64, now_ms - 400 * 86400_000, seen, rng.choice(versions), hostname,
               os_name, os_version, os_build, "Dell Inc.", rng.choice(["OptiPlex 7090", "Latitude 5440", "PowerEdge R650"]),
               serial, serial, "Intel(R) Core(TM) i7-11700", rng.choice([8, 16, 32]) * 1024 ** 3,
               seen - rng.randint(600_000, 30 * 86400_000), user or None, rng.randint(0, 7200) if user else None, ip, mac,
               f"72.194.{n % 200}.{n % 250}", company, rng.choice(sites), rng.choice(["IT", "Sales", "Ops", None]),
               "server" if server else rng.choice(["workstation", "laptop"]), rng.choice(["Laptop", "Kiosk", "VIP", None, None]),
               json.dumps({"Asset": f"A-{n}"}), json.dumps(inventory), seen, now_ms - 400 * 86400_000, 1 if n % 97 == 0 else 0,
               (n + 1) if online else None]


def seed_sqlite(path, count):
    now_ms = int(time.time() * 1000)
    with sqlite3.connect(path, timeout=30) as db:
        marks = ", ".join("?" for _ in COLUMNS)
        db.executemany(f"INSERT INTO agents ({', '.join(COLUMNS)}) VALUES ({marks})", rows(count, now_ms))
        db.execute("ANALYZE")


def seed_postgres(url, count):
    now_ms = int(time.time() * 1000)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(count, now_ms):
        writer.writerow(["" if v is None else v for v in row])
    pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    copy = f"\\copy agents ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv, NULL '')"
    subprocess.run([str(pgbin / "psql"), url.split("?")[0], "-q", "-c", copy], input=buffer.getvalue(), text=True, check=True)
    subprocess.run([str(pgbin / "psql"), url.split("?")[0], "-q", "-c", "ANALYZE agents"], check=True)


class Client:
    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        with self.opener.open(request, timeout=60) as response:
            return json.loads(response.read() or b"null")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--machines", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if "GURU_BIN" not in os.environ and (REPO / ".build/release/guruconnect").exists():
        os.environ["GURU_BIN"] = str(REPO / ".build/release/guruconnect")
    data = Path(tempfile.mkdtemp(prefix="gc-access-bench-"))
    extra = []
    url = None
    if args.postgres:
        base_url = os.environ["GURU_TEST_POSTGRES_URL"]
        name = f"gc_bench_{uuid.uuid4().hex[:12]}"
        pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        subprocess.run([str(pgbin / "psql"), base_url.split("?")[0], "-q", "-c", f"CREATE DATABASE {name}"], check=True)
        url = base_url.replace("/postgres?", f"/{name}?")
        extra = ["--database-url", url]
    server = serverkit.start(data, *extra)
    try:
        client = Client(server.base_url)
        client.call("POST", "/api/setup", {"username": "admin", "displayName": "Admin", "password": PASSWORD})
        client.call("POST", "/api/auth/login", {"username": "admin", "password": PASSWORD})
        started = time.monotonic()
        if args.postgres:
            seed_postgres(url, args.machines)
        else:
            seed_sqlite(data / "guruconnect.sqlite", args.machines)
        print(f"seeded {args.machines} machines in {time.monotonic() - started:.1f} s "
              f"({'PostgreSQL' if args.postgres else 'SQLite'}, {os.environ.get('GURU_BIN', 'debug build')})")
        everything = []
        print(f"{'query':34} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for label, query in QUERIES + [("groups (sidebar counts)", None)]:
            timings = []
            total = None
            for _ in range(args.runs):
                t0 = time.perf_counter()
                answer = client.call("GET", "/api/agents/groups" if query is None else f"/api/agents?{query}")
                timings.append((time.perf_counter() - t0) * 1000)
                total = answer["total"]
            if query is not None:
                everything.extend(timings)
            print(f"{label:34} {total:>8} {statistics.median(timings):>8.1f} {percentile(timings, 0.95):>8.1f}")
        print(f"{'all list queries':34} {'':>8} {statistics.median(everything):>8.1f} {percentile(everything, 0.95):>8.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
