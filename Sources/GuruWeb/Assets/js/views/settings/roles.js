// Roles (manageUsers): built-in roles are read-only; custom roles can be
// created, edited and deleted. Permission names come from GET /api/permissions. A custom
// role may be scoped to chosen companies or shared saved filters (docs/filters.md): its
// holders then see, search and connect to only those machines.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { pageHeader, badge, emptyState, loadingBlock, errorState } from '../../components/ui.js';
import { button } from '../../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../../components/form.js';
import { openDialog, dialogFooter, confirmDialog } from '../../components/dialog.js';
import { toast } from '../../components/toast.js';

export function render(container) {
  const addButton = button({ label: 'New role', icon: 'plus', variant: 'primary', id: 'role-add', disabled: true });
  const body = h('div');
  replace(container, pageHeader({ title: 'Roles', description: 'What each technician is allowed to do. Built-in roles cannot be changed.', actions: [addButton] }), body);
  let permissions = [];
  let companies = []; // suggestions for a scope: the companies machines report
  let sharedFilters = []; // saved filters a scope may name (shared ones only)
  addButton.addEventListener('click', () => openRoleDialog(null));

  async function load() {
    replace(body, loadingBlock('Loading roles…'));
    let roles;
    try {
      [roles, permissions] = await Promise.all([api('GET', '/api/roles'), api('GET', '/api/permissions')]);
    } catch (err) {
      replace(body, errorState(err, load));
      return;
    }
    addButton.disabled = false;
    // Scope choices need the Access permission; without it the dialog still takes typed companies.
    try {
      const [groups, saved] = await Promise.all([api('GET', '/api/agents/groups'), api('GET', '/api/saved-filters')]);
      companies = (groups.fields.find((f) => f.field === 'Company')?.values || []).map((v) => v.value).filter(Boolean);
      sharedFilters = saved.filters.filter((f) => f.shared);
    } catch (err) {
      if (err.status !== 403) toast.error("Couldn't load the companies and filters for scopes", err.message);
    }
    if (!roles.length) {
      replace(body, emptyState({ icon: 'shield', title: 'No roles', text: 'Create a role to grant permissions.' }));
      return;
    }
    const sorted = [...roles].sort((a, b) => Number(b.builtin) - Number(a.builtin));
    replace(body, h('div', { class: 'role-list', id: 'roles-list' }, sorted.map(roleCard)));
  }

  function labelFor(name) {
    const p = permissions.find((x) => x.name === name);
    return p ? p.label : name;
  }

  function roleCard(role) {
    const actions = role.builtin ? badge('Built-in', 'neutral') : h('div', { class: 'row-actions' },
      button({ label: 'Edit', icon: 'edit', variant: 'ghost', size: 'sm', testid: 'role-edit', onClick: () => openRoleDialog(role) }),
      button({ label: 'Delete', icon: 'trash', variant: 'ghost', size: 'sm', testid: 'role-delete', extraClass: 'btn-danger-text', onClick: () => confirmDelete(role) }));
    return h('section', { class: 'card role-card', dataset: { testid: 'role-card', roleId: role.id, roleName: role.name } },
      h('div', { class: 'role-card-header' },
        h('div', null,
          h('h2', { class: 'card-title' }, role.name),
          h('p', { class: 'card-description' }, `${role.permissions.length} of ${permissions.length} permissions`)),
        actions),
      role.permissions.length
        ? h('ul', { class: 'chip-list' }, role.permissions.map((p) => h('li', { class: 'chip', title: p }, labelFor(p))))
        : h('p', { class: 'text-muted' }, 'No extra permissions: own sessions only.'),
      h('p', { class: 'card-description role-scope', dataset: { testid: 'role-scope' } }, scopeText(role.scope)));
  }

  function scopeText(scope) {
    if (!scope) return 'Machines: all';
    const names = scope.filters.map((id) => sharedFilters.find((f) => f.id === id)?.name || 'a saved filter');
    const parts = [...scope.companies, ...names.map((n) => `filter "${n}"`)];
    return parts.length ? `Machines: ${parts.join(', ')}` : 'Machines: none';
  }

  /** The scope fieldset of the role dialog, and a function that reads it (null = all machines). */
  function scopeFields(scope) {
    const limited = Boolean(scope);
    const all = h('input', { type: 'radio', name: 'scope', value: 'all', id: 'role-scope-all', checked: !limited });
    const some = h('input', { type: 'radio', name: 'scope', value: 'limited', id: 'role-scope-limited', checked: limited });
    const list = h('datalist', { id: 'role-company-options' }, companies.map((c) => h('option', { value: c })));
    const companyInput = input({ id: 'role-companies', name: 'companies', list: 'role-company-options', autocomplete: 'off',
      value: scope ? scope.companies.join(', ') : '', placeholder: 'e.g. Glaztech, ACG' });
    const filterBoxes = sharedFilters.map((f) => h('label', { class: 'checkbox-row', for: `scope-filter-${f.id}` },
      h('input', { type: 'checkbox', id: `scope-filter-${f.id}`, name: 'scopeFilters', value: f.id, checked: Boolean(scope?.filters.includes(f.id)), dataset: { filter: f.name } }),
      h('span', { class: 'choice-text' }, h('span', { class: 'choice-label' }, f.name), h('span', { class: 'choice-hint mono' }, f.expression))));
    const details = h('div', { class: 'stack role-scope-details', id: 'role-scope-details' },
      field({ label: 'Companies', control: companyInput, hint: 'Separated by commas; a machine of any of them is in scope.' }), list,
      filterBoxes.length ? h('div', { class: 'permission-list' }, filterBoxes) : h('p', { class: 'field-hint' }, 'Shared saved filters (Access → My Filters) can widen a scope too.'));
    const sync = () => details.classList.toggle('is-hidden', !some.checked);
    all.addEventListener('change', sync);
    some.addEventListener('change', sync);
    sync();
    const el = h('fieldset', { class: 'fieldset', id: 'role-scope' }, h('legend', { class: 'label' }, 'Machines in Access'),
      h('label', { class: 'checkbox-row', for: 'role-scope-all' }, all, h('span', null, 'All machines')),
      h('label', { class: 'checkbox-row', for: 'role-scope-limited' }, some, h('span', null, 'Only chosen companies or saved filters')),
      details);
    const read = () => (all.checked ? null : {
      companies: companyInput.value.split(',').map((c) => c.trim()).filter(Boolean),
      filters: filterBoxes.map((label) => label.querySelector('input')).filter((box) => box.checked).map((box) => box.value),
    });
    return { el, read };
  }

  function confirmDelete(role) {
    confirmDialog({
      title: `Delete the "${role.name}" role?`,
      message: 'A role that is still assigned to users cannot be deleted; move them to another role first.',
      confirmLabel: 'Delete role', destructive: true,
      onConfirm: async () => {
        await api('DELETE', `/api/roles/${encodeURIComponent(role.id)}`);
        toast.success('Role deleted', role.name);
        load();
      },
    });
  }

  function openRoleDialog(role) {
    const editing = Boolean(role);
    const errors = errorBox({ id: 'role-error' });
    const submit = button({ label: editing ? 'Save role' : 'Create role', variant: 'primary', type: 'submit', id: 'role-submit' });
    const granted = new Set(role ? role.permissions : []);
    const boxes = h('div', { class: 'permission-list', id: 'role-permissions' }, permissions.map((p) => h('label', { class: 'checkbox-row', for: `perm-${p.name}` },
      h('input', { type: 'checkbox', id: `perm-${p.name}`, name: 'permissions', value: p.name, checked: granted.has(p.name), dataset: { permission: p.name } }),
      h('span', { class: 'choice-text' }, h('span', { class: 'choice-label' }, p.label), h('span', { class: 'choice-hint' }, p.description)))));
    const scope = scopeFields(role ? role.scope : null);
    const form = h('form', { class: 'stack', id: 'role-form' }, errors.el,
      field({ label: 'Role name', control: input({ id: 'role-name', name: 'name', required: true, maxlength: 100, autocomplete: 'off', value: role ? role.name : '', autofocus: true }) }),
      h('fieldset', { class: 'fieldset' }, h('legend', { class: 'label' }, 'Permissions'), boxes),
      scope.el,
      dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => close() }), submit));
    const { close } = openDialog({ title: editing ? `Edit ${role.name}` : 'New role', description: 'Everyone always has full access to their own sessions.', content: form, id: 'role-dialog', size: 'lg' });
    onSubmit(form, submit, errors, async () => {
      const chosen = [...form.querySelectorAll('input[name="permissions"]:checked')].map((el) => el.value);
      const body = { name: value(form, 'name'), permissions: chosen, scope: scope.read() };
      if (editing) await api('PATCH', `/api/roles/${encodeURIComponent(role.id)}`, body);
      else await api('POST', '/api/roles', body);
      close();
      toast.success(editing ? 'Role saved' : 'Role created', body.name);
      load();
    });
  }

  load();
}
