// One viewer's link to an agent: join ticket → WebSocket → ViewerJoin → key
// exchange → sealed inner messages, with heartbeats and reconnection (a fresh
// ticket each time, jittered exponential backoff). The page only sees states,
// decoded inner messages and counters; it never touches the wire format.
import { api } from '../api.js';
import { fromHex, toHex, utf8 } from '../protocol/bytes.js';
import { decodeEnvelope, encodeEnvelope, checkHeader, MAX_FRAME, REJECT_CODE, EnvelopeError } from '../protocol/envelope.js';
import { decodeInner, encodeInner, InnerError, INPUT_TYPES } from '../protocol/inner.js';
import {
  E2EError, generateKeyPair, hasWebCrypto, identityFingerprint, INPUT_PLAINTEXT_SIZE, RECORD_KEYCOMMIT,
  RECORD_KEYCONFIRM, RECORD_KEYSHARE, ViewerHandshake,
} from '../protocol/e2e.js';
import { checkIdentity, trustIdentity } from './identity-pins.js';
import { closeQuietly } from '../socket.js';
import { CHANNEL_CLOSED, FatalError, identityChangedText, isFinalReject, rejectError, securityError, SUPPORT_END } from './connection-errors.js';
import { REKEY_DETAIL, REKEY_TITLE, RekeyLimit } from './rekey-limit.js';

/** Connection states, in the order a healthy session goes through them. */
export const STATE = Object.freeze({
  connecting: 'connecting', // fetching a ticket, opening the socket
  waiting: 'waiting', // joined; waiting for the agent's key
  keyExchange: 'keyExchange', // deriving keys
  connected: 'connected',
  offline: 'offline', // the agent is not connected to the server
  reconnecting: 'reconnecting',
  ended: 'ended', // closed by the user, or the agent was removed
  error: 'error', // needs the user: no permission, or a security failure
  identityChanged: 'identityChanged', // the agent's identity key is not the pinned one: the technician decides
});

const BACKOFF_SECONDS = [1, 2, 4, 8, 15];
const OPEN_TIMEOUT_MS = 10_000;
const PING_INTERVAL_MS = 2_000;

export class ViewerConnection {
  /**
   * handlers: onState({ state, title, detail, retryAt, fingerprint, code, identity, trust, change }),
   * onMessage(inner), onLatency(ms), onBytes(n). `code` (also `fingerprint`) is the 6-digit
   * code the end user's window shows; `change` describes an identity key that differs from
   * the pinned one (state identityChanged; acceptNewIdentity() trusts it).
   */
  constructor({ agentId, mode, kind = 'agent', handlers }) {
    this.agentId = agentId;
    this.mode = mode;
    this.kind = kind; // 'agent' (unattended) or 'support' (a support session id)
    this.handlers = handlers;
    this.ws = null;
    this.channel = null;
    this.attempt = 0;
    this.stopped = true;
    this.timers = new Set();
    this.generation = 0;
    this.state = null;
    this.pings = new Map();
    this.nextNonce = 1n;
    this.lastHeard = 0;
    this.heartbeatMs = 20_000;
    this.sendChain = Promise.resolve();
    this.rekeys = new RekeyLimit(); // new key exchanges on one connection (a replaced agent process)
  }

  start() {
    this.stopped = false;
    this.attempt = 0;
    this.run();
  }

  /** Closes for good (the page is leaving or the user disconnected). */
  stop(title = 'Session ended', detail = 'You disconnected from this machine.') {
    this.stopped = true;
    this.teardown();
    this.setState(STATE.ended, { title, detail });
  }

  /** Skips the backoff wait (the "Reconnect now" button). */
  reconnectNow() {
    this.stopped = false;
    this.attempt = 0;
    this.rekeys.reset();
    this.teardown();
    this.run();
  }

  /** The technician accepted the new identity key shown in the identityChanged state. */
  async acceptNewIdentity() {
    const change = this.identityChange;
    if (!change) return;
    await trustIdentity(change.agent, change.identity);
    this.identityChange = null;
    this.reconnectNow();
  }

  get isConnected() {
    return this.state === STATE.connected && this.channel !== null;
  }

  /** Seals and sends an inner message; silently skipped while not connected. */
  send(message) {
    if (!this.isConnected) return;
    const { channel, ws, generation } = this;
    const plain = encodeInner(message);
    // Every input record is one size on the wire (docs/protocol.md §3.3).
    const padTo = INPUT_TYPES.has(message.type) ? INPUT_PLAINTEXT_SIZE : 0;
    // Sealing is async; the chain keeps counters in the order messages were sent.
    this.sendChain = this.sendChain.then(async () => {
      if (generation !== this.generation || ws.readyState !== WebSocket.OPEN) return;
      const record = await channel.seal(plain, { padTo });
      ws.send(encodeEnvelope({ type: 'Relay', peerId: 0, record }));
    }).catch((err) => {
      if (generation === this.generation) this.fail(err);
    });
  }

  // ---- internals ----

  setState(state, extra = {}) {
    this.state = state;
    const code = this.channel ? this.channel.shortAuthString : null;
    this.handlers.onState({ state, fingerprint: code, code, identity: this.identityText || null, trust: this.trust || null, ...extra });
  }

  later(ms, fn) {
    const id = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    this.timers.add(id);
    return id;
  }

  teardown() {
    this.generation += 1;
    for (const id of this.timers) clearTimeout(id);
    this.timers.clear();
    clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.channel = null;
    this.handshake = null;
    this.pings.clear();
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      closeQuietly(ws, 'viewer closed');
    }
  }

  scheduleRetry(state, title, detail) {
    this.teardown();
    if (this.stopped) return;
    const base = BACKOFF_SECONDS[Math.min(this.attempt, BACKOFF_SECONDS.length - 1)];
    this.attempt += 1;
    const delayMs = Math.round(base * 1000 * (0.8 + Math.random() * 0.4));
    const retryAt = Date.now() + delayMs;
    this.setState(state, { title, detail, retryAt });
    const generation = this.generation;
    this.later(delayMs, () => {
      if (generation === this.generation && !this.stopped) this.run();
    });
  }

  fail(err) {
    if (this.stopped) return;
    if (err instanceof FatalError) {
      this.teardown();
      this.stopped = true;
      this.setState(STATE.error, { title: err.title, detail: err.message });
      return;
    }
    this.scheduleRetry(STATE.reconnecting, 'Reconnecting…', err && err.message ? err.message : String(err));
  }

  /** One connection attempt; anything unexpected becomes a retry, never an unhandled rejection. */
  run() {
    const generation = this.generation + 1;
    this.connect().catch((err) => {
      if (generation === this.generation) this.fail(err);
    });
  }

  async connect() {
    this.teardown();
    const generation = this.generation;
    if (!hasWebCrypto()) {
      this.fail(new FatalError('Secure connection required', 'End-to-end encryption needs HTTPS (or localhost). Open this server over https:// to use the viewer.'));
      return;
    }
    this.setState(STATE.connecting, { title: this.attempt ? 'Reconnecting…' : 'Connecting…', detail: 'Requesting a session ticket.' });
    let ticket;
    try {
      const base = this.kind === 'support' ? '/api/support/sessions' : '/api/agents';
      ticket = await api('POST', `${base}/${encodeURIComponent(this.agentId)}/join`, { mode: this.mode });
    } catch (err) {
      if (generation !== this.generation || this.stopped) return;
      if (err.status === 409) {
        const detail = this.kind === 'support'
          ? "The customer's GuruConnect is not connected yet. Retrying automatically."
          : 'The machine is not connected to this server. Retrying automatically.';
        this.scheduleRetry(STATE.offline, 'Agent offline', detail);
      } else if (err.status === 404) {
        this.stopped = true;
        this.setState(STATE.ended, this.kind === 'support'
          ? { title: 'Session not found', detail: 'This support session does not exist, or you may not see it.' }
          : { title: 'Machine not found', detail: 'This agent was removed from the server.' });
      } else if (err.status === 401) {
        this.stopped = true; // api.js sends the user to the sign-in page
      } else if (err.status === 403) {
        this.fail(new FatalError('Not allowed', err.message));
      } else {
        this.scheduleRetry(STATE.reconnecting, 'Reconnecting…', err.message);
      }
      return;
    }
    if (generation !== this.generation || this.stopped) return;
    const keys = await generateKeyPair();
    if (generation !== this.generation || this.stopped) return;
    this.openSocket(ticket, keys, generation);
  }

  openSocket(ticket, keys, generation) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${scheme}//${location.host}${ticket.webSocketPath}`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.keys = keys;
    this.ticket = ticket;
    this.setState(STATE.connecting, { title: this.attempt ? 'Reconnecting…' : 'Connecting…', detail: 'Opening the relay connection.' });
    this.later(OPEN_TIMEOUT_MS, () => {
      if (generation === this.generation && this.state === STATE.connecting) this.fail(new Error('The server did not answer in time.'));
    });
    let chain = Promise.resolve();
    // Frames are read while this is the viewer's socket. A new key exchange on it (the agent process
    // was replaced) bumps the generation, so the old channel's async work is dropped, and keeps reading.
    const current = () => ws === this.ws;
    ws.onopen = () => {
      ws.send(encodeEnvelope({ type: 'ViewerJoin', sessionId: fromHex(ticket.sessionId), joinToken: utf8(ticket.joinToken), mode: ticket.mode || this.mode }));
    };
    ws.onmessage = (event) => {
      // One message at a time, in order: record counters and painting depend on it.
      chain = chain.then(() => (current() ? this.handleFrame(event.data) : undefined))
        .catch((err) => {
          if (current()) this.fail(err);
        });
    };
    ws.onclose = (event) => {
      if (!current()) return;
      if (this.state === STATE.connected || this.state === STATE.waiting || this.state === STATE.keyExchange) {
        this.scheduleRetry(STATE.reconnecting, 'Connection lost', event.reason || 'The connection to the server closed.');
      } else {
        this.scheduleRetry(STATE.reconnecting, 'Reconnecting…', event.reason || "Couldn't connect to the server.");
      }
    };
  }

  async handleFrame(data) {
    const bytes = new Uint8Array(data);
    if (bytes.length > MAX_FRAME) throw new EnvelopeError('FrameTooLarge');
    checkHeader(bytes);
    this.lastHeard = performance.now();
    if (this.handlers.onBytes) this.handlers.onBytes(bytes.length);
    const message = decodeEnvelope(bytes);
    switch (message.type) {
      case 'Welcome':
        // The connection id is this viewer's id, which the agent's signature covers.
        this.viewerId = message.connectionId;
        this.handshake = new ViewerHandshake({ keys: this.keys, sessionId: fromHex(this.ticket.sessionId), viewerId: this.viewerId });
        this.heartbeatMs = message.heartbeatSeconds * 1000;
        this.startHeartbeat();
        this.setState(STATE.waiting, { title: 'Waiting for the agent…', detail: 'Joined the session; the agent is starting the key exchange.' });
        break;
      case 'Reject':
        if (isFinalReject(message.code)) throw rejectError(message.code);
        this.scheduleRetry(STATE.reconnecting, 'Reconnecting…', `The server refused the join (${REJECT_CODE[message.code]}).`);
        break;
      case 'Ping':
        this.sendRaw({ type: 'Pong', nonce: message.nonce });
        break;
      case 'Pong': {
        const sentAt = this.pings.get(message.nonce);
        if (sentAt !== undefined) {
          this.pings.delete(message.nonce);
          if (this.handlers.onLatency) this.handlers.onLatency(performance.now() - sentAt);
        }
        break;
      }
      case 'SessionEnd':
        if (this.kind === 'support' && SUPPORT_END[message.reason]) {
          const [title, detail] = SUPPORT_END[message.reason];
          this.stopped = true;
          this.teardown();
          this.setState(STATE.ended, { title, detail, final: true });
          break;
        }
        this.attempt = 0;
        this.scheduleRetry(STATE.offline, 'Agent offline', 'The machine disconnected. Reconnecting when it comes back.');
        break;
      case 'Relay':
        await this.handleRecord(message.record);
        break;
      default:
        throw new FatalError('Protocol error', `The server sent an unexpected ${message.type}.`);
    }
  }

  async handleRecord(record) {
    if (record[0] === RECORD_KEYSHARE) {
      throw new FatalError('Agent too old', 'This machine runs an older GuruConnect agent whose key exchange is not signed. Update the agent on that machine, then connect again.');
    }
    if (record[0] === RECORD_KEYCOMMIT) {
      if (!this.handshake) throw new FatalError('Protocol error', 'The agent started the key exchange before the server welcomed this viewer.');
      if (this.handshake.commitment) {
        await this.restartKeyExchange(record);
        return;
      }
      this.setState(STATE.keyExchange, { title: 'Securing the connection…', detail: 'Agreeing end-to-end encryption keys with the machine.' });
      this.answerCommit(record);
      return;
    }
    if (record[0] === RECORD_KEYCONFIRM) {
      if (this.channel || !this.handshake) throw securityError(new E2EError('UnexpectedRecord', 'KeyConfirm out of turn'));
      const generation = this.generation;
      let channel;
      try {
        channel = await this.handshake.confirmReceived(record);
      } catch (err) {
        throw securityError(err);
      }
      if (generation !== this.generation) return;
      await this.checkPinned(channel.identityPublic, channel.shortAuthString);
      if (generation !== this.generation || this.state === STATE.identityChanged) return;
      this.channel = channel;
      this.attempt = 0;
      this.setState(STATE.connected, { title: 'Connected', detail: '' });
      return;
    }
    if (!this.channel) throw new FatalError('Security check failed', 'The agent sent encrypted data before proving its identity.');
    let inner;
    try {
      inner = decodeInner((await this.channel.open(record)).message);
    } catch (err) {
      // A newer agent may send types added since this viewer was built (docs/protocol.md §4).
      // The record opened, so it is the agent's: skipping it is safe. Anything else closes.
      if (err instanceof InnerError && err.kind === 'UnknownType') return;
      throw securityError(err);
    }
    if (inner.type === 'ChannelClosed') {
      throw new FatalError('The machine closed the encrypted channel', `${CHANNEL_CLOSED[inner.reason]} Reconnect to start a new, intact channel.`);
    }
    this.handlers.onMessage(inner);
  }

  /** Answers a KeyCommit with this handshake's KeyShare. */
  answerCommit(record) {
    let share;
    try {
      share = this.handshake.commitReceived(record);
    } catch (err) {
      throw securityError(err);
    }
    this.sendRaw({ type: 'Relay', peerId: 0, record: share });
  }

  /**
   * A KeyCommit after a key exchange began or ended: the agent process was replaced (docs/protocol.md
   * §1, §3.2), and the server kept this viewer attached with the same id. The old channel, any
   * half-done exchange and what was in flight for them are dropped; a fresh key pair answers the new
   * commit, and its KeyConfirm is checked like a first one, pinned identity included (§3.6).
   */
  async restartKeyExchange(record) {
    this.rekeys.admit(); // throws FatalError past the limit
    this.generation += 1; // sealing, pings and confirms of the old channel are dropped
    this.channel = null;
    this.handshake = null;
    this.pings.clear();
    this.setState(STATE.keyExchange, { title: REKEY_TITLE, detail: REKEY_DETAIL, rekeyed: true });
    const generation = this.generation;
    const keys = await generateKeyPair();
    if (generation !== this.generation) return;
    this.keys = keys;
    this.handshake = new ViewerHandshake({ keys, sessionId: fromHex(this.ticket.sessionId), viewerId: this.viewerId });
    this.startHeartbeat();
    this.answerCommit(record);
  }

  /** Trust on first use: a new agent is pinned, a known one must show the same key. */
  async checkPinned(identity, code) {
    const agent = this.ticket.sessionId;
    this.identityText = await identityFingerprint(identity);
    let result;
    try {
      result = await checkIdentity(agent, identity);
    } catch (err) {
      throw new FatalError('Cannot check the machine\'s identity', `This browser could not read its list of known machines (${err.message}). Without it a replaced key would go unnoticed, so the viewer does not connect.`);
    }
    if (result.status !== 'changed') {
      this.trust = result.status === 'new' ? 'new' : 'verified';
      return;
    }
    const pinnedText = await identityFingerprint(fromHex(result.pinned));
    this.identityChange = { agent, identity: toHex(identity) };
    this.trust = 'changed';
    this.stopped = true;
    const ws = this.ws;
    this.generation += 1; // nothing more from this socket is read
    this.ws = null;
    if (ws) closeQuietly(ws, 'identity changed');
    clearInterval(this.pingTimer);
    this.setState(STATE.identityChanged, {
      ...identityChangedText(result.firstSeen),
      change: { previous: pinnedText, current: this.identityText, code },
      accept: () => this.acceptNewIdentity(),
    });
  }

  sendRaw(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(encodeEnvelope(message));
  }

  startHeartbeat() {
    clearInterval(this.pingTimer);
    const generation = this.generation;
    const interval = Math.min(PING_INTERVAL_MS, this.heartbeatMs);
    const ping = () => {
      if (generation !== this.generation) return;
      if (performance.now() - this.lastHeard > 3 * this.heartbeatMs) {
        this.fail(new Error('The server stopped answering.'));
        return;
      }
      const nonce = this.nextNonce;
      this.nextNonce += 1n;
      this.pings.set(nonce, performance.now());
      if (this.pings.size > 16) this.pings.delete(this.pings.keys().next().value);
      this.sendRaw({ type: 'Ping', nonce });
    };
    ping();
    this.pingTimer = setInterval(ping, interval);
  }
}
