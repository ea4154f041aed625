// Roles (manageUsers): built-in roles are read-only; custom roles can be
// created, edited and deleted. Permission names come from GET /api/permissions.
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
        : h('p', { class: 'text-muted' }, 'No extra permissions: own sessions only.'));
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
    const form = h('form', { class: 'stack', id: 'role-form' }, errors.el,
      field({ label: 'Role name', control: input({ id: 'role-name', name: 'name', required: true, maxlength: 100, autocomplete: 'off', value: role ? role.name : '', autofocus: true }) }),
      h('fieldset', { class: 'fieldset' }, h('legend', { class: 'label' }, 'Permissions'), boxes),
      dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => close() }), submit));
    const { close } = openDialog({ title: editing ? `Edit ${role.name}` : 'New role', description: 'Everyone always has full access to their own sessions.', content: form, id: 'role-dialog', size: 'lg' });
    onSubmit(form, submit, errors, async () => {
      const chosen = [...form.querySelectorAll('input[name="permissions"]:checked')].map((el) => el.value);
      const body = { name: value(form, 'name'), permissions: chosen };
      if (editing) await api('PATCH', `/api/roles/${encodeURIComponent(role.id)}`, body);
      else await api('POST', '/api/roles', body);
      close();
      toast.success(editing ? 'Role saved' : 'Role created', body.name);
      load();
    });
  }

  load();
}
