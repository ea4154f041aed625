// The viewer's frame: a toolbar (back link, heading, bar, tools), the screen area and a
// footer, with named slots the panels mount into (viewer/controller.js explains the panel
// contract). The layout owns no state; its own panel mirrors the controller's state onto
// the root's data attributes, which the CSS and the tests read.
import { h, append } from '../dom.js';
import { icon } from '../icons.js';
import { STATE } from '../viewer/connection.js';

/** viewerLayout({ kind, mode, home }) → { root, body, mount(slot, elements), panel(controller), stop() } */
export function viewerLayout({ kind, mode, home }) {
  const heading = h('div', { class: 'viewer-heading' }, icon(kind === 'support' ? 'support' : 'monitor', { size: 18, className: 'viewer-heading-icon' }));
  const bar = h('div', { class: 'viewer-bar' });
  const tools = h('div', { class: 'viewer-tools' });
  const body = h('main', { class: 'viewer-body', id: 'viewer-body' });
  const footer = h('div', { class: 'viewer-footer' });
  const toolbar = h('header', { class: 'viewer-toolbar' },
    h('a', { href: home.href, class: 'btn btn-ghost btn-icon viewer-back', 'aria-label': home.label, title: home.label }, icon('chevronLeft')),
    heading, bar, h('div', { class: 'spacer' }), tools);
  const root = h('div', { class: 'viewer', id: 'viewer', dataset: { state: STATE.connecting, mode } }, toolbar, body, footer);
  const slots = { heading, bar, tools, body, footer };
  document.body.classList.add('has-viewer');

  return {
    root,
    body,

    /** Appends `elements` (one, or an array; null skipped) to the slot named `slot`. */
    mount(slot, elements) {
      const target = slots[slot];
      if (!target) throw new Error(`The viewer layout has no slot "${slot}"`);
      append(target, [elements]);
    },

    /** The panel that keeps root's data-state, -input, -paused, -last-ack, -secure-attention and -elevated current. */
    panel(controller) {
      return {
        name: 'layout',
        messages: {
          SessionInfo(message) {
            root.dataset.secureAttention = message.secureAttention;
            root.dataset.elevated = String(message.elevated === true);
          },
        },
        events: {
          state(info) {
            root.dataset.state = info.state;
          },
          change() {
            root.dataset.input = controller.inputActive ? 'on' : 'off';
            root.dataset.paused = String(controller.paused);
          },
          frame(sequence) {
            root.dataset.lastAck = String(sequence);
          },
        },
        stop() {
          document.body.classList.remove('has-viewer');
        },
      };
    },
  };
}
