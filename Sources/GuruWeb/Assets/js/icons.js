// GuruConnect's own stroke icon set: 24×24 grid, 2px round strokes, drawn with
// currentColor so icons follow the text colour of their button or link.

const SVG_NS = 'http://www.w3.org/2000/svg';

// Each icon is a list of [element, attributes].
const ICONS = {
  flag: [['path', { d: 'M4 22V4' }], ['path', { d: 'M4 4h12l-2 4 2 4H4' }]],
  power: [['path', { d: 'M12 3v9' }], ['path', { d: 'M6.3 6.3a8 8 0 1 0 11.4 0' }]],
  filter: [['path', { d: 'M3 5h18l-7 8v6l-4 2v-8z' }]],
  pin: [['path', { d: 'M12 17v5' }], ['path', { d: 'M8 3h8l-1 6 3 4v2H6v-2l3-4z' }]],
  columns: [['rect', { x: 3, y: 4, width: 18, height: 16, rx: 2 }], ['path', { d: 'M9 4v16M15 4v16' }]],
  support: [
    ['rect', { x: 3, y: 4, width: 18, height: 16, rx: 2 }],
    ['path', { d: 'M7 9h.01M7 13h.01M7 17h.01' }],
    ['path', { d: 'M11 9h6M11 13h6M11 17h4' }],
  ],
  monitor: [
    ['rect', { x: 2.5, y: 3.5, width: 19, height: 13, rx: 2 }],
    ['path', { d: 'M8 20.5h8M12 16.5v4' }],
  ],
  wrench: [
    ['path', { d: 'M15 3.5a5.5 5.5 0 0 0-5.2 7.3L3.6 17a2 2 0 0 0 2.8 2.9l6.3-6.2a5.5 5.5 0 0 0 7.5-5l-3.2 3.1-3-.8-.8-3 3.1-3.2A5.6 5.6 0 0 0 15 3.5z' }],
  ],
  settings: [
    ['path', { d: 'M12.2 2h-.4a2 2 0 0 0-2 2v.2a2 2 0 0 1-1 1.7l-.4.3a2 2 0 0 1-2 0l-.2-.1a2 2 0 0 0-2.7.7l-.2.4a2 2 0 0 0 .7 2.7l.2.1a2 2 0 0 1 1 1.7v.5a2 2 0 0 1-1 1.8l-.2.1a2 2 0 0 0-.7 2.7l.2.4a2 2 0 0 0 2.7.7l.2-.1a2 2 0 0 1 2 0l.4.3a2 2 0 0 1 1 1.7v.2a2 2 0 0 0 2 2h.4a2 2 0 0 0 2-2v-.2a2 2 0 0 1 1-1.7l.4-.3a2 2 0 0 1 2 0l.2.1a2 2 0 0 0 2.7-.7l.2-.4a2 2 0 0 0-.7-2.7l-.2-.1a2 2 0 0 1-1-1.8v-.5a2 2 0 0 1 1-1.7l.2-.1a2 2 0 0 0 .7-2.7l-.2-.4a2 2 0 0 0-2.7-.7l-.2.1a2 2 0 0 1-2 0l-.4-.3a2 2 0 0 1-1-1.7V4a2 2 0 0 0-2-2z' }],
    ['circle', { cx: 12, cy: 12, r: 3 }],
  ],
  logOut: [
    ['path', { d: 'M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4' }],
    ['path', { d: 'M16 17l5-5-5-5M21 12H9' }],
  ],
  menu: [['path', { d: 'M4 6h16M4 12h16M4 18h16' }]],
  pause: [
    ['rect', { x: 6, y: 4.5, width: 4, height: 15, rx: 1 }],
    ['rect', { x: 14, y: 4.5, width: 4, height: 15, rx: 1 }],
  ],
  play: [['path', { d: 'M7 4.8v14.4a1 1 0 0 0 1.5.9l11.3-7.2a1 1 0 0 0 0-1.7L8.5 3.9A1 1 0 0 0 7 4.8z' }]],
  x: [['path', { d: 'M18 6 6 18M6 6l12 12' }]],
  sun: [
    ['circle', { cx: 12, cy: 12, r: 4 }],
    ['path', { d: 'M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4' }],
  ],
  moon: [['path', { d: 'M20.5 14.1A8.5 8.5 0 1 1 9.9 3.5a6.6 6.6 0 0 0 10.6 10.6z' }]],
  laptop: [
    ['rect', { x: 4, y: 4.5, width: 16, height: 11, rx: 1.5 }],
    ['path', { d: 'M2 19.5h20' }],
  ],
  key: [
    ['circle', { cx: 7.5, cy: 15.5, r: 4.5 }],
    ['path', { d: 'M10.7 12.3 21 2M16 7l3 3M18.5 4.5l2 2' }],
  ],
  shield: [
    ['path', { d: 'M20 13c0 5-3.5 7.5-7.7 9a1 1 0 0 1-.6 0C7.5 20.5 4 18 4 13V6a1 1 0 0 1 1-1c2 0 4.5-1.2 6.2-2.7a1.2 1.2 0 0 1 1.6 0C14.5 3.8 17 5 19 5a1 1 0 0 1 1 1z' }],
    ['path', { d: 'm9 12 2 2 4-4' }],
  ],
  users: [
    ['circle', { cx: 9, cy: 7.5, r: 3.5 }],
    ['path', { d: 'M2.5 20v-1.5A4.5 4.5 0 0 1 7 14h4a4.5 4.5 0 0 1 4.5 4.5V20' }],
    ['path', { d: 'M16 3.6a3.5 3.5 0 0 1 0 7.8M21.5 20v-1.5a4.5 4.5 0 0 0-3.2-4.3' }],
  ],
  user: [
    ['circle', { cx: 12, cy: 8, r: 4 }],
    ['path', { d: 'M4.5 21v-1a6 6 0 0 1 6-6h3a6 6 0 0 1 6 6v1' }],
  ],
  trash: [
    ['path', { d: 'M3 6h18M8 6V4a1 1 0 0 1 1-1h6a1 1 0 0 1 1 1v2' }],
    ['path', { d: 'M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6M10 11v6M14 11v6' }],
  ],
  copy: [
    ['rect', { x: 8.5, y: 8.5, width: 13, height: 13, rx: 2 }],
    ['path', { d: 'M15.5 8.5V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v8.5a2 2 0 0 0 2 2h3.5' }],
  ],
  plus: [['path', { d: 'M12 5v14M5 12h14' }]],
  download: [['path', { d: 'M12 3v12M7 10l5 5 5-5M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2' }]],
  search: [
    ['circle', { cx: 11, cy: 11, r: 7 }],
    ['path', { d: 'm20.5 20.5-4.5-4.5' }],
  ],
  check: [['path', { d: 'M20 6 9 17l-5-5' }]],
  alert: [
    ['path', { d: 'M10.3 3.9 2.2 18a2 2 0 0 0 1.7 3h16.2a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z' }],
    ['path', { d: 'M12 9v4M12 17h.01' }],
  ],
  info: [
    ['circle', { cx: 12, cy: 12, r: 9.5 }],
    ['path', { d: 'M12 16v-4.5M12 8h.01' }],
  ],
  more: [['path', { d: 'M12 5.5h.01M12 12h.01M12 18.5h.01' }]],
  chevronLeft: [['path', { d: 'm15 18-6-6 6-6' }]],
  chevronRight: [['path', { d: 'm9 18 6-6-6-6' }]],
  palette: [
    ['path', { d: 'M12 2.5a9.5 9.5 0 0 0 0 19c1.2 0 1.8-.9 1.8-1.8 0-.5-.2-.9-.5-1.2-.3-.3-.5-.7-.5-1.2 0-1 .8-1.8 1.8-1.8h2.1A4.8 4.8 0 0 0 21.5 11c0-4.7-4.3-8.5-9.5-8.5z' }],
    ['path', { d: 'M7.5 11.5h.01M10 7.5h.01M14.5 7.5h.01M17 11h.01' }],
  ],
  sliders: [
    ['path', { d: 'M4 21v-7M4 10V3M12 21v-9M12 8V3M20 21v-5M20 12V3' }],
    ['path', { d: 'M1.5 14h5M9.5 8h5M17.5 16h5' }],
  ],
  scroll: [
    ['path', { d: 'M8 21h11a2 2 0 0 0 2-2v-2H10v2a2 2 0 1 1-4 0V5a2 2 0 0 0-2-2 2 2 0 0 0-2 2v3h4' }],
    ['path', { d: 'M19 17V5a2 2 0 0 0-2-2H4M10 8h6M10 12h6' }],
  ],
  lock: [
    ['rect', { x: 4, y: 10.5, width: 16, height: 11, rx: 2 }],
    ['path', { d: 'M8 10.5V7a4 4 0 0 1 8 0v3.5' }],
  ],
  edit: [
    ['path', { d: 'M12 20h9' }],
    ['path', { d: 'M16.4 3.6a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z' }],
  ],
  building: [
    ['rect', { x: 4, y: 2.5, width: 16, height: 19, rx: 1.5 }],
    ['path', { d: 'M9 21.5v-4h6v4M8.5 6.5h.01M12 6.5h.01M15.5 6.5h.01M8.5 10.5h.01M12 10.5h.01M15.5 10.5h.01M8.5 14h.01M12 14h.01M15.5 14h.01' }],
  ],
  package: [
    ['path', { d: 'M21 8 12 3 3 8v8l9 5 9-5z' }],
    ['path', { d: 'm3 8 9 5 9-5M12 13v8M7.5 5.5l9 5' }],
  ],
  zap: [['path', { d: 'M13 2 4 14h7l-1 8 9-12h-7z' }]],
  refresh: [
    ['path', { d: 'M3 12a9 9 0 0 1 15.5-6.2L21 8M21 3v5h-5' }],
    ['path', { d: 'M21 12a9 9 0 0 1-15.5 6.2L3 16M3 21v-5h5' }],
  ],
  folder: [['path', { d: 'M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2.5h8.5A1.5 1.5 0 0 1 21 9v9.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z' }]],
  clock: [
    ['circle', { cx: 12, cy: 12, r: 9.5 }],
    ['path', { d: 'M12 7v5l3 2' }],
  ],
  maximize: [['path', { d: 'M8 3H5a2 2 0 0 0-2 2v3M21 8V5a2 2 0 0 0-2-2h-3M3 16v3a2 2 0 0 0 2 2h3M16 21h3a2 2 0 0 0 2-2v-3' }]],
  minimize: [['path', { d: 'M8 3v3a2 2 0 0 1-2 2H3M21 8h-3a2 2 0 0 1-2-2V3M3 16h3a2 2 0 0 1 2 2v3M16 21v-3a2 2 0 0 1 2-2h3' }]],
  keyboard: [
    ['rect', { x: 2, y: 5, width: 20, height: 14, rx: 2 }],
    ['path', { d: 'M6 9h.01M10 9h.01M14 9h.01M18 9h.01M6 12.5h.01M10 12.5h.01M14 12.5h.01M18 12.5h.01M7.5 16h9' }],
  ],
  eye: [
    ['path', { d: 'M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z' }],
    ['circle', { cx: 12, cy: 12, r: 3 }],
  ],
  mouse: [
    ['rect', { x: 6, y: 3, width: 12, height: 18, rx: 6 }],
    ['path', { d: 'M12 7v4' }],
  ],
  plug: [['path', { d: 'M9 2v6M15 2v6M6 8h12v4a6 6 0 0 1-12 0zM12 18v4' }]],
  wifiOff: [
    ['path', { d: 'M2 2l20 20M8.5 16.4a5 5 0 0 1 7 0M5 12.9a10 10 0 0 1 5.2-2.7M16.8 10.3A10 10 0 0 1 19 12.9M1.5 9a15 15 0 0 1 4.2-2.7M10.7 5.1A15 15 0 0 1 22.5 9M12 20h.01' }],
  ],
  fit: [
    ['rect', { x: 3, y: 3, width: 18, height: 18, rx: 2 }],
    ['path', { d: 'M9 3v18M3 9h6' }],
  ],
  activity: [['path', { d: 'M22 12h-4l-3 9L9 3l-3 9H2' }]],
  clipboard: [
    ['rect', { x: 8, y: 2.5, width: 8, height: 4, rx: 1 }],
    ['path', { d: 'M16 4.5h2a2 2 0 0 1 2 2v13a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-13a2 2 0 0 1 2-2h2' }],
    ['path', { d: 'M8.5 12h7M8.5 16h5' }],
  ],
  upload: [
    ['path', { d: 'M12 15V3.5M7.5 8 12 3.5 16.5 8' }],
    ['path', { d: 'M4 15v3.5a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V15' }],
  ],
  externalLink: [['path', { d: 'M15 3h6v6M10 14 21 3M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6' }]],
};

/** Returns a fresh <svg> element for `name`; `size` in px, extra `class`. */
export function icon(name, { size = 16, className = '', label = null } = {}) {
  const parts = ICONS[name];
  if (!parts) throw new Error(`Unknown icon "${name}"`);
  const svg = document.createElementNS(SVG_NS, 'svg');
  const attrs = {
    viewBox: '0 0 24 24', width: size, height: size, fill: 'none', stroke: 'currentColor',
    'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
    class: ('icon ' + className).trim(),
  };
  for (const [k, v] of Object.entries(attrs)) svg.setAttribute(k, String(v));
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else {
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
  }
  for (const [tag, partAttrs] of parts) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(partAttrs)) node.setAttribute(k, String(v));
    svg.append(node);
  }
  return svg;
}

export const ICON_NAMES = Object.keys(ICONS);
