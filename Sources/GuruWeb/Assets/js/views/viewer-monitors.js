// The viewer's picture tools: which monitor to show (all, or one of the agent's) and the
// scale (Fit the window, or 1:1 with scrolling).
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';

export function monitorsPanel(controller) {
  const monitorSelect = h('select', { class: 'input select viewer-monitor-select', id: 'viewer-monitor', 'aria-label': 'Monitor', disabled: true },
    h('option', { value: '-1' }, 'All monitors'));
  const fitButton = h('button', { type: 'button', class: 'viewer-seg', id: 'viewer-scale-fit', 'aria-pressed': 'true', title: 'Scale to fit the window' }, icon('fit', { size: 15 }), h('span', { class: 'viewer-seg-label' }, 'Fit'));
  const actualButton = h('button', { type: 'button', class: 'viewer-seg', id: 'viewer-scale-actual', 'aria-pressed': 'false', title: 'Actual size (1:1), scroll to pan' }, h('span', null, '1:1'));
  fitButton.addEventListener('click', () => controller.setFit(true));
  actualButton.addEventListener('click', () => controller.setFit(false));
  monitorSelect.addEventListener('change', () => controller.selectMonitor(Number(monitorSelect.value)));
  let shown = null; // the monitor list the picker holds

  /** Lists the agent's monitors; the picker is only enabled when there is a choice. */
  function showMonitors(monitors, selected) {
    replace(monitorSelect,
      h('option', { value: '-1', selected: selected === -1 }, 'All monitors'),
      monitors.map((m, i) => h('option', { value: String(i), selected: selected === i },
        `Monitor ${i + 1}${m.primary ? ' (primary)' : ''} · ${m.width}×${m.height}`)));
    monitorSelect.disabled = monitors.length < 2;
  }

  return {
    name: 'monitors',
    mount: { tools: [monitorSelect, h('div', { class: 'viewer-segmented', role: 'group', 'aria-label': 'Scale' }, fitButton, actualButton)] },
    events: {
      change() {
        if (controller.monitors !== shown) {
          shown = controller.monitors;
          showMonitors(shown, controller.selectedMonitor);
        }
        fitButton.setAttribute('aria-pressed', String(controller.fit));
        actualButton.setAttribute('aria-pressed', String(!controller.fit));
      },
    },
  };
}
