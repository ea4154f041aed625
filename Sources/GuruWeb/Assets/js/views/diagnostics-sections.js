// The sections of a readable diagnostics report (views/diagnostics-report.js): each takes
// the report (schema 1, docs/api.md) and returns a card. A section the agent could not
// collect is null in the report and named in `sectionErrors`: its card shows the agent's
// reason as a warning instead of values.
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { badge, table } from '../components/ui.js';
import { formatDateTime } from '../format.js';
import { formatBytes, formatPercent, formatUptime, usedPercent } from './diagnostics-format.js';

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v) => (Array.isArray(v) ? v : []);
const text = (v) => (typeof v === 'string' && v ? v : '—');

/** A horizontal usage bar; `percent` null draws an empty, unlabelled track. */
export function usageBar(percent, label, testid) {
  const fill = h('span', { class: 'diag-bar-fill' });
  const level = percent === null ? 'unknown' : percent >= 90 ? 'high' : percent >= 70 ? 'mid' : 'low';
  fill.style.width = `${percent === null ? 0 : percent.toFixed(1)}%`; // CSSOM: allowed by the style-src 'self' policy
  return h('div', {
    class: ['diag-bar', `is-${level}`], role: 'meter', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': percent === null ? null : percent.toFixed(1), dataset: { testid, percent: percent === null ? '' : percent.toFixed(1) },
  }, fill);
}

/** A card for the report's `keys` (the first names it); each failed key gets its warning. */
function sectionCard({ keys, title, iconName, report, body, testid }) {
  const problems = keys.filter((key) => failed(report, key));
  return h('section', { class: 'card diag-card', id: `diag-${keys[0]}`, dataset: { testid } },
    h('div', { class: 'card-header' }, h('h2', { class: 'card-title diag-card-title' }, icon(iconName, { size: 16 }), title)),
    h('div', { class: 'card-body' },
      problems.map((key) => h('div', { class: 'alert alert-warning diag-section-error', role: 'alert', dataset: { testid: 'diag-section-error', section: key } },
        icon('alert', { size: 16 }), h('div', { class: 'alert-text' }, keys.length > 1 ? `${SECTION_LABELS[key] || key}: not collected (${report.sectionErrors[key]})` : `Not collected: ${report.sectionErrors[key]}`))),
      body));
}

function facts(pairs) {
  return h('dl', { class: 'diag-facts' }, pairs.map(([label, value, testid]) => [h('dt', null, label), h('dd', { dataset: { testid } }, value)]));
}

/** The section names people read, for the report's keys. */
export const SECTION_LABELS = Object.freeze({
  host: 'system', uptimeSeconds: 'uptime', cpu: 'CPU', memory: 'memory', disks: 'disks', processes: 'processes',
  recentErrors: 'recent errors', network: 'network', pendingReboot: 'pending reboot',
});

function failed(report, key) {
  return isObject(report.sectionErrors) && typeof report.sectionErrors[key] === 'string';
}

/** An empty list's message; none when the section failed (its warning says why it is empty). */
function empty(report, key, message, testid) {
  return failed(report, key) ? null : h('p', { class: 'field-hint diag-empty', dataset: { testid } }, message);
}

export function overviewCard(report) {
  const host = isObject(report.host) ? report.host : {};
  const reboot = isObject(report.pendingReboot) ? report.pendingReboot : null;
  const rebootValue = !reboot ? h('span', { class: 'text-muted' }, 'Unknown')
    : reboot.pending ? h('span', null, badge('Reboot pending', 'warning', { dot: true }), list(reboot.reasons).length ? h('span', { class: 'cell-sub diag-reasons' }, list(reboot.reasons).join(' · ')) : null)
      : badge('No reboot pending', 'success', { dot: true });
  return sectionCard({
    keys: ['host', 'uptimeSeconds', 'pendingReboot'], title: 'System', iconName: 'monitor', report, testid: 'diag-overview',
    body: facts([
      ['Host name', text(host.name), 'diag-host-name'],
      ['Operating system', text(host.os), 'diag-os'],
      ['Kernel', h('span', { class: 'mono' }, text(host.kernel)), 'diag-kernel'],
      ['Platform', text(host.platform), 'diag-platform'],
      ['Uptime', formatUptime(report.uptimeSeconds), 'diag-uptime'],
      ['Pending reboot', rebootValue, 'diag-pending-reboot'],
      ['Agent', h('span', { class: 'mono-chip' }, text(report.agentVersion)), 'diag-agent-version'],
      ['Collected by the agent', formatDateTime(report.collectedAt), 'diag-collected-at'],
    ]),
  });
}

export function resourcesCard(report) {
  const cpu = isObject(report.cpu) ? report.cpu : null;
  const memory = isObject(report.memory) ? report.memory : null;
  const memoryUsed = memory ? usedPercent(memory.totalBytes, memory.availableBytes) : null;
  const swapUsed = memory ? usedPercent(memory.swapTotalBytes, memory.swapFreeBytes) : null;
  const cpuUsage = cpu && Number.isFinite(cpu.usagePercent) ? Math.min(100, Math.max(0, cpu.usagePercent)) : null;
  return sectionCard({
    keys: ['cpu', 'memory'], title: 'CPU and memory', iconName: 'activity', report, testid: 'diag-resources',
    body: h('div', { class: 'diag-resources' },
      h('div', { class: 'diag-meter' },
        h('div', { class: 'diag-meter-head' }, h('strong', null, 'CPU'), h('span', { dataset: { testid: 'diag-cpu-usage' } }, formatPercent(cpuUsage))),
        usageBar(cpuUsage, 'CPU usage', 'diag-cpu-bar'),
        h('p', { class: 'cell-sub', dataset: { testid: 'diag-cpu-model' } }, cpu ? `${text(cpu.model)} · ${Number.isFinite(cpu.logicalCores) ? cpu.logicalCores : '?'} logical cores` : 'Not collected')),
      h('div', { class: 'diag-meter' },
        h('div', { class: 'diag-meter-head' }, h('strong', null, 'Memory'), h('span', { dataset: { testid: 'diag-memory-used' } }, formatPercent(memoryUsed))),
        usageBar(memoryUsed, 'Memory in use', 'diag-memory-bar'),
        h('p', { class: 'cell-sub', dataset: { testid: 'diag-memory-total', bytes: memory ? String(memory.totalBytes) : '' } },
          memory ? `${formatBytes(memory.availableBytes)} available of ${formatBytes(memory.totalBytes)}` : 'Not collected')),
      h('div', { class: 'diag-meter' },
        h('div', { class: 'diag-meter-head' }, h('strong', null, 'Swap'), h('span', null, memory && memory.swapTotalBytes > 0 ? formatPercent(swapUsed) : 'None')),
        usageBar(memory && memory.swapTotalBytes > 0 ? swapUsed : null, 'Swap in use', 'diag-swap-bar'),
        h('p', { class: 'cell-sub' }, memory && memory.swapTotalBytes > 0 ? `${formatBytes(memory.swapFreeBytes)} free of ${formatBytes(memory.swapTotalBytes)}` : 'No swap configured'))),
  });
}

export function disksCard(report) {
  const disks = list(report.disks);
  return sectionCard({
    keys: ['disks'], title: 'Disks', iconName: 'package', report, testid: 'diag-disks',
    body: disks.length ? table({
      columns: [{ label: 'Mount' }, { label: 'File system', className: 'hide-sm' }, { label: 'Used' }, { label: 'Free', className: 'cell-num hide-sm' }],
      rows: disks.map((disk) => {
        const used = usedPercent(disk.totalBytes, disk.freeBytes);
        return h('tr', { dataset: { testid: 'diag-disk-row', mount: text(disk.mount) } },
          h('td', { class: 'mono' }, text(disk.mount)),
          h('td', { class: 'hide-sm' }, text(disk.fileSystem)),
          h('td', { class: 'diag-disk-usage' }, usageBar(used, `${text(disk.mount)} in use`, 'diag-disk-bar'),
            h('span', { class: 'cell-sub' }, formatPercent(used), h('span', { class: 'show-sm' }, ` · ${formatBytes(disk.freeBytes)} free`))),
          h('td', { class: 'cell-num hide-sm' }, `${formatBytes(disk.freeBytes)} of ${formatBytes(disk.totalBytes)}`));
      }),
    }) : empty(report, 'disks', 'No local disks reported.', 'diag-disks-empty'),
  });
}

export function processesCard(report) {
  const processes = list(report.processes);
  return sectionCard({
    keys: ['processes'], title: 'Top processes', iconName: 'zap', report, testid: 'diag-processes',
    body: processes.length ? table({
      columns: [{ label: 'Process' }, { label: 'PID', className: 'cell-num hide-sm' }, { label: 'CPU', className: 'cell-num' }, { label: 'Memory', className: 'cell-num' }],
      rows: processes.map((p) => h('tr', { dataset: { testid: 'diag-process-row', pid: String(p.pid) } },
        h('td', { class: 'diag-process-name' }, text(p.name)),
        h('td', { class: 'cell-num mono hide-sm' }, String(p.pid ?? '—')),
        h('td', { class: 'cell-num' }, formatPercent(p.cpuPercent)),
        h('td', { class: 'cell-num' }, formatBytes(p.memoryBytes)))),
    }) : empty(report, 'processes', 'No processes reported.', 'diag-processes-empty'),
  });
}

export function errorsCard(report) {
  const errors = list(report.recentErrors);
  return sectionCard({
    keys: ['recentErrors'], title: 'Recent errors', iconName: 'alert', report, testid: 'diag-errors',
    body: errors.length ? h('ol', { class: 'diag-errors' }, errors.map((e) => h('li', { class: 'diag-error', dataset: { testid: 'diag-error-row' } },
      h('div', { class: 'diag-error-head' }, h('span', { class: 'mono-chip' }, text(e.source)), h('time', { class: 'cell-sub', datetime: e.time }, formatDateTime(e.time))),
      h('p', { class: 'diag-error-message' }, text(e.message)))))
      : empty(report, 'recentErrors', 'No errors in the system log recently.', 'diag-errors-empty'),
  });
}

export function networkCard(report) {
  const network = isObject(report.network) ? report.network : {};
  const interfaces = list(network.interfaces);
  return sectionCard({
    keys: ['network'], title: 'Network', iconName: 'plug', report, testid: 'diag-network',
    body: [
      interfaces.length ? table({
        columns: [{ label: 'Interface' }, { label: 'State' }, { label: 'Addresses' }, { label: 'MAC', className: 'hide-sm' }],
        rows: interfaces.map((i) => h('tr', { dataset: { testid: 'diag-interface-row', name: text(i.name) } },
          h('td', { class: 'cell-strong' }, text(i.name)),
          h('td', null, i.up ? badge('Up', 'success', { dot: true }) : badge('Down', 'neutral', { dot: true })),
          h('td', { class: 'mono diag-addresses' }, list(i.addresses).length ? list(i.addresses).map((a) => h('div', null, a)) : '—'),
          h('td', { class: 'mono hide-sm' }, i.mac || '—'))),
      }) : empty(report, 'network', 'No network interfaces reported.', 'diag-network-empty'),
      facts([
        ['Gateways', list(network.gateways).join(', ') || '—', 'diag-gateways'],
        ['DNS servers', list(network.dnsServers).join(', ') || '—', 'diag-dns'],
      ]),
    ],
  });
}
