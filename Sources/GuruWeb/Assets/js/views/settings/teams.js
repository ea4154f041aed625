// Teams (manageUsers): list with member counts; add, rename, delete.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { plural } from '../../format.js';
import { pageHeader, table, emptyState, loadingBlock, errorState } from '../../components/ui.js';
import { button } from '../../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../../components/form.js';
import { openDialog, dialogFooter, confirmDialog } from '../../components/dialog.js';
import { toast } from '../../components/toast.js';

export function render(container) {
  const addButton = button({ label: 'New team', icon: 'plus', variant: 'primary', id: 'team-add', onClick: () => openTeamDialog(null) });
  const body = h('div');
  replace(container, pageHeader({ title: 'Teams', description: 'Group technicians so they can see and help with each other\'s sessions.', actions: [addButton] }), body);

  async function load() {
    replace(body, loadingBlock('Loading teams…'));
    let teams;
    try {
      teams = await api('GET', '/api/teams');
    } catch (err) {
      replace(body, errorState(err, load));
      return;
    }
    if (!teams.length) {
      replace(body, h('div', { class: 'card' }, emptyState({
        icon: 'folder', title: 'No teams yet', testid: 'teams-empty',
        text: 'Teams decide who can see and join whose sessions. Create one, then assign users to it from the Users page.',
        action: button({ label: 'New team', icon: 'plus', variant: 'outline', onClick: () => openTeamDialog(null) }),
      })));
      return;
    }
    replace(body, h('div', { class: 'card card-flush' }, table({
      id: 'teams-table',
      columns: [{ label: 'Team' }, { label: 'Members' }, { label: '', className: 'cell-actions' }],
      rows: teams.map((team) => h('tr', { dataset: { testid: 'team-row', teamId: team.id, name: team.name } },
        h('td', { class: 'cell-strong' }, team.name),
        h('td', null, plural(team.memberCount ?? 0, 'member')),
        h('td', { class: 'cell-actions' }, h('div', { class: 'row-actions' },
          button({ label: 'Rename', icon: 'edit', variant: 'ghost', size: 'sm', testid: 'team-rename', ariaLabel: `Rename ${team.name}`, onClick: () => openTeamDialog(team) }),
          button({ label: 'Delete', icon: 'trash', variant: 'ghost', size: 'sm', testid: 'team-delete', extraClass: 'btn-danger-text', ariaLabel: `Delete ${team.name}`, onClick: () => confirmDelete(team) }))))),
    })));
  }

  function confirmDelete(team) {
    confirmDialog({
      title: `Delete the "${team.name}" team?`,
      message: `${plural(team.memberCount ?? 0, 'member')} will be left without a team. Their accounts are not affected.`,
      confirmLabel: 'Delete team', destructive: true,
      onConfirm: async () => {
        await api('DELETE', `/api/teams/${encodeURIComponent(team.id)}`);
        toast.success('Team deleted', team.name);
        load();
      },
    });
  }

  function openTeamDialog(team) {
    const errors = errorBox({ id: 'team-error' });
    const submit = button({ label: team ? 'Rename' : 'Create team', variant: 'primary', type: 'submit', id: 'team-submit' });
    const form = h('form', { class: 'stack', id: 'team-form' }, errors.el,
      field({ label: 'Team name', control: input({ id: 'team-name', name: 'name', required: true, maxlength: 100, autocomplete: 'off', value: team ? team.name : '', autofocus: true }) }),
      dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => close() }), submit));
    const { close } = openDialog({ title: team ? `Rename ${team.name}` : 'New team', content: form, size: 'sm', id: 'team-dialog' });
    onSubmit(form, submit, errors, async () => {
      const name = value(form, 'name');
      if (team) await api('PATCH', `/api/teams/${encodeURIComponent(team.id)}`, { name });
      else await api('POST', '/api/teams', { name });
      close();
      toast.success(team ? 'Team renamed' : 'Team created', name);
      load();
    });
  }

  load();
}
