// The viewer's heading: which machine this is (the enrolled agent's name, or the support
// session's code and machine), the View/Control badge, and the page title.
import { api } from '../api.js';
import { h } from '../dom.js';
import { describeSupportSession } from './viewer-support.js';

/** Resolves { name, title } for an enrolled agent, or null when the caller cannot see it. */
async function describeAgent(id, modeLabel) {
  let agent;
  try {
    agent = await api('GET', `/api/agents/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err.status === 404) return null; // not enrolled, or outside the caller's scope
    throw err;
  }
  return { name: agent.name, title: `${agent.name} · ${modeLabel}` };
}

/** identityPanel(controller, { setTitle }): `setTitle` is the router's ctx.setTitle. */
export function identityPanel(controller, { setTitle }) {
  const { agentId, mode, kind } = controller.session;
  const support = kind === 'support';
  const modeLabel = mode === 'view' ? 'View' : 'Control';
  const nameEl = h('span', { class: 'viewer-name', id: 'viewer-agent-name' }, support ? 'Support session' : 'Remote machine');
  const supportCode = support ? h('span', { class: 'mono-chip viewer-support-code', id: 'viewer-support-code', title: 'Support code' }) : null;
  const modeBadge = h('span', { class: ['badge', mode === 'view' ? 'badge-neutral' : 'badge-primary', 'viewer-mode'], id: 'viewer-mode' }, modeLabel);
  setTitle('Viewer');

  const describe = support
    ? describeSupportSession(agentId).then((session) => session && {
      name: session.title, code: session.code, title: `${session.code} · ${session.machineName || 'Support'} · ${modeLabel}`,
    })
    : describeAgent(agentId, modeLabel);
  let alive = true;
  describe.then((found) => {
    if (!found || !alive) return;
    if (supportCode) supportCode.textContent = found.code;
    nameEl.textContent = found.name;
    setTitle(found.title);
    controller.emit('identity', found);
  }).catch((err) => {
    // The name is cosmetic; the connection reports real problems itself.
    if (err.status !== 401 && alive) controller.note(`Couldn't load the machine name: ${err.message}`);
  });

  return {
    name: 'identity',
    mount: { heading: [supportCode, nameEl, modeBadge] },
    stop() {
      alive = false;
    },
  };
}
