// The viewer's Pause: the toolbar button and the banner over the frozen screen, with its
// own Resume button. What a pause holds back is the controller's pause gate
// (../viewer/pause-gate.js).
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { button } from '../components/button.js';

export function pausePanel(controller) {
  const pauseButton = button({ label: 'Pause', icon: 'pause', variant: 'ghost', size: 'sm', id: 'viewer-pause', title: 'Freeze the picture and stop sending input' });
  pauseButton.setAttribute('aria-pressed', 'false');
  pauseButton.addEventListener('click', () => controller.setPaused(!controller.paused));
  const banner = h('div', { class: 'viewer-paused is-hidden', id: 'viewer-paused', role: 'status' },
    icon('pause', { size: 16 }), h('span', null, 'Paused: the picture is frozen and your input is not sent.'),
    button({ label: 'Resume', icon: 'play', variant: 'primary', size: 'sm', id: 'viewer-resume', onClick: () => controller.setPaused(false) }));
  let shown = false;

  function showPaused(paused) {
    pauseButton.setAttribute('aria-pressed', String(paused));
    pauseButton.classList.toggle('is-active', paused);
    pauseButton.title = paused ? 'Resume the picture and input' : 'Freeze the picture and stop sending input';
    replace(pauseButton, icon(paused ? 'play' : 'pause', { size: 14 }), h('span', { class: 'btn-label' }, paused ? 'Resume' : 'Pause'));
    banner.classList.toggle('is-hidden', !paused);
  }

  return {
    name: 'pause',
    mount: { tools: pauseButton, body: banner },
    events: {
      change() {
        const { paused } = controller;
        pauseButton.disabled = !controller.connected && !paused;
        if (paused !== shown) {
          shown = paused;
          showPaused(paused);
        }
      },
    },
  };
}
