// The viewer's clipboard panel: text copied on the remote machine shows up here, and text
// pasted here is sent to the remote machine's clipboard. The browser's own clipboard is
// never read or written unless the technician turns sync on, for this session only (it is
// off for every new session): then remote copies land in the technician's clipboard, and
// the technician's clipboard goes over when they come back to the tab. Only a controlling
// viewer gets this panel, or may change the remote clipboard; the agent sends its copies
// only to controlling viewers (docs/protocol.md, ClipboardText).
import { h } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';
import { copyText } from '../clipboard.js';
import { STATE } from '../viewer/connection.js';

/** Largest text sent in one ClipboardText: one sealed relay frame must hold it (1 MiB payload). */
export const MAX_CLIPBOARD_BYTES = 1_000_000;

/** Where this tab remembers that sync is on for one session: never in localStorage, so no other session inherits it. */
function syncKey({ kind, agentId }) {
  return `guru.viewer.clipboardSync.${kind}.${agentId}`;
}

function byteLength(text) {
  return new TextEncoder().encode(text).length;
}

function formatBytes(n) {
  return n < 1000 ? `${n} bytes` : n < 1_000_000 ? `${(n / 1000).toFixed(1)} kB` : `${(n / 1_000_000).toFixed(2)} MB`;
}

/** The clipboard panel of a controlling viewer: its toolbar button and the panel over the screen. */
export function clipboardPanel(controller) {
  const send = (text) => controller.send({ type: 'ClipboardText', text });
  const canSend = () => controller.inputActive;
  const isViewOnly = () => controller.viewOnly;
  let open = false;
  let lastRemote = null; // last text from the remote machine
  let lastSynced = null; // last text either side already has, so focus doesn't resend it
  const key = syncKey(controller.session);
  let sync = sessionStorage.getItem(key) === 'on';

  const toggle = button({ label: 'Clipboard', icon: 'clipboard', variant: 'ghost', size: 'sm', id: 'viewer-clipboard', title: 'Clipboard: see what was copied on the remote machine, send text to it' });
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', 'viewer-clipboard-panel');

  const remoteText = h('textarea', { class: 'input viewer-clip-text', id: 'viewer-clipboard-remote', readonly: true, rows: 5, placeholder: 'Copy text on the remote machine and it appears here.', 'aria-label': 'Remote clipboard' });
  const remoteMeta = h('span', { class: 'field-hint', id: 'viewer-clipboard-remote-meta' }, 'Nothing copied yet.');
  const copyButton = button({ label: 'Copy to my clipboard', icon: 'copy', variant: 'outline', size: 'sm', id: 'viewer-clipboard-copy', disabled: true });
  copyButton.addEventListener('click', () => {
    if (lastRemote !== null) copyText(lastRemote, 'Copied the remote clipboard');
  });

  const localText = h('textarea', { class: 'input viewer-clip-text', id: 'viewer-clipboard-local', rows: 5, placeholder: 'Paste text here, then Send. Press Ctrl+V on the remote machine to use it.', 'aria-label': 'Text to send to the remote clipboard' });
  const error = h('p', { class: 'viewer-clip-error is-hidden', id: 'viewer-clipboard-error', role: 'alert' });
  const sentNote = h('p', { class: 'field-hint is-hidden', id: 'viewer-clipboard-sent', role: 'status' });
  const count = h('span', { class: 'field-hint', id: 'viewer-clipboard-count' });
  const sendButton = button({ label: 'Send to remote', icon: 'upload', variant: 'primary', size: 'sm', id: 'viewer-clipboard-send' });
  const syncBox = h('input', { type: 'checkbox', id: 'viewer-clipboard-sync', checked: sync });
  const viewOnlyNote = h('p', { class: 'field-hint viewer-clip-note is-hidden', id: 'viewer-clipboard-note' },
    'View only: you can see the screen but not change the remote clipboard.');

  const close = button({ label: 'Close clipboard', icon: 'x', variant: 'ghost', size: 'icon', id: 'viewer-clipboard-close' });
  const panel = h('aside', { class: 'viewer-clip is-hidden', id: 'viewer-clipboard-panel', 'aria-label': 'Clipboard' },
    h('header', { class: 'viewer-clip-head' }, icon('clipboard', { size: 16 }), h('h2', null, 'Clipboard'), close),
    h('section', { class: 'viewer-clip-section' },
      h('h3', null, 'On the remote machine'), remoteText,
      h('div', { class: 'viewer-clip-row' }, remoteMeta, copyButton)),
    h('section', { class: 'viewer-clip-section' },
      h('h3', null, 'Send to the remote machine'), localText, error, sentNote, viewOnlyNote,
      h('div', { class: 'viewer-clip-row' }, count, sendButton)),
    h('label', { class: 'checkbox-row viewer-clip-auto', for: 'viewer-clipboard-sync' }, syncBox,
      h('span', null, h('strong', null, 'Sync with my clipboard'),
        h('span', { class: 'field-hint', id: 'viewer-clipboard-sync-hint' }, 'Off: this page never touches your clipboard. On (this session only): remote copies land in your clipboard, and yours is sent when you return to this tab.'))));

  function showError(text) {
    error.textContent = text || '';
    error.classList.toggle('is-hidden', !text);
  }

  function updateCount() {
    const n = byteLength(localText.value);
    count.textContent = localText.value ? formatBytes(n) : '';
    if (n <= MAX_CLIPBOARD_BYTES) showError('');
  }

  /** Sends `text` if this viewer may; returns an error message or null. */
  function sendText(text) {
    if (isViewOnly()) return 'View only: you cannot change the remote clipboard.';
    if (!canSend()) return 'Not connected, or paused: nothing was sent.';
    const n = byteLength(text);
    if (n === 0) return 'There is no text to send.';
    if (n > MAX_CLIPBOARD_BYTES) return `The text is ${formatBytes(n)}; the most one clipboard can carry is ${formatBytes(MAX_CLIPBOARD_BYTES)}. Nothing was sent.`;
    send(text);
    lastSynced = text;
    return null;
  }

  sendButton.addEventListener('click', () => {
    const problem = sendText(localText.value);
    showError(problem);
    sentNote.classList.toggle('is-hidden', Boolean(problem));
    if (!problem) {
      sendButton.dataset.sent = String(Number(sendButton.dataset.sent || 0) + 1);
      sentNote.textContent = `Sent at ${new Date().toLocaleTimeString()}. Press Ctrl+V on the remote machine to paste it.`;
    }
  });
  localText.addEventListener('input', updateCount);
  function showSync() {
    toggle.dataset.sync = sync ? 'on' : 'off';
    toggle.title = sync
      ? 'Clipboard (sync on): remote copies go to your clipboard, yours goes to the remote machine'
      : 'Clipboard: see what was copied on the remote machine, send text to it';
  }
  syncBox.addEventListener('change', () => {
    sync = syncBox.checked;
    if (sync) sessionStorage.setItem(key, 'on');
    else sessionStorage.removeItem(key);
    showSync();
  });
  showSync();

  function setOpen(value) {
    open = value;
    panel.classList.toggle('is-hidden', !open);
    toggle.setAttribute('aria-expanded', String(open));
    toggle.classList.toggle('is-active', open);
    if (open) toggle.classList.remove('has-unread');
  }
  toggle.addEventListener('click', () => setOpen(!open));
  close.addEventListener('click', () => setOpen(false));

  // Sync, local → remote: when the technician comes back to the tab, or brings this session
  // to the front of the session switcher, the local clipboard goes over if it changed. Needs
  // sync on and the browser's clipboard-read permission; without either, only the panel's
  // Send works. A session in the background never syncs: the clipboard is the front one's.
  let background = controller.background;
  async function pushLocal() {
    if (!sync || controller.background || !canSend() || !navigator.clipboard?.readText) return;
    let text;
    try {
      text = await navigator.clipboard.readText();
    } catch {
      return; // permission refused or no focus: the panel still works
    }
    if (text && text !== lastSynced && byteLength(text) <= MAX_CLIPBOARD_BYTES) sendText(text);
  }
  const onFocus = () => { pushLocal(); };
  window.addEventListener('focus', onFocus);

  return {
    name: 'clipboard',
    mount: { tools: toggle, body: panel },
    messages: {
      /** Not part of the picture: a pause does not hold it back. */
      ClipboardText({ text }) {
        lastRemote = text;
        lastSynced = text;
        remoteText.value = text;
        remoteMeta.textContent = `Copied on the remote machine at ${new Date().toLocaleTimeString()} · ${formatBytes(byteLength(text))}`;
        copyButton.disabled = false;
        if (!open) toggle.classList.add('has-unread');
        if (sync && !controller.background && document.hasFocus() && navigator.clipboard?.writeText) {
          navigator.clipboard.writeText(text).catch(() => { /* no permission: the panel's Copy works */ });
        }
      },
    },
    events: {
      /** A new channel (a new agent process) has not seen what the last one synced. */
      state({ state }) {
        if (state === STATE.keyExchange) lastSynced = null;
      },
      /** Re-reads whether sending is allowed (connection, view-only, pause changes). */
      change() {
        if (background && !controller.background) pushLocal(); // shown again: like coming back to the tab
        background = controller.background;
        sendButton.disabled = !canSend();
        localText.disabled = isViewOnly();
        viewOnlyNote.classList.toggle('is-hidden', !isViewOnly());
      },
    },
    stop() {
      window.removeEventListener('focus', onFocus);
    },
  };
}
