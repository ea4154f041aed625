// The dashboard's live channel: GET /api/dashboard/ws (same origin) sends
// {"type":"support.changed","sessionId":"…"} on every change, and, to the one
// technician concerned, {"type":"support.assigned","sessionId","code","assignedBy","via"}
// when someone else gave them a session. Reconnects with jittered exponential
// backoff; the page re-fetches its list on each change and after every
// (re)connect, since changes may have been missed meanwhile. The Access tab listens
// for {"type":"agents.changed"} (onAgentsChanged), sent at most once a second while
// machines come, go or report.

import { closeQuietly } from '../socket.js';

const BACKOFF_SECONDS = [1, 2, 4, 8, 15, 30];

/** Connection states reported to onState. */
export const LIVE = Object.freeze({ connecting: 'connecting', live: 'live', reconnecting: 'reconnecting', closed: 'closed' });

export class DashboardSocket {
  /** handlers: onChange(message), onAssigned(message), onAgentsChanged(), onOpen(), onDrop(), onState(state, { retryAt }); all but onState optional */
  constructor(handlers) {
    this.handlers = handlers;
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = true;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.detach();
    this.handlers.onState(LIVE.closed, {});
  }

  /** Skips the wait (the tab became visible again). */
  reconnectNow() {
    if (this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    clearTimeout(this.timer);
    this.connect();
  }

  detach() {
    if (!this.ws) return;
    const ws = this.ws;
    this.ws = null;
    closeQuietly(ws, 'page closed');
  }

  connect() {
    this.detach();
    this.handlers.onState(this.attempt ? LIVE.reconnecting : LIVE.connecting, {});
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}/api/dashboard/ws`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.handlers.onState(LIVE.live, {});
      if (this.handlers.onOpen) this.handlers.onOpen();
    };
    ws.onmessage = (event) => {
      if (typeof event.data !== 'string') return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // not ours to understand; the next change still arrives
      }
      if (message?.type === 'support.changed' && this.handlers.onChange) this.handlers.onChange(message);
      else if (message?.type === 'support.assigned' && this.handlers.onAssigned) this.handlers.onAssigned(message);
      else if (message?.type === 'agents.changed' && this.handlers.onAgentsChanged) this.handlers.onAgentsChanged(message);
    };
    ws.onclose = () => {
      if (ws !== this.ws) return;
      this.ws = null;
      // A handshake refused because the sign-in ended looks like any drop here; the
      // page's next API call finds out (and sends the user to the sign-in page).
      if (this.handlers.onDrop) this.handlers.onDrop();
      this.scheduleRetry();
    };
  }

  scheduleRetry() {
    if (this.stopped) return;
    const base = BACKOFF_SECONDS[Math.min(this.attempt, BACKOFF_SECONDS.length - 1)];
    this.attempt += 1;
    const delayMs = Math.round(base * 1000 * (0.8 + Math.random() * 0.4));
    this.handlers.onState(LIVE.reconnecting, { retryAt: Date.now() + delayMs });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.stopped) this.connect();
    }, delayMs);
  }
}
