// The remote viewer, full window at /app/viewer/{id}?mode=control|view[&kind=support]:
// toolbar, the remote screen, connection states and a status bar. `id` is an enrolled
// agent, or a support session with kind=support. This file only puts the viewer together:
// the state and message dispatch are ../viewer/controller.js (which explains the panel
// contract), the frame is ./viewer-layout.js, and each tool is a panel of its own.
import { replace } from '../dom.js';
import { ViewerController } from '../viewer/controller.js';
import { viewerLayout } from './viewer-layout.js';
import { screenPanel } from './viewer-screen.js';
import { identityPanel } from './viewer-identity.js';
import { stateBadgePanel, overlayPanel } from './viewer-overlay.js';
import { monitorsPanel } from './viewer-monitors.js';
import { pausePanel } from './viewer-pause.js';
import { viewOnlyPanel } from './viewer-view-only.js';
import { keysPanel } from './viewer-keys.js';
import { clipboardPanel } from './viewer-clipboard.js';
import { windowPanel } from './viewer-window.js';
import { endSessionPanel } from './viewer-support.js';
import { statusPanel } from './viewer-status.js';

/** Reads /app/viewer/{id}?mode=…&kind=… into the session the controller serves. */
function sessionFromLocation(subpath) {
  const params = new URLSearchParams(location.search);
  const kind = params.get('kind') === 'support' ? 'support' : 'agent';
  return {
    agentId: subpath.replace(/^\//, '').split('/')[0],
    mode: params.get('mode') === 'view' ? 'view' : 'control',
    kind,
    home: kind === 'support' ? { href: '/app/support', label: 'Back to Support' } : { href: '/app/access', label: 'Back to Access' },
  };
}

export function render(container, ctx) {
  const session = sessionFromLocation(ctx.subpath);
  const layout = viewerLayout(session);
  const controller = new ViewerController({ session, layout });
  const control = session.mode === 'control';
  // Within a slot, panels appear in this order. Only a controlling viewer gets the remote
  // clipboard or may change it (the agent enforces it).
  const panels = [
    layout.panel(controller),
    screenPanel(controller, { body: layout.body }),
    identityPanel(controller, { setTitle: ctx.setTitle }),
    stateBadgePanel(),
    overlayPanel(controller),
    monitorsPanel(controller),
    pausePanel(controller),
    control && viewOnlyPanel(controller),
    control && keysPanel(controller),
    control && clipboardPanel(controller),
    windowPanel(controller, { root: layout.root }),
    session.kind === 'support' && endSessionPanel(controller),
    statusPanel(controller),
  ];
  for (const panel of panels) if (panel) controller.register(panel);
  replace(container, layout.root);
  controller.start();
  return () => controller.stop();
}
