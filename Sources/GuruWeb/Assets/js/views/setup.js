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
  const tokenField = ctx.tokenRequired ? setupTokenField() : null;
  const form = h('form', { id: 'setup-form', class: 'stack' },
    errors.el,
    tokenField,
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
        ...(ctx.tokenRequired ? { setupToken: value(form, 'setupToken') } : {}),
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

// On a server the network can reach, setup needs the one-time token printed in the server's console.
// The printed link carries it as ?token=; it is taken into the field and dropped from the address bar,
// so it does not linger in the history.
function setupTokenField() {
  const params = new URLSearchParams(location.search);
  const fromLink = params.get('token') || '';
  if (fromLink) {
    params.delete('token');
    const query = params.toString();
    history.replaceState(history.state, '', location.pathname + (query ? `?${query}` : ''));
  }
  return field({
    label: 'Setup token',
    control: input({ id: 'setup-token', name: 'setupToken', autocomplete: 'off', required: true, spellcheck: 'false', autocapitalize: 'none', value: fromLink }),
    hint: "This server is reachable from the network. Copy the one-time token from the server's console output.",
  });
}

function completeCard() {
  return authCard({
    title: 'Setup is already complete',
    subtitle: 'This server already has an administrator. Sign in with your account, or ask your administrator for one.',
    body: h('div', { id: 'setup-complete', class: 'stack' },
      h('a', { href: '/login', class: 'btn btn-primary btn-block', id: 'setup-signin-link' }, 'Go to sign in')),
  });
}
