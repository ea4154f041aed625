// Entry point: applies the theme, decides between setup / login / dashboard, and
// routes /app/* paths to their view modules.
import { api, onUnauthenticated } from './api.js';
import { startRouter, navigate } from './router.js';
import { getUser, setUser, clearSession } from './session.js';
import { applySavedTheme } from './theme.js';
import { h } from './dom.js';
import { mountShell } from './components/shell.js';
import { toast } from './components/toast.js';
import { emptyState, errorState } from './components/ui.js';
import { wordmark } from './components/logo.js';
import * as setupView from './views/setup.js';
import * as loginView from './views/login.js';
import * as supportView from './views/support.js';
import * as accessView from './views/access.js';
import * as buildView from './views/build.js';
import * as settingsView from './views/settings/index.js';
import * as diagnosticsView from './views/diagnostics-report.js';
import * as viewerView from './views/viewer.js';
import * as portalView from './views/portal.js';

applySavedTheme();

const root = document.getElementById('app');
const APP_ROUTES = [
  { prefix: '/app/support', view: supportView },
  { prefix: '/app/access', view: accessView },
  { prefix: '/app/build', view: buildView },
  { prefix: '/app/settings', view: settingsView },
  { prefix: '/app/diagnostics', view: diagnosticsView },
];

const VIEWER_PREFIX = '/app/viewer';

let setupStatus = null;
let shell = null;
let cleanup = null;

onUnauthenticated(() => {
  if (!getUser()) return;
  clearSession();
  shell = null;
  navigate('/login', { replace: true, state: { note: 'Your session has ended. Please sign in again.', noteKind: 'info', next: location.pathname } });
});

const ctx = {
  navigate,
  setTitle(title) {
    document.title = title ? `${title} · GuruConnect` : 'GuruConnect';
  },
  setupFinished() {
    setupStatus = { needsSetup: false };
  },
  signedIn(user, next) {
    setUser(user);
    navigate(next && next.startsWith('/app') ? next : '/app/support', { replace: true });
  },
  async signOut() {
    try {
      await api('POST', '/api/auth/logout');
    } catch (err) {
      // An already-ended session is still "signed out"; anything else is shown.
      if (err.status !== 401) {
        toast.error(err, "Couldn't sign out");
        return;
      }
    }
    clearSession();
    shell = null;
    navigate('/login', { state: { note: 'You have been signed out.', noteKind: 'info' } });
  },
};

async function render() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const path = location.pathname.replace(/\/+$/, '') || '/';
  // The end-user portal needs neither setup nor a sign-in.
  if (path === '/') return renderPortal();

  if (setupStatus === null) {
    try {
      setupStatus = await api('GET', '/api/setup/status');
    } catch (err) {
      return renderFatal(err);
    }
  }
  if (setupStatus.needsSetup) {
    if (path !== '/setup') return navigate('/setup', { replace: true });
    return renderPublic(setupView, { needsSetup: true, tokenRequired: Boolean(setupStatus.tokenRequired) });
  }
  if (path === '/setup') return renderPublic(setupView, { needsSetup: false });

  if (!getUser()) {
    try {
      const session = await api('GET', '/api/session', undefined, { quietAuth: true });
      setUser(session.user);
    } catch (err) {
      if (err.status !== 401) return renderFatal(err);
      if (path !== '/login') {
        return navigate('/login', { replace: true, state: { next: path.startsWith('/app/') ? path + location.search : null } });
      }
      return renderPublic(loginView, {});
    }
  }

  if (path === '/login' || path === '/app') return navigate('/app/support', { replace: true });
  if (path.startsWith(VIEWER_PREFIX + '/')) return renderViewer(path);
  const route = APP_ROUTES.find((r) => path === r.prefix || path.startsWith(r.prefix + '/'));
  const user = getUser();
  if (!shell || shell.userId !== user.id || !shell.frame.isConnected) {
    shell = mountShell(root, { user, onSignOut: ctx.signOut });
  }
  shell.update(path);
  const container = h('div', { class: 'view' });
  shell.main.replaceChildren(container);
  if (!route) {
    ctx.setTitle('Not found');
    container.append(emptyState({ icon: 'search', title: 'Page not found', text: `Nothing lives at ${path}.`, action: h('a', { href: '/app/support', class: 'btn btn-outline' }, 'Go to Support') }));
    return undefined;
  }
  cleanup = route.view.render(container, { ...ctx, user, path, subpath: path.slice(route.prefix.length) }) || null;
  return undefined;
}

/** The viewer takes the whole window: no sidebar. */
function renderViewer(path) {
  shell = null;
  const container = h('div', { class: 'viewer-root' });
  root.replaceChildren(container);
  cleanup = viewerView.render(container, { ...ctx, user: getUser(), path, subpath: path.slice(VIEWER_PREFIX.length) }) || null;
}

function renderPortal() {
  shell = null;
  const container = h('div', { class: 'portal-page' });
  root.replaceChildren(container);
  cleanup = portalView.render(container, ctx) || null;
}

function renderPublic(view, options) {
  shell = null;
  const container = h('div', { class: 'auth-page' });
  root.replaceChildren(container);
  cleanup = view.render(container, { ...ctx, ...options, state: history.state || {} }) || null;
}

function renderFatal(err) {
  shell = null;
  ctx.setTitle('Unavailable');
  root.replaceChildren(h('div', { class: 'auth-page' },
    h('div', { class: 'auth-card' },
      h('div', { class: 'auth-brand' }, wordmark({ size: 32 })),
      errorState(err, () => {
        setupStatus = null;
        render();
      }, "Can't reach GuruConnect"))));
}

startRouter(render);
