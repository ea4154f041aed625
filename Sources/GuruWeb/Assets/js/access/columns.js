// The machine list's columns: what each shows, its sort key on the server (GET /api/agents
// ?sort=), its width, and which ones the user chose to see (kept in localStorage).
import { formatRelative } from '../format.js';

const STORAGE_KEY = 'gc-access-columns';

/** Every column the list can show, in display order; `value(agent)` is its text. */
export const COLUMNS = Object.freeze([
  { id: 'name', label: 'Name', sort: 'name', width: '2fr', fixed: true },
  { id: 'company', label: 'Company', sort: 'company', width: '1.2fr', value: (a) => a.company },
  { id: 'site', label: 'Site', sort: 'site', width: '1.2fr', value: (a) => a.site },
  { id: 'os', label: 'OS', sort: 'os', width: '1.3fr', value: (a) => a.os?.name },
  { id: 'user', label: 'User', sort: 'user', width: '1fr', value: (a) => a.loggedOnUser },
  { id: 'ip', label: 'Internal IP', sort: 'internalip', width: '1fr', value: (a) => (a.network?.internalIPs || [])[0] },
  { id: 'externalIP', label: 'External IP', sort: 'externalip', width: '1fr', value: (a) => a.network?.externalIP },
  { id: 'tag', label: 'Tag', sort: 'tag', width: '0.8fr', value: (a) => a.tag },
  { id: 'deviceType', label: 'Device type', sort: 'devicetype', width: '0.8fr', value: (a) => a.deviceType },
  { id: 'serial', label: 'Serial', sort: 'serial', width: '1fr', value: (a) => a.hardware?.serial },
  { id: 'agentVersion', label: 'Agent', sort: 'agentversion', width: '0.7fr', value: (a) => a.agentVersion },
  { id: 'lastSeen', label: 'Last seen', sort: 'lastseen', width: '1fr', value: (a) => (a.online ? 'Now' : a.lastSeenAt ? formatRelative(a.lastSeenAt) : 'Never') },
]);

export const DEFAULT_COLUMNS = Object.freeze(['name', 'company', 'site', 'os', 'user', 'lastSeen']);

/** The ids of the columns to show: the saved choice (unknown ids dropped), else the defaults. */
export function loadColumns(storage = globalThis.localStorage) {
  let saved = null;
  try {
    saved = JSON.parse(storage.getItem(STORAGE_KEY) || 'null');
  } catch {
    saved = null; // a hand-edited value: back to the defaults
  }
  const known = new Set(COLUMNS.map((c) => c.id));
  const ids = Array.isArray(saved) ? saved.filter((id) => known.has(id)) : [...DEFAULT_COLUMNS];
  if (!ids.includes('name')) ids.unshift('name');
  return ids;
}

export function saveColumns(ids, storage = globalThis.localStorage) {
  storage.setItem(STORAGE_KEY, JSON.stringify(ids));
}

/** The column objects for `ids`, in display order. */
export function columnsFor(ids) {
  return COLUMNS.filter((c) => ids.includes(c.id));
}
