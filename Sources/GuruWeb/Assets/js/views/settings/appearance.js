// Appearance: the Light / Dark / System theme, stored in this browser.
import { h, replace } from '../../dom.js';
import { icon } from '../../icons.js';
import { getTheme, setTheme } from '../../theme.js';
import { pageHeader, card } from '../../components/ui.js';
import { toast } from '../../components/toast.js';

const OPTIONS = [
  { value: 'light', label: 'Light', icon: 'sun', text: 'Bright surfaces, for daytime work.' },
  { value: 'dark', label: 'Dark', icon: 'moon', text: 'Easy on the eyes on late shifts.' },
  { value: 'system', label: 'System', icon: 'laptop', text: "Follows your device's setting." },
];

export function render(container) {
  const current = getTheme();
  const group = h('div', { class: 'theme-options', role: 'radiogroup', 'aria-label': 'Theme' },
    OPTIONS.map((o) => {
      const radio = h('input', { type: 'radio', name: 'theme', value: o.value, id: `theme-${o.value}`, class: 'sr-only-input', checked: o.value === current });
      radio.addEventListener('change', () => {
        if (!setTheme(o.value)) toast.error('Theme applied for now only', "Your browser blocked saving it, so it will reset when you reload.");
      });
      return h('label', { class: 'theme-option', for: `theme-${o.value}` }, radio,
        h('span', { class: ['theme-swatch', `theme-swatch-${o.value}`], 'aria-hidden': 'true' },
          h('span', { class: 'swatch-bar' }), h('span', { class: 'swatch-line' }), h('span', { class: 'swatch-line swatch-line-short' })),
        h('span', { class: 'theme-option-label' }, icon(o.icon, { size: 15 }), o.label),
        h('span', { class: 'theme-option-text' }, o.text));
    }));
  replace(container,
    pageHeader({ title: 'Appearance', description: 'How GuruConnect looks in this browser.' }),
    card({ title: 'Theme', description: 'Saved in this browser only.', body: group }));
}
