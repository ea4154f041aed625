// The Access tab's controller: the enrolled machines (polled, and refreshed when the tab
// regains focus), the selection, the filters, and the actions panels ask for. It builds no
// DOM. Panels register as in the viewer (viewer/controller.js has the contract; here they
// handle events only, and the slots are views/access.js's: actions, notice, summary,
// filters, list, detail). A panel reads `controller.agents`, `.visible`, `.selected`,
// `.filter`, `.loadError`, `.refreshError`, and redraws on the `change` event; it asks for
// `select(id)`, `setFilter(patch)`, `refresh()`, `remove(agent)` or `resetIdentity(agent)`, or emits an event of its
// own for the panels that listen to it (the list's empty state asks for `enrol`).
import { api } from '../api.js';
import { PanelRegistry } from '../panels.js';

const POLL_MS = 5000;
/** Status filter values: which machines the list shows. */
export const STATUS_FILTERS = Object.freeze({ all: 'All', online: 'Online', offline: 'Offline' });

/** True when `agent` passes `filter` ({ text, status }); text matches the name or the id. */
export function matchesFilter(agent, { text, status }) {
  if (status === 'online' && !agent.online) return false;
  if (status === 'offline' && agent.online) return false;
  const needle = text.trim().toLowerCase();
  return !needle || agent.name.toLowerCase().includes(needle) || agent.id.toLowerCase().includes(needle);
}

/** Online first, then by name. */
function byStatusThenName(a, b) {
  return (b.online - a.online) || a.name.localeCompare(b.name);
}

/** The machine list, selection and filters of one Access tab; see the contract above. */
export class AccessController {
  /** `permissions.manage`: may enrol and delete machines ("Build installers"). */
  constructor({ layout, permissions }) {
    this.registry = new PanelRegistry(layout);
    this.permissions = Object.freeze({ ...permissions });
    this.agents = null; // null until the first load answers
    this.loadError = null; // the first load failed: nothing to show
    this.refreshError = null; // a later load failed: the list on screen is stale
    this.selectedId = null;
    this.filter = { text: '', status: 'all' };
    this.alive = false;
    this.inFlight = false;
    this.timer = null;
    this.onVisibility = () => {
      if (document.visibilityState === 'visible') this.refresh();
      else clearTimeout(this.timer);
    };
  }

  register(panel) {
    return this.registry.add(panel);
  }

  emit(name, ...args) {
    this.registry.emit(name, args);
  }

  start() {
    this.alive = true;
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('focus', this.onVisibility);
    this.emit('change');
    this.refresh();
  }

  stop() {
    this.alive = false;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('focus', this.onVisibility);
    this.registry.stopAll();
  }

  /** The machines the list shows: filtered, online first, then by name. */
  get visible() {
    return (this.agents || []).filter((a) => matchesFilter(a, this.filter)).sort(byStatusThenName);
  }

  /** The selected machine, while it is still enrolled. */
  get selected() {
    return (this.agents || []).find((a) => a.id === this.selectedId) || null;
  }

  get filtered() {
    return this.filter.text.trim() !== '' || this.filter.status !== 'all';
  }

  select(id) {
    this.selectedId = id;
    this.emit('change');
  }

  setFilter(patch) {
    this.filter = { ...this.filter, ...patch };
    this.emit('change');
  }

  /** Loads the list now (one request at a time), then polls again while the tab is visible. */
  async refresh() {
    if (this.inFlight || !this.alive) return;
    this.inFlight = true;
    try {
      const list = await api('GET', '/api/agents');
      if (!this.alive) return;
      this.agents = Array.isArray(list) ? list : [];
      this.loadError = null;
      this.refreshError = null;
    } catch (err) {
      if (!this.alive) return;
      // Keep the last list on screen, but say it is stale.
      if (this.agents === null) this.loadError = err;
      else this.refreshError = err;
    } finally {
      this.inFlight = false;
      if (this.alive) {
        this.emit('change');
        this.schedule();
      }
    }
  }

  /** Retries a failed first load: back to "Loading…", then load. */
  retry() {
    this.loadError = null;
    this.emit('change');
    this.refresh();
  }

  /** Deletes `agent` on the server (the caller asked first); the list reloads. Throws the API error. */
  async remove(agent) {
    await api('DELETE', `/api/agents/${encodeURIComponent(agent.id)}`);
    if (this.selectedId === agent.id) this.selectedId = null;
    this.emit('removed', agent);
    this.refresh();
  }

  /** Forgets `agent`'s identity key on the server: the next agent that proves a key with its credential binds it. */
  async resetIdentity(agent) {
    await api('POST', `/api/agents/${encodeURIComponent(agent.id)}/identity/reset`);
    this.emit('identityReset', agent);
    this.refresh();
  }

  schedule() {
    clearTimeout(this.timer);
    if (this.alive && document.visibilityState === 'visible') this.timer = setTimeout(() => this.refresh(), POLL_MS);
  }
}
