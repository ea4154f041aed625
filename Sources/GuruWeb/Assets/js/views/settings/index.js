// Settings: a sub-navigation (left list on desktop, scrolling tabs on phones) and
// one module per section. Sections the user lacks permission for are hidden.
import { h } from '../../dom.js';
import { icon } from '../../icons.js';
import { can } from '../../session.js';
import { emptyState } from '../../components/ui.js';
import * as account from './account.js';
import * as appearance from './appearance.js';
import * as general from './general.js';
import * as email from './email.js';
import * as users from './users.js';
import * as roles from './roles.js';
import * as teams from './teams.js';
import * as audit from './audit.js';

const SECTIONS = [
  { key: 'account', label: 'Account', icon: 'user', group: 'Personal', view: account },
  { key: 'appearance', label: 'Appearance', icon: 'palette', group: 'Personal', view: appearance },
  { key: 'general', label: 'General', icon: 'sliders', group: 'Server', permission: 'manageSettings', view: general },
  { key: 'email', label: 'Email', icon: 'upload', group: 'Server', permission: 'manageSettings', view: email },
  { key: 'users', label: 'Users', icon: 'users', group: 'Server', permission: 'manageUsers', view: users },
  { key: 'roles', label: 'Roles', icon: 'shield', group: 'Server', permission: 'manageUsers', view: roles },
  { key: 'teams', label: 'Teams', icon: 'folder', group: 'Server', permission: 'manageUsers', view: teams },
  { key: 'audit', label: 'Audit log', icon: 'scroll', group: 'Server', permission: 'viewAudit', view: audit },
];

export function render(container, ctx) {
  const key = ctx.subpath.replace(/^\//, '').split('/')[0];
  if (!key) {
    ctx.navigate('/app/settings/account', { replace: true });
    return undefined;
  }
  const visible = SECTIONS.filter((s) => !s.permission || can(s.permission));
  const section = SECTIONS.find((s) => s.key === key);

  const groups = [...new Set(visible.map((s) => s.group))];
  const nav = h('nav', { class: 'settings-nav', 'aria-label': 'Settings sections', id: 'settings-nav' },
    groups.map((group) => h('div', { class: 'settings-nav-group' },
      groups.length > 1 ? h('div', { class: 'settings-nav-label' }, group) : null,
      visible.filter((s) => s.group === group).map((s) => h('a', {
        href: `/app/settings/${s.key}`, class: ['settings-nav-item', s.key === key && 'is-active'],
        'aria-current': s.key === key ? 'page' : null, dataset: { testid: `settings-nav-${s.key}` },
      }, icon(s.icon, { size: 16 }), h('span', null, s.label))))));

  const content = h('div', { class: 'settings-content' });
  container.append(h('div', { class: 'settings-layout' },
    h('div', { class: 'settings-aside' }, h('h1', { class: 'settings-heading' }, 'Settings'), nav), content));
  // On phones the sub-navigation scrolls sideways; keep the current section in view.
  const activeLink = nav.querySelector('.is-active');
  if (activeLink && nav.scrollWidth > nav.clientWidth) {
    const offset = activeLink.getBoundingClientRect().left - nav.getBoundingClientRect().left + nav.scrollLeft;
    nav.scrollLeft = offset - (nav.clientWidth - activeLink.offsetWidth) / 2;
  }

  if (!section) {
    ctx.setTitle('Settings');
    content.append(emptyState({ icon: 'search', title: 'No such settings page', text: `There is no settings section called "${key}".` }));
    return undefined;
  }
  if (section.permission && !can(section.permission)) {
    ctx.setTitle('Settings');
    content.append(emptyState({ icon: 'lock', title: "You don't have access to this section", text: 'Ask an administrator if you need it.', testid: 'settings-forbidden' }));
    return undefined;
  }
  ctx.setTitle(`${section.label} · Settings`);
  return section.view.render(content, ctx);
}
