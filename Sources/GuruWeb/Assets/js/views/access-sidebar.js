// The Access tab's left panel: every machine, the eight smart groups, the groups by
// Company, Site, OS, Tag and Device Type (plus one more of the user's choice, such as a
// custom property), each with live counts from GET /api/agents/groups, and My Filters
// (saved filters: pinned first, shared ones marked). A click narrows the list; the same
// click again widens it back.
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { loadingBlock } from '../components/ui.js';
import { button } from '../components/button.js';
import { toast } from '../components/toast.js';
import { confirmDialog } from '../components/dialog.js';
import { saveFilterDialog } from './access-filter-dialog.js';
import { groupByPropertyDialog } from './access-property-dialog.js';
import { api } from '../api.js';

/** The fields the "Group by" menu offers besides those always shown. */
const EXTRA_GROUPINGS = ['Department', 'OSVersion', 'Manufacturer', 'Model', 'AgentVersion', 'User'];

export function sidebarPanel(controller) {
  const body = h('div', { class: 'access-sidebar-body' }, loadingBlock('Loading groups…'));
  const el = h('nav', { class: 'card access-sidebar', id: 'access-sidebar', 'aria-label': 'Machine groups' }, body);
  const open = new Set(['Company']); // which field groups are expanded

  function entry({ label, count, active, testid, onClick, iconName = null, data = {} }) {
    return h('li', null, h('button', {
      type: 'button', class: ['access-group', active && 'is-active'], 'aria-pressed': String(Boolean(active)),
      dataset: { testid, ...data }, onClick,
    }, iconName ? icon(iconName, { size: 14 }) : null, h('span', { class: 'access-group-label' }, label),
    count === undefined ? null : h('span', { class: 'access-group-count', dataset: { testid: 'group-count' } }, count.toLocaleString())));
  }

  function draw() {
    const { groups, groupsError, query } = controller;
    if (groupsError && !groups) {
      replace(body, h('div', { class: 'alert alert-error', role: 'alert', id: 'access-groups-error' }, icon('alert', { size: 16 }),
        h('div', { class: 'alert-text' }, `Couldn't load the groups: ${groupsError.message}`)),
      button({ label: 'Try again', icon: 'refresh', variant: 'outline', size: 'sm', onClick: () => controller.loadGroups() }));
      return;
    }
    if (!groups) return;
    const nothing = !query.group && !query.smart;
    const sections = [
      h('ul', { class: 'access-group-list' },
        entry({ label: 'All machines', count: groups.total, active: nothing, testid: 'group-all', iconName: 'monitor', onClick: () => controller.setQuery({ group: null, smart: null }) }),
        entry({ label: 'Online', count: groups.online, active: nothing && query.status === 'online', testid: 'group-online', iconName: 'zap',
          onClick: () => controller.setQuery({ group: null, smart: null, status: query.status === 'online' ? 'all' : 'online' }) })),
      h('h3', { class: 'access-sidebar-title' }, 'Smart groups'),
      h('ul', { class: 'access-group-list', id: 'access-smart-groups' }, groups.smart.map((smart) => entry({
        label: smart.label, count: smart.count, active: query.smart === smart.id, testid: 'smart-group', data: { smart: smart.id },
        onClick: () => controller.setQuery({ smart: query.smart === smart.id ? null : smart.id }),
      }))),
      groups.fields.map((field) => fieldGroup(field, query)),
      groupByChooser(),
      h('div', { class: 'access-sidebar-heading' },
        h('h3', { class: 'access-sidebar-title' }, 'My Filters'),
        button({ label: 'New filter', icon: 'plus', variant: 'ghost', size: 'sm', id: 'access-new-filter', onClick: () => newFilter(query.filter) })),
      savedFilters(query),
    ];
    replace(body, sections);
  }

  function fieldGroup(field, query) {
    const details = h('details', { class: 'access-field-group', open: open.has(field.field), dataset: { testid: 'field-group', field: field.field } },
      h('summary', null, field.label, h('span', { class: 'access-group-count' }, field.values.length.toLocaleString())),
      field.values.length === 0
        ? h('p', { class: 'field-hint access-group-empty' }, 'No values yet.')
        : h('ul', { class: 'access-group-list' }, field.values.map((group) => {
          const active = query.group && query.group.field === field.field && (query.group.value ?? null) === (group.value ?? null);
          return entry({
            label: group.value ?? '(empty)', count: group.count, active, testid: 'group-value', data: { field: field.field, value: group.value ?? '' },
            onClick: () => controller.setQuery({ group: active ? null : { field: field.field, value: group.value } }),
          });
        })));
    details.addEventListener('toggle', () => {
      if (details.open) open.add(field.field);
      else open.delete(field.field);
    });
    return details;
  }

  function groupByChooser() {
    const select = h('select', { class: 'input select access-group-by', id: 'access-group-by', 'aria-label': 'Group by another field' },
      h('option', { value: '' }, 'Group by another field…'),
      EXTRA_GROUPINGS.map((name) => h('option', { value: name, selected: controller.groupBy === name }, name)),
      h('option', { value: 'property', selected: Boolean(controller.groupBy?.startsWith('Property.')) }, 'A custom property…'));
    select.addEventListener('change', () => {
      if (select.value !== 'property') {
        open.add(select.value);
        controller.setGroupBy(select.value);
        return;
      }
      const current = controller.groupBy?.startsWith('Property.') ? controller.groupBy.slice('Property.'.length) : '';
      groupByPropertyDialog({
        current,
        onGroup: async (name) => {
          const by = `Property.${name}`;
          await api('GET', `/api/agents/groups?by=${encodeURIComponent(by)}`);  // a name the server refuses says why here
          open.add(by);
          controller.setGroupBy(by);
        },
        onCancel: () => { select.value = controller.groupBy ? (controller.groupBy.startsWith('Property.') ? 'property' : controller.groupBy) : ''; },
      });
    });
    return h('div', { class: 'access-group-by-row' }, select);
  }

  function savedFilters(query) {
    const filters = controller.savedFilters;
    if (!filters.length) {
      return h('p', { class: 'field-hint', id: 'access-no-filters' }, 'Save a filter expression to find it here. Shared filters appear for the whole team.');
    }
    return h('ul', { class: 'access-group-list', id: 'access-saved-filters' }, filters.map((filter) => {
      const active = query.filter === filter.expression;
      const item = entry({
        label: filter.name, active, testid: 'saved-filter', iconName: filter.pinned ? 'pin' : 'filter', data: { filterId: filter.id, pinned: String(filter.pinned) },
        onClick: () => controller.setQuery({ filter: active ? '' : filter.expression, group: null, smart: null }),
      });
      const tools = h('span', { class: 'access-filter-tools' },
        filter.shared ? h('span', { class: 'badge badge-neutral', title: `Shared by ${filter.ownerName || 'a colleague'}` }, 'Shared') : null,
        filter.mine ? button({
          label: filter.pinned ? 'Unpin' : 'Pin', icon: 'pin', variant: 'ghost', size: 'icon', testid: 'saved-filter-pin', ariaLabel: `${filter.pinned ? 'Unpin' : 'Pin'} ${filter.name}`,
          onClick: () => controller.updateFilter(filter, { pinned: !filter.pinned }).catch((err) => toast.error("Couldn't change the filter", err.message)),
        }) : null,
        filter.mine ? button({
          label: 'Delete', icon: 'trash', variant: 'ghost', size: 'icon', testid: 'saved-filter-delete', ariaLabel: `Delete ${filter.name}`,
          onClick: () => confirmDialog({
            title: `Delete the filter "${filter.name}"?`, message: 'Its expression is gone for everyone it was shared with.', confirmLabel: 'Delete filter', destructive: true,
            onConfirm: () => controller.deleteFilter(filter),
          }),
        }) : null);
      item.append(tools);
      return item;
    }));
  }

  function newFilter(expression) {
    saveFilterDialog({ expression, onSave: (filter) => controller.saveFilter(filter) });
  }

  return {
    name: 'sidebar',
    mount: { sidebar: el },
    events: { groups: draw, change: draw, saveFilter: newFilter },
  };
}
