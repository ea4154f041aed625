// Dialogs for the Users page: add/edit a user and reset a password.
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { button } from '../../components/button.js';
import { field, input, select, errorBox, onSubmit, value } from '../../components/form.js';
import { openDialog, dialogFooter } from '../../components/dialog.js';
import { toast } from '../../components/toast.js';

/** Add (no `user`) or edit (with `user`) dialog. */
export function openUserDialog({ user = null, lookups, onSaved }) {
  const editing = Boolean(user);
  const errors = errorBox({ id: 'user-error' });
  const submit = button({ label: editing ? 'Save changes' : 'Add user', variant: 'primary', type: 'submit', id: 'user-submit' });
  const roleId = user && user.role ? user.role.id : (lookups.roles.find((r) => r.id === 'technician') || lookups.roles[0] || {}).id;
  const teamId = user && user.team ? user.team.id : '';
  const roleSelect = select({ id: 'user-role', name: 'roleId', required: true },
    lookups.roles.map((r) => ({ value: r.id, label: r.name, selected: r.id === roleId })));
  const teamSelect = select({ id: 'user-team', name: 'teamId' },
    [{ value: '', label: 'No team', selected: !teamId }, ...lookups.teams.map((t) => ({ value: t.id, label: t.name, selected: t.id === teamId }))]);

  const form = h('form', { class: 'stack', id: 'user-form' }, errors.el,
    editing ? null : field({ label: 'Username', control: input({ id: 'user-username', name: 'username', required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', autofocus: true }) }),
    field({ label: 'Display name', control: input({ id: 'user-display-name', name: 'displayName', required: true, autocomplete: 'off', value: user ? user.displayName : '' }) }),
    editing ? null : field({ label: 'Initial password', control: input({ id: 'user-password', name: 'password', type: 'password', required: true, minlength: 10, maxlength: 72, autocomplete: 'new-password' }), hint: '10 to 72 characters. Share it securely; they can change it under Account.' }),
    h('div', { class: 'grid-2' },
      field({ label: 'Role', control: roleSelect }),
      field({ label: 'Team', control: teamSelect })),
    dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => close() }), submit));

  const { close } = openDialog({
    title: editing ? `Edit ${user.displayName}` : 'Add user',
    description: editing ? `Username: ${user.username}` : 'Create a technician account.',
    content: form, id: 'user-dialog',
  });

  onSubmit(form, submit, errors, async () => {
    const selectedTeam = value(form, 'teamId') || null;
    let saved;
    if (editing) {
      saved = await api('PATCH', `/api/users/${encodeURIComponent(user.id)}`, {
        displayName: value(form, 'displayName'), roleId: value(form, 'roleId'), teamId: selectedTeam,
      });
    } else {
      saved = await api('POST', '/api/users', {
        username: value(form, 'username'), displayName: value(form, 'displayName'),
        password: value(form, 'password', { trim: false }), roleId: value(form, 'roleId'), teamId: selectedTeam,
      });
    }
    close();
    onSaved(saved || user);
  });
}

export function openResetPasswordDialog(user) {
  const errors = errorBox({ id: 'reset-password-error' });
  const submit = button({ label: 'Set password', variant: 'primary', type: 'submit', id: 'reset-password-submit' });
  const form = h('form', { class: 'stack' }, errors.el,
    field({ label: 'New password', control: input({ id: 'reset-password', name: 'newPassword', type: 'password', required: true, minlength: 10, maxlength: 72, autocomplete: 'new-password' }), hint: '10 to 72 characters.' }),
    dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => close() }), submit));
  const { close } = openDialog({ title: `Reset password for ${user.displayName}`, description: 'Their current sessions may be signed out.', content: form, size: 'sm', id: 'reset-password-dialog' });
  onSubmit(form, submit, errors, async () => {
    await api('POST', `/api/users/${encodeURIComponent(user.id)}/password`, { newPassword: value(form, 'newPassword', { trim: false }) });
    close();
    toast.success('Password reset', user.displayName);
  });
}
