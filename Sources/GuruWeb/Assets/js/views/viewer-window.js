// The viewer's window buttons: full screen, and Disconnect (an enrolled agent) or Leave (a
// support session: just this viewer, the session stays open for the others).
import { icon } from '../icons.js';
import { replace } from '../dom.js';
import { button } from '../components/button.js';
import { toast } from '../components/toast.js';

/** windowPanel(controller, { root }): `root` is the element full screen shows. */
export function windowPanel(controller, { root }) {
  const support = controller.session.kind === 'support';
  const fullscreenButton = button({ label: 'Full screen', icon: 'maximize', variant: 'ghost', size: 'icon', id: 'viewer-fullscreen', title: 'Full screen' });
  const disconnectButton = button({
    label: support ? 'Leave' : 'Disconnect', icon: 'x', variant: 'ghost', size: 'sm', id: 'viewer-disconnect', extraClass: 'btn-danger-text',
    title: support ? 'Close your viewer; the session stays open' : null,
  });
  fullscreenButton.addEventListener('click', async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await root.requestFullscreen();
    } catch (err) {
      toast.error("Couldn't switch to full screen", err.message);
    }
  });
  const onFullscreenChange = () => {
    const full = document.fullscreenElement === root;
    replace(fullscreenButton, icon(full ? 'minimize' : 'maximize', { size: 16 }));
    fullscreenButton.title = full ? 'Exit full screen' : 'Full screen';
    fullscreenButton.setAttribute('aria-label', fullscreenButton.title);
    controller.focusScreen();
  };
  document.addEventListener('fullscreenchange', onFullscreenChange);
  disconnectButton.addEventListener('click', () => controller.disconnect());

  return {
    name: 'window',
    mount: { tools: [fullscreenButton, disconnectButton] },
    events: {
      change() {
        disconnectButton.disabled = controller.stopped;
      },
    },
    stop() {
      document.removeEventListener('fullscreenchange', onFullscreenChange);
    },
  };
}
