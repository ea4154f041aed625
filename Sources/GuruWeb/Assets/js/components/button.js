// Buttons and the busy state every request-triggering button uses.
import { h } from '../dom.js';
import { icon } from '../icons.js';

/**
 * button({ label, icon: 'plus', variant: 'primary'|'secondary'|'ghost'|'destructive'|'outline',
 *          size: 'sm'|'md'|'icon', type, id, testid, onClick, title })
 */
export function button({ label = '', icon: iconName = null, variant = 'secondary', size = 'md', type = 'button',
  id = null, testid = null, onClick = null, title = null, ariaLabel = null, disabled = false, extraClass = '' } = {}) {
  const btn = h('button', {
    type, id, class: ['btn', `btn-${variant}`, size !== 'md' && `btn-${size}`, extraClass],
    dataset: testid ? { testid } : null, title, 'aria-label': ariaLabel || (size === 'icon' ? label || title : null),
    onClick, disabled,
  });
  if (iconName) btn.append(icon(iconName, { size: size === 'sm' ? 14 : 16 }));
  if (label && size !== 'icon') btn.append(h('span', { class: 'btn-label' }, label));
  return btn;
}

/**
 * Disables `btn` and shows a spinner while `fn` runs. A second click while busy
 * is ignored, so a double-click never sends a request twice.
 */
export async function withBusy(btn, fn) {
  if (!btn) return fn();
  if (btn.dataset.busy === 'true') return undefined;
  btn.dataset.busy = 'true';
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  const spinner = h('span', { class: 'spinner', 'aria-hidden': 'true' });
  const firstIcon = btn.querySelector(':scope > svg.icon');
  if (firstIcon) firstIcon.classList.add('is-hidden');
  btn.prepend(spinner);
  try {
    return await fn();
  } finally {
    spinner.remove();
    if (firstIcon) firstIcon.classList.remove('is-hidden');
    // A caller may lock the button meanwhile (e.g. a throttle countdown).
    btn.disabled = btn.dataset.lock === 'true';
    btn.removeAttribute('aria-busy');
    delete btn.dataset.busy;
  }
}
