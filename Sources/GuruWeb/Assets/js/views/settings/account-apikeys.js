// Account → API keys: list, create (secret shown once), revoke.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { icon } from '../../icons.js';
import { formatDate, formatRelative, isPast } from '../../format.js';
import { card, badge, table, emptyState, loadingBlock, errorState } from '../../components/ui.js';
import { button } from '../../components/button.js';
import { field, input, select, errorBox, onSubmit, value } from '../../components/form.js';
import { openDialog, dialogFooter, confirmDialog } from '../../components/dialog.js';
import { toast } from '../../components/toast.js';
import { copyText } from '../../clipboard.js';

const EXPIRY_OPTIONS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days', selected: true },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never expires' },
];

function keyStatus(key) {
  if (key.revokedAt) return badge('Revoked', 'neutral');
  if (key.expiresAt && isPast(key.expiresAt)) return badge('Expired', 'warning');
  return badge('Active', 'success', { dot: true });
}

export function apiKeysCard() {
  const body = h('div', { id: 'api-keys' });
  const newKey = button({ label: 'New API key', icon: 'plus', variant: 'outline', size: 'sm', id: 'api-key-new', onClick: () => openCreateDialog() });
  const el = card({
    title: 'API keys',
    description: 'Keys act with your permissions. Send one as "Authorization: Bearer gck_…".',
    actions: newKey, body, id: 'api-keys-card', flush: true,
  });

  async function load() {
    replace(body, loadingBlock('Loading API keys…'));
    let keys;
    try {
      keys = await api('GET', '/api/account/api-keys');
    } catch (err) {
      replace(body, errorState(err, load));
      return;
    }
    if (!keys.length) {
      replace(body, emptyState({
        icon: 'key', title: 'No API keys yet', testid: 'api-keys-empty',
        text: 'Create a key to let scripts, your PSA or GuruRMM call this server on your behalf.',
      }));
      return;
    }
    const rows = keys.map((key) => h('tr', { dataset: { testid: 'api-key-row', keyId: key.id, name: key.name } },
      h('td', null, h('div', { class: 'cell-stack' },
        h('span', { class: 'cell-strong' }, key.name),
        h('span', { class: 'cell-sub mono' }, `${key.prefix}…`))),
      h('td', { class: 'hide-sm', title: key.createdAt }, formatDate(key.createdAt)),
      h('td', { class: 'hide-sm', title: key.expiresAt || '' }, key.expiresAt ? formatDate(key.expiresAt) : h('span', { class: 'text-muted' }, 'Never')),
      h('td', { class: 'hide-sm', title: key.lastUsedAt || '' }, key.lastUsedAt ? formatRelative(key.lastUsedAt) : h('span', { class: 'text-muted' }, 'Never used')),
      h('td', { dataset: { testid: 'api-key-status' } }, keyStatus(key)),
      h('td', { class: 'cell-actions' }, key.revokedAt ? null : h('div', { class: 'row-actions' }, button({
        label: 'Revoke', icon: 'x', variant: 'ghost', size: 'sm', testid: 'api-key-revoke', extraClass: 'btn-danger-text',
        ariaLabel: `Revoke ${key.name}`, onClick: () => confirmRevoke(key),
      })))));
    replace(body, table({
      id: 'api-keys-table',
      columns: [{ label: 'Name' }, { label: 'Created', className: 'hide-sm' }, { label: 'Expires', className: 'hide-sm' }, { label: 'Last used', className: 'hide-sm' }, { label: 'Status' }, { label: '', className: 'cell-actions' }],
      rows,
    }));
  }

  function confirmRevoke(key) {
    confirmDialog({
      title: `Revoke "${key.name}"?`,
      message: 'Anything using this key stops working immediately. This cannot be undone.',
      confirmLabel: 'Revoke key',
      destructive: true,
      onConfirm: async () => {
        await api('DELETE', `/api/account/api-keys/${encodeURIComponent(key.id)}`);
        toast.success('API key revoked', key.name);
        load();
      },
    });
  }

  function openCreateDialog() {
    const errors = errorBox({ id: 'api-key-error' });
    const submit = button({ label: 'Create key', variant: 'primary', type: 'submit', id: 'api-key-create' });
    const form = h('form', { class: 'stack', id: 'api-key-form' }, errors.el,
      field({ label: 'Name', control: input({ id: 'api-key-name', name: 'name', required: true, maxlength: 100, placeholder: 'e.g. PSA integration', autocomplete: 'off', autofocus: true }), hint: 'Helps you recognise the key later.' }),
      field({ label: 'Expires', control: select({ id: 'api-key-expiry', name: 'expiry' }, EXPIRY_OPTIONS) }),
      dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => dlg.close() }), submit));
    const dlg = openDialog({ title: 'New API key', description: 'The key can do everything your account can.', content: form, id: 'api-key-dialog' });
    onSubmit(form, submit, errors, async () => {
      const expiry = value(form, 'expiry');
      const created = await api('POST', '/api/account/api-keys', {
        name: value(form, 'name'),
        expiresInDays: expiry === 'never' ? null : Number(expiry),
      });
      load();
      showSecret(dlg, created);
    });
  }

  function showSecret(dlg, created) {
    const dialogBody = dlg.dialog.querySelector('.dialog-body');
    dlg.dialog.querySelector('.dialog-title').textContent = 'Copy your new API key';
    const description = dlg.dialog.querySelector('.dialog-description');
    if (description) description.textContent = `"${created.key.name}" is ready.`;
    const done = button({ label: 'Done', variant: 'primary', id: 'api-key-done', onClick: () => dlg.close() });
    replace(dialogBody, h('div', { class: 'stack' },
      h('div', { class: 'alert alert-warning' }, icon('alert', { size: 16 }),
        h('div', { class: 'alert-text' }, h('strong', null, 'This is the only time the key is shown. '), 'Store it in your password manager or secret store now.')),
      h('div', { class: 'secret-row' },
        h('code', { id: 'api-key-secret', class: 'secret secret-wrap' }, created.secret),
        button({ label: 'Copy', icon: 'copy', variant: 'outline', size: 'sm', id: 'api-key-copy', onClick: () => copyText(created.secret, 'API key copied') })),
      dialogFooter(done)));
    done.focus();
  }

  load();
  return el;
}
