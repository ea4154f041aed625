// The remote viewer, full window at /app/viewer/{id}?mode=control|view[&kind=support]:
// toolbar, the remote screen, connection states and a status bar. `id` is an
// enrolled agent, or a support session with kind=support. This file runs the
// connection, handles the agent's messages and lays out the screen; the toolbar,
// overlay and status bar are built in ./viewer-*.js, and the wire, crypto and
// input details live in ../viewer/ and ../protocol/.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { toast } from '../components/toast.js';
import { PauseGate } from '../viewer/pause-gate.js';
import { describeSupportSession, confirmEndSupportSession } from './viewer-support.js';
import { ViewerConnection, STATE } from '../viewer/connection.js';
import { RemoteScreen } from '../viewer/screen.js';
import { attachInput } from '../viewer/input.js';
import { viewerStatusBar } from './viewer-status.js';
import { viewerToolbar } from './viewer-toolbar.js';
import { viewerStateBadge, viewerOverlay, viewerPausedBanner, INTERRUPTED_STATES } from './viewer-overlay.js';
import { clipboardPanel } from './viewer-clipboard.js';

export function render(container, ctx) {
  const agentId = ctx.subpath.replace(/^\//, '').split('/')[0];
  const params = new URLSearchParams(location.search);
  const mode = params.get('mode') === 'view' ? 'view' : 'control';
  const kind = params.get('kind') === 'support' ? 'support' : 'agent';
  const home = kind === 'support' ? { href: '/app/support', label: 'Back to Support' } : { href: '/app/access', label: 'Back to Access' };
  let agentName = kind === 'support' ? 'Support session' : 'Remote machine';
  ctx.setTitle('Viewer');

  let fit = true;
  let viewOnly = mode === 'view';
  let monitors = [];
  let selectedMonitor = -1; // -1: all monitors
  let scale = 1;
  let lastState = { state: STATE.connecting };
  const pause = new PauseGate(); // paused: nothing painted, acknowledged or sent

  // ---- elements ----
  const canvas = h('canvas', { id: 'viewer-canvas', class: 'viewer-canvas', width: 1, height: 1 });
  const cursorCanvas = h('canvas', { id: 'viewer-cursor', class: 'viewer-cursor is-hidden', width: 1, height: 1, 'aria-hidden': 'true' });
  const stage = h('div', {
    id: 'viewer-stage', class: 'viewer-stage', tabindex: '0', role: 'application',
    'aria-label': 'Remote screen. Keyboard and mouse input go to the remote machine.',
  }, canvas, cursorCanvas);
  const overlay = viewerOverlay({ home, onReconnect: () => conn.reconnectNow() });
  const pausedBanner = viewerPausedBanner({ onResume: () => setPaused(false) });
  // Only a controlling viewer gets the remote clipboard or may change it (the agent enforces it).
  const clip = mode === 'control'
    ? clipboardPanel({
      send: (text) => conn.send({ type: 'ClipboardText', text }),
      canSend: () => inputActive(),
      isViewOnly: () => viewOnly,
    })
    : null;
  const body = h('main', { class: 'viewer-body', id: 'viewer-body' }, stage, overlay.el, pausedBanner.el, clip?.panel);

  const stateBadge = viewerStateBadge();
  const tools = viewerToolbar({
    kind, mode, home, agentName, viewOnly, stateBadge: stateBadge.el, clipboardButton: clip?.button,
    onSpecialKey: (action) => {
      input.sendCombo(action);
      stage.focus({ preventScroll: true });
    },
  });

  const status = viewerStatusBar();
  const root = h('div', { class: 'viewer', id: 'viewer', dataset: { state: STATE.connecting, mode } }, tools.el, body, status.el);
  replace(container, root);
  document.body.classList.add('has-viewer');

  // ---- screen, layout, cursor ----
  const screen = new RemoteScreen(canvas, cursorCanvas);

  function region() {
    const b = screen.bounds;
    if (!b) return null;
    const m = monitors[selectedMonitor];
    return m ? { x: m.x, y: m.y, width: m.width, height: m.height } : b;
  }

  function layout() {
    const r = region();
    if (!r) return;
    const b = screen.bounds;
    const availW = Math.max(1, body.clientWidth);
    const availH = Math.max(1, body.clientHeight);
    scale = fit ? Math.min(availW / r.width, availH / r.height) : 1;
    body.classList.toggle('is-actual', !fit);
    stage.style.width = `${Math.floor(r.width * scale)}px`;
    stage.style.height = `${Math.floor(r.height * scale)}px`;
    canvas.style.width = `${b.width * scale}px`;
    canvas.style.height = `${b.height * scale}px`;
    canvas.style.left = `${-(r.x - b.x) * scale}px`;
    canvas.style.top = `${-(r.y - b.y) * scale}px`;
    layoutCursor();
  }

  function layoutCursor() {
    const r = region();
    const c = screen.cursor;
    const show = Boolean(r && c.hasImage && c.visible);
    cursorCanvas.classList.toggle('is-hidden', !show);
    if (!show) return;
    cursorCanvas.style.width = `${cursorCanvas.width * scale}px`;
    cursorCanvas.style.height = `${cursorCanvas.height * scale}px`;
    cursorCanvas.style.left = `${(c.x - r.x - c.hotX) * scale}px`;
    cursorCanvas.style.top = `${(c.y - r.y - c.hotY) * scale}px`;
  }

  const resizeObserver = new ResizeObserver(() => layout());
  resizeObserver.observe(body);

  function setMonitors(list) {
    monitors = list;
    if (selectedMonitor >= monitors.length) selectedMonitor = -1;
    tools.setMonitors(monitors, selectedMonitor);
  }

  // ---- input ----
  const inputActive = () => mode === 'control' && !viewOnly && !pause.paused && conn.isConnected;
  const input = attachInput(stage, {
    active: inputActive,
    toDesktop(clientX, clientY) {
      const r = region();
      if (!r) return null;
      const rect = stage.getBoundingClientRect();
      const lx = Math.min(Math.max((clientX - rect.left) / scale, 0), r.width - 1);
      const ly = Math.min(Math.max((clientY - rect.top) / scale, 0), r.height - 1);
      return { x: r.x + Math.floor(lx), y: r.y + Math.floor(ly) };
    },
    send: (message) => conn.send(message),
    onPointer(x, y) {
      // Draw the cursor where the local pointer is at once; the agent's CursorPosition confirms it.
      if (!inputActive()) return;
      screen.setCursorPosition(x, y, true);
      layoutCursor();
    },
  });

  function updateInputUi() {
    const controlling = inputActive();
    stage.classList.toggle('is-controlling', controlling && screen.cursor.hasImage);
    root.dataset.input = controlling ? 'on' : 'off';
    tools.showControls({
      viewOnly, connected: conn.isConnected, paused: pause.paused,
      stopped: lastState.state === STATE.ended || lastState.state === STATE.error,
    });
    root.dataset.paused = String(pause.paused);
    clip?.update();
  }

  // ---- stats ----
  const stats = { frames: 0, bytes: 0, latency: null, codec: null };
  const statsTimer = setInterval(() => {
    status.update({ fps: stats.frames, bytesPerSecond: stats.bytes, latency: stats.latency, codec: stats.codec, connected: conn.isConnected });
    stats.frames = 0;
    stats.bytes = 0;
  }, 1000);

  // ---- the connection ----
  let firstFrame = false;
  const conn = new ViewerConnection({
    agentId,
    mode,
    kind,
    handlers: {
      onState: showState,
      onBytes: (n) => {
        stats.bytes += n;
      },
      onLatency: (ms) => {
        stats.latency = stats.latency === null ? ms : stats.latency * 0.7 + ms * 0.3;
      },
      onMessage: handleMessage,
    },
  });

  function handleMessage(message) {
    if (message.type === 'ClipboardText') {
      clip?.received(message.text); // not part of the picture: a pause does not hold it back
      return;
    }
    if (message.type === 'SessionInfo') {
      // What this agent can do (sent after its MonitorLayout); not held back by a pause either.
      showSessionInfo(message.captureName, message.secureAttention);
      return;
    }
    if (!pause.admit(message)) return;
    switch (message.type) {
      case 'MonitorLayout':
        screen.setLayout(message.monitors);
        setMonitors(message.monitors);
        layout();
        break;
      case 'TileUpdate':
        if (!screen.bounds) break; // a tile before any layout has nowhere to go
        stats.codec = message.encoding;
        screen.paintTile(message);
        break;
      case 'FrameEnd': {
        const { sequence } = message;
        screen.afterPaint(() => {
          // Viewer-driven flow control: the agent sends more once this frame is on screen.
          conn.send({ type: 'FrameAck', sequence });
          stats.frames += 1;
          root.dataset.lastAck = String(sequence);
          if (screen.tileErrors) status.note(`${screen.tileErrors} screen update(s) could not be decoded`);
          if (!firstFrame) {
            firstFrame = true;
            showState(lastState);
          }
        });
        break;
      }
      case 'CursorImage':
        screen.setCursorImage(message);
        layoutCursor();
        updateInputUi();
        break;
      case 'CursorPosition':
        screen.setCursorPosition(message.x, message.y, message.visible);
        layoutCursor();
        break;
      default:
        break; // nothing else is for the viewer
    }
  }

  function showSessionInfo(captureName, secureAttention) {
    status.setCapture(captureName);
    tools.setSecureAttention(secureAttention);
    root.dataset.secureAttention = secureAttention;
  }

  function showState(info) {
    lastState = info;
    const { state } = info;
    // A new key exchange is a new agent process: forget what the last one said about itself
    // (an older agent sends no SessionInfo, and sends Ctrl+Alt+Del as keys).
    if (state === STATE.keyExchange) showSessionInfo(null, 'keys');
    root.dataset.state = state;
    const [label, variant] = stateBadge.show(state);
    status.setState(label, variant, info.fingerprint);
    if (state !== STATE.connected) {
      firstFrame = false;
      if (pause.paused && (state === STATE.ended || state === STATE.error)) setPaused(false);
    }
    if (info.final && tools.endSessionButton) tools.endSessionButton.disabled = true;
    if (INTERRUPTED_STATES.has(state)) {
      stats.latency = null;
      status.update({ fps: 0, bytesPerSecond: 0, latency: null, codec: stats.codec, connected: false });
    }
    updateInputUi();

    const connectedAndPainted = state === STATE.connected && firstFrame;
    overlay.show(info, label, connectedAndPainted);
    if (connectedAndPainted) stage.focus({ preventScroll: true });
  }

  // ---- toolbar wiring ----
  function setFit(value) {
    fit = value;
    tools.showFit(fit);
    layout();
    stage.focus({ preventScroll: true }); // keys go back to the remote machine
  }
  tools.fitButton.addEventListener('click', () => setFit(true));
  tools.actualButton.addEventListener('click', () => setFit(false));
  tools.monitorSelect.addEventListener('change', () => {
    selectedMonitor = Number(tools.monitorSelect.value);
    layout();
    stage.focus({ preventScroll: true });
  });
  tools.viewOnlyButton.addEventListener('click', () => {
    if (!viewOnly) input.releaseAll();
    viewOnly = !viewOnly;
    updateInputUi();
    stage.focus({ preventScroll: true });
    toast.info(viewOnly ? 'View only' : 'Control enabled', viewOnly ? 'Your mouse and keyboard no longer reach the remote machine.' : 'Your mouse and keyboard reach the remote machine again.');
  });
  tools.fullscreenButton.addEventListener('click', async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await root.requestFullscreen();
    } catch (err) {
      toast.error("Couldn't switch to full screen", err.message);
    }
  });
  const onFullscreenChange = () => {
    tools.showFullscreen(document.fullscreenElement === root);
    stage.focus({ preventScroll: true });
  };
  document.addEventListener('fullscreenchange', onFullscreenChange);
  function setPaused(value) {
    if (pause.paused === value) return;
    if (value) {
      pause.pause();
      input.releaseAll();
    } else {
      pause.resume();
      stage.focus({ preventScroll: true });
    }
    tools.showPaused(pause.paused);
    pausedBanner.show(pause.paused);
    updateInputUi();
  }
  tools.pauseButton.addEventListener('click', () => setPaused(!pause.paused));
  if (tools.endSessionButton) {
    tools.endSessionButton.addEventListener('click', () => confirmEndSupportSession(agentId, () => {
      input.releaseAll();
      conn.stop('Session ended', "You ended the support session. GuruConnect closed on the customer's computer.");
      showState({ ...lastState, final: true });
    }));
  }
  tools.disconnectButton.addEventListener('click', () => {
    input.releaseAll();
    conn.stop();
  });

  const describe = kind === 'support'
    ? describeSupportSession(agentId).then((session) => {
      if (!session) return;
      tools.supportCode.textContent = session.code;
      agentName = session.title;
      tools.nameEl.textContent = agentName;
      ctx.setTitle(`${session.code} · ${session.machineName || 'Support'} · ${mode === 'view' ? 'View' : 'Control'}`);
    })
    : api('GET', '/api/agents').then((agents) => {
      const agent = Array.isArray(agents) ? agents.find((a) => a.id === agentId) : null;
      if (!agent) return;
      agentName = agent.name;
      tools.nameEl.textContent = agentName;
      ctx.setTitle(`${agentName} · ${mode === 'view' ? 'View' : 'Control'}`);
    });
  describe.catch((err) => {
    // The name is cosmetic; the connection reports real problems itself.
    if (err.status !== 401) status.note(`Couldn't load the machine name: ${err.message}`);
  });

  showState({ state: STATE.connecting, title: 'Connecting…', detail: 'Requesting a session ticket.' });
  conn.start();

  return () => {
    conn.stop();
    screen.stop();
    input.detach();
    clip?.detach();
    resizeObserver.disconnect();
    clearInterval(statsTimer);
    overlay.stop();
    document.removeEventListener('fullscreenchange', onFullscreenChange);
    document.body.classList.remove('has-viewer');
  };
}
