// What the Access tab's list and detail panels offer on a machine: open the viewer in a new
// tab (Connect to control, View to watch), Flag for attention (with a note), and the Tools
// menu (Collect diagnostics; Reset identity key and Remove for those who may enrol), each
// destructive action after asking.
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { actionMenu } from '../components/menu.js';
import { confirmDialog, openDialog, dialogFooter } from '../components/dialog.js';
import { button } from '../components/button.js';
import { field, errorBox, onSubmit } from '../components/form.js';
import { toast } from '../components/toast.js';
import { connectToOpenViewer, offerToOpenViewer } from './viewer-open.js';

const VIEWER_LINK = {
  control: { label: 'Connect', icon: 'mouse', variant: 'primary' },
  view: { label: 'View', icon: 'eye', variant: 'outline' },
};

/** The link that opens the viewer for `agent` in `mode` ('control' or 'view'); disabled while offline. */
export function viewerLink(agent, mode, { size = 'sm' } = {}) {
  const { label, icon: iconName, variant } = VIEWER_LINK[mode];
  const link = h('a', {
    href: `/app/viewer/${encodeURIComponent(agent.id)}?mode=${mode}`, target: '_blank', rel: 'noopener',
    class: ['btn', `btn-${variant}`, size !== 'md' && `btn-${size}`, !agent.online && 'is-disabled'],
    dataset: { testid: `agent-${mode}` }, 'aria-label': `${label} ${agent.name}`,
    'aria-disabled': agent.online ? null : 'true', tabindex: agent.online ? null : '-1',
    title: agent.online ? null : 'The machine is offline',
  }, icon(iconName, { size: 14 }), h('span', { class: 'btn-label' }, label));
  // An open viewer window takes the session beside its others (views/viewer-open.js).
  return connectToOpenViewer(link, { agentId: agent.id, mode, kind: 'agent' }, {
    onTaken: () => toast.success(`${agent.name} opened in your viewer window`, 'Switch to the viewer window: it is in its session switcher.'),
  });
}

/**
 * Collects diagnostics from `agent`: its session opens in the viewer (an open viewer window
 * takes it, else a new tab), which asks the agent once connected and shows the report.
 */
export function collectDiagnostics(agent) {
  if (!agent.online) {
    toast.error(`${agent.name} is offline`, 'Diagnostics come from the agent: collect them once it reconnects.');
    return;
  }
  const session = { agentId: agent.id, mode: 'control', kind: 'agent', collect: 'diagnostics' };
  offerToOpenViewer(session).then((taken) => {
    if (taken) toast.success(`Collecting diagnostics from ${agent.name}`, 'In your viewer window: the report opens from its Diagnostics panel.');
    else window.open(`/app/viewer/${encodeURIComponent(agent.id)}?mode=control&collect=diagnostics`, '_blank', 'noopener');
  });
}

/** The machine's Tools menu: only what the caller may do, so no entry is dead. */
export function toolsMenu(controller, agent) {
  const { manage } = controller.permissions;
  return actionMenu({
    label: `Tools for ${agent.name}`, testid: 'agent-tools', triggerIcon: 'wrench',
    items: [
      { label: 'Collect diagnostics', icon: 'activity', action: 'collect-diagnostics', onSelect: () => collectDiagnostics(agent) },
      manage && agent.identityFingerprint && { label: 'Reset identity key', icon: 'key', action: 'reset-identity', destructive: true, onSelect: () => confirmResetIdentity(controller, agent) },
      manage && { label: 'Remove machine', icon: 'trash', action: 'remove', destructive: true, onSelect: () => confirmDeleteAgent(controller, agent) },
    ],
  });
}

/** Flags `agent` for attention with a note (audited), or clears its flag after asking. */
export function confirmFlag(controller, agent) {
  if (agent.attention) {
    confirmDialog({
      title: `Clear the attention flag of "${agent.name}"?`,
      message: agent.attentionNote ? `The note was: ${agent.attentionNote}` : 'It leaves the Attention group.',
      confirmLabel: 'Clear flag',
      onConfirm: async () => {
        await controller.flag(agent, null);
        toast.success('Flag cleared', agent.name);
      },
    });
    return;
  }
  const errors = errorBox({ id: 'flag-error' });
  const note = h('textarea', { class: 'input', id: 'flag-note', name: 'note', rows: 3, maxlength: 500, placeholder: 'e.g. Disk almost full: check on Monday', autofocus: true });
  const submit = button({ label: 'Flag machine', icon: 'flag', variant: 'primary', type: 'submit', id: 'flag-submit' });
  const form = h('form', { class: 'stack', id: 'flag-form' }, errors.el,
    field({ label: 'Note', control: note, hint: 'Shown with the machine and in the audit log.', optional: true }),
    dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => dlg.close() }), submit));
  const dlg = openDialog({ title: `Flag "${agent.name}" for attention`, description: 'It joins the Attention group until someone clears the flag.', content: form, id: 'flag-dialog' });
  onSubmit(form, submit, errors, async () => {
    await controller.flag(agent, note.value.trim());
    dlg.close();
    toast.success('Machine flagged', agent.name);
  });
}

/** Asks, then deletes `agent` through the controller; the dialog shows a failure. */
export function confirmDeleteAgent(controller, agent) {
  confirmDialog({
    title: `Delete "${agent.name}"?`,
    message: 'Its credential stops working at once and any open session ends. To use the machine again, enrol it anew.',
    confirmLabel: 'Delete machine',
    destructive: true,
    onConfirm: async () => {
      await controller.remove(agent);
      toast.success('Machine deleted', agent.name);
    },
  });
}

/** Asks, then forgets `agent`'s identity key through the controller; the dialog shows a failure. */
export function confirmResetIdentity(controller, agent) {
  confirmDialog({
    title: `Reset the identity key of "${agent.name}"?`,
    message: 'Do this only when the machine lost its key (reinstalled agent, restored disk) and is refused since. '
      + 'The next agent that connects with this machine\'s credential binds its own key, and every technician\'s viewer '
      + 'warns that the identity changed until they accept it.',
    confirmLabel: 'Reset identity key',
    destructive: true,
    onConfirm: async () => {
      await controller.resetIdentity(agent);
      toast.success('Identity key reset', `${agent.name}: the next connection binds a new key.`);
    },
  });
}
