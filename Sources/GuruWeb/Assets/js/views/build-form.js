// The Build tab's form: machine name, company and site (autocompleted from values already
// in use), department, device type, tag, custom properties, platform and the enrolment
// token's expiry and uses. `read()` gives the body of POST /api/build without the format.
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { field, input, select } from '../components/form.js';

const DEVICE_TYPES = [
  { value: 'workstation', label: 'Workstation' },
  { value: 'server', label: 'Server' },
  { value: 'laptop', label: 'Laptop' },
];

/** A text input tied to a <datalist> of suggestions. */
function suggested(id, name, values, props = {}) {
  const listId = `${id}-suggestions`;
  return [
    input({ id, name, list: listId, maxlength: 255, autocomplete: 'off', ...props }),
    h('datalist', { id: listId }, values.map((v) => h('option', { value: v }))),
  ];
}

/** The custom properties editor: any number of name/value rows. */
function propertiesEditor() {
  const rows = h('div', { class: 'build-properties', id: 'build-properties' });
  let counter = 0;
  const addRow = (name = '', val = '') => {
    counter += 1;
    const row = h('div', { class: 'build-property-row', dataset: { testid: 'build-property' } },
      input({ name: 'propertyName', placeholder: 'Name, e.g. Asset', maxlength: 255, value: name, 'aria-label': `Property ${counter} name` }),
      input({ name: 'propertyValue', placeholder: 'Value', maxlength: 255, value: val, 'aria-label': `Property ${counter} value` }),
      button({ label: 'Remove property', icon: 'trash', variant: 'ghost', size: 'icon', onClick: () => row.remove() }));
    rows.append(row);
    row.querySelector('input').focus();
  };
  const add = button({ label: 'Add property', icon: 'plus', variant: 'outline', size: 'sm', id: 'build-add-property', onClick: () => addRow() });
  return {
    el: h('div', { class: 'stack-sm' }, rows, h('div', null, add)),
    read() {
      const properties = {};
      for (const row of rows.children) {
        const [nameEl, valueEl] = row.querySelectorAll('input');
        const name = nameEl.value.trim();
        if (name) properties[name] = valueEl.value.trim();
        else if (valueEl.value.trim()) throw new Error('Every custom property needs a name.');
      }
      return properties;
    },
  };
}

/** The platform choice; unavailable platforms are shown, disabled, with the reason. */
function platformChoice(platforms, onChange) {
  const recommended = 'windows64';
  const firstAvailable = (platforms.find((p) => p.id === recommended && p.available) || platforms.find((p) => p.available) || {}).id;
  return h('div', { class: 'choice-list build-platforms', role: 'radiogroup', 'aria-label': 'Platform', id: 'build-platform' },
    platforms.map((p) => h('label', { class: ['choice', !p.available && 'is-disabled'], for: `build-platform-${p.id}`, dataset: { testid: `build-platform-${p.id}` } },
      h('input', { type: 'radio', name: 'platform', value: p.id, id: `build-platform-${p.id}`, checked: p.id === firstAvailable, disabled: !p.available, onChange }),
      h('span', { class: 'choice-text' },
        h('span', { class: 'choice-label' }, p.label, p.id === recommended ? h('span', { class: 'badge badge-primary build-recommended' }, 'Recommended') : null),
        h('span', { class: 'choice-hint' }, p.available ? (p.id.startsWith('windows') ? 'EXE or MSI' : '.deb package with a systemd service') : p.note)))));
}

/** Builds the form; `onPlatform(id)` runs when the platform changes (the outputs follow it). */
export function buildForm({ options, suggestions, onPlatform }) {
  const nameMode = select({ id: 'build-name-mode', name: 'nameMode' }, [
    { value: 'machine', label: 'Use machine name', selected: true },
    { value: 'custom', label: 'Custom name' },
  ]);
  const customName = input({ id: 'build-name', name: 'name', maxlength: 100, placeholder: 'e.g. Front desk PC', autocomplete: 'off' });
  const customField = h('div', { class: 'is-hidden', id: 'build-name-field' }, field({ label: 'Custom name', control: customName }));
  nameMode.addEventListener('change', () => {
    customField.classList.toggle('is-hidden', nameMode.value !== 'custom');
    customName.required = nameMode.value === 'custom';
    if (nameMode.value === 'custom') customName.focus();
  });
  const [companyInput, companyList] = suggested('build-company', 'company', suggestions.companies, { placeholder: 'e.g. Glaztech' });
  const [siteInput, siteList] = suggested('build-site', 'site', suggestions.sites, { placeholder: 'e.g. Phoenix Office' });
  const properties = propertiesEditor();
  const platforms = platformChoice(options.platforms, (event) => onPlatform(event.target.value));

  const form = h('form', { class: 'stack-lg', id: 'build-form', novalidate: false },
    h('div', { class: 'build-grid' },
      field({ label: 'Name', control: nameMode, hint: 'How the machine is listed. "Use machine name" takes its hostname.' }),
      customField,
      h('div', null, field({ label: 'Company', control: companyInput, optional: true }), companyList),
      h('div', null, field({ label: 'Site', control: siteInput, optional: true }), siteList),
      field({ label: 'Department', control: input({ id: 'build-department', name: 'department', maxlength: 255, autocomplete: 'off' }), optional: true }),
      field({ label: 'Device type', control: select({ id: 'build-device-type', name: 'deviceType' }, DEVICE_TYPES) }),
      field({ label: 'Tag', control: input({ id: 'build-tag', name: 'tag', maxlength: 255, autocomplete: 'off', placeholder: 'e.g. Laptop' }), optional: true })),
    h('fieldset', { class: 'fieldset' }, h('legend', { class: 'label' }, 'Custom properties'), properties.el),
    h('fieldset', { class: 'fieldset' }, h('legend', { class: 'label' }, 'Platform'), platforms),
    h('fieldset', { class: 'fieldset' }, h('legend', { class: 'label' }, 'Enrolment token'),
      h('div', { class: 'build-grid' },
        field({ label: 'Expires after (days)', control: input({ id: 'build-expiry', name: 'expiresInDays', type: 'number', min: 1, max: 365, step: 1, required: true, value: String(options.defaultExpiresInDays || 30), inputmode: 'numeric' }) }),
        field({ label: 'Uses', control: input({ id: 'build-uses', name: 'maxUses', type: 'number', min: 1, step: 1, placeholder: 'Unlimited', inputmode: 'numeric' }), hint: 'How many machines may enrol with this installer. Empty: unlimited.' }))),
    h('p', { class: 'field-hint build-note' }, icon('lock', { size: 14 }),
      'Each build carries its own enrolment token in a signed configuration. No secret is ever put on a command line.'));

  return {
    form,
    platform() {
      const picked = form.querySelector('input[name="platform"]:checked');
      return picked ? picked.value : null;
    },
    read() {
      if (!form.reportValidity()) throw new Error('Check the highlighted fields.');
      const text = (name) => form.elements.namedItem(name).value.trim();
      const uses = text('maxUses');
      return {
        platform: this.platform(),
        metadata: {
          name: nameMode.value === 'custom' ? text('name') : '',
          company: text('company'),
          site: text('site'),
          department: text('department'),
          deviceType: form.elements.namedItem('deviceType').value,
          tag: text('tag'),
          properties: properties.read(),
        },
        expiresInDays: Number(text('expiresInDays')),
        maxUses: uses === '' ? null : Number(uses),
      };
    },
  };
}

/** Replaces the datalists' options (after a build added new values). */
export function refreshSuggestions(form, suggestions) {
  replace(form.querySelector('#build-company-suggestions'), suggestions.companies.map((v) => h('option', { value: v })));
  replace(form.querySelector('#build-site-suggestions'), suggestions.sites.map((v) => h('option', { value: v })));
}
