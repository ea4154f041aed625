// Small presentational pieces shared by views: page header, card, badge, empty
// state, loading block, error state and tables.
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { button } from './button.js';

export function pageHeader({ title, description = null, actions = [] }) {
  return h('header', { class: 'page-header' },
    h('div', { class: 'page-heading' },
      h('h1', { class: 'page-title' }, title),
      description ? h('p', { class: 'page-description' }, description) : null),
    actions.length ? h('div', { class: 'page-actions' }, actions) : null);
}

export function card({ title = null, description = null, actions = null, body, id = null, testid = null, flush = false }) {
  return h('section', { class: ['card', flush && 'card-flush'], id, dataset: testid ? { testid } : null },
    title ? h('div', { class: 'card-header' },
      h('div', null,
        h('h2', { class: 'card-title' }, title),
        description ? h('p', { class: 'card-description' }, description) : null),
      actions ? h('div', { class: 'card-actions' }, actions) : null) : null,
    h('div', { class: 'card-body' }, body));
}

/** variant: neutral | primary | success | warning | destructive */
export function badge(text, variant = 'neutral', { dot = false } = {}) {
  return h('span', { class: ['badge', `badge-${variant}`] }, dot ? h('span', { class: 'badge-dot' }) : null, text);
}

export function emptyState({ icon: iconName, title, text, action = null, children = null, testid = null }) {
  return h('div', { class: 'empty-state', dataset: testid ? { testid } : null },
    h('div', { class: 'empty-icon' }, icon(iconName, { size: 22 })),
    h('h3', { class: 'empty-title' }, title),
    h('p', { class: 'empty-text' }, text),
    children,
    action ? h('div', { class: 'empty-action' }, action) : null);
}

export function loadingBlock(label = 'Loading…') {
  return h('div', { class: 'loading-block', role: 'status' }, h('span', { class: 'spinner' }), h('span', null, label));
}

/** A failed load, with the server's message and a retry button. */
export function errorState(error, onRetry, title = "Couldn't load this") {
  return h('div', { class: 'empty-state empty-state-error', role: 'alert', dataset: { testid: 'load-error' } },
    h('div', { class: 'empty-icon' }, icon('alert', { size: 22 })),
    h('h3', { class: 'empty-title' }, title),
    h('p', { class: 'empty-text' }, error && error.message ? error.message : String(error)),
    onRetry ? h('div', { class: 'empty-action' }, button({ label: 'Try again', icon: 'refresh', variant: 'outline', onClick: onRetry })) : null);
}

/**
 * table({ columns: [{ label, className }], rows: [tr nodes], id })
 * Wrapped so wide tables scroll sideways on phones instead of breaking layout.
 */
export function table({ columns, rows, id = null }) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table', id },
      h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.className, scope: 'col' }, c.label)))),
      h('tbody', null, rows)));
}
