// The centred card used by the public pages (setup, login).
import { h } from '../dom.js';
import { wordmark } from '../components/logo.js';

export function authCard({ title, subtitle = null, body, footer = null }) {
  return h('div', { class: 'auth-wrap' },
    h('div', { class: 'auth-card' },
      h('div', { class: 'auth-brand' }, wordmark({ size: 32 })),
      h('div', { class: 'auth-heading' },
        h('h1', { class: 'auth-title' }, title),
        subtitle ? h('p', { class: 'auth-subtitle' }, subtitle) : null),
      body),
    footer ? h('p', { class: 'auth-footer' }, footer) : null);
}
