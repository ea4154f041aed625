// The viewer's diagnostics panel: "Collect diagnostics" asks the agent for a snapshot over
// the end-to-end channel (DiagnosticsRequest → DiagnosticsReport, docs/protocol.md §4), the
// viewer uploads the JSON it decrypted (the relay never sees it), and the panel links the
// readable report and lists the session's earlier ones. The Access tab's Tools menu opens a
// viewer that collects once connected (the `collect` event, views/viewer.js).
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { STATE } from '../viewer/connection.js';
import { DiagnosticsCollector, PHASE } from '../diagnostics/collector.js';
import { reportJsonHref, reportPageHref } from '../diagnostics/reports.js';
import { reportList } from './diagnostics-list.js';

/** The diagnostics panel: its toolbar button and the panel over the screen. */
export function diagnosticsPanel(controller) {
  const toggle = button({ label: 'Diagnostics', icon: 'activity', variant: 'ghost', size: 'sm', id: 'viewer-diagnostics', title: 'Diagnostics: collect a snapshot of this machine (CPU, memory, disks, processes, errors, network)' });
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', 'viewer-diagnostics-panel');
  const collectButton = button({ label: 'Collect diagnostics', icon: 'activity', variant: 'primary', size: 'sm', id: 'viewer-diagnostics-collect' });
  const status = h('p', { class: 'field-hint diag-status', id: 'viewer-diagnostics-status', role: 'status', 'aria-live': 'polite' },
    'A snapshot of CPU, memory, disks, uptime, top processes, recent system errors, network and pending reboots.');
  const error = h('p', { class: 'viewer-clip-error is-hidden', id: 'viewer-diagnostics-error', role: 'alert' });
  const result = h('div', { class: 'diag-result is-hidden', id: 'viewer-diagnostics-result' });
  const earlier = reportList(controller.session, { emptyText: 'No reports in this session yet.', testid: 'viewer-diagnostics-list' });
  const close = button({ label: 'Close diagnostics', icon: 'x', variant: 'ghost', size: 'icon', id: 'viewer-diagnostics-close' });
  const panel = h('aside', { class: 'viewer-clip viewer-diag is-hidden', id: 'viewer-diagnostics-panel', 'aria-label': 'Diagnostics' },
    h('header', { class: 'viewer-clip-head' }, icon('activity', { size: 16 }), h('h2', null, 'Diagnostics'), close),
    h('section', { class: 'viewer-clip-section' }, status, error, result, h('div', { class: 'viewer-clip-row' }, h('span'), collectButton)),
    h('section', { class: 'viewer-clip-section' }, h('h3', null, 'Reports of this session'), earlier.el));

  let open = false;
  let pending = false; // asked to collect before the session was connected
  const collector = new DiagnosticsCollector(controller, { onChange: show });

  function show({ phase, report, error: problem }) {
    toggle.dataset.phase = phase;
    panel.dataset.phase = phase;
    collectButton.disabled = collector.busy || !controller.connected;
    error.textContent = problem || '';
    error.classList.toggle('is-hidden', !problem);
    if (phase === PHASE.collecting) replace(status, h('span', { class: 'spinner' }), ' Collecting… the agent takes up to 10 s.');
    else if (phase === PHASE.uploading) replace(status, h('span', { class: 'spinner' }), ' Saving the report…');
    else if (phase === PHASE.done) status.textContent = `Collected at ${new Date().toLocaleTimeString()}.`;
    else if (phase === PHASE.failed) status.textContent = 'No report was collected.';
    result.classList.toggle('is-hidden', phase !== PHASE.done);
    if (phase === PHASE.done && report) {
      replace(result,
        h('a', { href: reportPageHref(report.id), target: '_blank', rel: 'noopener', class: 'btn btn-outline btn-sm', id: 'viewer-diagnostics-open', dataset: { reportId: report.id } },
          icon('externalLink', { size: 14 }), h('span', { class: 'btn-label' }, 'Open report')),
        h('a', { href: reportJsonHref(report.id), class: 'btn btn-ghost btn-sm', id: 'viewer-diagnostics-download', download: true },
          icon('download', { size: 14 }), h('span', { class: 'btn-label' }, 'Download JSON')));
      earlier.load();
    }
  }

  function setOpen(value) {
    open = value;
    panel.classList.toggle('is-hidden', !open);
    toggle.setAttribute('aria-expanded', String(open));
    toggle.classList.toggle('is-active', open);
    if (open) earlier.load();
  }

  function collect() {
    setOpen(true);
    if (controller.connected || controller.stopped) {
      collector.start(); // a stopped session: the collector says it is not connected
      return;
    }
    pending = true;
    status.textContent = 'Waiting for the session to connect, then collecting…';
  }

  toggle.addEventListener('click', () => setOpen(!open));
  close.addEventListener('click', () => setOpen(false));
  collectButton.addEventListener('click', collect);
  collectButton.disabled = true;

  return {
    name: 'diagnostics',
    mount: { tools: toggle, body: panel },
    messages: {
      DiagnosticsReport(message) {
        collector.received(message);
      },
    },
    events: {
      /** Asked from outside (the Access tab's Tools menu): collect now, or once connected. */
      collect,
      state(info) {
        if (info.state !== STATE.connected) collector.connectionLost();
      },
      change() {
        collectButton.disabled = collector.busy || !controller.connected;
        if (pending && controller.connected) {
          pending = false;
          collector.start();
        }
      },
    },
    stop() {
      collector.stop();
    },
  };
}
