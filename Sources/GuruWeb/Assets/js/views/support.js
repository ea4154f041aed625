// Support tab: attended one-time sessions in three collapsible sections (My Sessions,
// Team Sessions grouped by technician, Support Requests), live through the dashboard
// WebSocket, with per-row actions from the server's can* flags.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { can } from '../session.js';
import { formatRelative, formatDateTime } from '../format.js';
import { pageHeader, badge, loadingBlock, errorState } from '../components/ui.js';
import { button } from '../components/button.js';
import { confirmDialog } from '../components/dialog.js';
import { toast } from '../components/toast.js';
import { DashboardSocket, LIVE } from '../support/dashboard-socket.js';
import { openGenerateDialog, openTransferDialog } from './support-dialogs.js';
import { connectToOpenViewer } from './viewer-open.js';
import { reportPageHref } from '../diagnostics/reports.js';

const STATUS = {
  pending: ['Pending', 'neutral'],
  waitingConsent: ['Waiting for consent', 'warning'],
  connected: ['Connected', 'success'],
  ended: ['Ended', 'neutral'],
  cancelled: ['Cancelled', 'neutral'],
  expired: ['Expired', 'neutral'],
  declined: ['Declined', 'destructive'],
};
const ACTIVE = new Set(['pending', 'waitingConsent', 'connected']);
const STATUS_ORDER = { connected: 0, waitingConsent: 1, pending: 2 };
const SECTIONS = [
  { key: 'mine', title: 'My Sessions', aside: 'Assigned to you', empty: 'No sessions of yours right now. Generate a code and give it to your customer; their session shows up here live.' },
  { key: 'team', title: 'Team Sessions', aside: "Your colleagues' sessions", empty: 'None of your colleagues has a session you can see.' },
  { key: 'request', title: 'Support Requests', aside: 'First come, first served', empty: 'No open requests. First-come codes wait here until a technician joins them.' },
];
const COLLAPSE_KEY = 'gc-support-collapsed';

export function render(container, ctx) {
  ctx.setTitle('Support');
  const mayCreate = can('createSupportCode');
  const liveBadge = h('span', { class: 'support-live', id: 'support-live', dataset: { state: LIVE.connecting }, role: 'status' });
  const generateButton = mayCreate
    ? button({ label: 'Generate Code', icon: 'plus', variant: 'primary', id: 'support-generate', onClick: () => generate() })
    : null;
  const refreshNote = h('div', { class: 'alert alert-warning is-hidden', role: 'alert', id: 'support-refresh-error' });
  const body = h('div', { id: 'support-sections', class: 'support-sections' }, loadingBlock('Loading sessions…'));
  replace(container,
    pageHeader({ title: 'Support sessions', description: h('span', null, 'Attended, one-time sessions with your customers. ', liveBadge), actions: generateButton ? [generateButton] : [] }),
    refreshNote,
    body);

  let sessions = null;
  let alive = true;
  let inFlight = false;
  let again = false;
  const collapsed = loadCollapsed();

  async function load() {
    if (!alive) return;
    if (inFlight) {
      again = true; // a change arrived mid-request: fetch once more afterwards
      return;
    }
    inFlight = true;
    try {
      const result = await api('GET', '/api/support/sessions');
      if (!alive) return;
      const previous = sessions;
      sessions = Array.isArray(result?.sessions) ? result.sessions : [];
      if (previous) announceArrivals(previous, sessions);
      refreshNote.classList.add('is-hidden');
      draw();
    } catch (err) {
      if (!alive) return;
      if (sessions === null) {
        replace(body, errorState(err, () => {
          replace(body, loadingBlock('Loading sessions…'));
          load();
        }, "Couldn't load support sessions"));
      } else {
        replace(refreshNote, icon('alert', { size: 16 }), h('div', { class: 'alert-text' }, `Couldn't refresh the sessions: ${err.message}`));
        refreshNote.classList.remove('is-hidden');
      }
    } finally {
      inFlight = false;
      if (again && alive) {
        again = false;
        load();
      }
    }
  }

  const socket = new DashboardSocket({
    onOpen: () => load(),
    onChange: () => load(),
    onAssigned: (message) => announceAssignment(message),
    onDrop: () => load(),
    onState: (state, { retryAt }) => showLive(state, retryAt),
  });

  function showLive(state, retryAt) {
    liveBadge.dataset.state = state;
    const text = state === LIVE.live ? 'Live'
      : state === LIVE.reconnecting ? `Reconnecting${retryAt ? '' : '…'}`
        : state === LIVE.closed ? 'Offline' : 'Connecting…';
    replace(liveBadge, h('span', { class: 'support-live-dot', 'aria-hidden': 'true' }), text);
    liveBadge.title = state === LIVE.live ? 'Updates arrive as they happen' : 'Live updates are paused; the list may be out of date';
  }

  function onVisibility() {
    if (document.visibilityState === 'visible') socket.reconnectNow();
  }
  document.addEventListener('visibilitychange', onVisibility);

  // ---- drawing ----
  function draw() {
    const bySection = { mine: [], team: [], request: [] };
    for (const s of sessions) (bySection[s.section] || bySection.team).push(s);
    const sections = SECTIONS.filter((sec) => sec.key !== 'team' || bySection.team.length || can('viewTeamSessions') || can('viewAllSessions'));
    const refocus = focusedControl();
    replace(body, sections.map((sec) => section(sec, sortSessions(bySection[sec.key]))));
    if (refocus) refocus();
    tick();
  }

  /** A live update redraws the list; keyboard users keep their place in it. */
  function focusedControl() {
    const active = document.activeElement;
    if (!active || !body.contains(active)) return null;
    if (active.id) return () => document.getElementById(active.id)?.focus();
    const rowEl = active.closest('[data-testid="support-row"]');
    const testid = active.dataset.testid;
    if (!rowEl || !testid) return null;
    const selector = `[data-testid="support-row"][data-session-id="${CSS.escape(rowEl.dataset.sessionId)}"] [data-testid="${CSS.escape(testid)}"]`;
    return () => body.querySelector(selector)?.focus();
  }

  function section(sec, list) {
    const isCollapsed = collapsed.has(sec.key);
    const active = list.filter((s) => ACTIVE.has(s.status)).length;
    const bodyId = `support-section-${sec.key}-body`;
    const toggle = h('button', {
      type: 'button', class: 'support-section-toggle', 'aria-expanded': String(!isCollapsed), 'aria-controls': bodyId,
      id: `support-section-${sec.key}-toggle`,
    },
    icon('chevronRight', { size: 16, className: 'support-chevron' }),
    h('h2', { class: 'support-section-title' }, sec.title),
    h('span', { class: ['support-count', active > 0 && 'has-active'], dataset: { testid: 'section-count' }, 'aria-label': `${active} active` }, String(active)));
    toggle.addEventListener('click', () => {
      if (collapsed.has(sec.key)) collapsed.delete(sec.key);
      else collapsed.add(sec.key);
      saveCollapsed(collapsed);
      draw();
    });
    let content;
    if (!list.length) {
      content = h('div', { class: 'support-empty', dataset: { testid: `support-empty-${sec.key}` } },
        h('span', { class: 'support-empty-icon' }, icon(sec.key === 'request' ? 'users' : sec.key === 'team' ? 'users' : 'support', { size: 18 })),
        h('p', null, sec.empty),
        sec.key === 'mine' && mayCreate ? button({ label: 'Generate Code', icon: 'plus', variant: 'outline', size: 'sm', onClick: () => generate() }) : null);
    } else if (sec.key === 'team') {
      content = groupByOwner(list).map(([owner, rows]) => h('div', { class: 'support-group', dataset: { owner } },
        h('h3', { class: 'support-group-title' }, icon('user', { size: 14 }), `${owner}'s sessions`, h('span', { class: 'support-group-count' }, String(rows.length))),
        h('div', { class: 'support-rows' }, rows.map(row))));
    } else {
      content = h('div', { class: 'support-rows' }, list.map(row));
    }
    return h('section', { class: ['support-section', isCollapsed && 'is-collapsed'], id: `support-section-${sec.key}`, dataset: { section: sec.key } },
      h('header', { class: 'support-section-header' }, toggle, h('span', { class: 'support-section-aside' }, sec.aside)),
      h('div', { class: 'support-section-body', id: bodyId, hidden: isCollapsed }, content));
  }

  function row(s) {
    const [label, variant] = STATUS[s.status] || [s.status, 'neutral'];
    const isActive = ACTIVE.has(s.status);
    const statusBadge = badge(label, variant, { dot: true });
    statusBadge.dataset.testid = 'support-status';
    statusBadge.dataset.status = s.status;
    if (s.status === 'waitingConsent' || s.status === 'pending') statusBadge.classList.add('is-pulsing');
    const machine = s.machineName
      ? h('span', { class: 'cell-strong support-machine', dataset: { testid: 'support-machine' } }, s.machineName)
      : h('span', { class: 'text-muted support-machine', dataset: { testid: 'support-machine' } }, placeholderName(s.status));
    const sub = [];
    if (s.section !== 'mine' && s.ownerName) sub.push(s.ownerName);
    if (s.section === 'mine' && s.createdByName && s.createdById !== s.ownerId) sub.push(`Assigned by ${s.createdByName}`);
    if (s.section === 'request' && !s.ownerName) sub.push('Unassigned');
    if (s.status === 'pending') sub.push(`Created ${formatRelative(s.createdAt)}`);
    if (s.status === 'pending' && s.expiresAt) sub.push(`expires ${formatRelative(s.expiresAt)}`);
    if (!isActive && s.endedAt) sub.push(`${label} ${formatRelative(s.endedAt)}`);
    if (isActive && s.status !== 'pending' && !s.agentOnline) sub.push('Agent offline');
    const duration = h('span', {
      class: 'support-duration mono', dataset: { testid: 'support-duration', connectedAt: s.connectedAt || '', endedAt: s.endedAt || '' },
      title: s.connectedAt ? `Connected ${formatDateTime(s.connectedAt)}` : null,
    }, s.connectedAt ? '' : '—');
    return h('div', { class: ['support-row', !isActive && 'is-ended'], dataset: { testid: 'support-row', sessionId: s.id, code: s.code, status: s.status } },
      h('span', { class: 'support-code mono', dataset: { testid: 'support-code' }, 'aria-label': `Code ${s.code}` }, s.code),
      h('div', { class: 'support-who' }, machine, sub.length ? h('span', { class: 'cell-sub' }, sub.join(' · ')) : null, diagnosticsLink(s)),
      h('div', { class: 'support-state' }, statusBadge),
      h('div', { class: 'support-time' }, icon('clock', { size: 14 }), duration),
      h('div', { class: 'support-actions row-actions' }, actions(s)));
  }

  function actions(s) {
    const list = [];
    const viewerLink = (mode, label, iconName, variant) => {
      const online = Boolean(s.agentOnline);
      const link = h('a', {
        href: `/app/viewer/${encodeURIComponent(s.id)}?kind=support&mode=${mode}`, target: '_blank', rel: 'noopener',
        class: ['btn', `btn-${variant}`, 'btn-sm', !online && 'is-disabled'],
        dataset: { testid: `support-${mode === 'control' ? 'join' : 'view'}` }, 'aria-label': `${label} session ${s.code}`,
        'aria-disabled': online ? null : 'true', tabindex: online ? null : '-1',
        title: online ? null : "The customer's agent is not connected",
      }, icon(iconName, { size: 14 }), h('span', { class: 'btn-label' }, label));
      // An open viewer window takes the session beside its others (views/viewer-open.js).
      return connectToOpenViewer(link, { agentId: s.id, mode, kind: 'support' }, {
        onTaken: () => toast.success(`Session ${s.code} opened in your viewer window`, 'Switch to the viewer window: it is in its session switcher.'),
      });
    };
    if (s.canJoin) list.push(viewerLink('control', 'Join', 'mouse', 'primary'));
    if (s.canView) list.push(viewerLink('view', 'View', 'eye', 'outline'));
    if (s.canTransfer && ACTIVE.has(s.status)) {
      list.push(button({ label: 'Transfer', icon: 'users', variant: 'ghost', size: 'sm', testid: 'support-transfer', ariaLabel: `Transfer session ${s.code}`, onClick: () => transfer(s) }));
    }
    if (s.canCancel && s.status === 'pending') {
      list.push(button({ label: 'Cancel', icon: 'x', variant: 'ghost', size: 'sm', testid: 'support-cancel', extraClass: 'btn-danger-text', ariaLabel: `Cancel code ${s.code}`, onClick: () => cancel(s) }));
    } else if (s.canEnd && ACTIVE.has(s.status)) {
      list.push(button({ label: 'End', icon: 'plug', variant: 'ghost', size: 'sm', testid: 'support-end', extraClass: 'btn-danger-text', ariaLabel: `End session ${s.code}`, onClick: () => end(s) }));
    }
    return list;
  }

  /** A customer of mine just ran GuruConnect: say so, wherever the list is scrolled. */
  function announceArrivals(before, after) {
    const was = new Map(before.map((s) => [s.id, s.status]));
    for (const s of after) {
      if (s.section !== 'mine' || !was.has(s.id) || was.get(s.id) === s.status) continue;
      if (s.status === 'waitingConsent') toast.info('Customer is connecting', `Session ${s.code}: waiting for them to allow it.`);
      else if (s.status === 'connected') toast.info('Customer connected', `Session ${s.code} is ready to join.`);
      else if (s.status === 'declined') toast.info('Customer declined', `Session ${s.code} was declined.`);
    }
  }

  /** Someone else gave me a session (the server tells only me): say who, and which code. */
  function announceAssignment(message) {
    const code = typeof message.code === 'string' ? message.code : '';
    const by = typeof message.assignedBy === 'string' && message.assignedBy ? message.assignedBy : 'A colleague';
    const spaced = code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
    const el = message.via === 'transfer'
      ? toast.info(`Session ${spaced} is now yours`, `${by} transferred it to you. It is under My Sessions.`, { timeoutMs: 12000 })
      : toast.info(`Code ${spaced} assigned to you`, `${by} assigned support code ${code} to you. It is under My Sessions.`, { timeoutMs: 12000 });
    el.dataset.testid = 'toast-assigned';
    el.dataset.code = code;
  }

  // ---- live duration ----
  function tick() {
    for (const el of body.querySelectorAll('[data-testid="support-duration"]')) {
      const from = Date.parse(el.dataset.connectedAt || '');
      if (Number.isNaN(from)) continue;
      const to = el.dataset.endedAt ? Date.parse(el.dataset.endedAt) : Date.now();
      el.textContent = formatDuration(to - from);
    }
  }
  const clock = setInterval(tick, 1000);

  // ---- actions ----
  function generate() {
    openGenerateDialog({ onCreated: () => load() });
  }

  function transfer(s) {
    openTransferDialog(s, {
      onDone: (name) => {
        toast.success('Session transferred', `Session ${s.code} now belongs to ${name}.`);
        load();
      },
    });
  }

  function cancel(s) {
    confirmDialog({
      title: `Cancel code ${s.code}?`,
      message: 'The code stops working at once; a customer who has not started GuruConnect yet can no longer use it.',
      confirmLabel: 'Cancel code',
      destructive: true,
      onConfirm: async () => {
        await api('POST', `/api/support/sessions/${encodeURIComponent(s.id)}/cancel`);
        toast.success('Code cancelled', s.code);
        load();
      },
    });
  }

  function end(s) {
    confirmDialog({
      title: `End session ${s.code}?`,
      message: `Everyone watching ${s.machineName || 'this machine'} is disconnected, and GuruConnect closes and removes itself on the customer's computer.`,
      confirmLabel: 'End session',
      destructive: true,
      onConfirm: async () => {
        await api('POST', `/api/support/sessions/${encodeURIComponent(s.id)}/end`);
        toast.success('Session ended', s.code);
        load();
      },
    });
  }

  socket.start();
  load();
  return () => {
    alive = false;
    clearInterval(clock);
    socket.stop();
    document.removeEventListener('visibilitychange', onVisibility);
  };
}

/** What a row says before the agent has named its machine. */
/** The newest diagnostics report of a session that has any, as a small link under its machine. */
function diagnosticsLink(s) {
  if (!s.latestDiagnosticsId) return null;
  return h('a', {
    href: reportPageHref(s.latestDiagnosticsId), target: '_blank', rel: 'noopener', class: 'support-diag-link',
    dataset: { testid: 'support-diagnostics' }, title: 'The newest diagnostics report of this session',
  }, icon('activity', { size: 12 }), s.diagnosticsCount > 1 ? `Diagnostics report (${s.diagnosticsCount})` : 'Diagnostics report');
}

function placeholderName(status) {
  if (status === 'pending') return 'Waiting for the customer…';
  if (status === 'cancelled' || status === 'expired') return 'Code not used';
  return "Customer's computer";
}

function sortSessions(list) {
  return [...list].sort((a, b) => {
    const ra = STATUS_ORDER[a.status] ?? 9;
    const rb = STATUS_ORDER[b.status] ?? 9;
    if (ra !== rb) return ra - rb;
    const ta = Date.parse(a.endedAt || a.connectedAt || a.createdAt) || 0;
    const tb = Date.parse(b.endedAt || b.connectedAt || b.createdAt) || 0;
    return tb - ta;
  });
}

function groupByOwner(list) {
  const groups = new Map();
  for (const s of list) {
    const owner = s.ownerName || 'Unassigned';
    if (!groups.has(owner)) groups.set(owner, []);
    groups.get(owner).push(s);
  }
  return [...groups.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

/** 00:15:32 */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return [hours, minutes, seconds].map((n) => String(n).padStart(2, '0')).join(':');
}

function loadCollapsed() {
  try {
    const saved = JSON.parse(localStorage.getItem(COLLAPSE_KEY) || '[]');
    return new Set(Array.isArray(saved) ? saved : []);
  } catch {
    return new Set(); // storage blocked or garbled: everything open
  }
}

function saveCollapsed(set) {
  try {
    localStorage.setItem(COLLAPSE_KEY, JSON.stringify([...set]));
  } catch {
    // Not persisted in private mode; the toggle still works for this page.
  }
}
