// The fields that prove "it is really you" before an account's own credentials change: the current
// password, and a code from the authenticator when two-factor is on (the server asks for both).
import { field, input } from './form.js';

/** The current-password field. */
export function currentPasswordField({ id, name = 'currentPassword', label = 'Your current password' }) {
  return field({ label, control: input({ id, name, type: 'password', autocomplete: 'current-password', required: true }) });
}

/** The authenticator-code field, or null when two-factor is off. */
export function totpCodeField({ id, name = 'code', enabled }) {
  if (!enabled) return null;
  return field({
    label: 'Authenticator code',
    control: input({ id, name, inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,7}', maxlength: 7, required: true }),
    hint: 'The 6-digit code your authenticator app shows now.',
  });
}
