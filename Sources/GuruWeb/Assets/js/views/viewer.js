// The remote viewer, full window at /app/viewer/{id}?mode=control|view[&kind=support]:
// toolbar, the remote screen, connection states and a status bar. `id` is an
// enrolled agent, or a support session with kind=support. The wire, crypto and
// input details live in ../viewer/ and ../protocol/.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { actionMenu } from '../components/menu.js';
import { toast } from '../components/toast.js';
import { PauseGate } from '../viewer/pause-gate.js';
import { describeSupportSession, confirmEndSupportSession } from './viewer-support.js';
import { ViewerConnection, STATE } from '../viewer/connection.js';
import { RemoteScreen } from '../viewer/screen.js';
import { attachInput, SPECIAL_KEYS } from '../viewer/input.js';
import { viewerStatusBar } from './viewer-status.js';

const STATE_BADGE = {
  connecting: ['Connecting', 'primary'],
  waiting: ['Waiting for agent', 'primary'],
  keyExchange: ['Key exchange', 'primary'],
  connected: ['Connected', 'success'],
  offline: ['Agent offline', 'warning'],
  reconnecting: ['Reconnecting', 'warning'],
  ended: ['Ended', 'neutral'],
  error: ['Error', 'destructive'],
};
const BUSY_STATES = new Set([STATE.connecting, STATE.waiting, STATE.keyExchange, STATE.reconnecting]);

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
  const overlayIcon = h('div', { class: 'viewer-overlay-icon' });
  const overlayTitle = h('h2', { class: 'viewer-overlay-title', id: 'viewer-overlay-title' });
  const overlayText = h('p', { class: 'viewer-overlay-text', id: 'viewer-overlay-text' });
  const overlayActions = h('div', { class: 'viewer-overlay-actions' });
  const overlay = h('div', { class: 'viewer-overlay', id: 'viewer-overlay', role: 'status', 'aria-live': 'polite' },
    h('div', { class: 'viewer-overlay-card' }, overlayIcon, overlayTitle, overlayText, overlayActions));
  const pausedBanner = h('div', { class: 'viewer-paused is-hidden', id: 'viewer-paused', role: 'status' },
    icon('pause', { size: 16 }), h('span', null, 'Paused: the picture is frozen and your input is not sent.'),
    button({ label: 'Resume', icon: 'play', variant: 'primary', size: 'sm', id: 'viewer-resume', onClick: () => setPaused(false) }));
  const body = h('main', { class: 'viewer-body', id: 'viewer-body' }, stage, overlay, pausedBanner);

  const nameEl = h('span', { class: 'viewer-name', id: 'viewer-agent-name' }, agentName);
  const stateBadge = h('span', { class: 'badge badge-primary', id: 'viewer-state', dataset: { state: STATE.connecting } });
  const monitorSelect = h('select', { class: 'input select viewer-monitor-select', id: 'viewer-monitor', 'aria-label': 'Monitor', disabled: true },
    h('option', { value: '-1' }, 'All monitors'));
  const fitButton = h('button', { type: 'button', class: 'viewer-seg', id: 'viewer-scale-fit', 'aria-pressed': 'true', title: 'Scale to fit the window' }, icon('fit', { size: 15 }), h('span', { class: 'viewer-seg-label' }, 'Fit'));
  const actualButton = h('button', { type: 'button', class: 'viewer-seg', id: 'viewer-scale-actual', 'aria-pressed': 'false', title: 'Actual size (1:1), scroll to pan' }, h('span', null, '1:1'));
  const viewOnlyButton = button({ label: 'View only', icon: 'eye', variant: 'ghost', size: 'sm', id: 'viewer-view-only', title: 'Stop sending mouse and keyboard input' });
  viewOnlyButton.setAttribute('aria-pressed', String(viewOnly));
  const fullscreenButton = button({ label: 'Full screen', icon: 'maximize', variant: 'ghost', size: 'icon', id: 'viewer-fullscreen', title: 'Full screen' });
  // In a support session "Leave" (just me) stands apart from "End session" (for everyone).
  const disconnectButton = button({
    label: kind === 'support' ? 'Leave' : 'Disconnect', icon: 'x', variant: 'ghost', size: 'sm', id: 'viewer-disconnect', extraClass: 'btn-danger-text',
    title: kind === 'support' ? 'Close your viewer; the session stays open' : null,
  });
  const pauseButton = button({ label: 'Pause', icon: 'pause', variant: 'ghost', size: 'sm', id: 'viewer-pause', title: 'Freeze the picture and stop sending input' });
  pauseButton.setAttribute('aria-pressed', 'false');
  const endSessionButton = kind === 'support'
    ? button({ label: 'End session', icon: 'plug', variant: 'destructive', size: 'sm', id: 'viewer-end-session', title: "End the support session; GuruConnect closes on the customer's computer" })
    : null;
  const supportCode = kind === 'support' ? h('span', { class: 'mono-chip viewer-support-code', id: 'viewer-support-code', title: 'Support code' }) : null;
  const keysMenu = actionMenu({
    label: 'Send special keys', id: 'viewer-keys', triggerIcon: 'keyboard',
    items: Object.entries(SPECIAL_KEYS).map(([action, combo]) => ({
      label: combo.label, action, icon: 'keyboard', onSelect: () => {
        input.sendCombo(action);
        stage.focus({ preventScroll: true });
      },
    })),
  });

  const toolbar = h('header', { class: 'viewer-toolbar' },
    h('a', { href: home.href, class: 'btn btn-ghost btn-icon viewer-back', 'aria-label': home.label, title: home.label }, icon('chevronLeft')),
    h('div', { class: 'viewer-heading' }, icon(kind === 'support' ? 'support' : 'monitor', { size: 18, className: 'viewer-heading-icon' }), supportCode, nameEl,
      h('span', { class: ['badge', mode === 'view' ? 'badge-neutral' : 'badge-primary', 'viewer-mode'], id: 'viewer-mode' }, mode === 'view' ? 'View' : 'Control')),
    stateBadge,
    h('div', { class: 'spacer' }),
    h('div', { class: 'viewer-tools' },
      monitorSelect,
      h('div', { class: 'viewer-segmented', role: 'group', 'aria-label': 'Scale' }, fitButton, actualButton),
      pauseButton,
      mode === 'control' ? viewOnlyButton : null,
      mode === 'control' ? keysMenu : null,
      fullscreenButton,
      disconnectButton,
      endSessionButton));

  const status = viewerStatusBar();
  const root = h('div', { class: 'viewer', id: 'viewer', dataset: { state: STATE.connecting, mode } }, toolbar, body, status.el);
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
    replace(monitorSelect,
      h('option', { value: '-1', selected: selectedMonitor === -1 }, 'All monitors'),
      monitors.map((m, i) => h('option', { value: String(i), selected: selectedMonitor === i },
        `Monitor ${i + 1}${m.primary ? ' (primary)' : ''} · ${m.width}×${m.height}`)));
    monitorSelect.disabled = monitors.length < 2;
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
    viewOnlyButton.setAttribute('aria-pressed', String(viewOnly));
    viewOnlyButton.classList.toggle('is-active', viewOnly);
    const connected = conn.isConnected;
    viewOnlyButton.disabled = !connected || pause.paused;
    keysMenu.querySelector('button').disabled = !connected || viewOnly || pause.paused;
    pauseButton.disabled = !connected && !pause.paused;
    root.dataset.paused = String(pause.paused);
    disconnectButton.disabled = lastState.state === STATE.ended || lastState.state === STATE.error;
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
        break; // ClipboardText and input echoes are not shown yet
    }
  }

  function showState(info) {
    lastState = info;
    const { state } = info;
    root.dataset.state = state;
    const [label, variant] = STATE_BADGE[state] || [state, 'neutral'];
    stateBadge.className = `badge badge-${variant}`;
    stateBadge.dataset.state = state;
    replace(stateBadge, h('span', { class: 'badge-dot' }), label);
    status.setState(label, variant, info.fingerprint);
    if (state !== STATE.connected) {
      firstFrame = false;
      if (pause.paused && (state === STATE.ended || state === STATE.error)) setPaused(false);
    }
    if (info.final && endSessionButton) endSessionButton.disabled = true;
    if (state === STATE.offline || state === STATE.reconnecting || state === STATE.ended || state === STATE.error) {
      stats.latency = null;
      status.update({ fps: 0, bytesPerSecond: 0, latency: null, codec: stats.codec, connected: false });
    }
    updateInputUi();
    clearInterval(countdownTimer);

    const connectedAndPainted = state === STATE.connected && firstFrame;
    overlay.classList.toggle('is-hidden', connectedAndPainted);
    overlay.dataset.state = state;
    if (connectedAndPainted) {
      stage.focus({ preventScroll: true });
      return;
    }
    let title = info.title || label;
    let text = info.detail || '';
    if (state === STATE.connected) {
      title = 'Connected';
      text = `Waiting for the first picture. Key fingerprint ${info.fingerprint}.`;
    }
    const iconName = state === STATE.offline ? 'wifiOff' : state === STATE.error ? 'alert' : state === STATE.ended ? 'plug' : null;
    replace(overlayIcon, iconName ? icon(iconName, { size: 22 }) : h('span', { class: 'spinner spinner-lg' }));
    overlayIcon.className = `viewer-overlay-icon viewer-overlay-icon-${state}`;
    overlayTitle.textContent = title;
    overlayText.textContent = text;
    const actions = [];
    if (state === STATE.offline || state === STATE.reconnecting || state === STATE.ended || state === STATE.error) {
      if (!info.final) actions.push(button({ label: state === STATE.ended || state === STATE.error ? 'Reconnect' : 'Retry now', icon: 'refresh', variant: 'primary', size: 'sm', id: 'viewer-reconnect', onClick: () => conn.reconnectNow() }));
      actions.push(h('a', { href: home.href, class: ['btn', info.final ? 'btn-primary' : 'btn-outline', 'btn-sm'], id: 'viewer-home' }, home.label));
    }
    replace(overlayActions, actions);
    if (info.retryAt) {
      const base = text;
      const tick = () => {
        const seconds = Math.max(0, Math.ceil((info.retryAt - Date.now()) / 1000));
        overlayText.textContent = `${base} Next attempt in ${seconds}s.`;
      };
      tick();
      countdownTimer = setInterval(tick, 500);
    }
  }
  let countdownTimer = null;

  // ---- toolbar wiring ----
  function setFit(value) {
    fit = value;
    fitButton.setAttribute('aria-pressed', String(fit));
    actualButton.setAttribute('aria-pressed', String(!fit));
    layout();
    stage.focus({ preventScroll: true }); // keys go back to the remote machine
  }
  fitButton.addEventListener('click', () => setFit(true));
  actualButton.addEventListener('click', () => setFit(false));
  monitorSelect.addEventListener('change', () => {
    selectedMonitor = Number(monitorSelect.value);
    layout();
    stage.focus({ preventScroll: true });
  });
  viewOnlyButton.addEventListener('click', () => {
    if (!viewOnly) input.releaseAll();
    viewOnly = !viewOnly;
    updateInputUi();
    stage.focus({ preventScroll: true });
    toast.info(viewOnly ? 'View only' : 'Control enabled', viewOnly ? 'Your mouse and keyboard no longer reach the remote machine.' : 'Your mouse and keyboard reach the remote machine again.');
  });
  fullscreenButton.addEventListener('click', async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await root.requestFullscreen();
    } catch (err) {
      toast.error("Couldn't switch to full screen", err.message);
    }
  });
  const onFullscreenChange = () => {
    const full = document.fullscreenElement === root;
    replace(fullscreenButton, icon(full ? 'minimize' : 'maximize', { size: 16 }));
    fullscreenButton.title = full ? 'Exit full screen' : 'Full screen';
    fullscreenButton.setAttribute('aria-label', fullscreenButton.title);
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
    const paused = pause.paused;
    pauseButton.setAttribute('aria-pressed', String(paused));
    pauseButton.classList.toggle('is-active', paused);
    pauseButton.title = paused ? 'Resume the picture and input' : 'Freeze the picture and stop sending input';
    replace(pauseButton, icon(paused ? 'play' : 'pause', { size: 14 }), h('span', { class: 'btn-label' }, paused ? 'Resume' : 'Pause'));
    pausedBanner.classList.toggle('is-hidden', !paused);
    updateInputUi();
  }
  pauseButton.addEventListener('click', () => setPaused(!pause.paused));
  if (endSessionButton) {
    endSessionButton.addEventListener('click', () => confirmEndSupportSession(agentId, () => {
      input.releaseAll();
      conn.stop('Session ended', "You ended the support session. GuruConnect closed on the customer's computer.");
      showState({ ...lastState, final: true });
    }));
  }
  disconnectButton.addEventListener('click', () => {
    input.releaseAll();
    conn.stop();
  });

  const describe = kind === 'support'
    ? describeSupportSession(agentId).then((session) => {
      if (!session) return;
      supportCode.textContent = session.code;
      agentName = session.title;
      nameEl.textContent = agentName;
      ctx.setTitle(`${session.code} · ${session.machineName || 'Support'} · ${mode === 'view' ? 'View' : 'Control'}`);
    })
    : api('GET', '/api/agents').then((agents) => {
      const agent = Array.isArray(agents) ? agents.find((a) => a.id === agentId) : null;
      if (!agent) return;
      agentName = agent.name;
      nameEl.textContent = agentName;
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
    input.detach();
    resizeObserver.disconnect();
    clearInterval(statsTimer);
    clearInterval(countdownTimer);
    document.removeEventListener('fullscreenchange', onFullscreenChange);
    document.body.classList.remove('has-viewer');
  };
}
