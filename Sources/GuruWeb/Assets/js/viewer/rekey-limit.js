// How often a viewer lets its channel be re-keyed. A KeyCommit after a key exchange began
// means the agent process was replaced (docs/protocol.md §1, §3.2: for example the support
// agent relaunched itself with administrator rights and handed its session over), and the
// viewer starts a new exchange on the same connection. Each one costs a key pair and an
// identity check, and anyone on the relay path can send a KeyCommit, so the viewer takes
// at most a few a minute and then gives up, rather than spin at a hostile relay's pace.
import { FatalError } from './connection-errors.js';

/** Re-keys allowed within REKEY_WINDOW_MS; one more is a FatalError. */
export const MAX_REKEYS = 3;
export const REKEY_WINDOW_MS = 60_000;

/** What the viewer shows while it verifies the replaced agent. */
export const REKEY_TITLE = 'Securing the connection…';
export const REKEY_DETAIL = "The machine's agent restarted (for example with administrator rights); verifying its identity again.";

/** Counts re-keys in a sliding window; `admit()` throws once there were too many. */
export class RekeyLimit {
  constructor({ max = MAX_REKEYS, windowMs = REKEY_WINDOW_MS, now = () => Date.now() } = {}) {
    this.max = max;
    this.windowMs = windowMs;
    this.now = now;
    this.times = [];
  }

  /** One more re-key now, or a FatalError when the window already holds `max`. */
  admit() {
    const now = this.now();
    this.times = this.times.filter((at) => now - at < this.windowMs);
    if (this.times.length >= this.max) {
      throw new FatalError('The agent restarted too often',
        `The machine's agent started a new key exchange more than ${this.max} times within a minute, so the viewer stopped. Something between you and the machine may be interfering. Reconnect to try again.`);
    }
    this.times.push(now);
  }

  /** The technician chose to reconnect: the count starts again. */
  reset() {
    this.times = [];
  }
}
