"""A hostile relay between the viewer and the server (docs/protocol.md §3): a tampering WebSocket
proxy (Playwright's route_web_socket, in the page's own connection) that
  - swaps the viewer's KeyShare for its own: the agent's signature no longer covers the viewer's
    key, and the viewer refuses and says why;
  - impersonates the agent with an identity of its own, after the viewer has pinned the real one:
    the viewer does not connect, warns that the identity changed, and shows both keys; only the
    technician's "trust" connects, and the real agent's key is then the one that fails;
  - deletes one input record: the agent ends the channel and the viewer says a message never
    arrived; and deletes one ordered record of the agent's: the viewer ends the channel itself.
Input records all have one size on the wire."""
import hashlib
import queue
import re
import struct
import threading
import time

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from playwright.sync_api import expect

import fake_agent
from viewer_steps import admin_api, enrol, expect_painted, open_viewer, pattern, png_of, send_screen, signed_in

RELAY, WELCOME, VIEWER_JOIN = 0x30, 0x03, 0x02
PICTURE = png_of(pattern)


@pytest.fixture(scope="module")
def agent_account(server):
    return enrol(admin_api(server), "RELAY-TARGET-01")


def relay_record(message):
    """The E2E record of an envelope Relay frame (8-byte header, u32 peer), else None."""
    return bytes(message[12:]) if isinstance(message, bytes) and len(message) > 12 and message[1] == RELAY else None


def with_record(message, record):
    body = message[8:12] + record
    return message[:4] + struct.pack(">I", len(body)) + body


# Playwright runs the proxy's callbacks only while this thread is inside a Playwright call, so
# every wait on the fake agent below polls through page.wait_for_timeout (bounded by a deadline).
def pumped(page, condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {what}")
        page.wait_for_timeout(50)


def joined_viewer(page, fake, timeout=15):
    """The next viewer that joined the fake agent and sent its KeyShare."""
    got = []

    def joined():
        try:
            got.append(fake.joined.get_nowait())
        except queue.Empty:
            return False
        return True

    pumped(page, lambda: got or joined(), timeout, "no viewer joined")
    pumped(page, got[0].ready.is_set, timeout, "the viewer never sent its KeyShare")
    return got[0]


def message_from(page, fake, viewer, predicate, timeout=10):
    seen = []

    def arrived():
        while not viewer.inbox.empty():
            seen.append(viewer.inbox.get_nowait())
            if predicate(seen[-1]):
                return True
        return False

    pumped(page, arrived, timeout, f"no matching message; got {seen}")
    return seen


class Tamper:
    """Routes the viewer's WebSocket through `on_up(message)` / `on_down(message)`, each of which
    returns the message to forward or None to delete it; `sockets[-1].send(message)` adds one."""

    def __init__(self, page, on_up=None, on_down=None):
        self.on_up = on_up or (lambda m: m)
        self.on_down = on_down or (lambda m: m)
        self.sockets = []  # the page's side of each routed socket, newest last: `send` injects a message
        page.route_web_socket(re.compile(r".*/api/viewer/ws.*"), self.route)

    def route(self, ws):
        self.sockets.append(ws)
        server = ws.connect_to_server()

        def up(message):
            out = self.on_up(message)
            if out is not None:
                server.send(out)

        def down(message):
            out = self.on_down(message)
            if out is not None:
                ws.send(out)

        ws.on_message(up)
        server.on_message(down)


def test_swapped_key_share_is_refused_and_explained(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = signed_in(new_page(), server.base_url)
    relay_key = ec.generate_private_key(ec.SECP256R1())
    relay_point = relay_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    swapped = []

    def up(message):
        record = relay_record(message)
        if record and record[0] == 0x01:  # the viewer's KeyShare → the relay's own point
            swapped.append(record)
            return with_record(message, b"\x01" + relay_point)
        return message

    Tamper(page, on_up=up)
    open_viewer(page, server.base_url, agent_id)
    joined_viewer(page, fake)  # the agent agreed a key with the relay and signed that transcript
    expect(page.locator("#viewer")).to_have_attribute("data-state", "error", timeout=15_000)
    expect(page.locator("#viewer-overlay-title")).to_have_text("Security check failed")
    expect(page.locator("#viewer-overlay-text")).to_contain_text("someone between you and the machine replaced the keys")
    expect(page.locator("#viewer-overlay-text")).to_contain_text("BadSignature")
    assert len(swapped) == 1


def test_impersonated_identity_after_first_use_is_not_connected(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = signed_in(new_page(), server.base_url)
    # First use: the real agent's identity is pinned.
    open_viewer(page, server.base_url, agent_id)
    viewer = fake.wait_viewer()
    send_screen(fake, viewer, PICTURE)
    expect_painted(page, viewer.channel.code)

    # Now the relay stands in for the agent with an identity of its own: a complete, correctly
    # signed exchange with the viewer, only not by the key the viewer saw first.
    impostor = Ed25519PrivateKey.generate()
    impostor_pub = impostor.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    eph = ec.generate_private_key(ec.SECP256R1())
    eph_pub = eph.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    seen = {}

    def sha(*parts):
        return hashlib.sha256(b"".join(parts)).digest()

    def down(message):
        if message[1] == WELCOME:
            seen["viewer_id"] = struct.unpack(">I", message[8:12])[0]
        record = relay_record(message)
        if record and record[0] == 0x03:
            return with_record(message, b"\x03" + sha(b"GuruConnect E2E v2 commit", eph_pub, impostor_pub))
        if record and record[0] == 0x04:
            th = sha(b"GuruConnect E2E v2", eph_pub, seen["viewer_point"], impostor_pub, seen["session"],
                     struct.pack(">I", seen["viewer_id"]))
            seen["confirms"] = seen.get("confirms", 0) + 1
            return with_record(message, b"\x04" + eph_pub + impostor_pub + impostor.sign(b"GuruConnect E2E v2 key-confirm" + th))
        return message

    def up(message):
        if message[1] == VIEWER_JOIN:
            seen["session"] = bytes(message[8:24])
        record = relay_record(message)
        if record and record[0] == 0x01:
            seen["viewer_point"] = record[1:]
        return message

    Tamper(page, on_up=up, on_down=down)
    page.reload()  # a new connection, through the impostor
    expect(page.locator("#viewer")).to_have_attribute("data-state", "identityChanged", timeout=15_000)
    expect(page.locator("#viewer-overlay-title")).to_have_text("This machine's identity has changed")
    expect(page.locator("#viewer-overlay-text")).to_contain_text("Nothing was sent to it")
    previous = page.locator("#viewer-trust-previous").inner_text()
    current = page.locator("#viewer-trust-current").inner_text()
    assert previous != current and re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", current), (previous, current)
    expect(page.locator("#viewer-trust-code")).to_have_text(re.compile(r"^\d{3} \d{3}$"))
    assert seen.get("confirms") == 1
    # The viewer hung up: nothing from it reached the agent after the refused exchange.
    second = joined_viewer(page, fake)
    pumped(page, second.left.is_set, 10, "the viewer kept the impostor's connection open")
    assert second.inbox.empty()


def test_a_reinstalled_agent_connects_only_once_the_technician_trusts_its_new_key(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    first = agent()
    page = signed_in(new_page(), server.base_url)
    open_viewer(page, server.base_url, agent_id)
    viewer = first.wait_viewer()
    send_screen(first, viewer, PICTURE)
    expect_painted(page, viewer.channel.code)
    expect(page.locator("#viewer-overlay")).to_be_hidden()
    first.stop()
    again = agent(new_identity=True)  # the same agent id, a new identity key (reinstalled)
    expect(page.locator("#viewer")).to_have_attribute("data-state", "identityChanged", timeout=20_000)
    refused = again.wait_viewer()
    assert refused.left.wait(10)
    page.click("#viewer-accept-identity")
    trusted = again.wait_viewer()
    send_screen(again, trusted, PICTURE)
    expect_painted(page, trusted.channel.code)
    # And the pin moved: the next connection is verified without a question.
    page.reload()
    later = again.wait_viewer()
    send_screen(again, later, PICTURE)
    expect_painted(page, later.channel.code)


def test_deleted_input_record_ends_the_channel_with_a_clear_error(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = signed_in(new_page(), server.base_url)
    state = {"ordered": 0, "deleted": None}
    lock = threading.Lock()

    def up(message):
        record = relay_record(message)
        if record and record[0] == 0x02:
            with lock:
                state["ordered"] += 1
                # Delete the first input-sized record after the screen was acknowledged.
                if state["deleted"] is None and state.get("armed") and len(record) == 9 + 136 + 16:
                    state["deleted"] = struct.unpack(">Q", record[1:9])[0]
                    return None
        return message

    Tamper(page, on_up=up)
    open_viewer(page, server.base_url, agent_id)
    viewer = joined_viewer(page, fake)
    send_screen(fake, viewer, PICTURE)
    message_from(page, fake, viewer, lambda m: m["type"] == "FrameAck")
    expect_painted(page, viewer.channel.code)
    with lock:
        state["armed"] = True
    page.keyboard.type("ab")
    expect(page.locator("#viewer")).to_have_attribute("data-state", "error", timeout=15_000)
    expect(page.locator("#viewer-overlay-title")).to_have_text("The machine closed the encrypted channel")
    expect(page.locator("#viewer-overlay-text")).to_contain_text("never reached the machine: it was deleted on the way")
    assert state["deleted"] is not None
    assert viewer.closed and "never arrived" in viewer.closed
    # Every input record the agent saw had the one padded size.
    inputs = [size for size in viewer.sizes if size != 9 + 2 + 5 + 16]  # all but FrameAcks
    assert inputs and set(inputs) == {9 + 136 + 16}, viewer.sizes


def test_deleted_ordered_record_from_the_agent_is_caught_by_the_viewer(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = signed_in(new_page(), server.base_url)
    deleted = []

    def down(message):
        record = relay_record(message)
        # The agent's second ordered record (after the MonitorLayout) is deleted on the way.
        if record and record[0] == 0x02 and struct.unpack(">Q", record[1:9])[0] == 2 and not deleted:
            deleted.append(record)
            return None
        return message

    Tamper(page, on_down=down)
    open_viewer(page, server.base_url, agent_id)
    viewer = joined_viewer(page, fake)
    send_screen(fake, viewer, PICTURE)
    message_from(page, fake, viewer, lambda m: m["type"] == "FrameAck")
    fake.send(viewer, b"\x40" + "first".encode())   # ordered 2: deleted
    fake.send(viewer, b"\x40" + "second".encode())  # ordered 3: the gap shows
    expect(page.locator("#viewer")).to_have_attribute("data-state", "error", timeout=15_000)
    expect(page.locator("#viewer-overlay-text")).to_contain_text("never arrived: it was deleted on the way")
    expect(page.locator("#viewer-overlay-text")).to_contain_text("MissingRecord")
    assert len(deleted) == 1
