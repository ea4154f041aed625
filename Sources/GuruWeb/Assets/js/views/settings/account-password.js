// Account → change password.
import { api } from '../../api.js';
import { h } from '../../dom.js';
import { card } from '../../components/ui.js';
import { button } from '../../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { totpCodeField } from '../../components/reauth.js';

export function passwordCard(user) {
  const totpOn = Boolean(user && user.totpEnabled);
  const errors = errorBox({ id: 'password-error' });
  const submit = button({ label: 'Change password', variant: 'primary', type: 'submit', id: 'password-submit' });
  const confirm = input({ id: 'confirm-password', name: 'confirm', type: 'password', autocomplete: 'new-password', required: true });
  const form = h('form', { id: 'password-form', class: 'stack form-narrow' },
    errors.el,
    h('input', { type: 'text', name: 'username', autocomplete: 'username', class: 'is-hidden', 'aria-hidden': 'true', tabindex: '-1' }),
    field({ label: 'Current password', control: input({ id: 'current-password', name: 'currentPassword', type: 'password', autocomplete: 'current-password', required: true }) }),
    totpCodeField({ id: 'password-totp-code', enabled: totpOn }),
    field({ label: 'New password', control: input({ id: 'new-password', name: 'newPassword', type: 'password', autocomplete: 'new-password', required: true, minlength: 10, maxlength: 72 }), hint: '10 to 72 characters. Your other signed-in sessions will be signed out.' }),
    field({ label: 'Confirm new password', control: confirm }),
    h('div', { class: 'form-actions' }, submit));
  onSubmit(form, submit, errors, async () => {
    if (value(form, 'newPassword', { trim: false }) !== value(form, 'confirm', { trim: false })) {
      confirm.focus();
      throw new Error('The new passwords do not match.');
    }
    await api('POST', '/api/account/password', {
      currentPassword: value(form, 'currentPassword', { trim: false }),
      newPassword: value(form, 'newPassword', { trim: false }),
      ...(totpOn ? { code: value(form, 'code') } : {}),
    });
    form.reset();
    toast.success('Password changed', 'Your other sessions have been signed out.');
    // The server may rotate this session's CSRF token; fetching the session stores the current one.
    await api('GET', '/api/session').catch((err) => toast.error(err, "Couldn't refresh your session"));
  });
  return card({ title: 'Password', description: 'Use a long passphrase you do not use anywhere else.', body: form, id: 'password-card' });
}
