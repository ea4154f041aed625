// The Access tab's detail panel: the selected machine's status, id, agent version,
// enrolment, last contact and identity key, with Connect, View, Tools, Reset identity and
// Delete, and the machine's diagnostics reports. Shown only while a machine is selected.
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { formatDateTime, formatRelative } from '../format.js';
import { badge } from '../components/ui.js';
import { button } from '../components/button.js';
import { confirmDeleteAgent, confirmResetIdentity, toolsMenu, viewerLink } from './access-actions.js';
import { reportList } from './diagnostics-list.js';

function fact(label, value, testid) {
  return [h('dt', null, label), h('dd', { dataset: { testid } }, value)];
}

export function detailPanel(controller) {
  const body = h('div', { class: 'access-detail-body' });
  const close = button({ label: 'Close details', icon: 'x', variant: 'ghost', size: 'icon', id: 'access-detail-close', onClick: () => controller.select(null) });
  const title = h('h2', { class: 'card-title', id: 'access-detail-title' }, 'Details');
  const el = h('section', { class: 'card access-detail', id: 'access-detail', 'aria-labelledby': 'access-detail-title' },
    h('div', { class: 'card-header' }, title, close),
    h('div', { class: 'card-body' }, body));

  let shownId = null;
  let reports = null; // the shown machine's report list, fetched once per selection

  function draw() {
    const agent = controller.selected;
    el.classList.toggle('is-hidden', !agent);
    el.dataset.agentId = agent ? agent.id : '';
    if (!agent) {
      shownId = null;
      replace(body);
      return;
    }
    // A newly picked machine: on a phone its details are below the list, out of sight.
    if (agent.id !== shownId) {
      requestAnimationFrame(() => el.scrollIntoView({ block: 'nearest' }));
      reports = reportList({ kind: 'agent', agentId: agent.id }, { emptyText: 'No diagnostics collected yet. Tools → Collect diagnostics takes a snapshot.', testid: 'detail-diagnostics' });
      reports.load();
    }
    shownId = agent.id;
    title.textContent = agent.name;
    replace(body,
      h('dl', { class: 'access-facts' },
        fact('Status', agent.online ? badge('Online', 'success', { dot: true }) : badge('Offline', 'neutral', { dot: true }), 'detail-status'),
        fact('Machine ID', h('code', { class: 'mono access-detail-id' }, agent.id), 'detail-id'),
        fact('Agent', agent.agentVersion ? h('span', { class: 'mono-chip' }, agent.agentVersion) : h('span', { class: 'text-muted' }, 'Not connected yet'), 'detail-version'),
        fact('Enrolled', agent.createdAt ? formatDateTime(agent.createdAt) : '—', 'detail-enrolled'),
        fact('Last seen', agent.online ? 'Now' : agent.lastSeenAt ? h('span', { title: agent.lastSeenAt }, formatRelative(agent.lastSeenAt)) : h('span', { class: 'text-muted' }, 'Never'), 'detail-last-seen'),
        fact('Identity key', agent.identityFingerprint
          ? h('code', { class: 'mono', title: 'The fingerprint the viewer shows for this machine' }, agent.identityFingerprint)
          : h('span', { class: 'text-muted' }, 'Bound at the next connection'), 'detail-identity')),
      h('div', { class: 'access-detail-actions' },
        viewerLink(agent, 'control', { size: 'md' }),
        viewerLink(agent, 'view', { size: 'md' }),
        toolsMenu(agent)),
      agent.online ? null : h('p', { class: 'field-hint access-detail-offline' }, icon('wifiOff', { size: 14 }), 'Offline: Connect and View work once the agent reconnects.'),
      h('section', { class: 'access-detail-diagnostics', 'aria-label': 'Diagnostics reports' },
        h('h3', { class: 'access-detail-subtitle' }, icon('activity', { size: 14 }), 'Diagnostics'), reports.el),
      controller.permissions.manage ? h('div', { class: 'access-detail-danger' },
        agent.identityFingerprint ? button({
          label: 'Reset identity key', icon: 'key', variant: 'ghost', size: 'sm', testid: 'detail-reset-identity', extraClass: 'btn-danger-text',
          ariaLabel: `Reset the identity key of ${agent.name}`, onClick: () => confirmResetIdentity(controller, agent),
        }) : null,
        button({
          label: 'Delete machine', icon: 'trash', variant: 'ghost', size: 'sm', testid: 'detail-delete', extraClass: 'btn-danger-text',
          ariaLabel: `Delete ${agent.name}`, onClick: () => confirmDeleteAgent(controller, agent),
        })) : null);
  }

  return { name: 'detail', mount: { detail: el }, events: { change: draw } };
}
