// The session switcher: the technician's open sessions in this viewer window, each with a
// live thumbnail, its machine and its state, one click to bring it to the front, × to
// close it, and "Open another" (a machine from Access, or a support session). Wide
// screens show it as a rail beside the screen; phones fold it into a "Sessions" menu
// button. The sessions themselves are views/viewer.js's business: this file only draws.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { openDialog } from '../components/dialog.js';
import { loadingBlock, errorState } from '../components/ui.js';
import { STATE } from '../viewer/connection.js';

/** A session's state as the switcher names it: [label, badge variant]. */
const STATE_CHIP = {
  [STATE.connecting]: ['Connecting', 'primary'],
  [STATE.waiting]: ['Waiting', 'primary'],
  [STATE.keyExchange]: ['Connecting', 'primary'],
  [STATE.connected]: ['Connected', 'success'],
  [STATE.offline]: ['Offline', 'warning'],
  [STATE.reconnecting]: ['Reconnecting', 'warning'],
  [STATE.ended]: ['Ended', 'neutral'],
  [STATE.error]: ['Error', 'destructive'],
  [STATE.identityChanged]: ['Check identity', 'destructive'],
};
const THUMB_W = 176;
const THUMB_H = 110;
/** The least time between two thumbnail redraws of the session in front. */
const FRONT_THUMB_MS = 500;

/** One session's card: thumbnail, name, state chip, close button. */
function sessionCard(entry, { onSelect, onClose }) {
  const thumb = h('canvas', { class: 'switcher-thumb', width: THUMB_W, height: THUMB_H, 'aria-hidden': 'true', dataset: { testid: 'switcher-thumb' } });
  const name = h('span', { class: 'switcher-name' }, entry.label);
  const chip = h('span', { class: 'badge badge-primary switcher-state', dataset: { testid: 'switcher-state' } });
  const kindIcon = icon(entry.session.kind === 'support' ? 'support' : 'monitor', { size: 14, className: 'switcher-kind' });
  const mode = h('span', { class: 'switcher-mode' }, entry.session.mode === 'view' ? 'View' : 'Control');
  const select = h('button', { type: 'button', class: 'switcher-select', onClick: () => onSelect(entry) },
    h('span', { class: 'switcher-thumb-wrap' }, thumb, h('span', { class: 'switcher-thumb-empty' }, icon('monitor', { size: 20 }))),
    h('span', { class: 'switcher-meta' }, h('span', { class: 'switcher-title' }, kindIcon, name), h('span', { class: 'switcher-sub' }, chip, mode)));
  const close = h('button', {
    type: 'button', class: 'btn btn-ghost btn-icon switcher-close', 'aria-label': `Close ${entry.label}`, title: 'Close this session',
    dataset: { testid: 'switcher-close' }, onClick: () => onClose(entry),
  }, icon('x', { size: 14 }));
  const el = h('li', { class: 'switcher-card', dataset: { testid: 'switcher-card', key: entry.key, state: STATE.connecting } }, select, close);
  const context = thumb.getContext('2d', { alpha: false });
  let drawnAt = -Infinity;

  return {
    el,
    /** Draws the session's canvas into the thumbnail (at most twice a second in front). */
    drawThumb(source, { force = false } = {}) {
      const now = performance.now();
      if (!force && entry.front && now - drawnAt < FRONT_THUMB_MS) return;
      if (!source || source.width < 2 || source.height < 2) return;
      drawnAt = now;
      const scale = Math.min(THUMB_W / source.width, THUMB_H / source.height);
      const w = Math.round(source.width * scale);
      const hgt = Math.round(source.height * scale);
      context.fillStyle = '#0b0d12';
      context.fillRect(0, 0, THUMB_W, THUMB_H);
      context.drawImage(source, Math.round((THUMB_W - w) / 2), Math.round((THUMB_H - hgt) / 2), w, hgt);
      el.classList.add('has-picture');
    },
    update() {
      const [label, variant] = STATE_CHIP[entry.state] || [entry.state, 'neutral'];
      chip.className = `badge badge-${variant} switcher-state`;
      replace(chip, h('span', { class: 'badge-dot' }), label);
      name.textContent = entry.label;
      select.title = `${entry.label} · ${label}`;
      el.dataset.state = entry.state;
      el.dataset.name = entry.label;
      el.classList.toggle('is-front', entry.front);
      select.setAttribute('aria-current', entry.front ? 'true' : 'false');
      select.setAttribute('aria-label', `${entry.label}, ${label}${entry.front ? ', shown' : ''}`);
      if (entry.state !== STATE.connected) el.classList.remove('has-picture');
    },
  };
}

/**
 * sessionSwitcher({ onSelect(entry), onClose(entry), onOpen(session) }) → { el, add(entry),
 * remove(entry), update(entry), painted(entry, canvas), refresh() }. An entry is views/viewer.js's
 * { key, session, label, state, front }.
 */
export function sessionSwitcher({ onSelect, onClose, onOpen }) {
  const cards = new Map(); // key → card
  const list = h('ul', { class: 'switcher-list', id: 'viewer-switcher-list' });
  const count = h('span', { class: 'switcher-count' }, '1');
  const empty = h('div', { class: 'switcher-empty', dataset: { testid: 'switcher-empty' } },
    h('p', { class: 'switcher-empty-title' }, 'Only this session is open'),
    h('p', { class: 'switcher-empty-text' }, 'Open another machine to work on several at once. Sessions in the background stay connected at a low frame rate.'));
  const openButton = button({ label: 'Open another', icon: 'plus', variant: 'outline', size: 'sm', id: 'viewer-switcher-open', onClick: () => pickSession(onOpen, (key) => cards.has(key)) });
  const toggle = h('button', {
    type: 'button', class: 'btn btn-ghost btn-sm switcher-toggle', id: 'viewer-switcher-toggle', 'aria-expanded': 'false', 'aria-controls': 'viewer-switcher-panel',
    onClick: () => setOpen(!el.classList.contains('is-open')),
  }, icon('menu', { size: 16 }), h('span', null, 'Sessions'), count);
  const panel = h('div', { class: 'switcher-panel', id: 'viewer-switcher-panel' },
    h('div', { class: 'switcher-head' }, h('span', { class: 'switcher-heading' }, 'Sessions'), h('span', { class: 'switcher-count', id: 'viewer-switcher-count' }, '1')),
    list, empty, h('div', { class: 'switcher-foot' }, openButton));
  const el = h('nav', { class: 'switcher', id: 'viewer-switcher', 'aria-label': 'Open sessions' }, toggle, panel);

  function setOpen(open) {
    el.classList.toggle('is-open', open);
    toggle.setAttribute('aria-expanded', String(open));
  }

  function refresh() {
    const n = cards.size;
    for (const c of el.querySelectorAll('.switcher-count')) c.textContent = String(n);
    empty.classList.toggle('is-hidden', n > 1);
    el.dataset.count = String(n);
  }

  return {
    el,
    add(entry) {
      const card = sessionCard(entry, {
        onSelect: (e) => {
          setOpen(false);
          onSelect(e);
        },
        onClose,
      });
      cards.set(entry.key, card);
      list.append(card.el);
      card.update();
      refresh();
    },
    remove(entry) {
      cards.get(entry.key)?.el.remove();
      cards.delete(entry.key);
      refresh();
    },
    update(entry) {
      cards.get(entry.key)?.update();
    },
    painted(entry, canvas, options) {
      cards.get(entry.key)?.drawThumb(canvas, options);
    },
    close: () => setOpen(false),
  };
}

/** The "Open another" dialog: machines (online first) and the support sessions one may join. */
function pickSession(onOpen, isOpen) {
  const body = h('div', { class: 'switcher-pick', id: 'viewer-switcher-pick' }, loadingBlock('Loading machines…'));
  const { close } = openDialog({ title: 'Open another session', description: 'It opens beside the sessions you have, and stays connected while another is in front.', content: body, id: 'viewer-switcher-dialog' });
  const choose = (session) => {
    close();
    onOpen(session);
  };
  const load = async () => {
    replace(body, loadingBlock('Loading machines…'));
    try {
      // Online machines first; the Access tab is where to find one among thousands.
      const [agents, support] = await Promise.all([api('GET', '/api/agents?sort=online&limit=200'), api('GET', '/api/support/sessions')]);
      replace(body, pickList(agents?.items || [], support?.sessions || [], choose, isOpen));
    } catch (err) {
      replace(body, errorState(err, load, "Couldn't load your machines"));
    }
  };
  load();
}

function pickList(agents, supportSessions, choose, isOpen) {
  const rows = [];
  const row = ({ iconName, title, sub, online, session, testid }) => {
    // Keys as views/viewer.js makes them: a session already in this window is shown, not reopened.
    const open = isOpen(`${session.kind}:${session.agentId}`);
    return h('li', { class: 'switcher-pick-row', dataset: { open: String(open) } },
      icon(iconName, { size: 16, className: 'switcher-pick-icon' }),
      h('span', { class: 'switcher-pick-who' }, h('span', { class: 'switcher-pick-name' }, title), h('span', { class: 'cell-sub' }, open ? 'Open in this window' : sub)),
      h('span', { class: ['badge', online ? 'badge-success' : 'badge-neutral'] }, h('span', { class: 'badge-dot' }), online ? 'Online' : 'Offline'),
      open
        ? button({ label: 'Show', icon: 'eye', variant: 'ghost', size: 'sm', testid, ariaLabel: `Show ${title}`, onClick: () => choose(session) })
        : button({ label: 'Open', icon: 'mouse', variant: online ? 'primary' : 'outline', size: 'sm', testid, ariaLabel: `Open ${title}`, onClick: () => choose(session) }));
  };
  const sorted = [...(Array.isArray(agents) ? agents : [])].sort((a, b) => Number(b.online) - Number(a.online) || a.name.localeCompare(b.name));
  for (const a of sorted) {
    rows.push(row({
      iconName: 'monitor', title: a.name, sub: a.online ? 'Unattended machine' : 'Not connected to the server', online: a.online,
      session: { agentId: a.id, mode: 'control', kind: 'agent' }, testid: 'switcher-pick-agent',
    }));
  }
  for (const s of supportSessions.filter((x) => x.canJoin && ['pending', 'waitingConsent', 'connected'].includes(x.status))) {
    rows.push(row({
      iconName: 'support', title: s.machineName || `Support ${s.code}`, sub: `Support code ${s.code}`, online: Boolean(s.agentOnline),
      session: { agentId: s.id, mode: 'control', kind: 'support' }, testid: 'switcher-pick-support',
    }));
  }
  if (!rows.length) {
    return h('p', { class: 'switcher-pick-none' }, 'No machines yet. Enrol one in Access, or create a support code in Support.');
  }
  return h('ul', { class: 'switcher-pick-list' }, rows);
}
