// "Save filter": a name, the filter expression (checked by the server, whose error says
// where), shared with the team or not, pinned or not.
import { h } from '../dom.js';
import { button } from '../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../components/form.js';
import { openDialog, dialogFooter } from '../components/dialog.js';
import { toast } from '../components/toast.js';

/** Opens the dialog with `expression` filled in; `onSave({ name, expression, shared, pinned })` may throw. */
export function saveFilterDialog({ expression = '', onSave }) {
  const errors = errorBox({ id: 'filter-save-error' });
  const submit = button({ label: 'Save filter', variant: 'primary', type: 'submit', id: 'filter-save-submit' });
  const shared = h('input', { type: 'checkbox', id: 'filter-shared', name: 'shared' });
  const pinned = h('input', { type: 'checkbox', id: 'filter-pinned', name: 'pinned', checked: true });
  const form = h('form', { class: 'stack', id: 'filter-save-form' }, errors.el,
    field({ label: 'Name', control: input({ id: 'filter-name', name: 'name', required: true, maxlength: 80, placeholder: 'e.g. Phoenix servers', autocomplete: 'off', autofocus: true }) }),
    field({
      label: 'Filter expression',
      control: input({ id: 'filter-expression', name: 'expression', required: true, class: 'input mono', value: expression, spellcheck: 'false', autocomplete: 'off' }),
      hint: "Fields, AND / OR / NOT, = <> < > LIKE IN, and time macros such as $30DAYSAGO: Company = 'Glaztech' AND OS LIKE '%Server%'.",
    }),
    h('label', { class: 'checkbox-row' }, shared, h('span', null, 'Share with the team')),
    h('label', { class: 'checkbox-row' }, pinned, h('span', null, 'Pin to the top of My Filters')),
    dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => dlg.close() }), submit));
  const dlg = openDialog({ title: 'Save filter', description: 'Saved filters appear under My Filters in the sidebar.', content: form, id: 'filter-save-dialog' });
  onSubmit(form, submit, errors, async () => {
    const saved = await onSave({ name: value(form, 'name'), expression: value(form, 'expression'), shared: shared.checked, pinned: pinned.checked });
    dlg.close();
    toast.success('Filter saved', saved?.name || value(form, 'name'));
  });
}
