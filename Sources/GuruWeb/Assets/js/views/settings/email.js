// Settings → Email (manageSettings): the SMTP server the Build tab's "Send link" uses.
// The password is write-only: the API says whether one is stored, never what it is.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { pageHeader, card, loadingBlock, errorState, badge } from '../../components/ui.js';
import { button, withBusy } from '../../components/button.js';
import { field, input, select, errorBox, onSubmit, value } from '../../components/form.js';
import { toast } from '../../components/toast.js';

export function render(container) {
  const header = pageHeader({ title: 'Email', description: 'Outgoing mail for installer links.' });
  const load = async () => {
    replace(container, header, loadingBlock('Loading e-mail settings…'));
    let smtp;
    try {
      smtp = await api('GET', '/api/settings/smtp');
    } catch (err) {
      replace(container, header, errorState(err, load));
      return;
    }
    replace(container, header, h('div', { class: 'stack-lg' }, smtpForm(smtp), testCard()));
  };
  load();
}

function smtpForm(smtp) {
  const errors = errorBox({ id: 'smtp-error' });
  const submit = button({ label: 'Save', variant: 'primary', type: 'submit', id: 'smtp-save' });
  const passwordState = h('span', { id: 'smtp-password-state' });
  const showPasswordState = (set) => replace(passwordState, set ? badge('Stored', 'success') : badge('Not set', 'neutral'));
  showPasswordState(smtp.passwordSet);
  const form = h('form', { class: 'stack', id: 'smtp-form' }, errors.el,
    h('div', { class: 'grid-2' },
      field({ label: 'SMTP host', control: input({ id: 'smtp-host', name: 'host', value: smtp.host || '', placeholder: 'smtp.example.com', autocomplete: 'off', maxlength: 253 }) }),
      field({ label: 'Port', control: input({ id: 'smtp-port', name: 'port', type: 'number', min: 1, max: 65535, required: true, value: String(smtp.port || 587), inputmode: 'numeric' }) }),
      field({ label: 'Security', control: select({ id: 'smtp-security', name: 'security' }, [
        { value: 'starttls', label: 'STARTTLS', selected: smtp.security !== 'none' },
        { value: 'none', label: 'None (trusted relay only)', selected: smtp.security === 'none' },
      ]) }),
      field({ label: 'From address', control: input({ id: 'smtp-from', name: 'from', type: 'email', value: smtp.from || '', placeholder: 'support@example.com', maxlength: 254 }) }),
      field({ label: 'Username', control: input({ id: 'smtp-username', name: 'username', value: smtp.username || '', autocomplete: 'off', maxlength: 254 }), optional: true }),
      field({ label: 'Password', control: input({ id: 'smtp-password', name: 'password', type: 'password', autocomplete: 'new-password', placeholder: smtp.passwordSet ? 'Leave empty to keep the stored one' : '', maxlength: 512 }), hint: h('span', null, 'Stored encrypted, never shown again. ', passwordState) })),
    h('label', { class: 'checkbox-row', for: 'smtp-clear-password' },
      h('input', { type: 'checkbox', id: 'smtp-clear-password', name: 'clearPassword' }),
      h('span', { class: 'choice-text' }, h('span', { class: 'choice-label' }, 'Remove the stored password'))),
    h('div', { class: 'form-actions' }, submit));
  onSubmit(form, submit, errors, async () => {
    const password = value(form, 'password', { trim: false });
    const clear = form.elements.namedItem('clearPassword').checked;
    const body = {
      host: value(form, 'host'), port: Number(value(form, 'port')), security: value(form, 'security'),
      username: value(form, 'username'), from: value(form, 'from'),
    };
    if (clear) body.password = '';
    else if (password) body.password = password;
    const saved = await api('PUT', '/api/settings/smtp', body);
    form.elements.namedItem('password').value = '';
    form.elements.namedItem('clearPassword').checked = false;
    showPasswordState(saved.passwordSet);
    toast.success('E-mail settings saved');
  });
  return card({ title: 'SMTP server', body: form, testid: 'smtp-card' });
}

function testCard() {
  const errors = errorBox({ id: 'smtp-test-error' });
  const to = input({ id: 'smtp-test-to', name: 'to', type: 'email', required: true, placeholder: 'you@example.com', maxlength: 254 });
  const send = button({ label: 'Send test email', icon: 'upload', variant: 'outline', id: 'smtp-test-send' });
  send.addEventListener('click', () => withBusy(send, async () => {
    errors.clear();
    if (!to.reportValidity()) return;
    try {
      await api('POST', '/api/settings/smtp/test', { to: to.value.trim() });
      toast.success('Test e-mail sent', `Check the inbox of ${to.value.trim()}.`);
    } catch (err) {
      errors.show(err);
    }
  }));
  return card({ title: 'Test', description: 'Save first, then send a test message through the server above.',
    body: h('div', { class: 'stack' }, errors.el, h('div', { class: 'grid-2' }, field({ label: 'Send to', control: to }), h('div', { class: 'smtp-test-action' }, send))), testid: 'smtp-test-card' });
}
