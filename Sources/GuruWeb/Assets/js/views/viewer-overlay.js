// What the viewer shows about the connection: the toolbar's state badge and the
// connection-state overlay over the remote screen (icon, title, text, Reconnect/Back
// actions and the retry countdown).
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { STATE } from '../viewer/connection.js';
import { identityChangePanel } from './viewer-trust.js';

const STATE_BADGE = {
  connecting: ['Connecting', 'primary'],
  waiting: ['Waiting for agent', 'primary'],
  keyExchange: ['Key exchange', 'primary'],
  connected: ['Connected', 'success'],
  offline: ['Agent offline', 'warning'],
  reconnecting: ['Reconnecting', 'warning'],
  ended: ['Ended', 'neutral'],
  error: ['Error', 'destructive'],
  identityChanged: ['Identity changed', 'destructive'],
};

/** States in which no picture arrives: the overlay offers Reconnect/Back and the stats reset. */
export const INTERRUPTED_STATES = new Set([STATE.offline, STATE.reconnecting, STATE.ended, STATE.error, STATE.identityChanged]);

/** A connection state as the badge and the status bar name it: [label, variant]. */
export function stateLabel(state) {
  return STATE_BADGE[state] || [state, 'neutral'];
}

/** The toolbar's state badge. */
export function stateBadgePanel() {
  const el = h('span', { class: 'badge badge-primary', id: 'viewer-state', dataset: { state: STATE.connecting } });
  return {
    name: 'state-badge',
    mount: { bar: el },
    events: {
      state({ state }) {
        const [label, variant] = stateLabel(state);
        el.className = `badge badge-${variant}`;
        el.dataset.state = state;
        replace(el, h('span', { class: 'badge-dot' }), label);
      },
    },
  };
}

/**
 * The card over the screen until the first picture of a connection is painted: the state's
 * icon, title and text, Reconnect/Back actions and the retry countdown.
 */
export function overlayPanel(controller) {
  const { home } = controller.session;
  const overlayIcon = h('div', { class: 'viewer-overlay-icon' });
  const overlayTitle = h('h2', { class: 'viewer-overlay-title', id: 'viewer-overlay-title' });
  const overlayText = h('p', { class: 'viewer-overlay-text', id: 'viewer-overlay-text' });
  const overlayActions = h('div', { class: 'viewer-overlay-actions' });
  const el = h('div', { class: 'viewer-overlay', id: 'viewer-overlay', role: 'status', 'aria-live': 'polite' },
    h('div', { class: 'viewer-overlay-card' }, overlayIcon, overlayTitle, overlayText, overlayActions));
  let countdownTimer = null;

  function stopCountdown() {
    clearInterval(countdownTimer);
  }

  function show(info) {
    const { state } = info;
    const painted = controller.painted;
    stopCountdown();
    el.classList.toggle('is-hidden', painted);
    el.dataset.state = state;
    if (painted) return;
    let title = info.title || stateLabel(state)[0];
    let text = info.detail || '';
    if (state === STATE.connected) {
      title = 'Connected';
      text = `Waiting for the first picture. Code ${info.code}: the person at the machine sees the same 6 digits.`;
    }
    const alarming = state === STATE.error || state === STATE.identityChanged;
    const iconName = state === STATE.offline ? 'wifiOff' : alarming ? 'alert' : state === STATE.ended ? 'plug' : null;
    replace(overlayIcon, iconName ? icon(iconName, { size: 22 }) : h('span', { class: 'spinner spinner-lg' }));
    overlayIcon.className = `viewer-overlay-icon viewer-overlay-icon-${state}`;
    overlayTitle.textContent = title;
    overlayText.textContent = text;
    const actions = [];
    if (state === STATE.identityChanged && info.change) {
      actions.push(identityChangePanel({ change: info.change, onAccept: info.accept }));
      actions.push(h('a', { href: home.href, class: ['btn', 'btn-outline', 'btn-sm'], id: 'viewer-home' }, home.label));
    } else if (INTERRUPTED_STATES.has(state)) {
      if (!info.final) actions.push(button({ label: state === STATE.ended || state === STATE.error ? 'Reconnect' : 'Retry now', icon: 'refresh', variant: 'primary', size: 'sm', id: 'viewer-reconnect', onClick: () => controller.reconnect() }));
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

  return { name: 'overlay', mount: { body: el }, events: { state: show }, stop: stopCountdown };
}
