// What the viewer shows when a machine proves another identity key than the one this
// browser pinned (docs/protocol.md §3.6): both keys' fingerprints, the 6-digit code to
// compare with the person at the machine, and the technician's choice.
import { h } from '../dom.js';
import { button } from '../components/button.js';

/**
 * The identity-change card's body: `change` is `{ previous, current, code }` from the
 * connection's identityChanged state; `onAccept` trusts the new key and connects.
 */
export function identityChangePanel({ change, onAccept }) {
  const row = (label, value, id) => h('div', { class: 'viewer-trust-row' },
    h('span', { class: 'viewer-trust-label' }, label), h('span', { class: 'viewer-trust-value mono', id }, value));
  const failure = h('p', { class: 'viewer-trust-error is-hidden', id: 'viewer-trust-error', role: 'alert' });
  const accept = button({
    label: 'Trust the new key and connect', icon: 'lock', variant: 'destructive', size: 'sm', id: 'viewer-accept-identity',
    onClick: async () => {
      accept.disabled = true;
      try {
        await onAccept();
      } catch (err) {
        accept.disabled = false;
        failure.textContent = `The new key could not be saved: ${err.message}`;
        failure.classList.remove('is-hidden');
      }
    },
  });
  return h('div', { class: 'viewer-trust', id: 'viewer-trust' },
    row('Key seen before', change.previous, 'viewer-trust-previous'),
    row('Key now', change.current, 'viewer-trust-current'),
    row('Code', change.code, 'viewer-trust-code'),
    failure,
    h('div', { class: 'viewer-overlay-actions' }, accept));
}
