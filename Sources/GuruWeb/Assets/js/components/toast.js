// Toast notifications (bottom-right, stacked). Errors stay longer and are announced
// assertively; every toast can be dismissed.
import { h } from '../dom.js';
import { icon } from '../icons.js';

const ICON_FOR = { success: 'check', error: 'alert', info: 'info' };

function region() {
  let el = document.getElementById('toasts');
  if (!el) {
    el = h('div', { id: 'toasts', class: 'toast-region', role: 'region', 'aria-label': 'Notifications' });
    document.body.append(el);
  }
  return el;
}

function show(kind, title, description = null, timeoutMs = 5000) {
  const close = () => {
    el.classList.add('is-leaving');
    setTimeout(() => el.remove(), 180);
  };
  const el = h('div', { class: ['toast', `toast-${kind}`], role: kind === 'error' ? 'alert' : 'status', dataset: { testid: `toast-${kind}` } },
    h('span', { class: 'toast-icon' }, icon(ICON_FOR[kind], { size: 16 })),
    h('div', { class: 'toast-body' },
      h('div', { class: 'toast-title' }, title),
      description ? h('div', { class: 'toast-description' }, description) : null),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onClick: close }, icon('x', { size: 14 })));
  region().append(el);
  if (timeoutMs > 0) setTimeout(close, timeoutMs);
  return el;
}

export const toast = {
  success: (title, description) => show('success', title, description),
  /** options: { timeoutMs } for news that deserves longer on screen. */
  info: (title, description, options = {}) => show('info', title, description, options.timeoutMs),
  /** Accepts a message or an Error/ApiError. */
  error: (titleOrError, description) => {
    if (titleOrError instanceof Error) {
      return show('error', description || 'Something went wrong', titleOrError.message, 9000);
    }
    return show('error', titleOrError, description, 9000);
  },
};
