// "Group by a custom property": the property's name (as agents report it, e.g. Asset), checked by
// the server before the sidebar changes, whose error says what is wrong with the name.
import { h } from '../dom.js';
import { button } from '../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../components/form.js';
import { openDialog, dialogFooter } from '../components/dialog.js';

/** Opens the dialog; `onGroup(name)` may throw (the message is shown in the dialog); `onCancel` runs when it closes unused. */
export function groupByPropertyDialog({ current = '', onGroup, onCancel }) {
  let grouped = false;
  const errors = errorBox({ id: 'group-property-error' });
  const submit = button({ label: 'Group', variant: 'primary', type: 'submit', id: 'group-property-submit', icon: 'columns' });
  const form = h('form', { class: 'stack', id: 'group-property-form' }, errors.el,
    field({
      label: 'Property name',
      control: input({ id: 'group-property-name', name: 'name', required: true, maxlength: 64, value: current, placeholder: 'e.g. Asset', autocomplete: 'off', autofocus: true }),
      hint: 'A custom property from the Build form or --reconfigure. Machines without it are counted as (empty).',
    }),
    dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => dlg.close() }), submit));
  const dlg = openDialog({
    title: 'Group by a custom property', content: form, id: 'group-property-dialog', size: 'sm',
    onClose: () => { if (!grouped && onCancel) onCancel(); },
  });
  onSubmit(form, submit, errors, async () => {
    await onGroup(value(form, 'name'));
    grouped = true;
    dlg.close();
  });
}
