// The Access tab's detail panel: the selected machine's Session, Device, Network and Other
// sections (shared/REQUIREMENTS.md "Machine Detail Panel"), its actions (Connect, View,
// Wake when it is offline with a known MAC, Flag for attention, and the Tools menu), and
// its diagnostics reports. Shown only while a machine is selected.
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { formatDate, formatDateTime, formatRelative } from '../format.js';
import { badge } from '../components/ui.js';
import { button, withBusy } from '../components/button.js';
import { toast } from '../components/toast.js';
import { confirmFlag, toolsMenu, viewerLink } from './access-actions.js';
import { reportList } from './diagnostics-list.js';

const muted = (text) => h('span', { class: 'text-muted' }, text);
const orDash = (value) => (value === null || value === undefined || value === '' ? muted('—') : String(value));

function fact(label, value, testid) {
  return [h('dt', null, label), h('dd', { dataset: { testid } }, value)];
}

function bytes(count) {
  if (!Number.isFinite(count)) return null;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = count;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

function duration(seconds) {
  if (!Number.isFinite(seconds)) return null;
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400)} days`;
}

function section(title, testid, facts) {
  return h('section', { class: 'access-detail-section', dataset: { testid } },
    h('h3', { class: 'access-detail-subtitle' }, title), h('dl', { class: 'access-facts' }, facts));
}

export function detailPanel(controller) {
  const body = h('div', { class: 'access-detail-body' });
  const close = button({ label: 'Close details', icon: 'x', variant: 'ghost', size: 'icon', id: 'access-detail-close', onClick: () => controller.select(null) });
  const title = h('h2', { class: 'card-title', id: 'access-detail-title' }, 'Details');
  const el = h('section', { class: 'card access-detail is-hidden', id: 'access-detail', 'aria-labelledby': 'access-detail-title' },
    h('div', { class: 'card-header' }, title, close),
    h('div', { class: 'card-body' }, body));

  let shownId = null;
  let shownJSON = null; // what is drawn: a re-read that changed nothing redraws nothing (an open menu stays open)
  let reports = null; // the shown machine's report list, fetched once per selection

  function wakeButton(agent) {
    const canWake = !agent.online && (agent.network?.macs || []).length > 0;
    if (!canWake) return null;
    const wake = button({
      label: 'Wake', icon: 'power', variant: 'outline', testid: 'agent-wake', ariaLabel: `Wake ${agent.name}`,
      onClick: () => withBusy(wake, async () => {
        try {
          const sent = await controller.wake(agent);
          toast.success(`Wake-up sent to ${agent.name}`, `Through ${sent.relayName}, to ${sent.broadcast}. It appears online once it has started.`);
        } catch (err) {
          toast.error(`Couldn't wake ${agent.name}`, err.message);
        }
      }),
    });
    return wake;
  }

  function draw() {
    const agent = controller.selected;
    el.classList.toggle('is-hidden', !controller.selectedId);
    el.dataset.agentId = controller.selectedId || '';
    if (!controller.selectedId) {
      shownId = null;
      shownJSON = null;
      replace(body);
      return;
    }
    if (!agent) {
      shownJSON = null;
      replace(body, controller.detailError
        ? h('div', { class: 'alert alert-error', role: 'alert' }, icon('alert', { size: 16 }), h('div', { class: 'alert-text' }, controller.detailError.message))
        : h('p', { class: 'text-muted' }, 'Loading…'));
      return;
    }
    const json = JSON.stringify(agent);
    if (agent.id === shownId && json === shownJSON) return;
    shownJSON = json;
    // A newly picked machine: on a phone its details are below the list, out of sight.
    if (agent.id !== shownId) {
      requestAnimationFrame(() => el.scrollIntoView({ block: 'nearest' }));
      reports = reportList({ kind: 'agent', agentId: agent.id }, { emptyText: 'No diagnostics collected yet. Tools → Collect diagnostics takes a snapshot.', testid: 'detail-diagnostics' });
      reports.load();
    }
    shownId = agent.id;
    title.textContent = agent.name;
    const status = agent.online ? badge('Online', 'success', { dot: true }) : badge('Offline', 'neutral', { dot: true });
    const properties = Object.entries(agent.properties || {});
    const os = agent.os || {};
    const hw = agent.hardware || {};
    const net = agent.network || {};
    replace(body,
      h('div', { class: 'access-detail-actions' },
        viewerLink(agent, 'control', { size: 'md' }),
        viewerLink(agent, 'view', { size: 'md' }),
        wakeButton(agent),
        button({
          label: agent.attention ? 'Clear flag' : 'Flag', icon: 'flag', variant: agent.attention ? 'secondary' : 'ghost', testid: 'agent-flag',
          ariaLabel: agent.attention ? `Clear the attention flag of ${agent.name}` : `Flag ${agent.name} for attention`,
          onClick: () => confirmFlag(controller, agent),
        }),
        toolsMenu(controller, agent)),
      agent.attention ? h('div', { class: 'alert alert-warning access-attention', role: 'status', dataset: { testid: 'detail-attention' } },
        icon('flag', { size: 16 }), h('div', { class: 'alert-text' }, agent.attentionNote || 'Flagged for attention')) : null,
      agent.online ? null : h('p', { class: 'field-hint access-detail-offline' }, icon('wifiOff', { size: 14 }),
        (agent.network?.macs || []).length ? 'Offline: Wake sends it a wake-up packet through an online machine on its network.' : 'Offline: Connect and View work once the agent reconnects.'),
      section('Session', 'detail-session', [
        fact('Status', status, 'detail-status'),
        fact('Name', agent.name, 'detail-name'),
        fact('Company', orDash(agent.company), 'detail-company'),
        fact('Site', orDash(agent.site), 'detail-site'),
        fact('Department', orDash(agent.department), 'detail-department'),
        fact('Device type', orDash(agent.deviceType), 'detail-device-type'),
        fact('Tag', orDash(agent.tag), 'detail-tag'),
        fact('Hosts connected', String(agent.hostsConnected ?? 0), 'detail-hosts'),
        fact('Guest connected', agent.guestConnected ? 'Yes' : 'No', 'detail-guest'),
        fact('Logged-on user', orDash(agent.loggedOnUser), 'detail-user'),
        fact('Idle time', orDash(duration(agent.idleSeconds)), 'detail-idle'),
        fact('Last accessed', agent.lastAccessedAt ? h('span', { title: formatDateTime(agent.lastAccessedAt) }, formatRelative(agent.lastAccessedAt)) : muted('Never'), 'detail-last-accessed'),
        properties.length ? fact('Custom properties', h('ul', { class: 'access-properties' }, properties.map(([k, v]) => h('li', null, h('span', { class: 'text-muted' }, `${k}: `), String(v)))), 'detail-properties') : null,
      ]),
      section('Device', 'detail-device', [
        fact('Machine name', orDash(agent.hostname), 'detail-hostname'),
        fact('Operating system', orDash([os.name, os.version, os.build && `build ${os.build}`].filter(Boolean).join(' · ')), 'detail-os'),
        fact('OS installed', os.installedAt ? formatDate(os.installedAt) : muted('—'), 'detail-os-installed'),
        fact('Processor', orDash(hw.cpu), 'detail-cpu'),
        fact('Memory', orDash([bytes(hw.ramBytes), agent.memoryAvailableBytes != null && `${bytes(agent.memoryAvailableBytes)} available`].filter(Boolean).join(' · ')), 'detail-memory'),
        fact('Manufacturer & model', orDash([hw.manufacturer, hw.model].filter(Boolean).join(' ')), 'detail-model'),
        fact('Serial / service tag', orDash([hw.serial, hw.serviceTag && hw.serviceTag !== hw.serial && hw.serviceTag].filter(Boolean).join(' / ')), 'detail-serial'),
        fact('Disks', (agent.disks || []).length ? h('ul', { class: 'access-properties' }, agent.disks.map((d) => h('li', null, `${d.mount}: ${bytes(d.freeBytes)} free of ${bytes(d.totalBytes)}`))) : muted('—'), 'detail-disks'),
        fact('Last boot', agent.bootAt ? h('span', { title: formatDateTime(agent.bootAt) }, formatRelative(agent.bootAt)) : muted('—'), 'detail-boot'),
      ]),
      section('Network', 'detail-network', [
        fact('Public IP', orDash(net.externalIP), 'detail-external-ip'),
        fact('Private IPs', (net.internalIPs || []).length ? h('span', { class: 'mono' }, net.internalIPs.join(', ')) : muted('—'), 'detail-internal-ips'),
        fact('MAC addresses', (net.macs || []).length ? h('span', { class: 'mono' }, net.macs.join(', ')) : muted('—'), 'detail-macs'),
      ]),
      section('Other', 'detail-other', [
        fact('Agent', agent.agentVersion ? h('span', { class: 'mono-chip' }, agent.agentVersion) : muted('Not connected yet'), 'detail-version'),
        fact('Last check-in', agent.online ? 'Now' : agent.lastSeenAt ? h('span', { title: formatDateTime(agent.lastSeenAt) }, formatRelative(agent.lastSeenAt)) : muted('Never'), 'detail-last-seen'),
        fact('First seen', agent.firstSeenAt ? formatDateTime(agent.firstSeenAt) : muted('—'), 'detail-first-seen'),
        fact('Enrolled', agent.createdAt ? formatDateTime(agent.createdAt) : '—', 'detail-enrolled'),
        fact('Machine ID', h('code', { class: 'mono access-detail-id' }, agent.id), 'detail-id'),
        fact('Identity key', agent.identityFingerprint
          ? h('code', { class: 'mono', title: 'The fingerprint the viewer shows for this machine' }, agent.identityFingerprint)
          : muted('Bound at the next connection'), 'detail-identity'),
      ]),
      h('section', { class: 'access-detail-diagnostics', 'aria-label': 'Diagnostics reports' },
        h('h3', { class: 'access-detail-subtitle' }, icon('activity', { size: 14 }), 'Diagnostics'), reports.el));
  }

  return { name: 'detail', mount: { detail: el }, events: { change: draw, detail: draw } };
}
