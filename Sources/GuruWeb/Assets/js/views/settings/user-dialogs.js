// Dialogs for the Users page: add/edit a user and reset a password.
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { button } from '../../components/button.js';
import { field, input, select, errorBox, onSubmit, value } from '../../components/form.js';
import { openDialog, dialogFooter } from '../../components/dialog.js';
import { toast } from '../../components/toast.js';
import { currentPasswordField, totpCodeField } from '../../components/reauth.js';

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

/**
 * Reset someone's password. Their sessions always end; their API keys are revoked only when the admin ticks
 * the box (it shows how many work now), otherwise the answer lists the keys that still work. On their own
 * account (`self`) the admin proves it is them with the current password and, with two-factor on, a code.
 */
export function openResetPasswordDialog(user, { self = false, onDone = () => {} } = {}) {
  const errors = errorBox({ id: 'reset-password-error' });
  const submit = button({ label: 'Set password', variant: 'primary', type: 'submit', id: 'reset-password-submit' });
  const keys = user.activeApiKeys || 0;
  const form = h('form', { class: 'stack' }, errors.el,
    self ? currentPasswordField({ id: 'reset-current-password' }) : null,
    self ? totpCodeField({ id: 'reset-totp-code', enabled: user.totpEnabled }) : null,
    field({ label: 'New password', control: input({ id: 'reset-password', name: 'newPassword', type: 'password', required: true, minlength: 10, maxlength: 72, autocomplete: 'new-password' }), hint: '10 to 72 characters.' }),
    h('label', { class: 'checkbox-row', for: 'reset-revoke-keys' },
      h('input', { type: 'checkbox', id: 'reset-revoke-keys', name: 'revokeApiKeys', disabled: keys === 0 }),
      h('span', { class: 'choice-text' },
        h('span', { class: 'choice-label' }, 'Also revoke API keys'),
        h('span', { class: 'choice-hint', id: 'reset-key-count', dataset: { count: String(keys) } },
          keys === 0 ? 'They have no API keys.' : `${keys} API key${keys === 1 ? '' : 's'} can sign in as them now.`))),
    dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => close() }), submit));
  const { close } = openDialog({
    title: `Reset password for ${user.displayName}`,
    description: self ? 'Your other sessions are signed out.' : 'All their sessions are signed out.',
    content: form, size: 'sm', id: 'reset-password-dialog',
  });
  onSubmit(form, submit, errors, async () => {
    const revoke = form.querySelector('#reset-revoke-keys').checked;
    const result = await api('POST', `/api/users/${encodeURIComponent(user.id)}/password`, {
      newPassword: value(form, 'newPassword', { trim: false }),
      revokeApiKeys: revoke,
      ...(self ? { currentPassword: value(form, 'currentPassword', { trim: false }) } : {}),
      ...(self && user.totpEnabled ? { code: value(form, 'code') } : {}),
    });
    close();
    const still = result.activeApiKeys.length;
    const detail = result.revokedApiKeys > 0
      ? `Signed out everywhere; ${result.revokedApiKeys} API key${result.revokedApiKeys === 1 ? '' : 's'} revoked.`
      : still > 0 ? `Signed out everywhere. Still working: ${result.activeApiKeys.map((k) => k.name).sort().join(', ')}.` : 'Signed out everywhere.';
    toast.success(`Password reset for ${user.displayName}`, detail);
    onDone();
  });
}

/** Turning off one's own two-factor from the Users page needs the same proof as under Account. */
export function openSelfTotpDisableDialog(user, { onDone = () => {} } = {}) {
  const errors = errorBox({ id: 'self-totp-error' });
  const submit = button({ label: 'Turn off 2FA', variant: 'destructive', type: 'submit', id: 'self-totp-submit' });
  const form = h('form', { class: 'stack' }, errors.el,
    currentPasswordField({ id: 'self-totp-password' }),
    totpCodeField({ id: 'self-totp-code', enabled: true }),
    dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => close() }), submit));
  const { close } = openDialog({
    title: 'Turn off your two-factor sign-in?', description: 'Your account will be protected by your password alone.',
    content: form, size: 'sm', id: 'self-totp-dialog',
  });
  onSubmit(form, submit, errors, async () => {
    await api('POST', `/api/users/${encodeURIComponent(user.id)}/totp/disable`, {
      currentPassword: value(form, 'currentPassword', { trim: false }), code: value(form, 'code'),
    });
    close();
    toast.success('Two-factor turned off', user.displayName);
    onDone();
  });
}
