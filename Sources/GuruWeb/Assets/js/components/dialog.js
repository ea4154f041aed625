// Modal dialogs on the native <dialog> element (focus trap, Esc to close, top layer).
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { button, withBusy } from './button.js';
import { errorBox } from './form.js';

/**
 * openDialog({ title, description, content, id, size }) → { dialog, close }
 * `content` is a node (usually a <form> that ends with dialogFooter(...)).
 * The dialog removes itself from the page when closed; `onClose` runs then.
 */
export function openDialog({ title, description = null, content, id = null, size = 'md', onClose = null, dismissable = true }) {
  const titleId = `dlg-title-${Math.random().toString(36).slice(2, 8)}`;
  const dialog = h('dialog', { class: ['dialog', `dialog-${size}`], id, 'aria-labelledby': titleId },
    h('div', { class: 'dialog-header' },
      h('div', { class: 'dialog-heading' },
        h('h2', { class: 'dialog-title', id: titleId }, title),
        description ? h('p', { class: 'dialog-description' }, description) : null),
      dismissable ? h('button', { type: 'button', class: 'btn btn-ghost btn-icon dialog-close', 'aria-label': 'Close', onClick: () => close() }, icon('x')) : null),
    h('div', { class: 'dialog-body' }, content));

  function close() {
    if (dialog.open) dialog.close();
  }
  dialog.addEventListener('cancel', (event) => {
    if (!dismissable) event.preventDefault();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (onClose) onClose();
  });
  document.body.append(dialog);
  dialog.showModal();
  const autofocus = dialog.querySelector('[autofocus]') || dialog.querySelector('input, select, textarea');
  if (autofocus) autofocus.focus();
  return { dialog, close };
}

/** Right-aligned action row for the bottom of a dialog form. */
export function dialogFooter(...buttons) {
  return h('div', { class: 'dialog-footer' }, buttons);
}

/**
 * A confirmation dialog. `onConfirm` runs with the confirm button busy; an error
 * keeps the dialog open and shows the message inline. Resolves true when confirmed.
 */
export function confirmDialog({ title, message, confirmLabel = 'Confirm', destructive = false, onConfirm }) {
  return new Promise((resolve) => {
    let confirmed = false;
    const errors = errorBox();
    const ok = button({ label: confirmLabel, variant: destructive ? 'destructive' : 'primary', id: 'confirm-ok', type: 'submit' });
    const cancel = button({ label: 'Cancel', variant: 'outline', id: 'confirm-cancel', onClick: () => close() });
    const form = h('form', { class: 'stack', novalidate: true },
      h('p', { class: 'text-muted' }, message), errors.el, dialogFooter(cancel, ok));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      withBusy(ok, async () => {
        errors.clear();
        try {
          if (onConfirm) await onConfirm();
          confirmed = true;
          close();
        } catch (err) {
          errors.show(err);
        }
      });
    });
    const { close } = openDialog({ title, content: form, size: 'sm', id: 'confirm-dialog', onClose: () => resolve(confirmed) });
    ok.focus();
  });
}
