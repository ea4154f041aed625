// "Connect" from the Access and Support tabs adds the session to a viewer window that is
// already open, instead of opening one more tab. Over a BroadcastChannel, same origin only:
//   tab → all viewers: { type: 'ask', id }             who can take a session?
//   viewer → tab:      { type: 'offer', id, viewer, focusedAt }
//   tab → viewer:      { type: 'take', id, viewer, session }   the most recently used one
//   viewer → tab:      { type: 'taken', id }
// No viewer answers within ASK_MS (none open, or BroadcastChannel missing): the tab opens a
// new viewer window as before.
const CHANNEL = 'guruconnect-viewers';
const ASK_MS = 250;
const TAKE_MS = 1000;

function randomId() {
  return Math.random().toString(36).slice(2, 10);
}

/** In a viewer window: answers the tabs' requests; `open(session)` adds one. Returns stop(). */
export function listenForOpenRequests({ open }) {
  if (typeof BroadcastChannel !== 'function') return () => {};
  const channel = new BroadcastChannel(CHANNEL);
  const me = randomId();
  let focusedAt = document.hasFocus() ? Date.now() : 0;
  const onFocus = () => {
    focusedAt = Date.now();
  };
  window.addEventListener('focus', onFocus);
  channel.onmessage = ({ data }) => {
    if (!data || typeof data !== 'object') return;
    if (data.type === 'ask') channel.postMessage({ type: 'offer', id: data.id, viewer: me, focusedAt });
    if (data.type === 'take' && data.viewer === me && data.session && typeof data.session.agentId === 'string') {
      open({ agentId: data.session.agentId, mode: data.session.mode, kind: data.session.kind, collect: data.session.collect === 'diagnostics' ? 'diagnostics' : null });
      channel.postMessage({ type: 'taken', id: data.id });
      window.focus();
    }
  };
  return () => {
    window.removeEventListener('focus', onFocus);
    channel.close();
  };
}

/** From a tab: resolves true when an open viewer window took `session`, false otherwise. */
export function offerToOpenViewer(session) {
  if (typeof BroadcastChannel !== 'function') return Promise.resolve(false);
  const channel = new BroadcastChannel(CHANNEL);
  const id = randomId();
  const offers = [];
  return new Promise((resolve) => {
    const finish = (taken) => {
      clearTimeout(timer);
      channel.close();
      resolve(taken);
    };
    channel.onmessage = ({ data }) => {
      if (data?.id !== id) return;
      if (data.type === 'offer') offers.push(data);
      if (data.type === 'taken') finish(true);
    };
    let timer = setTimeout(() => {
      if (!offers.length) return finish(false);
      const best = offers.reduce((a, b) => (b.focusedAt > a.focusedAt ? b : a));
      channel.postMessage({ type: 'take', id, viewer: best.viewer, session });
      timer = setTimeout(() => finish(false), TAKE_MS);
      return undefined;
    }, ASK_MS);
    channel.postMessage({ type: 'ask', id });
  });
}

/**
 * Makes a viewer link (`<a target=_blank>`) offer its session to an open viewer window first;
 * a modified click (new tab, new window) keeps the browser's own behaviour.
 */
export function connectToOpenViewer(link, session, { onTaken }) {
  link.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.getAttribute('aria-disabled') === 'true') return;
    event.preventDefault();
    offerToOpenViewer(session).then((taken) => {
      if (taken) onTaken();
      else window.open(link.href, '_blank', 'noopener');
    });
  });
  return link;
}
