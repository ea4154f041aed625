// Account → two-factor authentication: enrol (QR + secret + code), show the
// recovery codes once, or disable with the password.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { icon } from '../../icons.js';
import { getUser, setUser } from '../../session.js';
import { card, badge } from '../../components/ui.js';
import { button, withBusy } from '../../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../../components/form.js';
import { openDialog, dialogFooter } from '../../components/dialog.js';
import { toast } from '../../components/toast.js';
import { copyText, downloadText } from '../../clipboard.js';
import { totpCodeField } from '../../components/reauth.js';

/** SVG document text → data: URL (base64 of its UTF-8 bytes). */
function svgDataUrl(svgText) {
  const bytes = new TextEncoder().encode(svgText);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

export function totpCard(user) {
  const status = h('span');
  const body = h('div', { id: 'totp-section' });
  const el = card({ title: 'Two-factor authentication', description: 'Require a code from an authenticator app when you sign in.', actions: status, body, id: 'totp-card' });

  function markEnabled(enabled) {
    const current = getUser();
    if (current) setUser({ ...current, totpEnabled: enabled });
  }

  function showOff() {
    replace(status, badge('Off', 'neutral', { dot: true }));
    const enable = button({ label: 'Enable two-factor', icon: 'shield', variant: 'primary', id: 'totp-enable' });
    const errors = errorBox({ id: 'totp-error' });
    enable.addEventListener('click', () => withBusy(enable, async () => {
      errors.clear();
      try {
        showEnroll(await api('POST', '/api/account/totp/enroll'));
      } catch (err) {
        errors.show(err);
      }
    }));
    replace(body, h('div', { class: 'stack', id: 'totp-status', dataset: { state: 'off' } },
      errors.el,
      h('p', { class: 'text-muted' }, 'Two-factor authentication is off. Anyone with your password can sign in as you.'),
      h('div', null, enable)));
  }

  function showEnroll(enrolment) {
    replace(status, badge('Setting up', 'warning', { dot: true }));
    const errors = errorBox({ id: 'totp-confirm-error' });
    const submit = button({ label: 'Verify and enable', variant: 'primary', type: 'submit', id: 'totp-confirm-submit' });
    const cancel = button({ label: 'Cancel', variant: 'ghost', id: 'totp-cancel', onClick: showOff });
    const form = h('form', { id: 'totp-confirm-form', class: 'stack' },
      errors.el,
      field({
        label: 'Code from your app',
        control: input({ id: 'totp-confirm-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6, required: true, placeholder: '123456', class: 'input input-code' }),
      }),
      h('div', { class: 'form-actions' }, cancel, submit));
    onSubmit(form, submit, errors, async () => {
      const answer = await api('POST', '/api/account/totp/confirm', { code: value(form, 'code') });
      markEnabled(true);
      showRecoveryCodes(answer.recoveryCodes || []);
    });
    const copySecret = button({ label: 'Copy', icon: 'copy', variant: 'outline', size: 'sm', id: 'totp-secret-copy', onClick: () => copyText(enrolment.secret, 'Secret copied') });
    replace(body, h('div', { class: 'totp-enroll', id: 'totp-enroll' },
      h('div', { class: 'totp-qr-frame' },
        h('img', { id: 'totp-qr', class: 'totp-qr', src: svgDataUrl(enrolment.qrSvg), alt: 'QR code for your authenticator app', width: 200, height: 200 })),
      h('div', { class: 'stack' },
        h('div', { class: 'step-title' }, h('span', { class: 'step-num' }, '1'), 'Scan the QR code'),
        h('p', { class: 'text-muted' }, 'Use an authenticator app such as 1Password, Microsoft Authenticator or Google Authenticator. Can\'t scan? Enter this key manually:'),
        h('div', { class: 'secret-row' }, h('code', { id: 'totp-secret', class: 'secret' }, enrolment.secret), copySecret),
        h('div', { class: 'step-title' }, h('span', { class: 'step-num' }, '2'), 'Enter the 6-digit code it shows'),
        form)));
    form.querySelector('input').focus();
  }

  function showRecoveryCodes(codes) {
    replace(status, badge('On', 'success', { dot: true }));
    const text = codes.join('\n') + '\n';
    const done = button({ label: 'I saved them', icon: 'check', variant: 'primary', id: 'recovery-done', onClick: showOn });
    replace(body, h('div', { class: 'stack', id: 'recovery-panel' },
      h('div', { class: 'alert alert-warning', role: 'status' }, icon('alert', { size: 16 }),
        h('div', { class: 'alert-text' }, h('strong', null, 'Save your recovery codes now. '),
          'Each one signs you in once if you lose your authenticator. They will not be shown again.')),
      h('ol', { id: 'recovery-codes', class: 'recovery-codes' }, codes.map((c) => h('li', null, c))),
      h('div', { class: 'form-actions form-actions-start' },
        button({ label: 'Copy', icon: 'copy', variant: 'outline', id: 'recovery-copy', onClick: () => copyText(text, 'Recovery codes copied') }),
        button({ label: 'Download', icon: 'download', variant: 'outline', id: 'recovery-download', onClick: () => downloadText('guruconnect-recovery-codes.txt', text) }),
        h('span', { class: 'spacer' }), done)));
    done.focus();
  }

  function showOn() {
    replace(status, badge('On', 'success', { dot: true }));
    const disable = button({ label: 'Disable', variant: 'outline', id: 'totp-disable', onClick: openDisableDialog });
    replace(body, h('div', { class: 'stack', id: 'totp-status', dataset: { state: 'on' } },
      h('p', { class: 'text-muted' }, 'Two-factor authentication is on. You need a code from your authenticator app, or a recovery code, to sign in.'),
      h('div', null, disable)));
  }

  function openDisableDialog() {
    const errors = errorBox({ id: 'totp-disable-error' });
    const submit = button({ label: 'Disable two-factor', variant: 'destructive', type: 'submit', id: 'totp-disable-submit' });
    const form = h('form', { class: 'stack' }, errors.el,
      field({ label: 'Your password', control: input({ id: 'totp-disable-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }) }),
      totpCodeField({ id: 'totp-disable-code', enabled: true }),
      dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => close() }), submit));
    const { close } = openDialog({ title: 'Disable two-factor authentication?', description: 'Your account will be protected by your password alone. Your recovery codes stop working.', content: form, size: 'sm', id: 'totp-disable-dialog' });
    onSubmit(form, submit, errors, async () => {
      await api('POST', '/api/account/totp/disable', { password: value(form, 'password', { trim: false }), code: value(form, 'code') });
      markEnabled(false);
      close();
      toast.success('Two-factor authentication disabled');
      showOff();
    });
  }

  if (user.totpEnabled) showOn();
  else showOff();
  return el;
}
