// Form building blocks: labelled fields, inline error boxes and the submit helper
// that every form uses (Enter submits, button busy, errors shown, never swallowed).
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { withBusy } from './button.js';

let fieldCounter = 0;

/** A label + control + optional hint. `control` must carry an id (one is added). */
export function field({ label, control, hint = null, optional = false }) {
  if (!control.id) control.id = `field-${++fieldCounter}`;
  const hintEl = hint ? h('p', { class: 'field-hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' },
    h('label', { class: 'label', for: control.id }, label, optional ? h('span', { class: 'label-optional' }, 'Optional') : null),
    control, hintEl);
}

export function input(props) {
  return h('input', { class: 'input', type: 'text', ...props });
}

/** options: [{ value, label }] */
export function select(props, options) {
  return h('select', { class: 'input select', ...props },
    options.map((o) => h('option', { value: o.value, selected: o.selected }, o.label)));
}

/** An inline alert; show(messageOrError) / clear(). */
export function errorBox({ id = null } = {}) {
  const el = h('div', { class: 'alert alert-error is-hidden', role: 'alert', id });
  return {
    el,
    show(messageOrError) {
      const message = messageOrError instanceof Error ? messageOrError.message : String(messageOrError);
      replace(el, icon('alert', { size: 16 }), h('div', { class: 'alert-text' }, message));
      el.classList.remove('is-hidden');
    },
    clear() {
      el.classList.add('is-hidden');
      el.replaceChildren();
    },
  };
}

/**
 * Wires a form: on submit (button or Enter) clears the error, runs `fn(form)` with
 * the submit button busy, and shows any thrown error in `errors` (inline).
 */
export function onSubmit(form, submitButton, errors, fn) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    withBusy(submitButton, async () => {
      errors.clear();
      try {
        await fn(form);
      } catch (err) {
        errors.show(err);
      }
    });
  });
}

/** The value of a named control, trimmed for text. */
export function value(form, name, { trim = true } = {}) {
  const el = form.elements.namedItem(name);
  if (!el) throw new Error(`No form control named "${name}"`);
  return trim ? el.value.trim() : el.value;
}
