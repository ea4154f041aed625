// The viewer's View only toggle (control mode): while on, local mouse and keyboard input
// stays local.
import { button } from '../components/button.js';
import { toast } from '../components/toast.js';

export function viewOnlyPanel(controller) {
  const viewOnlyButton = button({ label: 'View only', icon: 'eye', variant: 'ghost', size: 'sm', id: 'viewer-view-only', title: 'Stop sending mouse and keyboard input' });
  viewOnlyButton.setAttribute('aria-pressed', String(controller.viewOnly));
  viewOnlyButton.addEventListener('click', () => {
    const viewOnly = !controller.viewOnly;
    controller.setViewOnly(viewOnly);
    toast.info(viewOnly ? 'View only' : 'Control enabled', viewOnly ? 'Your mouse and keyboard no longer reach the remote machine.' : 'Your mouse and keyboard reach the remote machine again.');
  });
  return {
    name: 'view-only',
    mount: { tools: viewOnlyButton },
    events: {
      change() {
        const { viewOnly } = controller;
        viewOnlyButton.setAttribute('aria-pressed', String(viewOnly));
        viewOnlyButton.classList.toggle('is-active', viewOnly);
        viewOnlyButton.disabled = !controller.connected || controller.paused;
      },
    },
  };
}
