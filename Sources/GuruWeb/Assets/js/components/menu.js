// A row-actions dropdown: a "⋮" button that opens a small menu of actions.
import { h } from '../dom.js';
import { icon } from '../icons.js';

let openMenu = null;

function closeOpenMenu() {
  if (!openMenu) return;
  openMenu.list.classList.remove('is-open');
  openMenu.trigger.setAttribute('aria-expanded', 'false');
  openMenu = null;
}

document.addEventListener('click', (event) => {
  if (openMenu && !openMenu.root.contains(event.target)) closeOpenMenu();
});
document.addEventListener('keydown', (event) => {
  if (!openMenu) return;
  if (event.key === 'Escape') {
    const { trigger } = openMenu;
    closeOpenMenu();
    trigger.focus();
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    const items = [...openMenu.list.querySelectorAll('.menu-item')];
    const index = items.indexOf(document.activeElement);
    const step = event.key === 'ArrowDown' ? 1 : -1;
    items[(index + step + items.length) % items.length].focus();
  }
});

/**
 * actionMenu({ label, testid, items: [{ label, icon, action, onSelect, destructive }], triggerIcon, id })
 * Items that are null/false are skipped, so callers can write `cond && {...}`.
 */
export function actionMenu({ label = 'Actions', testid = null, items, triggerIcon = 'more', id = null }) {
  const list = h('div', { class: 'menu', role: 'menu' });
  const trigger = h('button', {
    type: 'button', class: 'btn btn-ghost btn-icon', 'aria-label': label, title: triggerIcon === 'more' ? null : label,
    'aria-haspopup': 'menu', 'aria-expanded': 'false', id, dataset: testid ? { testid } : null,
  }, icon(triggerIcon));
  const root = h('div', { class: 'menu-root' }, trigger, list);

  for (const item of items.filter(Boolean)) {
    list.append(h('button', {
      type: 'button', role: 'menuitem', class: ['menu-item', item.destructive && 'menu-item-destructive'],
      dataset: { action: item.action },
      onClick: () => {
        closeOpenMenu();
        item.onSelect();
      },
    }, item.icon ? icon(item.icon, { size: 15 }) : null, h('span', null, item.label)));
  }

  trigger.addEventListener('click', (event) => {
    event.stopPropagation();
    const wasOpen = openMenu && openMenu.root === root;
    closeOpenMenu();
    if (wasOpen) return;
    list.classList.add('is-open');
    trigger.setAttribute('aria-expanded', 'true');
    // Open upwards when there is no room below (last rows of a table).
    const rect = trigger.getBoundingClientRect();
    list.classList.toggle('menu-up', window.innerHeight - rect.bottom < 220);
    openMenu = { root, list, trigger };
    const first = list.querySelector('.menu-item');
    if (first) first.focus();
  });
  return root;
}
