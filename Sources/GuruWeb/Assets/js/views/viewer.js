// The remote viewer, full window at /app/viewer/{id}?mode=control|view[&kind=support]:
// toolbar, the remote screen, connection states and a status bar, and the session
// switcher (./viewer-sessions.js) beside them. One window hosts several sessions: each is
// a controller of its own (../viewer/controller.js explains the panel contract) with its
// own layout (./viewer-layout.js) and panels. Only the session in front is in the page;
// the others keep running detached (their canvases still paint, so their thumbnails stay
// live) and acknowledge frames about once a second (../viewer/ack-pacer.js), which the
// agent's flow control turns into a low frame rate. The URL names the session in front.
import { h, replace } from '../dom.js';
import { toast } from '../components/toast.js';
import { ViewerController } from '../viewer/controller.js';
import { STATE } from '../viewer/connection.js';
import { viewerLayout } from './viewer-layout.js';
import { screenPanel } from './viewer-screen.js';
import { identityPanel } from './viewer-identity.js';
import { stateBadgePanel, overlayPanel } from './viewer-overlay.js';
import { monitorsPanel } from './viewer-monitors.js';
import { pausePanel } from './viewer-pause.js';
import { viewOnlyPanel } from './viewer-view-only.js';
import { keysPanel } from './viewer-keys.js';
import { clipboardPanel } from './viewer-clipboard.js';
import { windowPanel } from './viewer-window.js';
import { endSessionPanel } from './viewer-support.js';
import { diagnosticsPanel } from './viewer-diagnostics.js';
import { statusPanel } from './viewer-status.js';
import { sessionSwitcher } from './viewer-sessions.js';
import { listenForOpenRequests } from './viewer-open.js';

/** A background session that falls into one of these after being connected raises a toast. */
const DROPPED_STATES = new Set([STATE.offline, STATE.reconnecting, STATE.ended, STATE.error, STATE.identityChanged]);

/** Reads /app/viewer/{id}?mode=…&kind=… into the session the controller serves. */
function sessionFromLocation(subpath) {
  const params = new URLSearchParams(location.search);
  return {
    ...normalSession({
      agentId: subpath.replace(/^\//, '').split('/')[0],
      mode: params.get('mode'),
      kind: params.get('kind'),
    }),
    collect: params.get('collect'),
  };
}

function normalSession({ agentId, mode, kind }) {
  const support = kind === 'support';
  return {
    agentId,
    mode: mode === 'view' ? 'view' : 'control',
    kind: support ? 'support' : 'agent',
    home: support ? { href: '/app/support', label: 'Back to Support' } : { href: '/app/access', label: 'Back to Access' },
  };
}

/** The viewer URL of `session`. */
export function viewerPath({ agentId, mode, kind }) {
  return `/app/viewer/${encodeURIComponent(agentId)}?${kind === 'support' ? 'kind=support&' : ''}mode=${mode}`;
}

/** One session: its layout, controller and panels, not yet started. */
function buildSession(session, { setTitle, tap }) {
  const layout = viewerLayout(session);
  const controller = new ViewerController({ session, layout });
  const control = session.mode === 'control';
  // Within a slot, panels appear in this order. Only a controlling viewer gets the remote
  // clipboard or may change it (the agent enforces it).
  const panels = [
    layout.panel(controller),
    screenPanel(controller, { body: layout.body }),
    identityPanel(controller, { setTitle }),
    stateBadgePanel(),
    overlayPanel(controller),
    monitorsPanel(controller),
    pausePanel(controller),
    control && viewOnlyPanel(controller),
    control && keysPanel(controller),
    control && clipboardPanel(controller),
    diagnosticsPanel(controller),
    windowPanel(controller, { root: layout.root }),
    session.kind === 'support' && endSessionPanel(controller),
    statusPanel(controller),
    tap(controller),
  ];
  for (const panel of panels) if (panel) controller.register(panel);
  return { layout, controller, canvas: layout.body.querySelector('canvas.viewer-canvas') };
}

export function render(container, ctx) {
  const entries = []; // { key, session, label, state, front, title, layout, controller, canvas }
  let front = null;
  const stage = h('div', { class: 'viewer-host-stage' });
  const switcher = sessionSwitcher({ onSelect: show, onClose: close, onOpen: open });
  const root = h('div', { class: 'viewer-host', id: 'viewer-host' }, switcher.el, stage);

  function keyOf(session) {
    return `${session.kind}:${session.agentId}`;
  }

  /** Opens `session` beside the others (or brings it to the front if it is open already). */
  // `request.collect === 'diagnostics'` (the Access tab's Tools menu): the session collects
  // diagnostics once connected (views/viewer-diagnostics.js). The URL keeps no trace of it,
  // so a reload does not collect again.
  function open(request) {
    const session = normalSession(request);
    const existing = entries.find((e) => e.key === keyOf(session));
    if (existing) {
      show(existing);
      if (request.collect === 'diagnostics') existing.controller.emit('collect');
      return existing;
    }
    const entry = {
      key: keyOf(session), session, label: session.kind === 'support' ? 'Support session' : 'Remote machine',
      state: STATE.connecting, front: false, title: 'Viewer',
    };
    const built = buildSession(session, {
      setTitle(title) {
        entry.title = title;
        if (entry.front) ctx.setTitle(title);
      },
      tap: (controller) => ({
        name: 'switcher',
        events: {
          state(info) {
            const was = entry.state;
            entry.state = info.state;
            switcher.update(entry);
            // A session behind the one in front that stops working says so: the technician
            // is not watching its card.
            if (!entry.front && !entry.closing && was === STATE.connected && DROPPED_STATES.has(info.state)) {
              toast.error(`${entry.label}: ${info.title || 'Session interrupted'}`, info.detail || 'Open it from the session switcher.');
            }
          },
          identity(found) {
            entry.label = found.code ? `${found.name} · ${found.code}` : found.name;
            switcher.update(entry);
          },
          painted() {
            switcher.painted(entry, entry.canvas);
          },
          change() {
            if (controller.stopped) switcher.update(entry);
          },
        },
      }),
    });
    Object.assign(entry, built);
    entries.push(entry);
    switcher.add(entry);
    entry.controller.setBackground(true); // until show() puts it in front
    entry.controller.start();
    show(entry);
    if (request.collect === 'diagnostics') entry.controller.emit('collect');
    return entry;
  }

  /** Puts `entry` in front; the one in front before goes to the background. */
  function show(entry) {
    if (front === entry) return;
    const previous = front;
    front = entry;
    if (previous) {
      previous.front = false;
      switcher.painted(previous, previous.canvas, { force: true });
      previous.controller.setBackground(true);
      switcher.update(previous);
    }
    entry.front = true;
    replace(stage, entry.layout.root);
    entry.controller.setBackground(false);
    switcher.update(entry);
    ctx.setTitle(entry.title);
    const path = viewerPath(entry.session);
    if (location.pathname + location.search !== path) history.replaceState(history.state, '', path);
  }

  /** Ends and removes `entry`; the next session comes to the front. The last one goes home. */
  function close(entry) {
    const index = entries.indexOf(entry);
    if (index < 0) return;
    entries.splice(index, 1);
    switcher.remove(entry);
    entry.closing = true; // the technician's own doing: no toast
    entry.controller.stop();
    document.body.classList.toggle('has-viewer', entries.length > 0); // its layout's stop() took it away
    if (front !== entry) return;
    front = null;
    const next = entries[Math.min(index, entries.length - 1)];
    if (next) show(next);
    else ctx.navigate(entry.session.home.href);
  }

  const stopListening = listenForOpenRequests({
    open(session) {
      open(session);
      toast.success('Opened in this viewer', 'The session is beside your other sessions.');
    },
  });

  open(sessionFromLocation(ctx.subpath));
  replace(container, root);
  document.body.classList.add('has-viewer');
  return () => {
    stopListening();
    for (const entry of [...entries].reverse()) {
      entry.closing = true;
      entry.controller.stop();
    }
    entries.length = 0;
    document.body.classList.remove('has-viewer');
  };
}
