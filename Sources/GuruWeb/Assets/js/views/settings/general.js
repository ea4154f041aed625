// General server settings (manageSettings): company name, default session
// visibility, consent and idle timeout.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { pageHeader, card, loadingBlock, errorState } from '../../components/ui.js';
import { button } from '../../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../../components/form.js';
import { toast } from '../../components/toast.js';

const VISIBILITY = [
  { value: 'private', label: 'Private', text: 'Only the technician who started the session sees it.' },
  { value: 'team', label: 'Team', text: "Members of the technician's team can see it." },
  { value: 'company', label: 'Company', text: 'Everyone allowed to view sessions sees it.' },
];

export function render(container) {
  const header = pageHeader({ title: 'General', description: 'Server-wide defaults for every technician.' });
  const load = async () => {
    replace(container, header, loadingBlock('Loading settings…'));
    let settings;
    try {
      settings = await api('GET', '/api/settings');
    } catch (err) {
      replace(container, header, errorState(err, load));
      return;
    }
    replace(container, header, settingsForm(settings));
  };
  load();
}

function settingsForm(settings) {
  const errors = errorBox({ id: 'settings-error' });
  const submit = button({ label: 'Save changes', variant: 'primary', type: 'submit', id: 'settings-save' });
  const visibility = h('div', { class: 'choice-list', role: 'radiogroup', 'aria-label': 'Default session visibility', id: 'settings-visibility' },
    VISIBILITY.map((v) => h('label', { class: 'choice', for: `visibility-${v.value}` },
      h('input', { type: 'radio', name: 'defaultVisibility', value: v.value, id: `visibility-${v.value}`, checked: settings.defaultVisibility === v.value }),
      h('span', { class: 'choice-text' }, h('span', { class: 'choice-label' }, v.label), h('span', { class: 'choice-hint' }, v.text)))));

  const form = h('form', { id: 'settings-form', class: 'stack-lg' },
    errors.el,
    card({
      title: 'Organisation',
      body: h('div', { class: 'stack form-narrow' },
        field({ label: 'Company name', control: input({ id: 'settings-company', name: 'companyName', value: settings.companyName || '', autocomplete: 'organization', maxlength: 200 }), hint: 'Shown to customers on the support portal.' })),
    }),
    card({
      title: 'Sessions',
      body: h('div', { class: 'stack' },
        h('fieldset', { class: 'fieldset' }, h('legend', { class: 'label' }, 'Default session visibility'), visibility),
        h('label', { class: 'checkbox-row', for: 'settings-consent' },
          h('input', { type: 'checkbox', id: 'settings-consent', name: 'consentRequired', checked: Boolean(settings.consentRequired) }),
          h('span', { class: 'choice-text' }, h('span', { class: 'choice-label' }, 'Require end-user consent'),
            h('span', { class: 'choice-hint' }, 'The person at the machine must accept before a technician can see or control it.'))),
        h('div', { class: 'form-narrow' },
          field({ label: 'Idle timeout (minutes)', control: input({ id: 'settings-idle', name: 'sessionIdleMinutes', type: 'number', min: 1, max: 1440, step: 1, required: true, value: String(settings.sessionIdleMinutes ?? 30), inputmode: 'numeric' }), hint: 'Sessions with no activity for this long are ended.' }))),
    }),
    card({
      title: 'Unattended machines',
      body: h('div', { class: 'form-narrow' },
        field({ label: 'Check-in interval (seconds)', control: input({ id: 'settings-checkin', name: 'checkInSeconds', type: 'number', min: 10, max: 3600, step: 1, required: true, value: String(settings.checkInSeconds ?? 60), inputmode: 'numeric' }), hint: 'How often each agent reports that it is alive and sends changes to its inventory. Longer intervals mean less load at thousands of machines; offline machines are noticed later.' })),
    }),
    h('div', { class: 'form-actions' }, submit));

  onSubmit(form, submit, errors, async () => {
    const picked = form.querySelector('input[name="defaultVisibility"]:checked');
    const saved = await api('PUT', '/api/settings', {
      companyName: value(form, 'companyName'),
      defaultVisibility: picked ? picked.value : settings.defaultVisibility,
      consentRequired: form.elements.namedItem('consentRequired').checked,
      sessionIdleMinutes: Number(value(form, 'sessionIdleMinutes')),
      checkInSeconds: Number(value(form, 'checkInSeconds')),
    });
    Object.assign(settings, saved);
    toast.success('Settings saved');
  });
  return form;
}
