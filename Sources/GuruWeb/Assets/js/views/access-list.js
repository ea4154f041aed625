// The Access tab's machine list: the filters (name or id, online/offline), the table with
// Connect / View in a new tab and Delete, the summary, the empty and error states, and the
// stale-list warning. Clicking a row selects it for the detail panel.
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { formatRelative } from '../format.js';
import { badge, table, emptyState, loadingBlock, errorState } from '../components/ui.js';
import { button } from '../components/button.js';
import { STATUS_FILTERS } from '../access/controller.js';
import { confirmDeleteAgent, toolsMenu, viewerLink } from './access-actions.js';

export function listPanel(controller) {
  const { manage } = controller.permissions;
  const summary = h('span', { class: 'access-summary', id: 'access-summary' });
  const refreshNote = h('div', { class: 'alert alert-warning is-hidden', role: 'alert', id: 'access-refresh-error' });
  const body = h('div', { id: 'agents' }, loadingBlock('Loading machines…'));
  const search = h('input', {
    type: 'search', class: 'input access-search', id: 'access-filter', placeholder: 'Filter by name or ID',
    'aria-label': 'Filter machines by name or ID', autocomplete: 'off',
  });
  search.addEventListener('input', () => controller.setFilter({ text: search.value }));
  const statusSelect = h('select', { class: 'input select access-status-filter', id: 'access-status-filter', 'aria-label': 'Show machines' },
    Object.entries(STATUS_FILTERS).map(([value, label]) => h('option', { value }, label)));
  statusSelect.addEventListener('change', () => controller.setFilter({ status: statusSelect.value }));
  const filters = h('div', { class: 'access-filters', role: 'search' }, search, statusSelect);

  function draw() {
    const { agents, loadError, refreshError } = controller;
    filters.classList.toggle('is-hidden', !agents || agents.length === 0);
    if (refreshError) {
      replace(refreshNote, icon('alert', { size: 16 }), h('div', { class: 'alert-text' }, `Couldn't refresh the machine list: ${refreshError.message}`));
    }
    refreshNote.classList.toggle('is-hidden', !refreshError);
    if (loadError) {
      replace(body, errorState(loadError, () => controller.retry(), "Couldn't load machines"));
      return;
    }
    if (agents === null) {
      replace(body, loadingBlock('Loading machines…'));
      return;
    }
    const online = agents.filter((a) => a.online).length;
    const visible = controller.visible;
    summary.textContent = agents.length
      ? `${agents.length} enrolled · ${online} online${controller.filtered ? ` · ${visible.length} shown` : ''}`
      : 'No machines enrolled yet';
    if (!agents.length) {
      replace(body, emptyState({
        icon: 'monitor', testid: 'access-empty', title: 'No machines yet',
        text: manage
          ? 'Enrol a machine to get its credential, then run the agent on it with the command shown. It appears here as soon as it connects.'
          : 'Machines appear here once someone with the "Build installers" permission enrols them.',
        action: manage ? button({ label: 'Build an installer', icon: 'plus', variant: 'outline', onClick: () => controller.emit('enrol') }) : null,
      }));
      return;
    }
    if (!visible.length) {
      replace(body, emptyState({
        icon: 'search', testid: 'access-no-match', title: 'No machines match',
        text: 'No enrolled machine matches the filter.',
        action: button({ label: 'Clear filter', icon: 'x', variant: 'outline', id: 'access-filter-clear', onClick: clearFilter }),
      }));
      return;
    }
    replace(body, table({
      id: 'agents-table',
      // With a machine's details beside the list, its narrower table leaves out what they show.
      columns: [{ label: 'Machine' }, { label: 'Status', className: 'hide-sm' }, { label: 'Agent', className: 'hide-sm hide-beside-detail' }, { label: 'Last seen', className: 'hide-sm hide-beside-detail' }, { label: '', className: 'cell-actions' }],
      rows: visible.map(row),
    }));
  }

  function clearFilter() {
    search.value = '';
    statusSelect.value = 'all';
    controller.setFilter({ text: '', status: 'all' });
  }

  function row(agent) {
    const selected = agent.id === controller.selectedId;
    const tr = h('tr', {
      class: ['agent-row', selected && 'is-selected'], 'aria-current': selected ? 'true' : null,
      dataset: { testid: 'agent-row', agentId: agent.id, name: agent.name, online: String(agent.online), selected: String(selected) },
    },
      h('td', null, h('div', { class: 'cell-user' },
        h('span', { class: ['machine-icon', agent.online && 'is-online'], role: 'img', 'aria-label': agent.online ? 'Online' : 'Offline', title: agent.online ? 'Online' : 'Offline' }, icon('monitor', { size: 16 })),
        h('div', { class: 'cell-stack' },
          h('button', { type: 'button', class: 'cell-strong agent-select', dataset: { testid: 'agent-select' }, 'aria-label': `Details of ${agent.name}`, 'aria-pressed': String(selected) }, agent.name),
          h('span', { class: 'cell-sub mono agent-id' }, agent.id)))),
      h('td', { class: 'hide-sm', dataset: { testid: 'agent-status' } }, agent.online ? badge('Online', 'success', { dot: true }) : badge('Offline', 'neutral', { dot: true })),
      h('td', { class: 'hide-sm hide-beside-detail' }, agent.agentVersion ? h('span', { class: 'mono-chip' }, agent.agentVersion) : h('span', { class: 'text-muted' }, '—')),
      h('td', { class: 'hide-sm hide-beside-detail', title: agent.lastSeenAt || '' }, agent.online ? 'Now' : agent.lastSeenAt ? formatRelative(agent.lastSeenAt) : h('span', { class: 'text-muted' }, 'Never')),
      h('td', { class: 'cell-actions' }, h('div', { class: 'row-actions' },
        viewerLink(agent, 'control'),
        viewerLink(agent, 'view'),
        toolsMenu(agent),
        manage ? button({
          label: 'Delete', icon: 'trash', variant: 'ghost', size: 'sm', testid: 'agent-delete', extraClass: 'btn-danger-text',
          ariaLabel: `Delete ${agent.name}`, onClick: () => confirmDeleteAgent(controller, agent),
        }) : null)));
    // A click anywhere on the row but its links and buttons selects it.
    tr.addEventListener('click', (event) => {
      if (event.target.closest('a, button:not(.agent-select)')) return;
      controller.select(agent.id);
    });
    return tr;
  }

  return {
    name: 'list',
    mount: { notice: refreshNote, summary, filters, list: body },
    events: { change: draw },
  };
}
