// Frame acknowledgements, paced. The agent sends a frame only while fewer than two are
// unacknowledged (docs/protocol.md §4), so a viewer sets its own frame rate by when it
// acknowledges. In front, every painted frame is acknowledged at once (full rate). In the
// background (another session of the switcher is in front) at most one acknowledgement a
// second goes out, for the newest painted frame (a FrameAck also acknowledges every earlier
// one), well inside the agent's 3 s resend timeout: the session keeps painting (its
// thumbnail stays live) at about one frame a second, with no protocol change.

/** The least time between two acknowledgements of a background session. */
export const BACKGROUND_ACK_MS = 1000;

/** Paces FrameAck: `ack(sequence)` sends one; `acked(sequence)` runs after it went out. */
export class AckPacer {
  constructor({ ack, acked = () => {}, intervalMs = BACKGROUND_ACK_MS, now = () => performance.now() }) {
    this.ack = ack;
    this.acked = acked;
    this.intervalMs = intervalMs;
    this.now = now;
    this.background = false;
    this.lastAckAt = -Infinity;
    this.pending = null; // the newest painted, not yet acknowledged sequence
    this.timer = null;
  }

  /** Frame `sequence` is on screen. */
  painted(sequence) {
    this.pending = sequence;
    if (!this.background) return this.flush();
    if (this.timer !== null) return undefined;
    const wait = this.lastAckAt + this.intervalMs - this.now();
    if (wait <= 0) return this.flush();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
    return undefined;
  }

  /** In the background: one acknowledgement a second. In front again: the held one goes now. */
  setBackground(value) {
    this.background = value;
    if (!value) this.flush();
  }

  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === null) return;
    const sequence = this.pending;
    this.pending = null;
    this.lastAckAt = this.now();
    this.ack(sequence);
    this.acked(sequence);
  }

  /** A new connection: nothing held belongs to it. */
  reset() {
    clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  stop() {
    this.reset();
  }
}
