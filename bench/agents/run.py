#!/usr/bin/env python3
"""bench/agents: N simulated unattended agents against one real server on loopback.

Each simulated agent speaks the real protocol (tests/guruproto, checked against protocol/vectors): AgentHello with
its own credential, the Ed25519 identity proof, one AgentInventory with a realistic report, then a Ping every
check-in interval. The agents are spread over several client processes (a process here may hold 20,000 open
files). For each step of --counts it prints:

- connect rate (agents/s, from the first hello to the last Welcome of that step);
- the server's RSS per connected agent: (RSS with N agents − RSS before any agent) / N;
- the server's CPU, idle, over --idle-seconds (percent of one core);
- search p50/p95 over the N machines (GET /api/agents?q=…, a serial, an IP, a company), when --search is given.

    .venv/bin/python bench/agents/run.py --binary .build/release/guruconnect --counts 5000,10000,19000
    bash scripts/with-postgres.sh .venv/bin/python bench/agents/run.py --postgres --counts 5000,10000,19000
    .venv/bin/python bench/agents/run.py --tls --counts 5000

`make test` runs a small version (tests/integration/test_bench_agents.py: 300 agents, 1 process).
"""
import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import ssl
import statistics
import string
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "integration")]

import serverkit  # noqa: E402
from api import Api  # noqa: E402
from guruproto import envelope  # noqa: E402
from guruproto import proof as agent_proof  # noqa: E402

COMPANIES = ["Glaztech", "ACG", "4 Paws", "AirPros", "Desert Dental", "Phoenix Law", "Mesa Motors", "Sun Valley CPA",
             "Tempe Tech", "Copper State", "Saguaro Health", "Red Rock Realty", "Camelback Clinic", "Gilbert Gears",
             "Chandler Chem", "Scottsdale Spa", "Peoria Print", "Yuma Yards", "Flagstaff Foods", "Tucson Tools"]
SITES = ["Main Office", "Warehouse", "Phoenix Office", "New York Office", "Remote", "Branch 2", "Lab"]
OSES = [("Windows 11 Pro", "10.0.22631", "22631"), ("Windows 10 Pro", "10.0.19045", "19045"),
        ("Windows Server 2022 Standard", "10.0.20348", "20348"), ("Windows Server 2019 Standard", "10.0.17763", "17763"),
        ("Debian GNU/Linux 12 (bookworm)", "12", "6.1.0-28-amd64"), ("Ubuntu 24.04.1 LTS", "24.04", "6.8.0-45-generic")]
MAKERS = [("Dell Inc.", "OptiPlex 7090"), ("LENOVO", "20XW0026US"), ("HP", "EliteBook 840 G8"), ("Dell Inc.", "PowerEdge R650")]


def inventory(index, rng):
    """A realistic report for machine `index` (docs/protocol.md §2.6)."""
    company = COMPANIES[index % len(COMPANIES)]
    os_name, version, build = OSES[rng.randrange(len(OSES))]
    maker, model = MAKERS[rng.randrange(len(MAKERS))]
    serial = "".join(rng.choices(string.ascii_uppercase + string.digits, k=7))
    subnet = index // 200
    address = f"10.{(subnet >> 8) & 255}.{subnet & 255}.{index % 200 + 10}"
    mac = ":".join(f"{b:02x}" for b in [0x00, 0x1a] + [rng.randrange(256) for _ in range(4)])
    kind = "server" if "Server" in os_name else rng.choice(["workstation", "laptop"])
    return {
        "hostname": f"{company[:4].upper().replace(' ', '')}-{kind[:2].upper()}{index:05d}",
        "os": {"name": os_name, "version": version, "build": build, "installDate": 1_650_000_000 + index},
        "hardware": {"manufacturer": maker, "model": model, "serial": serial, "serviceTag": serial},
        "cpu": {"model": "Intel(R) Core(TM) i7-11700 @ 2.50GHz", "cores": 8, "threads": 16},
        "memory": {"totalBytes": 16 << 30, "availableBytes": 9 << 30},
        "disks": [{"mount": "C:\\", "totalBytes": 512 << 30, "freeBytes": 200 << 30}],
        "network": [{"name": "Ethernet", "mac": mac, "addresses": [f"{address}/24", "fe80::1a:2b3c/64"]}],
        "user": {"name": f"user{index % 977}", "idleSeconds": rng.randrange(3600)},
        "bootTime": 1_760_000_000 + index, "agentVersion": "0.9.0",
        "metadata": {"company": company, "site": SITES[index % len(SITES)], "department": "IT", "deviceType": kind,
                     "tag": rng.choice(["VIP", "Front desk", "Accounting", ""]), "properties": {"Asset": f"A-{index}"}},
    }


# ---------- the client processes ----------

def source_address(index):
    """Machine `index`'s own loopback address (127.0.0.0/8 is all local): as in a real fleet, each machine
    connects from its own address, so the per-address hello throttle sees one machine, not 19,000."""
    n = index + 2
    return f"127.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255 or 1}"


async def run_agent(url, ssl_context, index, agent_id, credential, report, ready, stop):
    """One agent: hello, proof, inventory, then a Ping each check-in until `stop`."""
    from websockets.asyncio.client import connect
    idb = bytes.fromhex(agent_id)
    key = agent_proof.new_key()
    async with connect(url, ssl=ssl_context, compression=None, ping_interval=None, max_size=2 << 20,
                       open_timeout=120, close_timeout=2, max_queue=4, write_limit=4096,
                       local_addr=(source_address(index), 0)) as ws:
        await ws.send(envelope.agent_hello(idb, credential.encode()))
        heartbeat = None
        for _ in range(3):
            data = await asyncio.wait_for(ws.recv(), 120)
            nonce = agent_proof.challenge_nonce(data)
            if nonce is not None:
                await ws.send(agent_proof.proof_frame(key, idb, nonce))
                continue
            message = envelope.decode(data)
            if message["type"] != "Welcome":
                raise RuntimeError(f"refused: {message}")
            heartbeat = message["heartbeatSeconds"]
            break
        await ws.send(envelope.agent_inventory(json.dumps(report)))
        ready()
        nonce = 0
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), heartbeat)
            except asyncio.TimeoutError:
                nonce += 1
                await ws.send(envelope.ping(nonce))
                # Answers (Pong, or a server Ping) are read so the socket never backs up.
            while True:
                try:
                    data = await asyncio.wait_for(ws.recv(), 0.001)
                except asyncio.TimeoutError:
                    break
                message = envelope.decode(data)
                if message["type"] == "Ping":
                    await ws.send(envelope.pong(message["nonce"]))


def worker(conn, url, use_tls):
    """A client process: connects the agents it is sent, keeps them, reports each batch's result. `use_tls` is
    the CA file for wss://, or None."""
    async def main():
        ssl_context = None
        if use_tls:
            ssl_context = ssl.create_default_context(cafile=use_tls)
        stop = asyncio.Event()
        tasks = []
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command[0] == "stop":
                stop.set()
                await asyncio.gather(*tasks, return_exceptions=True)
                conn.send(("stopped",))
                return
            _, agents = command
            done = asyncio.Event()
            state = {"ready": 0, "failed": 0, "errors": []}
            limit = asyncio.Semaphore(64)

            def ready():
                state["ready"] += 1
                if state["ready"] + state["failed"] == len(agents):
                    done.set()

            async def one(entry):
                index, agent_id, credential = entry
                rng = random.Random(index)
                try:
                    async with limit:
                        connected = asyncio.Event()
                        task = asyncio.ensure_future(run_agent(url, ssl_context, index, agent_id, credential, inventory(index, rng),
                                                               lambda: (connected.set(), ready()), stop))
                        tasks.append(task)
                        waiter = asyncio.ensure_future(connected.wait())
                        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
                        waiter.cancel()
                        if task.done() and task.exception():
                            raise task.exception()
                except Exception as error:  # noqa: BLE001 (a benchmark reports every failure)
                    state["failed"] += 1
                    if len(state["errors"]) < 3:
                        state["errors"].append(repr(error))
                    if state["ready"] + state["failed"] == len(agents):
                        done.set()

            started = time.monotonic()
            for entry in agents:
                asyncio.ensure_future(one(entry))
            await asyncio.wait_for(done.wait(), 900)
            conn.send(("batch", state["ready"], state["failed"], state["errors"], time.monotonic() - started))

    asyncio.run(main())


# ---------- the measuring process ----------

def proc_status_kib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field}")


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settled_rss(pid, limit=60):
    """The RSS once it stops moving by more than 1 % over 2 s (bounded)."""
    deadline = time.monotonic() + limit
    last = proc_status_kib(pid)
    while time.monotonic() < deadline:
        time.sleep(2)
        now = proc_status_kib(pid)
        if abs(now - last) <= max(256, last // 100):
            return now
        last = now
    return last


def enrol(api, count, threads=6):
    def one(index):
        status, _, body = api.call("POST", "/api/agents", {"name": f"bench-{index}"})
        if status != 201:
            raise RuntimeError(f"enrol {index}: {status} {body}")
        return index, body["agent"]["id"], body["credential"]
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(count)))


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def search_times(api, rounds=40):
    """p50/p95 in ms of searches a technician types: a serial, an IP, a company; paged to 100 rows."""
    terms = ["A-1234", "10.0.3.15", "Glaztech", "user42", "Windows Server", "PF3"]
    times = []
    for index in range(rounds):
        query = urllib.parse.quote(terms[index % len(terms)])
        started = time.perf_counter()
        status, _, body = api.call("GET", f"/api/agents?q={query}&limit=100")
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"search: {status} {body}")
    return percentile(times, 50), percentile(times, 95)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.environ.get("GURU_BIN", ".build/release/guruconnect"))
    parser.add_argument("--counts", default="5000,10000,19000")
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--idle-seconds", type=float, default=60)
    parser.add_argument("--check-in", type=int, default=60)
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--postgres", action="store_true", help="use $GURU_TEST_POSTGRES_URL (scripts/with-postgres.sh)")
    parser.add_argument("--search", action="store_true", help="also time GET /api/agents?q=… at each step")
    parser.add_argument("--json", help="write the figures to this file as well")
    parser.add_argument("--wrapper", default="", help="run the server under this command, e.g. 'heaptrack -o /tmp/ht'")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    os.environ["GURU_BIN"] = str(Path(args.binary).resolve())

    with tempfile.TemporaryDirectory(prefix="bench-agents-") as tmp:
        extra, scheme, cafile = [], "http", None
        if args.postgres:
            extra += ["--database-url", os.environ["GURU_TEST_POSTGRES_URL"]]
        if args.tls:
            cert, key = serverkit.make_certificate(Path(tmp))
            extra += ["--tls-cert", str(cert), "--tls-key", str(key)]
            scheme, cafile = "https", str(cert)
        server = serverkit.start(Path(tmp) / "data", *extra, scheme=scheme, cafile=cafile, wrapper=tuple(args.wrapper.split()))
        try:
            api = Api(server.base_url, cafile=cafile)
            api.setup_and_login()
            status, _, settings = api.call("GET", "/api/settings")
            api.call("PUT", "/api/settings", {**settings, "checkInSeconds": args.check_in})
            pid = server.process.pid
            started = time.monotonic()
            agents = enrol(api, max(counts))
            print(f"enrolled {len(agents)} agents in {time.monotonic() - started:.1f} s", flush=True)
            baseline = settled_rss(pid, limit=20)
            url = server.base_url.replace("http", "ws", 1) + "/api/agent/ws"
            pipes, processes = [], []
            for _ in range(args.procs):
                parent, child = mp.Pipe()
                process = mp.Process(target=worker, args=(child, url, cafile), daemon=True)
                process.start()
                pipes.append(parent)
                processes.append(process)
            rows = []
            connected = 0
            for count in counts:
                batch = agents[connected:count]
                shares = [batch[i::args.procs] for i in range(args.procs)]
                started = time.monotonic()
                for pipe, share in zip(pipes, shares):
                    pipe.send(("connect", share))
                ready = failed = 0
                errors = []
                for pipe in pipes:
                    _, r, f, e, _ = pipe.recv()
                    ready, failed, errors = ready + r, failed + f, errors + e
                elapsed = time.monotonic() - started
                connected = count
                rss = settled_rss(pid)
                cpu_before, wall_before = cpu_seconds(pid), time.monotonic()
                time.sleep(args.idle_seconds)
                cpu = (cpu_seconds(pid) - cpu_before) / (time.monotonic() - wall_before) * 100
                row = {"agents": count, "connected": connected - failed, "failed": failed,
                       "connectPerSecond": round(len(batch) / elapsed, 1), "rssMiB": round(rss / 1024, 1),
                       "rssPerAgentKiB": round((rss - baseline) / count, 1), "idleCpuPercent": round(cpu, 2)}
                if args.search:
                    p50, p95 = search_times(api)
                    row.update(searchP50ms=round(p50, 1), searchP95ms=round(p95, 1))
                rows.append(row)
                print(json.dumps(row), flush=True)
                if errors:
                    print("  first errors:", errors, flush=True)
            for pipe in pipes:
                pipe.send(("stop",))
            for pipe, process in zip(pipes, processes):
                if pipe.poll(30):
                    pipe.recv()
                process.join(timeout=10)
                if process.is_alive():
                    process.kill()
            print(f"\nbaseline RSS {baseline / 1024:.1f} MiB; {'TLS' if args.tls else 'plain WebSocket'}; "
                  f"{'PostgreSQL' if args.postgres else 'SQLite'}; check-in {args.check_in} s")
            print(f"{'agents':>7} {'conn/s':>8} {'RSS MiB':>8} {'KiB/agent':>10} {'idle CPU %':>11}" + ("  search p50/p95 ms" if args.search else ""))
            for row in rows:
                line = f"{row['agents']:>7} {row['connectPerSecond']:>8} {row['rssMiB']:>8} {row['rssPerAgentKiB']:>10} {row['idleCpuPercent']:>11}"
                if args.search:
                    line += f"  {row['searchP50ms']}/{row['searchP95ms']}"
                print(line)
            if args.json:
                Path(args.json).write_text(json.dumps({"baselineKiB": baseline, "rows": rows}, indent=2))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
