// The viewer's controller: the session's state (connection state, pause, view-only, scale,
// monitor selection), the agent's inner messages dispatched to the panels that handle them,
// and the actions panels may ask for. It builds no DOM: panels do, and the layout
// (views/viewer-layout.js) holds the slots they mount into.
//
// The panel contract. A panel is a plain object passed to `controller.register(panel)`:
//
//   {
//     name: 'clipboard',                       // for errors and debugging
//     mount: { tools: button, body: aside },    // slot → element or array of elements; the
//                                               // layout's slots: heading, bar, tools, body, footer.
//                                               // Within a slot, panels appear in registration order.
//     messages: { ClipboardText(message) {} },  // inner messages from the agent, by type
//     events: { state(info) {}, change() {} },  // controller events, by name (see EVENTS)
//     stop() {},                                // the viewer is closing: clear timers, listeners
//   }
//
// Every key is optional. Several panels may handle the same message or event; they run in
// registration order. Picture messages (PICTURE_MESSAGES) pass the pause gate first; any
// other message (clipboard, session info, and whatever later panels add) is delivered even
// while paused. A panel never calls another panel: it reads the controller's state
// (`controller.viewOnly`, `.paused`, `.lastState`…), asks for an action
// (`controller.setPaused(true)`), or emits an event of its own (`controller.emit(name, …)`)
// for panels that listen to it. So a new panel (files, chat, recording) is one new module
// and one line in the viewer's panel list, and touches no existing panel.
import { ViewerConnection, STATE } from './connection.js';
import { PauseGate } from './pause-gate.js';
import { PanelRegistry } from '../panels.js';

/** The messages that draw the picture: held back by a pause (viewer/pause-gate.js). */
export const PICTURE_MESSAGES = new Set(['MonitorLayout', 'TileUpdate', 'FrameEnd', 'CursorImage', 'CursorPosition']);

/**
 * The controller's own events, with their arguments:
 * - state(info): a ViewerConnection state report ({ state, title, detail, fingerprint, final… });
 * - change(): view-only, pause, connection, scale or monitors changed: redraw from the getters;
 * - tile(encoding): a tile of the picture is being painted;
 * - painted(sequence): a frame is on screen (acknowledged now, or later in the background);
 * - frame(sequence): a frame is on screen and acknowledged;
 * - identity({ name, code, title }): the machine's name, once known (views/viewer-identity.js);
 * - bytes(n), latency(ms): connection counters;
 * - note(text): a problem worth a line in the status bar;
 * - focusScreen(), releaseInput(), specialKey(action): requests for the screen panel.
 * Panels may add their own names.
 */
export const EVENTS = Object.freeze(['state', 'change', 'tile', 'painted', 'frame', 'identity', 'bytes', 'latency', 'note', 'focusScreen', 'releaseInput', 'specialKey']);

/** An SessionInfo as if sent by an agent that says nothing about itself (older agents). */
const UNKNOWN_SESSION_INFO = Object.freeze({ type: 'SessionInfo', captureName: null, secureAttention: 'keys', elevated: false });

/** A session's state and message dispatch; see the panel contract above. */
export class ViewerController {
  /**
   * `session`: { agentId, mode: 'control'|'view', kind: 'agent'|'support', home: { href, label } }.
   * `layout`: { mount(slot, elements) } (views/viewer-layout.js). `connect(handlers)` makes
   * the connection (a ViewerConnection unless a test passes another).
   */
  constructor({ session, layout, connect = (handlers) => new ViewerConnection({ ...session, handlers }) }) {
    this.session = Object.freeze({ ...session });
    this.layout = layout;
    this.registry = new PanelRegistry(layout);
    this.pause = new PauseGate(); // paused: nothing painted, acknowledged or sent
    this.viewOnly = session.mode === 'view';
    this.fit = true;
    this.monitors = [];
    this.selectedMonitor = -1; // -1: all monitors
    this.lastState = { state: STATE.connecting };
    this.firstFrame = false; // a frame of this connection is on screen
    this.background = false; // another session of the switcher is in front (low frame rate)
    this.connection = connect({
      onState: (info) => this.showState(info),
      onBytes: (n) => this.emit('bytes', n),
      onLatency: (ms) => this.emit('latency', ms),
      onMessage: (message) => this.dispatch(message),
    });
  }

  /** Adds a panel: mounts its elements and subscribes its handlers. Returns the panel. */
  register(panel) {
    return this.registry.add(panel);
  }

  start() {
    this.showState({ state: STATE.connecting, title: 'Connecting…', detail: 'Requesting a session ticket.' });
    this.connection.start();
  }

  /** The viewer is closing: ends the connection, then stops the panels, last registered first. */
  stop() {
    this.connection.stop();
    this.registry.stopAll();
  }

  emit(name, ...args) {
    this.registry.emit(name, args);
  }

  /** An inner message from the agent, to the panels that handle its type. */
  dispatch(message) {
    if (PICTURE_MESSAGES.has(message.type) && !this.pause.admit(message)) return;
    this.registry.deliver(message);
  }

  send(message) {
    this.connection.send(message);
  }

  // ---- state the panels read ----

  get connected() {
    return this.connection.isConnected;
  }

  get paused() {
    return this.pause.paused;
  }

  /** Whether local input may reach the remote machine now. */
  get inputActive() {
    return this.session.mode === 'control' && !this.viewOnly && !this.pause.paused && this.connected;
  }

  /** Connected, and a frame of this connection is on screen (the overlay steps aside). */
  get painted() {
    return this.lastState.state === STATE.connected && this.firstFrame;
  }

  /** The session ended or failed; only Reconnect or Back remain. */
  get stopped() {
    return this.lastState.state === STATE.ended || this.lastState.state === STATE.error;
  }

  // ---- actions ----

  showState(info) {
    this.lastState = info;
    const { state } = info;
    // A new key exchange is a new agent process (a new connection, or the agent replaced on
    // this one, docs/protocol.md §3.2): forget what the last one said about itself (an older
    // agent sends no SessionInfo, and sends Ctrl+Alt+Del as keys), its monitors, and the keys
    // and buttons held down for it. Panels reset their own per-channel state on this event
    // too (the screen its decoders, cursor and acknowledgements).
    if (state === STATE.keyExchange) this.newAgentStream();
    if (state !== STATE.connected) {
      this.firstFrame = false;
      if (this.pause.paused && this.stopped) this.setPaused(false);
    }
    this.emit('state', info);
    this.emit('change');
    if (this.painted) this.focusScreen();
  }

  /** A new channel begins: nothing the previous agent process said or was told still holds. */
  newAgentStream() {
    this.releaseInput();
    this.pause.reset();
    this.monitors = [];
    this.dispatch(UNKNOWN_SESSION_INFO);
  }

  /** The screen panel painted and acknowledged frame `sequence`. */
  framePainted(sequence) {
    this.emit('frame', sequence);
    if (!this.firstFrame) {
      this.firstFrame = true;
      this.showState(this.lastState);
    }
  }

  setPaused(value) {
    if (this.pause.paused === value) return;
    if (value) {
      this.pause.pause();
      this.releaseInput();
    } else {
      this.pause.resume();
      this.focusScreen();
    }
    this.emit('change');
  }

  /** Another session is in front (true) or this one is shown again (false). */
  setBackground(value) {
    if (this.background === value) return;
    this.background = value;
    if (value) this.releaseInput();
    this.emit('change');
    if (!value && this.painted) this.focusScreen();
  }

  setViewOnly(value) {
    if (value && !this.viewOnly) this.releaseInput();
    this.viewOnly = value;
    this.emit('change');
    this.focusScreen();
  }

  setFit(value) {
    this.fit = value;
    this.emit('change');
    this.focusScreen(); // keys go back to the remote machine
  }

  selectMonitor(index) {
    this.selectedMonitor = index;
    this.emit('change');
    this.focusScreen();
  }

  /** The agent's monitor list (MonitorLayout); a selection past its end falls back to all. */
  setMonitors(monitors) {
    this.monitors = monitors;
    if (this.selectedMonitor >= monitors.length) this.selectedMonitor = -1;
    this.emit('change');
  }

  /** Closes this viewer's connection for good (Disconnect, Leave, End session). */
  disconnect(title, detail) {
    this.releaseInput();
    this.connection.stop(title, detail);
  }

  /** The session is over for everyone: no Reconnect. */
  markFinal() {
    this.showState({ ...this.lastState, final: true });
  }

  reconnect() {
    this.connection.reconnectNow();
  }

  note(text) {
    this.emit('note', text);
  }

  focusScreen() {
    this.emit('focusScreen');
  }

  releaseInput() {
    this.emit('releaseInput');
  }

  sendSpecialKey(action) {
    this.emit('specialKey', action);
  }
}
