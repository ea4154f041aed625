// The panel registry shared by the viewer's and the Access tab's controllers: a panel is a
// plain object { name, mount: { slot: element(s) }, messages: { type: fn }, events: { name: fn },
// stop() } (every key optional; viewer/controller.js describes the contract in full). The
// registry mounts a panel's elements into the layout's slots, keeps its handlers by name,
// runs them in registration order, and stops panels last-registered first.

/** Panels, their handlers by message type and by event name, and the layout they mount into. */
export class PanelRegistry {
  /** `layout.mount(slot, elements)` places a panel's elements (it throws for an unknown slot). */
  constructor(layout) {
    this.layout = layout;
    this.panels = [];
    this.messageHandlers = new Map(); // type → [fn]
    this.eventHandlers = new Map(); // event name → [fn]
  }

  add(panel) {
    for (const [slot, elements] of Object.entries(panel.mount || {})) this.layout.mount(slot, elements);
    for (const [type, fn] of Object.entries(panel.messages || {})) addTo(this.messageHandlers, type, fn.bind(panel));
    for (const [name, fn] of Object.entries(panel.events || {})) addTo(this.eventHandlers, name, fn.bind(panel));
    this.panels.push(panel);
    return panel;
  }

  emit(name, args) {
    for (const fn of this.eventHandlers.get(name) || []) fn(...args);
  }

  deliver(message) {
    for (const fn of this.messageHandlers.get(message.type) || []) fn(message);
  }

  stopAll() {
    for (const panel of [...this.panels].reverse()) panel.stop?.();
  }
}

function addTo(map, key, fn) {
  if (!map.has(key)) map.set(key, []);
  map.get(key).push(fn);
}
