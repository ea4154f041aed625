// The signed-in frame: mobile top bar, sidebar (drawer on phones) and the main
// area that views render into. Mounted once per sign-in and reused across routes.
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { wordmark } from './logo.js';
import { sidebar } from './sidebar.js';

export function mountShell(root, { user, onSignOut }) {
  const main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  const menuButton = h('button', {
    type: 'button', id: 'menu-toggle', class: 'btn btn-ghost btn-icon', 'aria-label': 'Open menu',
    'aria-controls': 'sidebar', 'aria-expanded': 'false',
  }, icon('menu', { size: 20 }));
  const backdrop = h('div', { id: 'sidebar-backdrop', class: 'sidebar-backdrop' });
  const side = sidebar({ user, onSignOut, onClose: () => setDrawer(false) });
  const frame = h('div', { class: 'app-shell', id: 'app-shell' },
    h('header', { class: 'topbar' }, menuButton, h('a', { href: '/app/support', class: 'topbar-brand' }, wordmark({ size: 24 }))),
    side.el, backdrop, main);

  function setDrawer(open) {
    frame.classList.toggle('drawer-open', open);
    menuButton.setAttribute('aria-expanded', String(open));
    if (open) {
      const current = side.el.querySelector('.nav-item.is-active') || side.el.querySelector('.nav-item');
      if (current) current.focus();
    }
  }
  menuButton.addEventListener('click', () => setDrawer(!frame.classList.contains('drawer-open')));
  backdrop.addEventListener('click', () => setDrawer(false));
  frame.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && frame.classList.contains('drawer-open')) {
      setDrawer(false);
      menuButton.focus();
    }
  });

  root.replaceChildren(frame);
  return {
    frame,
    main,
    userId: user.id,
    update(pathname) {
      side.setActive(pathname);
      setDrawer(false);
    },
  };
}
