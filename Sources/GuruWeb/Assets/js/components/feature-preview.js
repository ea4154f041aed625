// The empty state for tabs whose features ship in a later release: says exactly
// what is coming, with no placeholder data.
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { badge } from './ui.js';

/** featurePreview({ icon, title, text, steps: [{ icon, title, text }], testid }) */
export function featurePreview({ icon: iconName, title, text, steps, testid }) {
  return h('section', { class: 'card feature-preview', dataset: { testid } },
    h('div', { class: 'feature-hero' },
      h('div', { class: 'feature-icon' }, icon(iconName, { size: 26 })),
      badge('Coming in a later release', 'primary'),
      h('h2', { class: 'feature-title' }, title),
      h('p', { class: 'feature-text' }, text)),
    h('ol', { class: 'feature-steps' },
      steps.map((step, i) => h('li', { class: 'feature-step' },
        h('div', { class: 'feature-step-icon' }, icon(step.icon, { size: 18 })),
        h('div', null,
          h('div', { class: 'feature-step-title' }, h('span', { class: 'feature-step-num' }, `${i + 1}`), step.title),
          h('p', { class: 'feature-step-text' }, step.text))))));
}
