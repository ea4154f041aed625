// Access tab: the enrolled unattended agents, live online/offline status (polled,
// and refreshed when the tab regains focus), Connect / View in a new tab, enrolment
// and removal.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { can } from '../session.js';
import { formatRelative } from '../format.js';
import { pageHeader, card, badge, table, emptyState, loadingBlock, errorState } from '../components/ui.js';
import { button } from '../components/button.js';
import { confirmDialog } from '../components/dialog.js';
import { toast } from '../components/toast.js';
import { openEnrolDialog } from './access-enrol.js';

const POLL_MS = 5000;

export function render(container, ctx) {
  ctx.setTitle('Access');
  const mayEnrol = can('buildInstallers');
  const enrolButton = mayEnrol ? button({ label: 'Enrol agent', icon: 'plus', variant: 'primary', id: 'agent-enrol', onClick: () => enrol() }) : null;
  const summary = h('span', { class: 'access-summary', id: 'access-summary' });
  const refreshNote = h('div', { class: 'alert alert-warning is-hidden', role: 'alert', id: 'access-refresh-error' });
  const body = h('div', { id: 'agents' }, loadingBlock('Loading machines…'));
  replace(container,
    pageHeader({ title: 'Access', description: 'Unattended machines with the permanent agent installed.', actions: enrolButton ? [enrolButton] : [] }),
    refreshNote,
    card({ title: 'Machines', description: summary, body, id: 'agents-card', flush: true }));

  let agents = null;
  let timer = null;
  let alive = true;
  let inFlight = false;

  async function load() {
    if (inFlight || !alive) return;
    inFlight = true;
    try {
      const list = await api('GET', '/api/agents');
      if (!alive) return;
      agents = list;
      refreshNote.classList.add('is-hidden');
      draw();
    } catch (err) {
      if (!alive) return;
      if (agents === null) {
        replace(body, errorState(err, () => {
          replace(body, loadingBlock('Loading machines…'));
          load();
        }, "Couldn't load machines"));
      } else {
        // Keep the last list on screen, but say it is stale.
        replace(refreshNote, icon('alert', { size: 16 }), h('div', { class: 'alert-text' }, `Couldn't refresh the machine list: ${err.message}`));
        refreshNote.classList.remove('is-hidden');
      }
    } finally {
      inFlight = false;
      schedule();
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (alive && document.visibilityState === 'visible') timer = setTimeout(load, POLL_MS);
  }

  function onVisibility() {
    if (document.visibilityState === 'visible') load();
    else clearTimeout(timer);
  }
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('focus', onVisibility);

  function draw() {
    const online = agents.filter((a) => a.online).length;
    summary.textContent = agents.length ? `${agents.length} enrolled · ${online} online` : 'No machines enrolled yet';
    if (!agents.length) {
      replace(body, emptyState({
        icon: 'monitor', testid: 'access-empty', title: 'No machines yet',
        text: mayEnrol
          ? 'Enrol a machine to get its credential, then run the agent on it with the command shown. It appears here as soon as it connects.'
          : 'Machines appear here once someone with the "Build installers" permission enrols them.',
        action: mayEnrol ? button({ label: 'Enrol agent', icon: 'plus', variant: 'outline', onClick: () => enrol() }) : null,
      }));
      return;
    }
    const sorted = [...agents].sort((a, b) => (b.online - a.online) || a.name.localeCompare(b.name));
    replace(body, table({
      id: 'agents-table',
      columns: [{ label: 'Machine' }, { label: 'Status', className: 'hide-sm' }, { label: 'Agent', className: 'hide-sm' }, { label: 'Last seen', className: 'hide-sm' }, { label: '', className: 'cell-actions' }],
      rows: sorted.map(row),
    }));
  }

  function row(agent) {
    const viewerLink = (mode, label, iconName, variant) => {
      const link = h('a', {
        href: `/app/viewer/${encodeURIComponent(agent.id)}?mode=${mode}`, target: '_blank', rel: 'noopener',
        class: ['btn', `btn-${variant}`, 'btn-sm', !agent.online && 'is-disabled'],
        dataset: { testid: `agent-${mode}` }, 'aria-label': `${label} ${agent.name}`,
        'aria-disabled': agent.online ? null : 'true', tabindex: agent.online ? null : '-1',
        title: agent.online ? null : 'The machine is offline',
      }, icon(iconName, { size: 14 }), h('span', { class: 'btn-label' }, label));
      return link;
    };
    return h('tr', { dataset: { testid: 'agent-row', agentId: agent.id, name: agent.name, online: String(agent.online) } },
      h('td', null, h('div', { class: 'cell-user' },
        h('span', { class: ['machine-icon', agent.online && 'is-online'], role: 'img', 'aria-label': agent.online ? 'Online' : 'Offline', title: agent.online ? 'Online' : 'Offline' }, icon('monitor', { size: 16 })),
        h('div', { class: 'cell-stack' },
          h('span', { class: 'cell-strong' }, agent.name),
          h('span', { class: 'cell-sub mono agent-id' }, agent.id)))),
      h('td', { class: 'hide-sm', dataset: { testid: 'agent-status' } }, agent.online ? badge('Online', 'success', { dot: true }) : badge('Offline', 'neutral', { dot: true })),
      h('td', { class: 'hide-sm' }, agent.agentVersion ? h('span', { class: 'mono-chip' }, agent.agentVersion) : h('span', { class: 'text-muted' }, '—')),
      h('td', { class: 'hide-sm', title: agent.lastSeenAt || '' }, agent.online ? 'Now' : agent.lastSeenAt ? formatRelative(agent.lastSeenAt) : h('span', { class: 'text-muted' }, 'Never')),
      h('td', { class: 'cell-actions' }, h('div', { class: 'row-actions' },
        viewerLink('control', 'Connect', 'mouse', 'primary'),
        viewerLink('view', 'View', 'eye', 'outline'),
        mayEnrol ? button({
          label: 'Delete', icon: 'trash', variant: 'ghost', size: 'sm', testid: 'agent-delete', extraClass: 'btn-danger-text',
          ariaLabel: `Delete ${agent.name}`, onClick: () => confirmDelete(agent),
        }) : null)));
  }

  function confirmDelete(agent) {
    confirmDialog({
      title: `Delete "${agent.name}"?`,
      message: 'Its credential stops working at once and any open session ends. To use the machine again, enrol it anew.',
      confirmLabel: 'Delete machine',
      destructive: true,
      onConfirm: async () => {
        await api('DELETE', `/api/agents/${encodeURIComponent(agent.id)}`);
        toast.success('Machine deleted', agent.name);
        load();
      },
    });
  }

  function enrol() {
    openEnrolDialog({ onEnrolled: () => load() });
  }

  load();
  return () => {
    alive = false;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('focus', onVisibility);
  };
}
