// Access tab: the enrolled unattended machines, with live online/offline status, filters,
// a detail panel for the selected machine, Connect / View in a new tab, enrolment and
// removal. This file puts the tab together: the state is ../access/controller.js, and the
// list, detail and enrolment are panels that register with it.
import { h, append } from '../dom.js';
import { can } from '../session.js';
import { pageHeader } from '../components/ui.js';
import { AccessController } from '../access/controller.js';
import { listPanel } from './access-list.js';
import { detailPanel } from './access-detail.js';
import { enrolPanel } from './access-enrol.js';

/** The tab's frame and its slots: actions (page header), notice, summary, filters, list, detail. */
function accessLayout() {
  const header = pageHeader({ title: 'Access', description: 'Unattended machines with the permanent agent installed.' });
  const slots = {
    actions: h('div', { class: 'page-actions' }),
    notice: h('div', { class: 'access-notice' }),
    summary: h('p', { class: 'card-description' }),
    filters: h('div', { class: 'card-actions' }),
    list: h('div', { class: 'card-body' }),
    detail: h('div', { class: 'access-aside' }),
  };
  header.append(slots.actions);
  const listCard = h('section', { class: 'card card-flush', id: 'agents-card' },
    h('div', { class: 'card-header' }, h('div', null, h('h2', { class: 'card-title' }, 'Machines'), slots.summary), slots.filters),
    slots.list);
  return {
    nodes: [header, slots.notice, h('div', { class: 'access-grid' }, listCard, slots.detail)],
    mount(slot, elements) {
      if (!slots[slot]) throw new Error(`The Access layout has no slot "${slot}"`);
      append(slots[slot], [elements]);
    },
  };
}

export function render(container, ctx) {
  ctx.setTitle('Access');
  const layout = accessLayout();
  const controller = new AccessController({ layout, permissions: { manage: can('buildInstallers') } });
  const panels = [
    controller.permissions.manage && enrolPanel(controller),
    listPanel(controller),
    detailPanel(controller),
  ];
  for (const panel of panels) if (panel) controller.register(panel);
  container.replaceChildren(...layout.nodes);
  controller.start();
  return () => controller.stop();
}
