// The dashboard sidebar: wordmark, main navigation, and the signed-in user with
// Sign out. Under 768px it is an off-canvas drawer opened from the top bar.
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { initials } from '../format.js';
import { wordmark } from './logo.js';
import { withBusy } from './button.js';

export const NAV_ITEMS = [
  { path: '/app/support', label: 'Support', icon: 'support', hint: 'Attended sessions' },
  { path: '/app/access', label: 'Access', icon: 'monitor', hint: 'Unattended machines' },
  { path: '/app/build', label: 'Build', icon: 'wrench', hint: 'Installer builder' },
  { path: '/app/settings', label: 'Settings', icon: 'settings', hint: 'Account and server' },
];

/** Builds the sidebar. `onSignOut` is an async function. */
export function sidebar({ user, onSignOut, onClose }) {
  const links = NAV_ITEMS.map((item) => h('a', {
    href: item.path, class: 'nav-item', dataset: { testid: `nav-${item.label.toLowerCase()}`, path: item.path },
  }, icon(item.icon, { size: 18 }), h('span', null, item.label)));

  const signOut = h('button', {
    type: 'button', id: 'logout-button', class: 'btn btn-ghost btn-icon sidebar-signout', 'aria-label': 'Sign out', title: 'Sign out',
  }, icon('logOut', { size: 17 }));
  signOut.addEventListener('click', () => withBusy(signOut, onSignOut));

  const el = h('aside', { id: 'sidebar', class: 'sidebar', 'aria-label': 'Main navigation' }, h('div', { class: 'sidebar-inner' },
    h('div', { class: 'sidebar-header' },
      h('a', { href: '/app/support', class: 'sidebar-brand', 'aria-label': 'GuruConnect home' }, wordmark({ size: 28 })),
      h('button', { type: 'button', id: 'sidebar-close', class: 'btn btn-ghost btn-icon sidebar-close', 'aria-label': 'Close menu', onClick: onClose }, icon('x'))),
    h('nav', { class: 'sidebar-nav' }, h('div', { class: 'nav-section-label' }, 'Workspace'), links),
    h('div', { class: 'sidebar-footer' },
      h('div', { class: 'sidebar-user' },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(user.displayName || user.username)),
        h('div', { class: 'sidebar-user-text' },
          h('div', { class: 'sidebar-user-name', id: 'sidebar-user-name' }, user.displayName || user.username),
          h('div', { class: 'sidebar-user-role', id: 'sidebar-user-role' }, user.role ? user.role.name : '')),
        signOut))));

  return {
    el,
    setActive(pathname) {
      for (const link of links) {
        const active = pathname === link.dataset.path || pathname.startsWith(link.dataset.path + '/');
        link.classList.toggle('is-active', active);
        if (active) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
  };
}
