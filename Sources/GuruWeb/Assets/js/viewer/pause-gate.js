// The technician's Pause: while paused nothing is painted or acknowledged, so the
// agent's flow-control window (docs/protocol.md §4) fills and it stops sending. Frames
// that did arrive are dropped; on resume the viewer waits for the agent's full-screen
// resend, which starts with a MonitorLayout (the agent resends everything once its
// window has stalled for 3 s), so no stale region survives the pause.

export class PauseGate {
  constructor() {
    this.paused = false;
    this.dropped = false; // a tile or frame end was dropped while paused
    this.awaitingRefresh = false;
  }

  pause() {
    this.paused = true;
    this.dropped = false;
  }

  /** If nothing was dropped the picture is still current and painting resumes at once. */
  resume() {
    this.paused = false;
    this.awaitingRefresh = this.dropped;
  }

  /** A new agent stream (a new channel): what was dropped belonged to the old one. A pause
   * stays: it is the technician's, and holds the new stream back too. */
  reset() {
    this.dropped = false;
    this.awaitingRefresh = false;
  }

  /** True when `message` (an inner message from the agent) should be handled now. */
  admit(message) {
    if (this.paused) {
      if (message.type === 'TileUpdate' || message.type === 'FrameEnd') this.dropped = true;
      return false;
    }
    if (this.awaitingRefresh) {
      if (message.type !== 'MonitorLayout') return false; // leftovers of frames dropped while paused
      this.awaitingRefresh = false;
    }
    return true;
  }
}
