// History-API routing: in-app links use pushState, Back/Forward re-render.
let renderCurrent = () => {};

const APP_PATH = /^\/(login|setup|app)(\/|$)/;

/** Starts routing; `render` reads location.pathname and draws the view. */
export function startRouter(render) {
  renderCurrent = render;
  window.addEventListener('popstate', () => renderCurrent());
  document.addEventListener('click', interceptLinkClick);
  return renderCurrent();
}

/** Go to `path` inside the app. `state` is kept in history.state (e.g. a note). */
export function navigate(path, { replace = false, state = null } = {}) {
  if (replace) history.replaceState(state, '', path);
  else history.pushState(state, '', path);
  return renderCurrent();
}

function interceptLinkClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest('a[href]');
  if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
  if (!APP_PATH.test(link.pathname)) return;
  event.preventDefault();
  if (link.pathname + link.search !== location.pathname + location.search) navigate(link.pathname + link.search);
}
