// Sign-in: username + password, then (when 2FA is on) a TOTP or recovery code.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../components/form.js';
import { authCard } from './auth-layout.js';

export function render(container, ctx) {
  ctx.setTitle('Sign in');
  const state = ctx.state || {};
  let countdownTimer = null;

  const stopCountdown = () => {
    if (countdownTimer) clearInterval(countdownTimer);
    countdownTimer = null;
  };

  /** Shows `throttled` with a live countdown and keeps `submit` disabled until it ends. */
  function showThrottle(errors, submit, seconds) {
    stopCountdown();
    let remaining = Math.max(1, Math.ceil(seconds || 30));
    const tick = () => {
      if (remaining <= 0) {
        stopCountdown();
        errors.clear();
        delete submit.dataset.lock;
        submit.disabled = false;
        return;
      }
      const mm = Math.floor(remaining / 60);
      const ss = String(remaining % 60).padStart(2, '0');
      errors.show(`Too many sign-in attempts. Try again in ${mm}:${ss}.`);
      errors.el.dataset.code = 'throttled';
      submit.dataset.lock = 'true';
      submit.disabled = true;
      remaining -= 1;
    };
    tick();
    countdownTimer = setInterval(tick, 1000);
  }

  function handleError(err, errors, submit) {
    if (err.code === 'throttled') {
      showThrottle(errors, submit, err.retryAfter);
      return;
    }
    errors.el.dataset.code = err.code || '';
    errors.show(err);
  }

  function passwordStep() {
    stopCountdown();
    const errors = errorBox({ id: 'login-error' });
    const submit = button({ label: 'Sign in', variant: 'primary', type: 'submit', id: 'login-submit', extraClass: 'btn-block' });
    const form = h('form', { id: 'login-form', class: 'stack' },
      state.note ? h('div', { class: ['alert', state.noteKind === 'success' ? 'alert-success' : 'alert-info'], id: 'login-note', role: 'status' },
        icon(state.noteKind === 'success' ? 'check' : 'info', { size: 16 }), h('div', { class: 'alert-text' }, state.note)) : null,
      errors.el,
      field({ label: 'Username', control: input({ id: 'login-username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false', autofocus: true }) }),
      field({ label: 'Password', control: input({ id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }) }),
      submit);
    onSubmit(form, submit, errors, async () => {
      const note = form.querySelector('#login-note');
      if (note) note.remove();
      try {
        const answer = await api('POST', '/api/auth/login', { username: value(form, 'username'), password: value(form, 'password', { trim: false }) });
        if (answer.status === 'totp_required') totpStep(answer.challenge);
        else ctx.signedIn(answer.user, state.next);
      } catch (err) {
        handleError(err, errors, submit);
        if (err.code === 'invalid_credentials') form.elements.namedItem('password').select();
      }
    });
    replace(container, authCard({ title: 'Sign in', subtitle: 'Welcome back. Sign in to your technician dashboard.', body: form }));
    form.querySelector('#login-username').focus();
  }

  function totpStep(challenge) {
    stopCountdown();
    let useRecovery = false;
    const errors = errorBox({ id: 'login-error' });
    const submit = button({ label: 'Verify', variant: 'primary', type: 'submit', id: 'totp-submit', extraClass: 'btn-block' });
    const codeInput = input({
      id: 'totp-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6,
      required: true, placeholder: '123456', class: 'input input-code', autofocus: true,
    });
    const recoveryInput = input({ id: 'recovery-code', name: 'recoveryCode', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', placeholder: 'xxxxx-xxxxx', class: 'input input-mono' });
    const codeField = field({ label: 'Authentication code', control: codeInput, hint: 'The 6-digit code from your authenticator app.' });
    const recoveryField = field({ label: 'Recovery code', control: recoveryInput, hint: 'Each recovery code works once.' });
    recoveryField.classList.add('is-hidden');
    const toggle = h('button', { type: 'button', class: 'link-button', id: 'totp-toggle-recovery' }, 'Use a recovery code instead');
    toggle.addEventListener('click', () => {
      useRecovery = !useRecovery;
      codeField.classList.toggle('is-hidden', useRecovery);
      recoveryField.classList.toggle('is-hidden', !useRecovery);
      codeInput.required = !useRecovery;
      recoveryInput.required = useRecovery;
      toggle.textContent = useRecovery ? 'Use your authenticator app instead' : 'Use a recovery code instead';
      errors.clear();
      (useRecovery ? recoveryInput : codeInput).focus();
    });
    const back = h('button', { type: 'button', class: 'link-button', id: 'totp-back', onClick: passwordStep }, 'Back to sign in');
    const form = h('form', { id: 'totp-form', class: 'stack' }, errors.el, codeField, recoveryField, submit,
      h('div', { class: 'auth-links' }, toggle, back));
    onSubmit(form, submit, errors, async () => {
      const body = useRecovery ? { challenge, recoveryCode: value(form, 'recoveryCode') } : { challenge, code: value(form, 'code') };
      try {
        const answer = await api('POST', '/api/auth/totp', body);
        ctx.signedIn(answer.user, state.next);
      } catch (err) {
        handleError(err, errors, submit);
        (useRecovery ? recoveryInput : codeInput).select();
      }
    });
    replace(container, authCard({
      title: 'Two-factor authentication',
      subtitle: 'Enter the code from your authenticator app to finish signing in.',
      body: form,
    }));
    codeInput.focus();
  }

  passwordStep();
  return stopCountdown;
}
