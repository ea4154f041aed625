// Users (manageUsers): list, add, edit role/team/name, enable/disable, reset
// password, disable 2FA, delete.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { getUser } from '../../session.js';
import { formatRelative, initials } from '../../format.js';
import { pageHeader, badge, table, emptyState, loadingBlock, errorState } from '../../components/ui.js';
import { button } from '../../components/button.js';
import { actionMenu } from '../../components/menu.js';
import { confirmDialog } from '../../components/dialog.js';
import { toast } from '../../components/toast.js';
import { openUserDialog, openResetPasswordDialog, openSelfTotpDisableDialog } from './user-dialogs.js';

export function render(container) {
  const addButton = button({ label: 'Add user', icon: 'plus', variant: 'primary', id: 'user-add', disabled: true });
  const header = pageHeader({ title: 'Users', description: 'Technician accounts on this server.', actions: [addButton] });
  const body = h('div');
  replace(container, header, body);
  let lookups = { roles: [], teams: [] };

  addButton.addEventListener('click', () => openUserDialog({ lookups, onSaved: (u) => { toast.success('User added', u.displayName); load(); } }));

  async function load() {
    replace(body, loadingBlock('Loading users…'));
    let users;
    try {
      const [u, roles, teams] = await Promise.all([api('GET', '/api/users'), api('GET', '/api/roles'), api('GET', '/api/teams')]);
      users = u;
      lookups = { roles, teams };
    } catch (err) {
      replace(body, errorState(err, load));
      return;
    }
    addButton.disabled = false;
    if (!users.length) {
      replace(body, emptyState({ icon: 'users', title: 'No users yet', text: 'Add your technicians so they can sign in.' }));
      return;
    }
    replace(body, h('div', { class: 'card card-flush' }, table({
      id: 'users-table',
      columns: [{ label: 'User' }, { label: 'Role' }, { label: 'Team', className: 'hide-sm' }, { label: '2FA', className: 'hide-sm' }, { label: 'Status', className: 'hide-sm' }, { label: 'Last sign-in', className: 'hide-sm' }, { label: '', className: 'cell-actions' }],
      rows: users.map(userRow),
    })));
  }

  function userRow(user) {
    const self = getUser() && getUser().id === user.id;
    return h('tr', { dataset: { testid: 'user-row', userId: user.id, username: user.username } },
      h('td', null, h('div', { class: 'cell-user' },
        h('span', { class: 'avatar avatar-sm', 'aria-hidden': 'true' }, initials(user.displayName)),
        h('div', { class: 'cell-stack' },
          h('span', { class: 'cell-strong' }, user.displayName, self ? ' ' : null, self ? badge('You', 'primary') : null,
            user.disabled ? h('span', { class: 'show-sm' }, ' ', badge('Disabled', 'destructive')) : null),
          h('span', { class: 'cell-sub mono', dataset: { testid: 'user-username' } }, user.username)))),
      h('td', null, user.role ? user.role.name : '—'),
      h('td', { class: 'hide-sm' }, user.team ? user.team.name : h('span', { class: 'text-muted' }, 'None')),
      h('td', { class: 'hide-sm' }, user.totpEnabled ? badge('On', 'success') : badge('Off', 'neutral')),
      h('td', { class: 'hide-sm' }, user.disabled ? badge('Disabled', 'destructive') : badge('Active', 'success', { dot: true })),
      h('td', { class: 'hide-sm', title: user.lastLoginAt || '' }, user.lastLoginAt ? formatRelative(user.lastLoginAt) : h('span', { class: 'text-muted' }, 'Never')),
      h('td', { class: 'cell-actions' }, actionMenu({
        label: `Actions for ${user.username}`, testid: 'user-actions',
        items: [
          { label: 'Edit', icon: 'edit', action: 'edit', onSelect: () => openUserDialog({ user, lookups, onSaved: () => { toast.success('User updated', user.displayName); load(); } }) },
          { label: 'Reset password', icon: 'key', action: 'reset-password', onSelect: () => openResetPasswordDialog(user, { self, onDone: load }) },
          user.totpEnabled && { label: 'Turn off 2FA', icon: 'shield', action: 'disable-totp', onSelect: () => (self ? openSelfTotpDisableDialog(user, { onDone: load }) : confirmAction(user, 'disable-totp')) },
          { label: user.disabled ? 'Enable account' : 'Disable account', icon: 'lock', action: user.disabled ? 'enable' : 'disable', onSelect: () => confirmAction(user, user.disabled ? 'enable' : 'disable') },
          { label: 'Delete', icon: 'trash', action: 'delete', destructive: true, onSelect: () => confirmAction(user, 'delete') },
        ],
      })));
  }

  function confirmAction(user, kind) {
    const specs = {
      'disable-totp': {
        title: `Turn off two-factor for ${user.displayName}?`, message: 'They will sign in with their password alone until they enrol again. Use this when they lost their authenticator.',
        confirmLabel: 'Turn off 2FA', destructive: true, done: 'Two-factor turned off',
        run: () => api('POST', `/api/users/${encodeURIComponent(user.id)}/totp/disable`),
      },
      disable: {
        title: `Disable ${user.displayName}?`, message: 'They are signed out and cannot sign in or use their API keys until you enable the account again.',
        confirmLabel: 'Disable account', destructive: true, done: 'Account disabled',
        run: () => api('PATCH', `/api/users/${encodeURIComponent(user.id)}`, { disabled: true }),
      },
      enable: {
        title: `Enable ${user.displayName}?`, message: 'They will be able to sign in again.',
        confirmLabel: 'Enable account', destructive: false, done: 'Account enabled',
        run: () => api('PATCH', `/api/users/${encodeURIComponent(user.id)}`, { disabled: false }),
      },
      delete: {
        title: `Delete ${user.displayName}?`, message: `The account "${user.username}" and its API keys are removed. The audit log keeps their history. This cannot be undone.`,
        confirmLabel: 'Delete user', destructive: true, done: 'User deleted',
        run: () => api('DELETE', `/api/users/${encodeURIComponent(user.id)}`),
      },
    };
    const spec = specs[kind];
    confirmDialog({
      title: spec.title, message: spec.message, confirmLabel: spec.confirmLabel, destructive: spec.destructive,
      onConfirm: async () => {
        await spec.run();
        toast.success(spec.done, user.displayName);
        load();
      },
    });
  }

  load();
}
