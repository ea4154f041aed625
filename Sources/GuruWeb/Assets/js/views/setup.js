// First-run setup: creates the first administrator account.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../components/form.js';
import { authCard } from './auth-layout.js';

export function render(container, ctx) {
  ctx.setTitle('Set up');
  if (!ctx.needsSetup) {
    replace(container, completeCard());
    return;
  }
  const errors = errorBox({ id: 'setup-error' });
  const submit = button({ label: 'Create administrator', variant: 'primary', type: 'submit', id: 'setup-submit', extraClass: 'btn-block' });
  const password = input({ id: 'setup-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10, maxlength: 72 });
  const confirm = input({ id: 'setup-confirm', name: 'confirm', type: 'password', autocomplete: 'new-password', required: true });
  const form = h('form', { id: 'setup-form', class: 'stack' },
    errors.el,
    field({ label: 'Username', control: input({ id: 'setup-username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false', autofocus: true }) }),
    field({ label: 'Display name', control: input({ id: 'setup-display-name', name: 'displayName', autocomplete: 'name', required: true }), hint: 'Shown to your team and in the audit log.' }),
    field({ label: 'Password', control: password, hint: '10 to 72 characters.' }),
    field({ label: 'Confirm password', control: confirm }),
    submit);

  onSubmit(form, submit, errors, async () => {
    if (value(form, 'password', { trim: false }) !== value(form, 'confirm', { trim: false })) {
      confirm.focus();
      throw new Error('The two passwords do not match.');
    }
    try {
      await api('POST', '/api/setup', {
        username: value(form, 'username'),
        displayName: value(form, 'displayName'),
        password: value(form, 'password', { trim: false }),
      });
    } catch (err) {
      if (err.status === 404) {
        ctx.setupFinished();
        replace(container, completeCard());
        return;
      }
      throw err;
    }
    ctx.setupFinished();
    ctx.navigate('/login', { replace: true, state: { note: 'Your administrator account is ready. Sign in to continue.', noteKind: 'success' } });
  });

  replace(container, authCard({
    title: 'Welcome to GuruConnect',
    subtitle: 'Create the first administrator account for this server. You can add your technicians afterwards.',
    body: form,
    footer: h('span', { class: 'auth-footnote' }, icon('shield', { size: 14 }), 'This page only works once, before any account exists.'),
  }));
}

function completeCard() {
  return authCard({
    title: 'Setup is already complete',
    subtitle: 'This server already has an administrator. Sign in with your account, or ask your administrator for one.',
    body: h('div', { id: 'setup-complete', class: 'stack' },
      h('a', { href: '/login', class: 'btn btn-primary btn-block', id: 'setup-signin-link' }, 'Go to sign in')),
  });
}
