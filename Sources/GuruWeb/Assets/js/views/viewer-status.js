// The viewer's status bar: connection state, fps, latency, bandwidth, codec, the agent's
// capture path, an "Administrator" badge while the agent runs elevated, the 6-digit end-to-end code to compare with the one the agent's window shows,
// and notes (panels' `controller.note(text)`).
import { h, replace } from '../dom.js';
import { icon } from '../icons.js';
import { stateLabel, INTERRUPTED_STATES } from './viewer-overlay.js';

const CODEC_LABEL = { jpeg: 'JPEG', png: 'PNG', 'webp-lossless': 'WebP lossless', vp8: 'VP8' };
/** SessionInfo.captureName → what the status bar shows; unknown names show as sent. */
const CAPTURE_LABEL = { xshm: 'XShm', xgetimage: 'XGetImage', gdi: 'GDI', dxgi: 'DXGI' };

export function formatBandwidth(bytesPerSecond) {
  const bits = bytesPerSecond * 8;
  if (bits >= 1e6) return `${(bits / 1e6).toFixed(1)} Mbit/s`;
  if (bits >= 1e3) return `${Math.round(bits / 1e3)} kbit/s`;
  return `${Math.round(bits)} bit/s`;
}

function stat(id, label, title) {
  const value = h('span', { class: 'viewer-stat-value', id }, '—');
  return { el: h('span', { class: 'viewer-stat', title }, h('span', { class: 'viewer-stat-label' }, label), value), value };
}

/** The status bar; counts frames and bytes and shows them once a second. */
export function statusPanel(controller) {
  const stateDot = h('span', { class: 'viewer-status-dot' });
  const stateLabelEl = h('span', { id: 'viewer-status-state' }, 'Connecting');
  const fps = stat('viewer-stat-fps', 'FPS', 'Frames painted per second');
  const latency = stat('viewer-stat-latency', 'Latency', 'Round trip to the server (Ping/Pong)');
  const bandwidth = stat('viewer-stat-bandwidth', 'In', 'Data received from the server');
  const codec = stat('viewer-stat-codec', 'Codec', 'Encoding of the last screen update');
  const capture = stat('viewer-stat-capture', 'Capture', 'How the agent reads the remote screen');
  const fingerprint = h('span', { class: 'viewer-fingerprint-value mono', id: 'viewer-fingerprint' }, '—');
  const elevated = h('span', {
    class: 'badge badge-warning viewer-elevated is-hidden', id: 'viewer-elevated',
    title: 'The agent runs elevated (as administrator): its input also reaches elevated windows.',
  }, icon('shield', { size: 12 }), 'Administrator');
  const noteEl = h('span', { class: 'viewer-status-note is-hidden', id: 'viewer-status-note' });
  const el = h('footer', { class: 'viewer-statusbar', id: 'viewer-status' },
    h('span', { class: 'viewer-status-state' }, stateDot, stateLabelEl),
    fps.el, latency.el, bandwidth.el, codec.el, capture.el, elevated, noteEl,
    h('span', { class: 'spacer' }),
    h('span', { class: 'viewer-fingerprint', title: 'End-to-end code. The person at the machine sees the same 6 digits in their GuruConnect window; if they differ, someone is intercepting the session.' },
      icon('lock', { size: 13 }), h('span', { class: 'viewer-stat-label' }, 'Code'), fingerprint));

  const stats = { frames: 0, bytes: 0, latency: null, codec: null };
  function show(connected) {
    fps.value.textContent = connected ? String(stats.frames) : '—';
    latency.value.textContent = stats.latency === null ? '—' : `${Math.round(stats.latency)} ms`;
    bandwidth.value.textContent = connected ? formatBandwidth(stats.bytes) : '—';
    codec.value.textContent = stats.codec ? CODEC_LABEL[stats.codec] || stats.codec : '—';
  }
  const timer = setInterval(() => {
    show(controller.connected);
    stats.frames = 0;
    stats.bytes = 0;
  }, 1000);

  return {
    name: 'status',
    mount: { footer: el },
    messages: {
      /** The agent's capture path ("xshm", "dxgi"…; null: not told yet) and its elevation. */
      SessionInfo({ captureName: name, elevated: isElevated }) {
        capture.value.textContent = name ? CAPTURE_LABEL[name] || name : '—';
        if (name) capture.value.dataset.capture = name;
        else delete capture.value.dataset.capture;
        elevated.classList.toggle('is-hidden', isElevated !== true);
      },
    },
    events: {
      state(info) {
        const [label, variant] = stateLabel(info.state);
        stateLabelEl.textContent = label;
        stateDot.className = `viewer-status-dot viewer-status-dot-${variant}`;
        fingerprint.textContent = info.fingerprint || '—';
        el.classList.toggle('has-fingerprint', Boolean(info.fingerprint));
        if (INTERRUPTED_STATES.has(info.state)) {
          stats.latency = null;
          show(false);
        }
      },
      tile(encoding) {
        stats.codec = encoding;
      },
      frame() {
        stats.frames += 1;
      },
      bytes(n) {
        stats.bytes += n;
      },
      latency(ms) {
        stats.latency = stats.latency === null ? ms : stats.latency * 0.7 + ms * 0.3;
      },
      note(text) {
        replace(noteEl, text);
        noteEl.classList.toggle('is-hidden', !text);
      },
    },
    stop() {
      clearInterval(timer);
    },
  };
}
