"""Throttles that count before they let a request through, tried against the real binary.

Each burst opens many raw connections from many loopback source addresses (127.0.1.0/24 ...),
sends every request's headers, holds them all open, then sends every body at once: a throttle
that checks first and counts only after the answer lets all of them through. The budgets in
docs/support.md §6 must hold, every refusal is 429 (or 503 for a full bcrypt queue) with
Retry-After, and the server stays healthy. Figures are printed for the docs (`pytest -s`).
"""
import asyncio
import json
import math
import resource
import time
import urllib.request
import uuid

import pytest

import serverkit
from api import Api
from guruproto import envelope
from test_relay import connect_agent, recv, ws_url
from websockets.sync.client import connect

ADDRESSES = 250
CODE_BUDGET, CODE_REFILL_PER_S = 60, 120 / 3600
ACCOUNT_FREE = 5
BURST_TIMEOUT_S = 120


RESET = "reset"  # no answer could be read: see held_request


def source(index, block=1):
    return f"127.0.{block}.{1 + index % ADDRESSES}"


async def held_request(port, src, path, body, opened, release, deadline):
    """One connection: headers now, the body when `release` is set; returns (status, headers)."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, local_addr=(src, 0)), timeout=deadline)
    try:
        writer.write((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode())
        await writer.drain()
        opened()
        await release.wait()
        try:
            writer.write(body)
            await writer.drain()
        except (ConnectionResetError, BrokenPipeError):
            pass  # answered (429) before the body went out; the answer is still there to read
        try:
            status_line = await asyncio.wait_for(reader.readline(), timeout=deadline)
        except ConnectionResetError:
            # The connection was reset before the answer could be read. The server reads a throttled
            # request's small body before its 429, so on an idle machine this does not happen (0 of
            # 1,500); under load a CI run still saw 137 of 1,500. Whatever the answer was, it was no
            # wrong answer let through: counted as RESET, never as a 404/401.
            return RESET, {}
        headers = {}
        while True:
            line = await asyncio.wait_for(reader.readline(), timeout=deadline)
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        return int(status_line.split()[1]), headers
    finally:
        writer.close()


async def burst(port, path, bodies, block=1):
    """Holds len(bodies) connections open, then releases every body together."""
    release = asyncio.Event()
    opened = 0
    all_open = asyncio.Event()

    def mark_open():
        nonlocal opened
        opened += 1
        if opened == len(bodies):
            all_open.set()

    tasks = [asyncio.create_task(held_request(port, source(i, block), path, body, mark_open, release, BURST_TIMEOUT_S))
             for i, body in enumerate(bodies)]
    await asyncio.wait_for(all_open.wait(), timeout=BURST_TIMEOUT_S)
    started = time.monotonic()
    release.set()
    results = await asyncio.gather(*tasks)
    return results, time.monotonic() - started


def run_burst(port, path, bodies, block=1):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < len(bodies) + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, len(bodies) + 500), hard))
    return asyncio.run(burst(port, path, [json.dumps(b).encode() for b in bodies], block))


def tally(results):
    counts = {}
    for status, _ in results:
        counts[status] = counts.get(status, 0) + 1
    return counts


def assert_refusals_say_when(results, statuses=(429, 503)):
    for status, headers in results:
        if status in statuses:
            assert int(headers.get("retry-after", "0")) >= 1, headers


def healthy(server):
    with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=5) as response:
        return response.status == 200


@pytest.fixture
def server(tmp_path):
    running = serverkit.start(tmp_path)
    api = Api(running.base_url)
    api.setup_and_login()
    status, _, body = api.call("POST", "/api/users", {"username": "tech", "displayName": "Tech",
                                                      "password": "tech password 1", "roleId": "technician"})
    assert status == 201, body
    yield running
    running.stop()


def test_a_burst_of_wrong_codes_gets_no_more_than_the_server_wide_budget(server):
    connections = 1500
    results, elapsed = run_burst(server.port, "/api/portal/code",
                                 [{"code": f"{(i * 7919) % 1_000_000:06d}"} for i in range(connections)])
    counts = tally(results)
    budget = CODE_BUDGET + math.ceil(elapsed * CODE_REFILL_PER_S)
    print(f"\nsupport codes: {connections} held connections from {ADDRESSES} addresses, {elapsed:.2f} s: "
          f"{counts.get(404, 0)} wrong answers (budget {budget}), {counts.get(429, 0)} throttled, {counts.get(RESET, 0)} reset")
    assert set(counts) <= {404, 429, RESET}, counts
    assert CODE_BUDGET <= counts.get(404, 0) <= budget, counts
    assert_refusals_say_when(results)
    assert healthy(server)


def test_a_burst_of_wrong_passwords_for_one_account_gets_its_budget_and_no_more(server):
    connections = 1000
    results, elapsed = run_burst(server.port, "/api/auth/login",
                                 [{"username": "admin", "password": f"wrong password {i}"} for i in range(connections)])
    counts = tally(results)
    # 5 free, the 6th locks for 1 s, then one more per lock (1 s, 2 s, 4 s ...) as each ends.
    budget = ACCOUNT_FREE + 1 + int(math.log2(elapsed + 1))
    print(f"\none account: {connections} held connections from {ADDRESSES} addresses, {elapsed:.2f} s: "
          f"{counts.get(401, 0)} wrong answers (budget {budget}), {counts.get(429, 0)} throttled, "
          f"{counts.get(503, 0)} busy")
    assert set(counts) <= {401, 429, 503, RESET}, counts
    assert 1 <= counts.get(401, 0) <= budget, counts
    assert_refusals_say_when(results)
    assert healthy(server)
    # Another account is not locked by the campaign against this one.
    Api(server.base_url).login("tech", "tech password 1")


def test_a_full_bcrypt_queue_answers_503_with_retry_after_instead_of_waiting(tmp_path):
    # A cost that makes the queue fill: 4 run, 64 wait, and the rest must be told to come back.
    running = serverkit.start(tmp_path, bcrypt_cost=8)
    try:
        connections = 1000
        results, elapsed = run_burst(running.port, "/api/auth/login",
                                     [{"username": f"nobody{i}", "password": "wrong password"} for i in range(connections)],
                                     block=2)
        counts = tally(results)
        print(f"\nbcrypt queue: {connections} held logins for distinct accounts, {elapsed:.2f} s: {counts}")
        assert set(counts) <= {401, 429, 503, RESET}, counts
        assert counts.get(503, 0) > 0, counts
        assert_refusals_say_when(results)
        assert healthy(running)
    finally:
        running.stop()


def test_long_usernames_do_not_grow_the_database(tmp_path):
    running = serverkit.start(tmp_path)
    Api(running.base_url).setup_and_login()
    running.stop()
    files = lambda: sum(p.stat().st_size for p in tmp_path.glob("guruconnect.sqlite*"))
    before = files()
    running = serverkit.start(tmp_path)
    try:
        api = Api(running.base_url)
        statuses = {}
        for i in range(300):
            name = f"{i:03d}" + "u" * 60_000
            status, _, _ = api.call("POST", "/api/auth/login", {"username": name, "password": "wrong password"})
            statuses[status] = statuses.get(status, 0) + 1
        assert set(statuses) <= {401, 429}, statuses
    finally:
        running.stop()
    growth = files() - before
    print(f"\n300 logins with 60 kB usernames grew the database by {growth} bytes ({statuses})")
    assert growth < 1024 * 1024, growth  # the unbounded server grew by 18.5 MB


def bad_hello(server, src, agent_id):
    with connect(ws_url(server, "/api/agent/ws"), open_timeout=5, source_address=(src, 0)) as ws:
        ws.send(envelope.agent_hello(agent_id, b"not-the-credential"))
        return recv(ws)[1]["code"]


def assert_rate_limited_after(codes, free, elapsed):
    """`free` + 1 BadCredential (1), then RateLimited (4), with at most one more BadCredential per lock
    that ended meanwhile (1 s, 2 s, 4 s ...): never BadCredential for a throttled hello."""
    assert set(codes) <= {1, 4}, codes
    assert codes[:free + 1] == [1] * (free + 1), codes
    assert codes[free + 1] == 4 or elapsed >= 1, codes
    assert codes.count(1) <= free + 1 + int(math.log2(elapsed + 1)), (codes, elapsed)


def test_repeated_bad_agent_hellos_are_rate_limited_not_bad_credentials(server):
    api = Api(server.base_url)
    api.login()
    status, _, enrolled = api.call("POST", "/api/agents", {"name": "FRONT-DESK"})
    assert status == 201, enrolled
    # Many agent ids from one address: 10 free failures per address.
    codes = [bad_hello(server, "127.0.3.1", uuid.uuid4().bytes) for _ in range(11)]
    started = time.monotonic()
    codes += [bad_hello(server, "127.0.3.1", uuid.uuid4().bytes) for _ in range(3)]
    assert_rate_limited_after(codes, 10, time.monotonic() - started)
    # One agent id from many addresses: 5 free failures per id.
    target = uuid.uuid4().bytes
    codes = [bad_hello(server, f"127.0.4.{i + 1}", target) for i in range(6)]
    started = time.monotonic()
    codes += [bad_hello(server, f"127.0.4.{i + 7}", target) for i in range(2)]
    assert_rate_limited_after(codes, 5, time.monotonic() - started)
    # A good agent from another address is unaffected.
    with connect_agent(server, enrolled["agent"]["id"], enrolled["credential"]) as agent:
        assert recv(agent)[0] == "Welcome"
