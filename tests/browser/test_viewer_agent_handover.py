"""The agent process replaced under a live viewer (Run as administrator: the support agent relaunches
itself elevated and hands its session over; docs/protocol.md sections 1 and 3.2). A second fake agent
connection that proves the same key replaces the first; the server tells it about the viewer, and it
sends a new KeyCommit to the same viewer id. The viewer re-keys on its open socket: "Securing the
connection…", then connected again with the new agent's 6-digit code and picture, and the
"Administrator" badge once the new agent's SessionInfo says it runs elevated. Through a hostile relay,
a new KeyCommit from another identity ends on the "identity changed" screen; and a fourth re-key
within a minute is refused for good."""
import hashlib
import queue
import struct

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
import pytest
from playwright.sync_api import expect

import fake_agent
from browser_steps import shot
from guruproto import envelope, inner
from test_hostile_relay import Tamper, joined_viewer, pumped, relay_record
from viewer_steps import (DESKTOP_H, DESKTOP_W, MONITORS, admin_api, enrol, expect_canvas_colour, expect_painted,
                          open_viewer, signed_in)

REKEY_TITLE = "Securing the connection…"
REKEY_TEXT = "The machine's agent restarted (for example with administrator rights); verifying its identity again."
WELCOME = 0x03


@pytest.fixture(scope="module")
def agent_account(server):
    return enrol(admin_api(server), "HANDOVER-PC")


def stream(fake, viewer, colour, sequence=1, elevated=False):
    """What an agent sends a viewer first (MonitorLayout, SessionInfo, a full-screen tile, FrameEnd),
    up to the viewer's FrameAck: the picture is painted and acknowledged on this agent's channel."""
    fake.send(viewer, fake_agent.monitor_layout(MONITORS))
    fake.send(viewer, inner.session_info_raw(b"dxgi", inner.SECURE_ATTENTION["unavailable"],
                                             inner.SESSION_ELEVATED if elevated else 0))
    tile = fake_agent.png_rgb(DESKTOP_W, DESKTOP_H, lambda x, y: colour)
    fake.send(viewer, fake_agent.tile_update(0, 0, DESKTOP_W, DESKTOP_H, "png", tile))
    fake.send(viewer, fake_agent.frame_end(sequence))
    fake.wait_for(viewer, lambda m: m == {"type": "FrameAck", "sequence": sequence})


def viewer_sockets(page):
    """Counts the viewer WebSockets the page opens (a re-key keeps the one it has)."""
    opened = []
    page.on("websocket", lambda ws: opened.append(ws.url) if "/api/viewer/ws" in ws.url else None)
    return opened


def test_a_replacing_agent_process_rekeys_the_viewer_on_its_open_socket(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    first = agent()
    page = new_page(theme="light")
    sockets = viewer_sockets(page)
    open_viewer(signed_in(page, server.base_url), server.base_url, agent_id)
    viewer = first.wait_viewer()
    stream(first, viewer, (40, 90, 200))
    expect_painted(page, viewer.channel.code)
    badge = page.locator("#viewer-elevated")
    expect(badge).to_be_hidden()

    # The elevated process connects with the same key; it holds its KeyConfirm so the state in
    # between can be seen.
    second = agent(hold_confirms=True)
    assert first.closed.wait(10), "the server did not close the replaced connection"
    rejoined = second.joined.get(timeout=15)
    assert rejoined.id == viewer.id and rejoined.mode == viewer.mode
    expect(page.locator("#viewer")).to_have_attribute("data-state", "keyExchange")
    expect(page.locator("#viewer-overlay")).to_be_visible()
    expect(page.locator("#viewer-overlay-title")).to_have_text(REKEY_TITLE)
    expect(page.locator("#viewer-overlay-text")).to_have_text(REKEY_TEXT)
    expect(page.locator("#viewer-fingerprint")).to_have_text("—")
    path = shot(page, "viewer-agent-replaced-rekeying-light")
    assert not rejoined.ready.is_set()
    assert path.stat().st_size > 10_000

    second.confirms.set()
    assert rejoined.ready.wait(10), "the viewer never answered the new KeyCommit"
    # Connected again with the new exchange's code; nothing from the old channel was left to show.
    expect(page.locator("#viewer")).to_have_attribute("data-state", "connected")
    expect(page.locator("#viewer-fingerprint")).to_have_text(rejoined.channel.code)
    assert rejoined.channel.code != viewer.channel.code
    expect(badge).to_be_hidden()  # not before the new agent's SessionInfo says so
    stream(second, rejoined, (220, 120, 20), elevated=True)
    expect_painted(page, rejoined.channel.code)
    expect_canvas_colour(page, (DESKTOP_W, DESKTOP_H), (220, 120, 20))
    expect(badge).to_be_visible()
    expect(badge).to_have_text("Administrator")
    # Input reaches the new process on the new channel.
    page.locator("#viewer-stage").click()
    page.keyboard.press("KeyA")
    second.wait_for(rejoined, lambda m: m["type"] == "Key" and m["code"] == "KeyA" and not m["pressed"])
    assert len(sockets) == 1, sockets  # re-keyed on the socket it had: no new join
    shot(page, "viewer-agent-replaced-elevated-light")


def test_a_fourth_rekey_within_a_minute_is_refused(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    current = agent()
    page = open_viewer(signed_in(new_page(), server.base_url), server.base_url, agent_id)
    viewer = current.wait_viewer()
    stream(current, viewer, (10, 160, 60))
    expect_painted(page, viewer.channel.code)
    for _ in range(3):
        current = agent()
        viewer = current.wait_viewer()
        expect(page.locator("#viewer")).to_have_attribute("data-state", "connected")
        expect(page.locator("#viewer-fingerprint")).to_have_text(viewer.channel.code)
    fourth = agent()
    refused = fourth.joined.get(timeout=15)
    expect(page.locator("#viewer")).to_have_attribute("data-state", "error")
    expect(page.locator("#viewer-overlay-title")).to_have_text("The agent restarted too often")
    expect(page.locator("#viewer-overlay-text")).to_contain_text("more than 3 times within a minute")
    assert refused.left.wait(10), "the viewer kept its connection"
    assert not refused.ready.is_set(), "the viewer answered the fourth KeyCommit"


def test_a_new_key_exchange_with_another_identity_is_not_connected(server, agent_account, agent, new_page):
    agent_id, _ = agent_account
    fake = agent()
    page = signed_in(new_page(), server.base_url)
    # A relay that can inject: it keeps its handle on the page's socket and what it needs to sign.
    impostor = Ed25519PrivateKey.generate()
    impostor_pub = impostor.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    eph = ec.generate_private_key(ec.SECP256R1())
    eph_pub = eph.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    seen = {"shares": queue.Queue()}

    def sha(*parts):
        return hashlib.sha256(b"".join(parts)).digest()

    def down(message):
        if isinstance(message, bytes) and message[1] == WELCOME:
            seen["viewer_id"] = struct.unpack(">I", message[8:12])[0]
        return message

    def up(message):
        record = relay_record(message)
        if record and record[0] == 0x01:
            if not seen.get("injected"):
                seen["first_share"] = record[1:]
                return message
            seen["shares"].put(record[1:])
            return None  # the relay answers this KeyShare itself
        return message

    tamper = Tamper(page, on_up=up, on_down=down)

    open_viewer(page, server.base_url, agent_id)
    viewer = joined_viewer(page, fake)
    fake.send(viewer, fake_agent.monitor_layout(MONITORS))
    fake.send(viewer, fake_agent.tile_update(0, 0, DESKTOP_W, DESKTOP_H, "png",
                                             fake_agent.png_rgb(DESKTOP_W, DESKTOP_H, lambda x, y: (0, 120, 0))))
    fake.send(viewer, fake_agent.frame_end(1))
    expect_painted(page, viewer.channel.code)

    # Mid-session, the relay starts a key exchange of its own, as a replaced agent would.
    seen["injected"] = True
    tamper.sockets[-1].send(envelope.relay(0, b"\x03" + sha(b"GuruConnect E2E v2 commit", eph_pub, impostor_pub)))
    shares = []
    pumped(page, lambda: shares or (not seen["shares"].empty() and shares.append(seen["shares"].get())), 10,
           "the viewer did not answer the new KeyCommit")
    expect(page.locator("#viewer-overlay-title")).to_have_text(REKEY_TITLE)
    th = sha(b"GuruConnect E2E v2", eph_pub, shares[0], impostor_pub, bytes.fromhex(agent_id),
             struct.pack(">I", seen["viewer_id"]))
    tamper.sockets[-1].send(envelope.relay(0, b"\x04" + eph_pub + impostor_pub + impostor.sign(b"GuruConnect E2E v2 key-confirm" + th)))
    expect(page.locator("#viewer")).to_have_attribute("data-state", "identityChanged", timeout=15_000)
    expect(page.locator("#viewer-overlay")).to_be_visible()
    expect(page.locator("#viewer-overlay-title")).to_have_text("This machine's identity has changed")
    previous = page.locator("#viewer-trust-previous").inner_text()
    current = page.locator("#viewer-trust-current").inner_text()
    assert previous != current, (previous, current)
    # The viewer hung up (the agent is told it left): nothing of the impostor is shown or answered.
    pumped(page, viewer.left.is_set, 10, "the viewer kept the connection open")
    assert shares[0] != seen["first_share"], "the new exchange reused the viewer's old key pair"
    assert len(tamper.sockets) == 1
