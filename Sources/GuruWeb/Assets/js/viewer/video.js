// Video mode: 'vp8' TileUpdates (docs/protocol.md §4) decoded by WebCodecs (off the main
// thread) and drawn onto the screen's 2D canvas. A keyframe starts a stream over its rect
// and (re)configures the decoder; delta frames continue the current stream. A frame that
// cannot be decoded (a delta before any keyframe or for another rect, a decoder error, no
// WebCodecs in an insecure context) is dropped: its promise resolves false, never rejects.
import { videoFrameOf } from '../protocol/inner.js';

const sameRect = (a, b) => a && b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
const settled = (promise) => Promise.resolve(promise).then(() => {}, () => {});

export class VideoStream {
  /**
   * `context` is the 2D context frames are drawn on. `Decoder` defaults to the browser's
   * VideoDecoder (undefined outside a secure context); tests may pass a stand-in.
   */
  constructor(context, { Decoder = globalThis.VideoDecoder } = {}) {
    this.context = context;
    this.Decoder = Decoder;
    this.decoder = null;
    this.rect = null; // the current stream's rect; null until a keyframe is accepted
    this.pending = []; // FIFO of frames given to the decoder, in decode (= output) order
    this.timestamp = 0;
  }

  /** True when this browser can decode video at all. */
  get supported() {
    return typeof this.Decoder === 'function';
  }

  /**
   * Decodes one 'vp8' tile. The promise resolves true once the frame is drawn at the
   * tile's rect — not before `after` (the paints queued earlier) has settled, so tiles land
   * in the order they were sent — or false when the frame was dropped as undecodable.
   */
  decode(tile, after = undefined) {
    const { keyframe, frame } = videoFrameOf(tile);
    const rect = { x: tile.x, y: tile.y, width: tile.width, height: tile.height };
    if (!this.supported) return Promise.resolve(false);
    if (keyframe) {
      if (!this.start(rect)) return Promise.resolve(false);
    } else if (!this.decoder || this.decoder.state !== 'configured' || !sameRect(rect, this.rect)) {
      return Promise.resolve(false); // nothing to predict it from
    }
    return new Promise((resolve) => {
      this.timestamp += 1;
      const entry = { timestamp: this.timestamp, rect, after, resolve };
      const decoder = this.decoder;
      this.pending.push(entry);
      try {
        decoder.decode(new EncodedVideoChunk({ type: keyframe ? 'key' : 'delta', timestamp: entry.timestamp, data: frame }));
      } catch {
        this.fail(decoder); // e.g. a "keyframe" that is not one
      }
    });
  }

  /** Makes the decoder ready for a keyframe over `rect`; false if it cannot be. */
  start(rect) {
    try {
      if (!this.decoder || this.decoder.state === 'closed') {
        const decoder = new this.Decoder({
          output: (frame) => this.output(decoder, frame),
          error: () => this.fail(decoder),
        });
        this.decoder = decoder;
        this.rect = null;
      }
      if (!sameRect(rect, this.rect)) {
        this.decoder.configure({ codec: 'vp8', codedWidth: rect.width, codedHeight: rect.height, optimizeForLatency: true });
        this.rect = rect;
      }
      return true;
    } catch {
      this.fail(this.decoder);
      return false;
    }
  }

  output(decoder, frame) {
    if (decoder !== this.decoder) {
      frame.close();
      return;
    }
    // Outputs come in decode order. A frame the decoder produced no picture for (an
    // invisible one) is passed over, not counted as an error.
    while (this.pending.length && this.pending[0].timestamp < frame.timestamp) this.pending.shift().resolve(true);
    const entry = this.pending[0]?.timestamp === frame.timestamp ? this.pending.shift() : null;
    if (!entry) {
      frame.close();
      return;
    }
    settled(entry.after).then(() => {
      let drawn = false;
      try {
        const { x, y, width, height } = entry.rect;
        this.context.drawImage(frame, x, y, width, height);
        drawn = true;
      } catch {
        // a frame that cannot be drawn counts as undecodable
      } finally {
        frame.close();
      }
      entry.resolve(drawn);
    });
  }

  /** A decoder error: close it and drop whatever it still had; the next keyframe makes a new one. */
  fail(decoder) {
    if (!decoder || decoder !== this.decoder) return;
    this.decoder = null;
    this.rect = null;
    try {
      if (decoder.state !== 'closed') decoder.close();
    } catch {
      // already closed
    }
    const dropped = this.pending;
    this.pending = [];
    for (const entry of dropped) entry.resolve(false);
  }

  /** Closes the decoder (the viewer is going away). */
  stop() {
    this.fail(this.decoder);
  }
}
