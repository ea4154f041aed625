// The Access tab's controller: the query (search, filter expression, status, sidebar group,
// smart group, sort), the rows the server pages out for it (access/row-cache.js), the
// sidebar's counts, the saved filters, the selection and its details, and the live channel
// (the dashboard WebSocket's {"type":"agents.changed"}: no polling). It builds no DOM. Panels
// register as in the viewer (viewer/controller.js has the contract); here they handle events:
//
// - change(): the query, the selection or the permissions changed: redraw from the getters;
// - rows(): rows arrived (the list redraws what is visible);
// - stale(): the rows on screen may be out of date: the list asks `ensure` for its range again;
// - groups(): the sidebar's counts or the saved filters arrived (or failed: `groupsError`);
// - detail(): the selected machine's details arrived or changed;
// - live(state): the live channel's state (connecting, live, reconnecting);
// - removed(agent), identityReset(agent), enrol(): as before.
//
// A panel reads `controller.query`, `.rows` (`rows.total`, `rows.row(i)`), `.groups`,
// `.savedFilters`, `.selected`, `.loadError`, `.filterError`; it asks for `setQuery(patch)`,
// `ensure(start, end)`, `select(id)`, `refresh()`, `remove(agent)`, `resetIdentity(agent)`,
// `flag(agent, note)`, `wake(agent)` and the saved-filter actions.
import { api } from '../api.js';
import { PanelRegistry } from '../panels.js';
import { DashboardSocket } from '../support/dashboard-socket.js';
import { RowCache } from './row-cache.js';

/** Status filter values: which machines the list shows. */
export const STATUS_FILTERS = Object.freeze({ all: 'All', online: 'Online', offline: 'Offline' });

const EMPTY_QUERY = Object.freeze({ q: '', filter: '', status: 'all', group: null, smart: null, sort: 'name', order: 'asc' });

/**
 * The query string of GET /api/agents for a query and a page. Spaces are %20, not URLSearchParams'
 * form-style "+", which the server reads as a plus sign (a filter may hold one).
 */
export function listParams(query, offset, limit) {
  const params = [];
  const add = (name, value) => params.push(`${name}=${encodeURIComponent(value)}`);
  if (query.q.trim()) add('q', query.q.trim());
  if (query.filter.trim()) add('filter', query.filter);
  if (query.status !== 'all') add('status', query.status);
  if (query.group) add('group', `${query.group.field}:${query.group.value ?? ''}`);
  if (query.smart) add('smart', query.smart);
  add('sort', query.sort);
  add('order', query.order);
  add('offset', String(offset));
  add('limit', String(limit));
  return params.join('&');
}

/** The machine list, sidebar, saved filters and selection of one Access tab; see above. */
export class AccessController {
  /** `permissions.manage`: may enrol and delete machines ("Build installers"). */
  constructor({ layout, permissions }) {
    this.registry = new PanelRegistry(layout);
    this.permissions = Object.freeze({ ...permissions });
    this.query = { ...EMPTY_QUERY };
    this.loadError = null; // the list could not be loaded (not a filter error)
    this.filterError = null; // the server refused the filter expression: its message says where
    this.groups = null;
    this.groupsError = null;
    this.groupBy = null; // an extra sidebar grouping ("Department", "Property.Asset")
    this.savedFilters = [];
    this.selectedId = null;
    this.selected = null; // the selected machine's details (GET /api/agents/{id})
    this.detailError = null;
    this.alive = false;
    this.rows = new RowCache((offset, limit) => this.fetchPage(offset, limit), {
      onChange: () => {
        this.loadError = null;
        this.filterError = null;
        this.emit('rows');
      },
      onError: (err) => {
        if (err.code === 'filter_syntax') this.filterError = err;
        else this.loadError = err;
        this.emit('change');
      },
    });
    this.socket = new DashboardSocket({
      onAgentsChanged: () => this.refresh(),
      onOpen: () => this.refresh(), // changes may have been missed while the socket was down
      onState: (state) => this.emit('live', state),
    });
  }

  register(panel) {
    return this.registry.add(panel);
  }

  emit(name, ...args) {
    this.registry.emit(name, args);
  }

  start() {
    this.alive = true;
    this.emit('change');
    this.emit('stale');
    this.loadGroups();
    this.socket.start();
  }

  stop() {
    this.alive = false;
    this.socket.stop();
    this.registry.stopAll();
  }

  fetchPage(offset, limit) {
    return api('GET', `/api/agents?${listParams(this.query, offset, limit)}`);
  }

  /** Loads the rows [start, end) of the current query (the list's visible range). */
  ensure(start, end) {
    if (this.alive) this.rows.ensure(start, end);
  }

  /** True when anything narrows the list. */
  get filtered() {
    const q = this.query;
    return Boolean(q.q.trim() || q.filter.trim() || q.status !== 'all' || q.group || q.smart);
  }

  /** Changes the query: the list starts again from the top. */
  setQuery(patch) {
    this.query = { ...this.query, ...patch };
    this.filterError = null;
    this.rows.reset();
    this.emit('change');
    this.emit('stale');
  }

  /** Back to every machine, keeping the sort. */
  clearQuery() {
    this.setQuery({ q: '', filter: '', status: 'all', group: null, smart: null });
  }

  /** Something changed on the server: re-read the rows on screen, the counts and the details. */
  refresh() {
    if (!this.alive) return;
    this.rows.refresh();
    this.emit('stale');
    this.loadGroups();
    if (this.selectedId) this.loadDetail(this.selectedId);
  }

  /** Retries a failed load. */
  retry() {
    this.loadError = null;
    this.rows.reset();
    this.emit('change');
    this.emit('stale');
  }

  async loadGroups() {
    try {
      const by = this.groupBy ? `?by=${encodeURIComponent(this.groupBy)}` : '';
      const [groups, saved] = await Promise.all([api('GET', `/api/agents/groups${by}`), api('GET', '/api/saved-filters')]);
      if (!this.alive) return;
      this.groups = groups;
      this.savedFilters = saved.filters;
      this.groupsError = null;
    } catch (err) {
      if (!this.alive) return;
      this.groupsError = err;
    }
    this.emit('groups');
  }

  /** Adds one more sidebar grouping (any groupable field, or Property.<name>), or removes it (null). */
  setGroupBy(field) {
    this.groupBy = field || null;
    this.loadGroups();
  }

  select(id) {
    this.selectedId = id;
    this.selected = id ? this.rows.find((a) => a.id === id) : null;
    this.detailError = null;
    this.emit('change');
    this.emit('detail');
    if (id) this.loadDetail(id);
  }

  async loadDetail(id) {
    try {
      const agent = await api('GET', `/api/agents/${encodeURIComponent(id)}`);
      if (this.selectedId !== id) return;
      this.selected = agent;
      this.detailError = null;
    } catch (err) {
      if (this.selectedId !== id) return;
      if (err.status === 404) {
        this.selectedId = null;
        this.selected = null;
        this.emit('change');
      } else {
        this.detailError = err;
      }
    }
    this.emit('detail');
  }

  /** Deletes `agent` on the server (the caller asked first). Throws the API error. */
  async remove(agent) {
    await api('DELETE', `/api/agents/${encodeURIComponent(agent.id)}`);
    if (this.selectedId === agent.id) this.select(null);
    this.emit('removed', agent);
    this.refresh();
  }

  /** Forgets `agent`'s identity key on the server: the next agent that proves a key with its credential binds it. */
  async resetIdentity(agent) {
    await api('POST', `/api/agents/${encodeURIComponent(agent.id)}/identity/reset`);
    this.emit('identityReset', agent);
    this.refresh();
  }

  /** Flags `agent` for attention with `note`, or clears the flag (note null). Throws the API error. */
  async flag(agent, note) {
    const updated = await api('POST', `/api/agents/${encodeURIComponent(agent.id)}/attention`, { flagged: note !== null, note });
    if (this.selectedId === agent.id) this.selected = updated;
    this.emit('detail');
    this.refresh();
    return updated;
  }

  /** Asks the server to wake `agent` through an online agent on its subnet; resolves to the relay's answer. */
  wake(agent) {
    return api('POST', `/api/agents/${encodeURIComponent(agent.id)}/wake`);
  }

  /** Saves a new filter; resolves to it. Throws the API error (filter_syntax says where). */
  async saveFilter({ name, expression, shared, pinned }) {
    const saved = await api('POST', '/api/saved-filters', { name, expression, shared, pinned });
    await this.loadGroups();
    return saved;
  }

  async updateFilter(filter, patch) {
    const saved = await api('PATCH', `/api/saved-filters/${encodeURIComponent(filter.id)}`, { ...filter, ...patch });
    await this.loadGroups();
    return saved;
  }

  async deleteFilter(filter) {
    await api('DELETE', `/api/saved-filters/${encodeURIComponent(filter.id)}`);
    await this.loadGroups();
  }
}
