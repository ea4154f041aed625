// The Support tab's dialogs: generate a code for me, a colleague or first come
// (then show it with copy buttons and the portal link) and transfer a session to
// another technician.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { openDialog, dialogFooter } from '../components/dialog.js';
import { errorBox, field, onSubmit, select } from '../components/form.js';
import { loadingBlock, errorState } from '../components/ui.js';
import { copyText } from '../clipboard.js';
import { assigneePicker } from './support-assignee.js';

const EXPIRY_OPTIONS = [
  { value: '', label: 'Never' },
  { value: '30', label: 'In 30 minutes' },
  { value: '60', label: 'In 1 hour' },
  { value: '240', label: 'In 4 hours' },
  { value: '1440', label: 'In 1 day' },
  { value: '10080', label: 'In 7 days' },
];
const VISIBILITY_OPTIONS = [
  { value: '', label: 'Server default' },
  { value: 'private', label: 'Private — only me' },
  { value: 'team', label: 'My team' },
  { value: 'company', label: 'Everyone in the company' },
];

/** "+ Generate Code": options, then the new code. `onCreated(session)` runs once it exists. */
export function openGenerateDialog({ onCreated }) {
  const errors = errorBox({ id: 'generate-error' });
  const submit = button({ label: 'Generate code', icon: 'key', variant: 'primary', type: 'submit', id: 'generate-submit' });
  const cancel = button({ label: 'Cancel', variant: 'outline', onClick: () => close() });
  const assignee = assigneePicker();
  const form = h('form', { class: 'stack', id: 'generate-form', novalidate: true },
    assignee.el,
    h('div', { class: 'grid-2' },
      field({ label: 'Expires', control: select({ id: 'generate-expiry', name: 'expiry' }, EXPIRY_OPTIONS), optional: true }),
      field({ label: 'Visible to', control: select({ id: 'generate-visibility', name: 'visibility' }, VISIBILITY_OPTIONS), hint: 'Who else sees and may join it.' })),
    errors.el,
    dialogFooter(cancel, submit));

  onSubmit(form, submit, errors, async () => {
    const body = assignee.request();
    const expiry = form.elements.expiry.value;
    if (expiry) body.expiresInMinutes = Number(expiry);
    const visibility = form.elements.visibility.value;
    if (visibility) body.visibility = visibility;
    const session = await api('POST', '/api/support/sessions', body);
    onCreated(session);
    showCode(session);
  });

  const { dialog, close } = openDialog({
    title: 'Generate a support code', description: 'Your customer types this code on the support portal.',
    content: form, id: 'generate-dialog',
  });

  function showCode(session) {
    const portalUrl = session.portalUrl || `${location.origin}/?code=${session.code}`;
    const portalInput = h('input', { class: 'input input-mono', id: 'generated-portal-url', readonly: true, value: portalUrl, 'aria-label': 'Portal link' });
    portalInput.addEventListener('focus', () => portalInput.select());
    const done = button({ label: 'Done', variant: 'primary', id: 'generated-done', onClick: () => close() });
    dialog.querySelector('.dialog-title').textContent = 'Support code ready';
    dialog.querySelector('.dialog-description').textContent = assignee.describe(session);
    replace(dialog.querySelector('.dialog-body'), h('div', { class: 'stack', id: 'generated' },
      h('div', { class: 'generated-code-box' },
        h('span', { class: 'generated-code mono', id: 'generated-code', 'aria-label': `Code ${session.code.split('').join(' ')}` }, session.code),
        button({ label: 'Copy code', icon: 'copy', variant: 'outline', size: 'sm', id: 'generated-code-copy', onClick: () => copyText(session.code, 'Code copied') })),
      h('div', { class: 'field' },
        h('label', { class: 'label', for: 'generated-portal-url' }, 'Portal link'),
        h('div', { class: 'input-with-button' }, portalInput,
          button({ label: 'Copy link', icon: 'copy', variant: 'outline', id: 'generated-portal-copy', onClick: () => copyText(portalUrl, 'Portal link copied') })),
        h('p', { class: 'field-hint' }, 'The link fills in the code; the customer only clicks Connect.')),
      session.expiresAt ? h('p', { class: 'text-muted support-expiry-note' }, icon('clock', { size: 14 }), `Expires ${new Date(session.expiresAt).toLocaleString()}`) : null,
      dialogFooter(done)));
    done.focus();
  }
}

/** Transfer: pick another technician; `onDone()` after the server accepted it. */
export function openTransferDialog(session, { onDone }) {
  const body = h('div', null, loadingBlock('Loading technicians…'));
  const { close } = openDialog({
    title: `Transfer session ${session.code}`,
    description: 'The new technician owns the session; your open viewers are closed.',
    content: body, id: 'transfer-dialog', size: 'sm',
  });

  async function load() {
    let technicians;
    try {
      technicians = await api('GET', '/api/support/technicians');
    } catch (err) {
      replace(body, errorState(err, () => {
        replace(body, loadingBlock('Loading technicians…'));
        load();
      }, "Couldn't load technicians"));
      return;
    }
    const others = technicians.filter((t) => t.id !== session.ownerId);
    if (!others.length) {
      replace(body, h('div', { class: 'stack' },
        h('p', { class: 'text-muted', id: 'transfer-none' }, 'No other technician can take support sessions. Give someone the "Create support codes" permission first.'),
        dialogFooter(button({ label: 'Close', variant: 'outline', onClick: () => close() }))));
      return;
    }
    const errors = errorBox({ id: 'transfer-error' });
    const submit = button({ label: 'Transfer', icon: 'users', variant: 'primary', type: 'submit', id: 'transfer-submit' });
    const form = h('form', { class: 'stack', id: 'transfer-form', novalidate: true },
      field({ label: 'New technician', control: select({ id: 'transfer-user', name: 'userId' }, others.map((t) => ({ value: t.id, label: t.displayName }))) }),
      errors.el,
      dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => close() }), submit));
    onSubmit(form, submit, errors, async () => {
      await api('POST', `/api/support/sessions/${encodeURIComponent(session.id)}/transfer`, { userId: form.elements.userId.value });
      const name = others.find((t) => t.id === form.elements.userId.value)?.displayName || 'the new technician';
      close();
      onDone(name);
    });
    replace(body, form);
    form.elements.userId.focus();
  }
  load();
}
