// The Build tab's outputs: Download EXE / MSI / .deb, Copy URL (a one-line install command
// that checks the file's SHA-256) and Send link (by e-mail). Each runs one POST /api/build
// and shows the result: file, size, SHA-256, link expiry and the install command.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button, withBusy } from '../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../components/form.js';
import { openDialog, dialogFooter } from '../components/dialog.js';
import { toast } from '../components/toast.js';
import { copyText } from '../clipboard.js';
import { formatDateTime } from '../format.js';

function formatBytes(size) {
  if (size >= 1024 * 1024) return `${(size / (1024 * 1024)).toFixed(1)} MB`;
  if (size >= 1024) return `${Math.round(size / 1024)} KB`;
  return `${size} bytes`;
}

/** Starts a browser download of `url`. */
function startDownload(url, fileName) {
  const link = h('a', { href: url, download: fileName, class: 'offscreen' });
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * outputs({ options, form, onBuilt }) → { el, setPlatform(id) }.
 * `form.read()` gives the build body; `onBuilt(result)` runs after every build (the token list refreshes).
 */
export function buildOutputs({ options, form, onBuilt }) {
  const errors = errorBox({ id: 'build-error' });
  const progress = h('div', { class: 'build-progress is-hidden', id: 'build-progress', role: 'status', 'aria-live': 'polite' },
    h('span', { class: 'spinner' }), h('span', { class: 'build-progress-text' }));
  const result = h('div', { class: 'build-result', id: 'build-result', 'aria-live': 'polite' });
  const msiNote = options.msiAvailable ? null : options.msiNote;

  async function run(format, label) {
    errors.clear();
    const body = { ...form.read(), format };
    replace(progress.querySelector('.build-progress-text'),
      format === 'msi' ? 'Building the MSI… this takes a few seconds.' : `Building the ${label}…`);
    progress.classList.remove('is-hidden');
    try {
      const built = await api('POST', '/api/build', body);
      showResult(built, format);
      onBuilt(built);
      return built;
    } finally {
      progress.classList.add('is-hidden');
    }
  }

  function guarded(btn, fn) {
    btn.addEventListener('click', () => withBusy(btn, async () => {
      try {
        await fn();
      } catch (err) {
        errors.show(err);
      }
    }));
    return btn;
  }

  const exe = guarded(button({ label: 'Download EXE', icon: 'download', variant: 'primary', id: 'build-download-exe' }), async () => {
    const built = await run('exe', 'EXE');
    startDownload(built.download.url, built.download.fileName);
  });
  const msi = guarded(button({ label: 'Download MSI', icon: 'package', variant: 'outline', id: 'build-download-msi', disabled: !options.msiAvailable, title: msiNote }), async () => {
    const built = await run('msi', 'MSI');
    startDownload(built.download.url, built.download.fileName);
  });
  const deb = guarded(button({ label: 'Download .deb', icon: 'download', variant: 'primary', id: 'build-download-deb' }), async () => {
    const built = await run('deb', '.deb');
    startDownload(built.download.url, built.download.fileName);
  });
  const copyFormat = () => (platform === 'linux64' ? 'deb' : options.msiAvailable ? 'msi' : 'exe');
  const copy = guarded(button({ label: 'Copy URL', icon: 'copy', variant: 'outline', id: 'build-copy-url' }), async () => {
    const built = await run(copyFormat(), 'installer');
    await copyText(built.installCommand, 'Install command copied');
  });
  const send = guarded(button({ label: 'Send link', icon: 'upload', variant: 'outline', id: 'build-send-link', disabled: !options.emailAvailable,
    title: options.emailAvailable ? null : 'Set up outgoing e-mail in Settings → Email first' }), async () => {
    form.read(); // the form is checked before the dialog opens
    openSendDialog((to) => run(copyFormat(), 'installer').then((built) =>
      api('POST', `/api/build/downloads/${encodeURIComponent(built.download.id)}/email`, { to })));
  });

  const actions = h('div', { class: 'build-actions', id: 'build-actions' });
  const hints = h('div', { class: 'build-hints' });
  let platform = null;
  function setPlatform(id) {
    platform = id;
    const windows = id && id.startsWith('windows');
    replace(actions, windows ? [exe, msi] : id ? [deb] : [], id ? [copy, send] : []);
    replace(hints,
      windows && msiNote ? h('p', { class: 'field-hint', id: 'build-msi-note' }, icon('info', { size: 14 }), msiNote) : null,
      !options.emailAvailable ? h('p', { class: 'field-hint', id: 'build-email-note' }, icon('info', { size: 14 }),
        'Send link needs outgoing e-mail: ', h('a', { href: '/app/settings/email' }, 'set it up in Settings'), '.') : null,
      !id ? h('p', { class: 'field-hint' }, 'No agent is installed on this server yet, so nothing can be built.') : null);
  }

  function showResult(built, format) {
    const { download } = built;
    replace(result, h('div', { class: 'build-result-card', dataset: { testid: 'build-result' } },
      h('div', { class: 'build-result-head' }, icon('check', { size: 16 }),
        h('strong', { id: 'build-result-file' }, download.fileName),
        h('span', { class: 'muted' }, ` · ${formatBytes(download.size)} · built in ${built.buildMilliseconds} ms`)),
      h('dl', { class: 'build-facts' },
        h('dt', null, 'SHA-256'), h('dd', null, h('code', { id: 'build-result-sha', class: 'secret-wrap' }, download.sha256)),
        h('dt', null, 'Link works until'), h('dd', { id: 'build-result-expiry' }, formatDateTime(download.expiresAt)),
        h('dt', null, 'Enrolment token'), h('dd', { id: 'build-result-token' }, built.token.name,
          h('span', { class: 'muted' }, ` · expires ${formatDateTime(built.token.expiresAt)} · ${built.token.maxUses ? `${built.token.maxUses} uses` : 'unlimited uses'}`))),
      h('div', { class: 'field' },
        h('span', { class: 'label' }, format === 'deb' ? 'Install command (Linux, as root)' : 'Install command (PowerShell, as administrator)'),
        h('pre', { class: 'command-block', id: 'build-install-command' }, built.installCommand),
        h('div', { class: 'build-result-actions' },
          button({ label: 'Copy command', icon: 'copy', variant: 'outline', size: 'sm', id: 'build-copy-command', onClick: () => copyText(built.installCommand, 'Install command copied') }),
          h('a', { class: 'btn btn-ghost btn-sm', href: download.url, download: download.fileName, id: 'build-result-link' }, icon('download', { size: 14 }), h('span', { class: 'btn-label' }, 'Download again'))))));
  }

  setPlatform(form.platform());
  return {
    el: h('div', { class: 'stack' }, errors.el, actions, hints, progress, result),
    setPlatform,
  };
}

function openSendDialog(send) {
  const errors = errorBox({ id: 'build-send-error' });
  const submit = button({ label: 'Send', variant: 'primary', type: 'submit', id: 'build-send-submit' });
  const content = h('form', { class: 'stack', id: 'build-send-form' }, errors.el,
    field({ label: 'E-mail address', control: input({ id: 'build-send-to', name: 'to', type: 'email', required: true, maxlength: 254, autocomplete: 'email', autofocus: true }),
      hint: 'They get a download link that works for 24 hours, with the file\'s SHA-256.' }),
    dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => dlg.close() }), submit));
  const dlg = openDialog({ title: 'Send the installer link', content, id: 'build-send-dialog' });
  onSubmit(content, submit, errors, async () => {
    const to = value(content, 'to');
    await send(to);
    dlg.close();
    toast.success('Link sent', `The installer link was e-mailed to ${to}.`);
  });
}
