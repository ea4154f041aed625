// The readable diagnostics report at /app/diagnostics/{id}: the snapshot an agent sent
// (views/diagnostics-sections.js draws each part), who collected it and when, the sections
// the agent could not collect as warnings, and "Download JSON" for the report as stored.
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { api } from '../api.js';
import { pageHeader, loadingBlock, errorState } from '../components/ui.js';
import { formatDateTime } from '../format.js';
import { reportJsonHref } from '../diagnostics/reports.js';
import { formatBytes } from './diagnostics-format.js';
import { SECTION_LABELS, disksCard, errorsCard, networkCard, overviewCard, processesCard, resourcesCard } from './diagnostics-sections.js';

async function load(id) {
  const meta = await api('GET', `/api/diagnostics/${encodeURIComponent(id)}`);
  const report = await api('GET', reportJsonHref(id));
  return { meta, report };
}

function page({ meta, report }) {
  const back = meta.sessionKind === 'support'
    ? h('a', { href: '/app/support', class: 'btn btn-ghost btn-sm' }, icon('chevronLeft', { size: 14 }), h('span', { class: 'btn-label' }, 'Support'))
    : h('a', { href: '/app/access', class: 'btn btn-ghost btn-sm' }, icon('chevronLeft', { size: 14 }), h('span', { class: 'btn-label' }, 'Access'));
  const download = h('a', { href: reportJsonHref(meta.id), class: 'btn btn-primary', id: 'diag-download', download: true },
    icon('download', { size: 16 }), h('span', { class: 'btn-label' }, 'Download JSON'));
  const header = pageHeader({
    title: `Diagnostics · ${meta.hostName}`,
    description: `Collected ${formatDateTime(meta.collectedAt)} by ${meta.collectedByName || 'an unknown user'} · ${formatBytes(meta.sizeBytes)} · ${meta.sessionKind === 'support' ? 'support session' : 'unattended machine'}`,
    actions: [back, download],
  });
  const failed = report.sectionErrors && typeof report.sectionErrors === 'object' ? Object.keys(report.sectionErrors) : [];
  return [
    header,
    failed.length ? h('div', { class: 'alert alert-warning diag-summary-warning', role: 'alert', id: 'diag-warnings' },
      icon('alert', { size: 16 }), h('div', { class: 'alert-text' }, `The agent could not collect ${failed.length === 1 ? 'one part' : `${failed.length} parts`} of this report: ${failed.map((key) => SECTION_LABELS[key] || key).join(', ')}. The rest is complete.`)) : null,
    h('div', { class: 'diag-grid', id: 'diag-report', dataset: { reportId: meta.id, platform: report.host?.platform || '' } },
      overviewCard(report), resourcesCard(report), disksCard(report), processesCard(report), errorsCard(report), networkCard(report)),
  ];
}

export function render(container, ctx) {
  const id = ctx.subpath.replace(/^\//, '').split('/')[0];
  ctx.setTitle('Diagnostics');
  let alive = true;
  async function show() {
    replace(container, loadingBlock('Loading the report…'));
    try {
      const loaded = await load(id);
      if (!alive) return;
      ctx.setTitle(`Diagnostics · ${loaded.meta.hostName}`);
      replace(container, page(loaded));
    } catch (err) {
      if (!alive) return;
      replace(container, pageHeader({ title: 'Diagnostics' }), errorState(err, show, err.status === 404 ? 'No such report, or not yours to see' : "Couldn't load the report"));
    }
  }
  show();
  return () => {
    alive = false;
  };
}
