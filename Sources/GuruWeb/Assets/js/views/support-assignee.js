// The Generate Code dialog's "who takes the session" picker: me, a named colleague
// (only for roles with assignSupportCodes; the server checks it again), or first
// come. The colleague list comes from GET /api/support/technicians, which shows a
// technician nothing but names and ids.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { can, getUser } from '../session.js';
import { button } from '../components/button.js';

/**
 * assigneePicker() → { el, request(), describe(session) }
 * request() is the part of the POST body that says who takes the code (it throws
 * a plain Error when "A colleague" is chosen but nobody is picked yet).
 */
export function assigneePicker() {
  const mayAssign = can('assignSupportCodes');
  const me = getUser();
  let colleagues = null; // null until loaded
  const panel = h('div', { class: 'support-assignee-panel', id: 'generate-assignee-panel', hidden: true });

  const choice = (value, iconName, label, hint, extra = null) => h('label', { class: ['choice', 'support-assign-choice'], dataset: { choice: value } },
    h('input', { type: 'radio', name: 'assigned', value, id: `generate-assigned-${value}`, checked: value === 'me' }),
    h('span', { class: 'support-assign-icon', 'aria-hidden': 'true' }, icon(iconName, { size: 16 })),
    h('span', { class: 'choice-text' }, h('span', { class: 'choice-label' }, label), h('span', { class: 'choice-hint' }, hint)),
    extra);

  const list = h('div', { class: ['choice-list', 'support-assign-choices', mayAssign && 'has-colleague'] },
    choice('me', 'user', 'Assigned to me', 'It appears under My Sessions.'),
    mayAssign ? choice('colleague', 'users', 'A colleague', 'It goes to their dashboard, and they are notified.') : null,
    choice('anyone', 'zap', 'First come', 'Any technician can pick it up from Support Requests.'));
  const el = h('fieldset', { class: 'fieldset', id: 'generate-assignee-fieldset' },
    h('legend', { class: 'label' }, 'Who takes the session'), list, panel);

  list.addEventListener('change', () => {
    const colleague = selected() === 'colleague';
    panel.hidden = !colleague;
    if (colleague) panel.querySelector('select, button')?.focus();
  });

  function selected() {
    return list.querySelector('input[name="assigned"]:checked')?.value || 'me';
  }

  async function load() {
    replace(panel, h('p', { class: 'support-assignee-status text-muted', role: 'status' }, h('span', { class: 'spinner' }), 'Loading technicians…'));
    let technicians;
    try {
      technicians = await api('GET', '/api/support/technicians');
    } catch (err) {
      replace(panel, h('div', { class: 'alert alert-error', role: 'alert', id: 'generate-assignee-error' },
        icon('alert', { size: 16 }),
        h('div', { class: 'alert-text' }, `Couldn't load the technicians: ${err.message}`),
        button({ label: 'Try again', icon: 'refresh', variant: 'outline', size: 'sm', id: 'generate-assignee-retry', onClick: () => load() })));
      return;
    }
    colleagues = (Array.isArray(technicians) ? technicians : []).filter((t) => t.id !== me?.id);
    if (!colleagues.length) {
      replace(panel, h('div', { class: 'support-assignee-empty', id: 'generate-assignee-empty' },
        h('span', { class: 'support-empty-icon' }, icon('users', { size: 16 })),
        h('p', null, 'No other technician can take support sessions yet. ',
          can('manageUsers') ? 'Add one under Settings → Users, with a role that may create support codes.' : 'Ask an administrator to add one.')));
      return;
    }
    const picker = h('select', { class: 'input select', id: 'generate-assignee', name: 'assigneeId', 'aria-label': 'Technician' },
      h('option', { value: '' }, 'Choose a technician…'),
      colleagues.map((t) => h('option', { value: t.id }, t.displayName)));
    replace(panel, h('div', { class: 'field' },
      h('label', { class: 'label', for: 'generate-assignee' }, 'Technician'),
      picker));
    if (selected() === 'colleague') picker.focus();
  }
  if (mayAssign) load();

  return {
    el,
    request() {
      const which = selected();
      if (which === 'anyone') return { assigned: false };
      if (which === 'me') return { assigned: true };
      const picked = panel.querySelector('#generate-assignee')?.value;
      if (!picked) throw new Error(colleagues && !colleagues.length ? 'There is no other technician to assign it to.' : 'Choose the technician who takes this session.');
      return { assigned: true, assigneeId: picked };
    },
    /** The "code ready" line for a created session. */
    describe(session) {
      if (session.section === 'request') return 'Any technician can take this session from Support Requests.';
      if (session.ownerId && session.ownerId !== me?.id) {
        return `Assigned to ${session.ownerName || 'your colleague'}, who has been notified; it is on their Support tab.`;
      }
      return 'The session appears under My Sessions when your customer connects.';
    },
  };
}
