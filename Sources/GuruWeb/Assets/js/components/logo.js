// The GuruConnect mark and wordmark.
import { h } from '../dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function svgEl(tag, attrs) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The square mark: a signal arc over a dot, i.e. "connected". */
export function logoMark(size = 28) {
  const svg = svgEl('svg', { viewBox: '0 0 32 32', width: size, height: size, class: 'logo-mark', 'aria-hidden': 'true' });
  svg.append(
    svgEl('rect', { width: 32, height: 32, rx: 8, class: 'logo-mark-bg' }),
    svgEl('path', { d: 'M9 12.5a7 7 0 0 1 14 0M12 16.5a4 4 0 0 1 8 0', fill: 'none', stroke: '#fff', 'stroke-width': 2.4, 'stroke-linecap': 'round' }),
    svgEl('circle', { cx: 16, cy: 21.5, r: 2.2, fill: '#fff' }));
  return svg;
}

export function wordmark({ size = 28, className = '' } = {}) {
  return h('span', { class: ['wordmark', className] }, logoMark(size),
    h('span', { class: 'wordmark-text' }, h('span', { class: 'wordmark-strong' }, 'Guru'), 'Connect'));
}
