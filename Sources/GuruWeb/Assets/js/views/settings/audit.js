// Audit log (viewAudit): filters, a paged table (50 per page) and CSV/JSON export
// links that carry the same filters. Filters live in the URL query.
import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { icon } from '../../icons.js';
import { formatDateTime } from '../../format.js';
import { pageHeader, badge, table, emptyState, loadingBlock, errorState } from '../../components/ui.js';
import { button } from '../../components/button.js';
import { field, input, select } from '../../components/form.js';

const PAGE_SIZE = 50;
const OUTCOME_BADGE = { success: 'success', failure: 'destructive', denied: 'warning' };
const OUTCOME_LABEL = { success: 'Success', failure: 'Failure', denied: 'Denied' };

/** yyyy-mm-dd (local) → ISO instant at the start (or end) of that local day. */
function dayToIso(day, endOfDay) {
  if (!day) return '';
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return '';
  if (endOfDay) d.setDate(d.getDate() + 1);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function detailText(detail) {
  if (detail === null || detail === undefined || detail === '') return '';
  return typeof detail === 'string' ? detail : JSON.stringify(detail);
}

export function render(container) {
  const params = new URLSearchParams(location.search);
  let offset = Math.max(0, Number.parseInt(params.get('offset') || '0', 10) || 0);

  const csv = h('a', { class: 'btn btn-outline', id: 'audit-export-csv', download: '' }, icon('download'), h('span', null, 'Export CSV'));
  const json = h('a', { class: 'btn btn-outline', id: 'audit-export-json', download: '' }, icon('download'), h('span', null, 'Export JSON'));
  const form = h('form', { class: 'filter-bar', id: 'audit-filters' },
    field({ label: 'Action', control: input({ id: 'audit-filter-action', name: 'action', placeholder: 'e.g. user.create', value: params.get('action') || '', autocomplete: 'off' }) }),
    field({ label: 'Actor', control: input({ id: 'audit-filter-actor', name: 'actor', placeholder: 'Name or username', value: params.get('actor') || '', autocomplete: 'off' }) }),
    field({ label: 'Outcome', control: select({ id: 'audit-filter-outcome', name: 'outcome' }, [
      { value: '', label: 'Any outcome' }, { value: 'success', label: 'Success' }, { value: 'failure', label: 'Failure' }, { value: 'denied', label: 'Denied' },
    ].map((o) => ({ ...o, selected: o.value === (params.get('outcome') || '') }))) }),
    field({ label: 'From', control: input({ id: 'audit-filter-since', name: 'since', type: 'date', value: params.get('since') || '' }) }),
    field({ label: 'To', control: input({ id: 'audit-filter-until', name: 'until', type: 'date', value: params.get('until') || '' }) }),
    h('div', { class: 'filter-actions' },
      button({ label: 'Apply', icon: 'search', variant: 'primary', type: 'submit', id: 'audit-apply' }),
      button({ label: 'Reset', variant: 'ghost', id: 'audit-reset', onClick: () => { form.reset(); for (const el of form.querySelectorAll('input')) el.value = ''; offset = 0; load(); } })));
  const body = h('div', { class: 'card card-flush' });
  const summary = h('span', { class: 'text-muted', id: 'audit-summary' });
  const prev = button({ label: 'Previous', icon: 'chevronLeft', variant: 'outline', size: 'sm', id: 'audit-prev', disabled: true, onClick: () => { offset = Math.max(0, offset - PAGE_SIZE); load(); } });
  const next = button({ label: 'Next', variant: 'outline', size: 'sm', id: 'audit-next', disabled: true, onClick: () => { offset += PAGE_SIZE; load(); } });
  next.append(icon('chevronRight', { size: 14 }));

  replace(container,
    pageHeader({ title: 'Audit log', description: 'Every sign-in, change and denied request on this server.', actions: [csv, json] }),
    h('div', { class: 'card filter-card' }, form), body,
    h('div', { class: 'pager' }, summary, h('div', { class: 'pager-buttons' }, prev, next)));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    offset = 0;
    load();
  });

  function filterQuery() {
    const q = new URLSearchParams();
    const get = (name) => form.elements.namedItem(name).value.trim();
    if (get('action')) q.set('action', get('action'));
    if (get('actor')) q.set('actor', get('actor'));
    if (get('outcome')) q.set('outcome', get('outcome'));
    if (dayToIso(get('since'), false)) q.set('since', dayToIso(get('since'), false));
    if (dayToIso(get('until'), true)) q.set('until', dayToIso(get('until'), true));
    return q;
  }

  function syncUrl() {
    const q = new URLSearchParams();
    for (const name of ['action', 'actor', 'outcome', 'since', 'until']) {
      const v = form.elements.namedItem(name).value.trim();
      if (v) q.set(name, v);
    }
    if (offset) q.set('offset', String(offset));
    const search = q.toString();
    history.replaceState(history.state, '', location.pathname + (search ? `?${search}` : ''));
  }

  async function load() {
    syncUrl();
    const filters = filterQuery();
    for (const [link, format] of [[csv, 'csv'], [json, 'json']]) {
      const q = new URLSearchParams(filters);
      q.set('format', format);
      link.href = `/api/audit/export?${q}`;
    }
    const q = new URLSearchParams(filters);
    q.set('limit', String(PAGE_SIZE));
    q.set('offset', String(offset));
    prev.disabled = true;
    next.disabled = true;
    replace(body, loadingBlock('Loading events…'));
    let page;
    try {
      page = await api('GET', `/api/audit?${q}`);
    } catch (err) {
      replace(body, errorState(err, load));
      summary.textContent = '';
      return;
    }
    const events = page.events || [];
    const total = page.total ?? events.length;
    summary.textContent = events.length ? `Showing ${offset + 1}–${offset + events.length} of ${total}` : '';
    prev.disabled = offset === 0;
    next.disabled = offset + events.length >= total;
    if (!events.length) {
      replace(body, emptyState({
        icon: 'scroll', testid: 'audit-empty',
        title: filters.toString() ? 'No events match these filters' : 'No events yet',
        text: filters.toString() ? 'Try a wider date range or clear the filters.' : 'Sign-ins and changes will be recorded here.',
      }));
      return;
    }
    replace(body, table({
      id: 'audit-table',
      columns: [{ label: 'Time' }, { label: 'Actor' }, { label: 'Source', className: 'hide-sm' }, { label: 'Action' }, { label: 'Target' }, { label: 'Outcome' }, { label: 'Detail', className: 'hide-sm' }],
      rows: events.map((e) => h('tr', { dataset: { testid: 'audit-row', action: e.action, outcome: e.outcome } },
        h('td', { class: 'cell-nowrap', title: e.at }, formatDateTime(e.at)),
        h('td', null, e.actorName || h('span', { class: 'text-muted' }, e.actorId || 'Anonymous')),
        h('td', { class: 'hide-sm' }, h('span', { class: 'mono text-muted' }, e.sourceAddress || '—')),
        h('td', null, h('code', { class: 'mono-chip' }, e.action)),
        h('td', { class: 'cell-truncate', title: e.target || '' }, e.target || '—'),
        h('td', null, badge(OUTCOME_LABEL[e.outcome] || e.outcome, OUTCOME_BADGE[e.outcome] || 'neutral')),
        h('td', { class: 'cell-truncate cell-detail hide-sm', title: detailText(e.detail) }, detailText(e.detail) || '—'))),
    }));
  }

  load();
}
