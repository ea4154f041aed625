// One diagnostics collection from the agent: a DiagnosticsRequest with a fresh requestId,
// the DiagnosticsReport that answers it (docs/protocol.md §4), then the upload to the
// server. An agent that knows no diagnostics (older than 0x60) skips the request without
// a word (§4, unknown types), so only the timeout can tell: it says so in plain words.
// No DOM here; views/viewer-diagnostics.js shows the phases.
import { uploadReport } from './reports.js';

/** How long the agent gets to answer: its collection is bounded at 10 s. */
export const COLLECT_TIMEOUT_MS = 20_000;

/** Phases of a collection, as `onChange` reports them. */
export const PHASE = Object.freeze({ idle: 'idle', collecting: 'collecting', uploading: 'uploading', done: 'done', failed: 'failed' });

/** Collects from the agent of `controller`'s session; `onChange({ phase, report, error })`. */
export class DiagnosticsCollector {
  constructor(controller, { onChange, timeoutMs = COLLECT_TIMEOUT_MS, upload = uploadReport }) {
    this.controller = controller;
    this.onChange = onChange;
    this.timeoutMs = timeoutMs;
    this.upload = upload;
    this.phase = PHASE.idle;
    this.requestId = 0;
    this.timer = null;
  }

  get busy() {
    return this.phase === PHASE.collecting || this.phase === PHASE.uploading;
  }

  /** Sends a request unless one is running; false when the session is not connected. */
  start() {
    if (this.busy) return true;
    if (!this.controller.connected) {
      this.set(PHASE.failed, { error: 'Not connected: diagnostics can be collected once the session is connected.' });
      return false;
    }
    this.requestId = this.requestId >= 0xffffffff ? 1 : this.requestId + 1;
    this.set(PHASE.collecting);
    this.controller.send({ type: 'DiagnosticsRequest', requestId: this.requestId });
    this.timer = setTimeout(() => {
      this.timer = null;
      this.set(PHASE.failed, {
        error: `The agent did not answer within ${Math.round(this.timeoutMs / 1000)} s. An agent older than diagnostics ignores the request: update the agent on this machine and try again.`,
      });
    }, this.timeoutMs);
    return true;
  }

  /** A DiagnosticsReport from the agent; one that answers no request of ours is ignored. */
  async received({ requestId, report }) {
    if (this.phase !== PHASE.collecting || requestId !== this.requestId) return;
    this.clearTimer();
    this.set(PHASE.uploading);
    try {
      const stored = await this.upload(this.controller.session, report);
      this.set(PHASE.done, { report: stored });
    } catch (err) {
      this.set(PHASE.failed, { error: `The report arrived but could not be saved: ${err.message}` });
    }
  }

  /** The connection dropped: a running request will get no answer on it. */
  connectionLost() {
    if (this.phase !== PHASE.collecting) return;
    this.clearTimer();
    this.set(PHASE.failed, { error: 'The connection ended before the agent answered. Collect again once reconnected.' });
  }

  stop() {
    this.clearTimer();
  }

  clearTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  set(phase, extra = {}) {
    this.phase = phase;
    this.onChange({ phase, ...extra });
  }
}
