"""Video mode (docs/protocol.md §4, TileUpdate encoding 4 = VP8) in the viewer against the
fake agent: undecodable video updates are dropped and counted while the viewer keeps
painting and acking; real VP8 (made in the page by WebCodecs' VideoEncoder, since there
is no VP8 encoder for Python here) is drawn; and js/viewer/video.js's stream rules with a
stand-in decoder."""
import time

import pytest
from playwright.sync_api import expect

import fake_agent
from viewer_steps import (DESKTOP_H, DESKTOP_W, MONITORS, admin_api, canvas_samples, desktop_scene, enrol,
                          expect_painted, open_viewer, pattern, png_of, send_screen, signed_in)

PATTERN_PNG = png_of(pattern)
SCENE_PNG = png_of(desktop_scene)
GARBAGE_VP8 = bytes.fromhex("deadbeef") * 16  # not a VP8 frame at all


@pytest.fixture(scope="module")
def agent_account(server):
    return enrol(admin_api(server), "VIDEO-DESK-01")


def video_tile(frame, keyframe, rect=(0, 0, DESKTOP_W, DESKTOP_H)):
    return fake_agent.tile_update(*rect, "vp8", fake_agent.video_data(frame, keyframe))


def full_png(picture):
    return fake_agent.tile_update(0, 0, DESKTOP_W, DESKTOP_H, "png", picture)


def expect_picture(page, pixel):
    result = canvas_samples(page)
    assert (result["width"], result["height"]) == (DESKTOP_W, DESKTOP_H)
    wrong = [(x, y, (r, g, b), pixel(x, y)) for x, y, r, g, b in result["samples"] if (r, g, b) != pixel(x, y)]
    assert not wrong, wrong[:5]


def send_frame(fake, viewer, sequence, *messages):
    """Sends `messages` and FrameEnd(sequence); asserts the viewer acks exactly that frame."""
    for message in messages:
        fake.send(viewer, message)
    fake.send(viewer, fake_agent.frame_end(sequence))
    assert acks(fake, viewer, sequence) == [sequence]


def painted_viewer(server, agent_account, agent, new_page):
    """A fake agent, a viewer page on it, and the pattern painted as frame 1."""
    agent_id, _ = agent_account
    fake = agent()
    page = open_viewer(signed_in(new_page(), server.base_url), server.base_url, agent_id)
    viewer = fake.wait_viewer()
    send_screen(fake, viewer, PATTERN_PNG, sequence=1)
    acks(fake, viewer, 1)
    expect_painted(page, viewer.channel.fingerprint)
    return fake, viewer, page


def acks(fake, viewer, sequence):
    seen = fake.wait_for(viewer, lambda m: m == {"type": "FrameAck", "sequence": sequence})
    return [m["sequence"] for m in seen if m["type"] == "FrameAck"]


def test_undecodable_video_is_dropped_counted_and_the_viewer_keeps_working(server, agent_account, agent, new_page):
    fake, viewer, page = painted_viewer(server, agent_account, agent, new_page)
    note = page.locator("#viewer-status-note")
    expect(note).to_be_hidden()

    # (b) A delta frame before any keyframe has nothing to predict from: dropped, counted,
    # and the PNG after it in the same frame still paints and the frame is acked.
    send_frame(fake, viewer, 2, video_tile(b"\x31\x04\x00" * 8, keyframe=False), full_png(SCENE_PNG))
    expect(note).to_have_text("1 screen update(s) could not be decoded")
    expect_picture(page, desktop_scene)

    # (a) A "keyframe" of garbage: the decoder fails (and is closed), the update is counted,
    # and the viewer goes on painting images and acking.
    send_frame(fake, viewer, 3, video_tile(GARBAGE_VP8, keyframe=True), full_png(PATTERN_PNG))
    expect(note).to_have_text("2 screen update(s) could not be decoded")
    expect_picture(page, pattern)

    # A delta after the failed keyframe has no stream either; a frame of nothing but
    # undecodable video is still acked, and the picture stays as it was.
    send_frame(fake, viewer, 4, video_tile(GARBAGE_VP8, keyframe=True), video_tile(GARBAGE_VP8, keyframe=False))
    expect(note).to_have_text("4 screen update(s) could not be decoded")
    expect_picture(page, pattern)

    # (c) The status bar names the codec of the last update (it refreshes once a second).
    expect(page.locator("#viewer-stat-codec")).to_have_text("VP8")
    expect(page.locator("#viewer")).to_have_attribute("data-state", "connected")

    # Images still work after all that.
    fake.send(viewer, full_png(SCENE_PNG))
    fake.send(viewer, fake_agent.frame_end(5))
    assert acks(fake, viewer, 5) == [5]
    expect_picture(page, desktop_scene)
    expect(page.locator("#viewer-stat-codec")).to_have_text("PNG")
    expect(note).to_have_text("4 screen update(s) could not be decoded")


# VP8 made in the page by WebCodecs: a keyframe then delta frames of flat colours.
ENCODE_VP8 = """
async ({ width, height, colours }) => {
  if (typeof VideoEncoder !== 'function') return null;
  const config = { codec: 'vp8', width, height, bitrate: 4_000_000, framerate: 30, latencyMode: 'realtime' };
  if (!(await VideoEncoder.isConfigSupported(config)).supported) return null;
  const chunks = [];
  let failure = null;
  const encoder = new VideoEncoder({
    output: (chunk) => {
      const bytes = new Uint8Array(chunk.byteLength);
      chunk.copyTo(bytes);
      chunks.push({ key: chunk.type === 'key', hex: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('') });
    },
    error: (err) => { failure = String(err); },
  });
  encoder.configure(config);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  colours.forEach(([r, g, b], i) => {
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.fillRect(0, 0, width, height);
    const frame = new VideoFrame(canvas, { timestamp: i * 33333 });
    encoder.encode(frame, { keyFrame: i === 0 });
    frame.close();
  });
  await encoder.flush();
  encoder.close();
  return failure ? { failure } : { chunks };
}
"""

COLOURS = [(200, 40, 40), (40, 160, 220), (60, 190, 90)]


def expect_colour_near(page, colour, tolerance=12, timeout=10):
    """Every sampled pixel within `tolerance` of `colour` (VP8 is lossy and 4:2:0)."""
    deadline = time.monotonic() + timeout
    while True:
        samples = canvas_samples(page, step=(61, 47))
        wrong = [s for s in samples["samples"] if max(abs(a - b) for a, b in zip(s[2:], colour)) > tolerance]
        if not wrong or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert not wrong, (colour, len(wrong), wrong[:5])


def test_real_vp8_stream_is_drawn_in_order(server, agent_account, agent, new_page):
    fake, viewer, page = painted_viewer(server, agent_account, agent, new_page)
    assert page.evaluate("typeof VideoDecoder === 'function'"), "no WebCodecs VideoDecoder on a loopback page"
    made = page.evaluate(ENCODE_VP8, {"width": DESKTOP_W, "height": DESKTOP_H, "colours": COLOURS})
    assert made is not None, "this browser cannot encode VP8 to make test frames"
    assert "failure" not in made, made
    chunks = made["chunks"]
    assert len(chunks) == len(COLOURS) and chunks[0]["key"] and not any(c["key"] for c in chunks[1:]), chunks

    # One video frame per protocol frame: keyframe, then deltas of the same stream.
    for i, (chunk, colour) in enumerate(zip(chunks, COLOURS)):
        fake.send(viewer, video_tile(bytes.fromhex(chunk["hex"]), keyframe=chunk["key"]))
        fake.send(viewer, fake_agent.frame_end(2 + i))
        assert acks(fake, viewer, 2 + i) == [2 + i]
        expect_colour_near(page, colour)  # acked only once it is on the canvas
    expect(page.locator("#viewer-stat-codec")).to_have_text("VP8")
    assert page.locator("#viewer-status-note").is_hidden()

    # A delta for another rect is not of this stream: dropped and counted; an image after
    # it paints over the video, and a video frame after that image lands on top again.
    fake.send(viewer, video_tile(bytes.fromhex(chunks[1]["hex"]), keyframe=False, rect=(0, 0, 320, 400)))
    fake.send(viewer, full_png(PATTERN_PNG))
    fake.send(viewer, fake_agent.frame_end(10))
    assert acks(fake, viewer, 10) == [10]
    expect_picture(page, pattern)
    expect(page.locator("#viewer-status-note")).to_have_text("1 screen update(s) could not be decoded")

    # A new keyframe restarts the stream; in one frame, PNG then video: the video is on top.
    fake.send(viewer, full_png(SCENE_PNG))
    fake.send(viewer, video_tile(bytes.fromhex(chunks[0]["hex"]), keyframe=True))
    fake.send(viewer, fake_agent.frame_end(11))
    assert acks(fake, viewer, 11) == [11]
    expect_colour_near(page, COLOURS[0])
    # …and video then PNG in one frame: the PNG is on top.
    fake.send(viewer, video_tile(bytes.fromhex(chunks[1]["hex"]), keyframe=False))
    fake.send(viewer, full_png(PATTERN_PNG))
    fake.send(viewer, fake_agent.frame_end(12))
    assert acks(fake, viewer, 12) == [12]
    expect_picture(page, pattern)
    expect(page.locator("#viewer-status-note")).to_have_text("1 screen update(s) could not be decoded")


# js/viewer/video.js with a stand-in decoder, so the stream rules are checked exactly.
STREAM_RULES = """
async () => {
  const { VideoStream } = await import('/assets/js/viewer/video.js');
  const log = [];
  const decoders = [];
  class FakeDecoder {
    constructor({ output, error }) { this.output = output; this.error = error; this.state = 'unconfigured'; this.chunks = []; decoders.push(this); }
    configure(config) { log.push(['configure', decoders.indexOf(this), config.codec, config.codedWidth, config.codedHeight]); this.state = 'configured'; }
    decode(chunk) {
      if (this.state !== 'configured') throw new DOMException('not configured', 'InvalidStateError');
      this.chunks.push(chunk);
      log.push(['decode', decoders.indexOf(this), chunk.type, chunk.byteLength]);
    }
    close() { this.state = 'closed'; log.push(['close', decoders.indexOf(this)]); }
    emit() { const chunk = this.chunks.shift(); const frame = { timestamp: chunk.timestamp, closed: false, close() { this.closed = true; } }; this.output(frame); return frame; }
    fail() { this.state = 'closed'; this.error(new DOMException('bad', 'EncodingError')); }
  }
  const context = { drawImage: (frame, x, y, w, h) => log.push(['draw', frame.timestamp, x, y, w, h]) };
  const tile = (key, x = 0, width = 64, extra = [7]) => ({ x, y: 0, width, height: 32, encoding: 'vp8', data: new Uint8Array([key ? 1 : 0, ...extra]) });
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const out = {};
  const s = new VideoStream(context, { Decoder: FakeDecoder });
  out.deltaFirst = await s.decode(tile(false));
  out.decodersAfterDelta = decoders.length;
  // keyframe, then two deltas in flight; outputs come in decode order
  let gate;
  const after = new Promise((r) => { gate = r; });
  const k = s.decode(tile(true, 0, 64, [1, 2, 3]), after);
  const d1 = s.decode(tile(false));
  const d2 = s.decode(tile(false));
  const f1 = decoders[0].emit();
  await tick();
  out.drawnBeforeEarlierPaints = log.some((e) => e[0] === 'draw');
  gate();
  out.key = await k;
  out.frameClosed = f1.closed;
  decoders[0].emit(); decoders[0].emit();
  out.deltas = [await d1, await d2];
  out.otherRect = await s.decode(tile(false, 8));
  // a decoder error drops what it still had and closes it; the next keyframe makes a new one
  const lost = s.decode(tile(false));
  decoders[0].fail();
  out.lost = await lost;
  out.deltaAfterError = await s.decode(tile(false));
  const k2 = s.decode(tile(true, 8, 16));
  decoders[1].emit();
  out.key2 = await k2;
  // a keyframe over a new rect reconfigures the same decoder
  const k3 = s.decode(tile(true, 0, 64));
  decoders[1].emit();
  out.key3 = await k3;
  const pendingAtStop = s.decode(tile(false));
  s.stop();
  out.pendingAtStop = await pendingAtStop;
  out.log = log;
  out.noWebCodecs = await new VideoStream(context, { Decoder: undefined }).decode(tile(true));
  return out;
}
"""


def test_video_stream_rules_with_a_stand_in_decoder(server, new_page):
    page = new_page()
    page.goto(f"{server.base_url}/login")
    out = page.evaluate(STREAM_RULES)
    assert out["deltaFirst"] is False and out["decodersAfterDelta"] == 0
    assert out["drawnBeforeEarlierPaints"] is False
    assert out["key"] is True and out["frameClosed"] is True
    assert out["deltas"] == [True, True]
    assert out["otherRect"] is False
    assert out["lost"] is False and out["deltaAfterError"] is False
    assert out["key2"] is True and out["key3"] is True
    assert out["pendingAtStop"] is False
    assert out["noWebCodecs"] is False
    assert out["log"] == [
        ["configure", 0, "vp8", 64, 32],
        ["decode", 0, "key", 3],  # the flags byte is not part of the VP8 frame
        ["decode", 0, "delta", 1],
        ["decode", 0, "delta", 1],
        ["draw", 1, 0, 0, 64, 32],
        ["draw", 2, 0, 0, 64, 32],
        ["draw", 3, 0, 0, 64, 32],
        ["decode", 0, "delta", 1],  # then the decoder fails: WebCodecs has closed it already
        ["configure", 1, "vp8", 16, 32],
        ["decode", 1, "key", 1],
        ["draw", 5, 8, 0, 16, 32],
        ["configure", 1, "vp8", 64, 32],
        ["decode", 1, "key", 1],
        ["draw", 6, 0, 0, 64, 32],
        ["decode", 1, "delta", 1],
        ["close", 1],
    ], out["log"]
