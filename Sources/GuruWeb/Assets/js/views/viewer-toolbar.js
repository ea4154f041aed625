// The viewer's toolbar: back link, machine name and mode, the state badge slot,
// monitor picker, Fit/1:1, Pause, View only, special keys, Clipboard, full screen, Disconnect
// (Leave) and, in a support session, the support code and End session. It builds
// the elements and redraws their pressed/labelled states; viewer.js wires the clicks.
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { actionMenu } from '../components/menu.js';
import { SPECIAL_KEYS } from '../viewer/input.js';

/** Why the keys menu offers Ctrl+Alt+Del as it does, by SessionInfo.secureAttention. */
const SECURE_ATTENTION_NOTE = {
  keys: null,
  sas: 'Sent as the secure attention sequence: the agent runs as a Windows service.',
  unavailable: 'Ctrl+Alt+Del needs the agent to run as a Windows service.',
};
const SECURE_ATTENTION_HINT = 'Needs the agent to run as a service';

/**
 * viewerToolbar({ kind, mode, home, agentName, viewOnly, stateBadge, clipboardButton, onSpecialKey })
 * `stateBadge` is the element viewer-overlay.js keeps up to date, `clipboardButton` the
 * clipboard panel's toggle (control mode only); `onSpecialKey(action)` runs when a
 * SPECIAL_KEYS entry is picked from the keys menu.
 */
export function viewerToolbar({ kind, mode, home, agentName, viewOnly, stateBadge, clipboardButton = null, onSpecialKey }) {
  const support = kind === 'support';
  const nameEl = h('span', { class: 'viewer-name', id: 'viewer-agent-name' }, agentName);
  const monitorSelect = h('select', { class: 'input select viewer-monitor-select', id: 'viewer-monitor', 'aria-label': 'Monitor', disabled: true },
    h('option', { value: '-1' }, 'All monitors'));
  const fitButton = h('button', { type: 'button', class: 'viewer-seg', id: 'viewer-scale-fit', 'aria-pressed': 'true', title: 'Scale to fit the window' }, icon('fit', { size: 15 }), h('span', { class: 'viewer-seg-label' }, 'Fit'));
  const actualButton = h('button', { type: 'button', class: 'viewer-seg', id: 'viewer-scale-actual', 'aria-pressed': 'false', title: 'Actual size (1:1), scroll to pan' }, h('span', null, '1:1'));
  const viewOnlyButton = button({ label: 'View only', icon: 'eye', variant: 'ghost', size: 'sm', id: 'viewer-view-only', title: 'Stop sending mouse and keyboard input' });
  viewOnlyButton.setAttribute('aria-pressed', String(viewOnly));
  const fullscreenButton = button({ label: 'Full screen', icon: 'maximize', variant: 'ghost', size: 'icon', id: 'viewer-fullscreen', title: 'Full screen' });
  // In a support session "Leave" (just me) stands apart from "End session" (for everyone).
  const disconnectButton = button({
    label: support ? 'Leave' : 'Disconnect', icon: 'x', variant: 'ghost', size: 'sm', id: 'viewer-disconnect', extraClass: 'btn-danger-text',
    title: support ? 'Close your viewer; the session stays open' : null,
  });
  const pauseButton = button({ label: 'Pause', icon: 'pause', variant: 'ghost', size: 'sm', id: 'viewer-pause', title: 'Freeze the picture and stop sending input' });
  pauseButton.setAttribute('aria-pressed', 'false');
  const endSessionButton = support
    ? button({ label: 'End session', icon: 'plug', variant: 'destructive', size: 'sm', id: 'viewer-end-session', title: "End the support session; GuruConnect closes on the customer's computer" })
    : null;
  const supportCode = support ? h('span', { class: 'mono-chip viewer-support-code', id: 'viewer-support-code', title: 'Support code' }) : null;
  let secureAttention = 'keys'; // until the agent's SessionInfo says otherwise (older agents send none)
  const keysMenu = actionMenu({
    label: 'Send special keys', id: 'viewer-keys', triggerIcon: 'keyboard',
    items: Object.entries(SPECIAL_KEYS).map(([action, combo]) => ({
      label: combo.label, action, icon: 'keyboard',
      onSelect: () => {
        // Nothing is sent when the agent cannot deliver it: the item says why instead.
        if (action === 'ctrlAltDel' && secureAttention === 'unavailable') return;
        onSpecialKey(action);
      },
    })),
  });

  const keysButton = keysMenu.querySelector('button');
  // aria-disabled rather than disabled: the item stays focusable in the menu's arrow-key
  // cycle and its reason stays readable, but activating it does nothing.
  const ctrlAltDelItem = keysMenu.querySelector('.menu-item[data-action="ctrlAltDel"]');
  const ctrlAltDelHint = h('span', { class: 'viewer-key-hint', id: 'viewer-ctrl-alt-del-hint', hidden: true }, SECURE_ATTENTION_HINT);
  ctrlAltDelItem.querySelector('span').after(ctrlAltDelHint);

  const el = h('header', { class: 'viewer-toolbar' },
    h('a', { href: home.href, class: 'btn btn-ghost btn-icon viewer-back', 'aria-label': home.label, title: home.label }, icon('chevronLeft')),
    h('div', { class: 'viewer-heading' }, icon(support ? 'support' : 'monitor', { size: 18, className: 'viewer-heading-icon' }), supportCode, nameEl,
      h('span', { class: ['badge', mode === 'view' ? 'badge-neutral' : 'badge-primary', 'viewer-mode'], id: 'viewer-mode' }, mode === 'view' ? 'View' : 'Control')),
    stateBadge,
    h('div', { class: 'spacer' }),
    h('div', { class: 'viewer-tools' },
      monitorSelect,
      h('div', { class: 'viewer-segmented', role: 'group', 'aria-label': 'Scale' }, fitButton, actualButton),
      pauseButton,
      mode === 'control' ? viewOnlyButton : null,
      mode === 'control' ? keysMenu : null,
      clipboardButton,
      fullscreenButton,
      disconnectButton,
      endSessionButton));

  return {
    el,
    nameEl,
    supportCode,
    monitorSelect,
    fitButton,
    actualButton,
    viewOnlyButton,
    fullscreenButton,
    disconnectButton,
    pauseButton,
    endSessionButton,

    /** Lists the agent's monitors; the picker is only enabled when there is a choice. */
    setMonitors(monitors, selected) {
      replace(monitorSelect,
        h('option', { value: '-1', selected: selected === -1 }, 'All monitors'),
        monitors.map((m, i) => h('option', { value: String(i), selected: selected === i },
          `Monitor ${i + 1}${m.primary ? ' (primary)' : ''} · ${m.width}×${m.height}`)));
      monitorSelect.disabled = monitors.length < 2;
    },

    /** Shows what Ctrl+Alt+Del does on this agent: 'keys', 'sas' or 'unavailable' (SessionInfo). */
    setSecureAttention(value) {
      secureAttention = Object.hasOwn(SECURE_ATTENTION_NOTE, value) ? value : 'keys';
      const unavailable = secureAttention === 'unavailable';
      ctrlAltDelItem.dataset.secureAttention = secureAttention;
      ctrlAltDelItem.classList.toggle('is-disabled', unavailable);
      if (unavailable) ctrlAltDelItem.setAttribute('aria-disabled', 'true');
      else ctrlAltDelItem.removeAttribute('aria-disabled');
      ctrlAltDelHint.hidden = !unavailable;
      const note = SECURE_ATTENTION_NOTE[secureAttention];
      if (note) ctrlAltDelItem.title = note;
      else ctrlAltDelItem.removeAttribute('title');
      if (unavailable) ctrlAltDelItem.setAttribute('aria-describedby', ctrlAltDelHint.id);
      else ctrlAltDelItem.removeAttribute('aria-describedby');
    },

    /** Enables what makes sense now; `stopped` is true once the session ended or failed. */
    showControls({ viewOnly: isViewOnly, connected, paused, stopped }) {
      viewOnlyButton.setAttribute('aria-pressed', String(isViewOnly));
      viewOnlyButton.classList.toggle('is-active', isViewOnly);
      viewOnlyButton.disabled = !connected || paused;
      keysButton.disabled = !connected || isViewOnly || paused;
      pauseButton.disabled = !connected && !paused;
      disconnectButton.disabled = stopped;
    },

    showFit(fit) {
      fitButton.setAttribute('aria-pressed', String(fit));
      actualButton.setAttribute('aria-pressed', String(!fit));
    },

    showPaused(paused) {
      pauseButton.setAttribute('aria-pressed', String(paused));
      pauseButton.classList.toggle('is-active', paused);
      pauseButton.title = paused ? 'Resume the picture and input' : 'Freeze the picture and stop sending input';
      replace(pauseButton, icon(paused ? 'play' : 'pause', { size: 14 }), h('span', { class: 'btn-label' }, paused ? 'Resume' : 'Pause'));
    },

    showFullscreen(full) {
      replace(fullscreenButton, icon(full ? 'minimize' : 'maximize', { size: 16 }));
      fullscreenButton.title = full ? 'Exit full screen' : 'Full screen';
      fullscreenButton.setAttribute('aria-label', fullscreenButton.title);
    },
  };
}
