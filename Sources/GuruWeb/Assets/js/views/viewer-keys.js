// The viewer's special-keys menu (control mode): key combinations a browser keeps for
// itself (Ctrl+Alt+Del, Alt+Tab…), sent to the remote machine. What Ctrl+Alt+Del does
// follows the agent's SessionInfo.secureAttention.
import { h } from '../dom.js';
import { actionMenu } from '../components/menu.js';
import { SPECIAL_KEYS } from '../viewer/input.js';

/** Why the keys menu offers Ctrl+Alt+Del as it does, by SessionInfo.secureAttention. */
const SECURE_ATTENTION_NOTE = {
  keys: null,
  sas: 'Sent as the secure attention sequence: the agent runs as a Windows service.',
  unavailable: 'Ctrl+Alt+Del needs the agent to run as a Windows service.',
};
const SECURE_ATTENTION_HINT = 'Needs the agent to run as a service';

export function keysPanel(controller) {
  let secureAttention = 'keys'; // until the agent's SessionInfo says otherwise (older agents send none)
  const keysMenu = actionMenu({
    label: 'Send special keys', id: 'viewer-keys', triggerIcon: 'keyboard',
    items: Object.entries(SPECIAL_KEYS).map(([action, combo]) => ({
      label: combo.label, action, icon: 'keyboard',
      onSelect: () => {
        // Nothing is sent when the agent cannot deliver it: the item says why instead.
        if (action === 'ctrlAltDel' && secureAttention === 'unavailable') return;
        controller.sendSpecialKey(action);
      },
    })),
  });
  const keysButton = keysMenu.querySelector('button');
  // aria-disabled rather than disabled: the item stays focusable in the menu's arrow-key
  // cycle and its reason stays readable, but activating it does nothing.
  const ctrlAltDelItem = keysMenu.querySelector('.menu-item[data-action="ctrlAltDel"]');
  const ctrlAltDelHint = h('span', { class: 'viewer-key-hint', id: 'viewer-ctrl-alt-del-hint', hidden: true }, SECURE_ATTENTION_HINT);
  ctrlAltDelItem.querySelector('span').after(ctrlAltDelHint);

  /** Shows what Ctrl+Alt+Del does on this agent: 'keys', 'sas' or 'unavailable'. */
  function setSecureAttention(value) {
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
  }

  return {
    name: 'keys',
    mount: { tools: keysMenu },
    messages: {
      SessionInfo(message) {
        setSecureAttention(message.secureAttention);
      },
    },
    events: {
      change() {
        keysButton.disabled = !controller.connected || controller.viewOnly || controller.paused;
      },
    },
  };
}
