// Access tab: the unattended machines in three panels (the sidebar's groups and saved
// filters, the virtualised list, the selected machine's details), stacked on a phone. This
// file puts the tab together: the state is ../access/controller.js, and the sidebar, list,
// detail and enrolment are panels that register with it.
import { h, append } from '../dom.js';
import { can } from '../session.js';
import { pageHeader } from '../components/ui.js';
import { AccessController } from '../access/controller.js';
import { sidebarPanel } from './access-sidebar.js';
import { listPanel } from './access-list.js';
import { detailPanel } from './access-detail.js';
import { enrolPanel } from './access-enrol.js';

/** The tab's frame and its slots: actions (page header), sidebar, summary, toolbar, list, detail. */
function accessLayout() {
  const header = pageHeader({ title: 'Access', description: 'Unattended machines with the permanent agent installed.' });
  const slots = {
    actions: h('div', { class: 'page-actions' }),
    sidebar: h('div', { class: 'access-sidebar-slot' }),
    summary: h('p', { class: 'card-description' }),
    toolbar: h('div', { class: 'access-toolbar-slot' }),
    list: h('div', { class: 'access-list-slot' }),
    detail: h('div', { class: 'access-aside' }),
  };
  header.append(slots.actions);
  const listCard = h('section', { class: 'card card-flush access-list-card', id: 'agents-card' },
    h('div', { class: 'card-header' }, h('div', null, h('h2', { class: 'card-title' }, 'Machines'), slots.summary)),
    slots.toolbar, slots.list);
  return {
    nodes: [header, h('div', { class: 'access-layout', id: 'access-layout' }, slots.sidebar, listCard, slots.detail)],
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
    sidebarPanel(controller),
    listPanel(controller),
    detailPanel(controller),
  ];
  for (const panel of panels) if (panel) controller.register(panel);
  container.replaceChildren(...layout.nodes);
  controller.start();
  return () => controller.stop();
}
