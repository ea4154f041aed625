// The Access tab's enrolment: the "Enrol agent" button (for those who may enrol) and its
// dialog: name → credential (shown once) and the exact command line that starts the agent
// against this server. The new machine is selected once the list has it.
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { field, input, errorBox, onSubmit, value } from '../components/form.js';
import { openDialog, dialogFooter } from '../components/dialog.js';
import { copyText } from '../clipboard.js';

/** ws://host:port/api/agent/ws for this server (wss:// when the page is HTTPS). */
export function agentServerUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/agent/ws`;
}

/** The command line that runs an enrolled agent. */
export function agentCommand(agentId, credential) {
  return `guruconnect-agent --server ${agentServerUrl()} --agent-id ${agentId} --credential ${credential}`;
}

/** The page header's Enrol button; it also answers the list's `enrol` event (its empty state). */
export function enrolPanel(controller) {
  const open = () => openEnrolDialog({
    onEnrolled: (agent) => {
      controller.select(agent.id);
      controller.refresh();
    },
  });
  const enrolButton = button({ label: 'Enrol agent', icon: 'plus', variant: 'primary', id: 'agent-enrol', onClick: open });
  return { name: 'enrol', mount: { actions: enrolButton }, events: { enrol: open } };
}

export function openEnrolDialog({ onEnrolled }) {
  const errors = errorBox({ id: 'agent-enrol-error' });
  const submit = button({ label: 'Enrol', variant: 'primary', type: 'submit', id: 'agent-enrol-submit' });
  const form = h('form', { class: 'stack', id: 'agent-enrol-form' }, errors.el,
    field({
      label: 'Machine name',
      control: input({ id: 'agent-name', name: 'name', required: true, maxlength: 100, placeholder: 'e.g. FRONT-DESK-01', autocomplete: 'off', autofocus: true }),
      hint: 'How the machine is listed here. You can use its hostname.',
    }),
    dialogFooter(button({ label: 'Cancel', variant: 'outline', onClick: () => dlg.close() }), submit));
  const dlg = openDialog({ title: 'Enrol an agent', description: 'Creates the credential a machine uses to connect to this server.', content: form, id: 'agent-enrol-dialog' });
  onSubmit(form, submit, errors, async () => {
    const created = await api('POST', '/api/agents', { name: value(form, 'name') });
    onEnrolled(created.agent);
    showCredential(dlg, created);
  });
}

function showCredential(dlg, created) {
  const { agent, credential } = created;
  const command = agentCommand(agent.id, credential);
  dlg.dialog.querySelector('.dialog-title').textContent = `"${agent.name}" is enrolled`;
  const description = dlg.dialog.querySelector('.dialog-description');
  if (description) description.textContent = 'Run the agent on the machine with this command. It appears as online once it connects.';
  const done = button({ label: 'Done', variant: 'primary', id: 'agent-enrol-done', onClick: () => dlg.close() });
  replace(dlg.dialog.querySelector('.dialog-body'), h('div', { class: 'stack' },
    h('div', { class: 'alert alert-warning' }, icon('alert', { size: 16 }),
      h('div', { class: 'alert-text' }, h('strong', null, 'The credential is shown only now. '), 'Copy the command before closing; anyone with it can connect as this machine.')),
    h('div', { class: 'field' },
      h('span', { class: 'label' }, 'Credential'),
      h('div', { class: 'secret-row' },
        h('code', { id: 'agent-credential', class: 'secret secret-wrap' }, credential),
        button({ label: 'Copy', icon: 'copy', variant: 'outline', size: 'sm', id: 'agent-credential-copy', onClick: () => copyText(credential, 'Credential copied') }))),
    h('div', { class: 'field' },
      h('span', { class: 'label' }, 'Command line'),
      h('pre', { class: 'command-block', id: 'agent-command' }, command),
      h('div', null, button({ label: 'Copy command', icon: 'copy', variant: 'outline', size: 'sm', id: 'agent-command-copy', onClick: () => copyText(command, 'Command copied') }))),
    dialogFooter(done)));
  done.focus();
}
