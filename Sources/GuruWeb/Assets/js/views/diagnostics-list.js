// A short list of diagnostics reports (a machine's in the Access tab's details, a session's
// in the viewer's diagnostics panel), each linking to its readable page and its JSON.
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { formatDateTime, formatRelative } from '../format.js';
import { listReports, reportJsonHref, reportPageHref } from '../diagnostics/reports.js';
import { formatBytes } from './diagnostics-format.js';

function reportRow(report) {
  return h('li', { class: 'diag-list-row', dataset: { testid: 'diagnostics-report-row', reportId: report.id } },
    h('a', { href: reportPageHref(report.id), target: '_blank', rel: 'noopener', class: 'diag-list-link', dataset: { testid: 'diagnostics-report-link' } },
      icon('activity', { size: 14 }),
      h('span', { class: 'diag-list-when', title: formatDateTime(report.collectedAt) }, formatRelative(report.collectedAt))),
    h('span', { class: 'cell-sub diag-list-meta' }, [report.collectedByName || 'Unknown user', formatBytes(report.sizeBytes)].join(' · ')),
    h('a', { href: reportJsonHref(report.id), class: 'btn btn-ghost btn-icon btn-sm', 'aria-label': `Download the report of ${formatDateTime(report.collectedAt)} as JSON`, title: 'Download JSON', download: true },
      icon('download', { size: 14 })));
}

/** `{ el, load() }`: the reports of `session` ({ kind, agentId }); `load()` (re)fetches them. */
export function reportList(session, { emptyText = 'No diagnostics collected yet.', testid = 'diagnostics-list' } = {}) {
  const el = h('div', { class: 'diag-list', dataset: { testid } });
  let generation = 0;
  async function load() {
    generation += 1;
    const mine = generation;
    replace(el, h('p', { class: 'field-hint' }, h('span', { class: 'spinner' }), ' Loading reports…'));
    try {
      const reports = await listReports(session);
      if (mine !== generation) return;
      replace(el, reports.length
        ? h('ul', { class: 'diag-list-rows' }, reports.slice(0, 10).map(reportRow))
        : h('p', { class: 'field-hint', dataset: { testid: 'diagnostics-list-empty' } }, emptyText));
    } catch (err) {
      if (mine !== generation) return;
      replace(el, h('p', { class: 'viewer-clip-error', role: 'alert', dataset: { testid: 'diagnostics-list-error' } }, `Couldn't load the reports: ${err.message}`));
    }
  }
  return { el, load };
}
