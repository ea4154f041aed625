// The viewer's screen panel: the stage (desktop canvas and local cursor), scaling it to
// fit or 1:1 and to the chosen monitor, painting the picture messages, acknowledging
// frames, and the local mouse, keyboard and touch input (../viewer/input.js).
import { h } from '../dom.js';
import { RemoteScreen } from '../viewer/screen.js';
import { attachInput } from '../viewer/input.js';
import { AckPacer } from '../viewer/ack-pacer.js';
import { STATE } from '../viewer/connection.js';

/** screenPanel(controller, { body }): `body` is the layout's screen area, which the stage fills. */
export function screenPanel(controller, { body }) {
  const canvas = h('canvas', { id: 'viewer-canvas', class: 'viewer-canvas', width: 1, height: 1 });
  const cursorCanvas = h('canvas', { id: 'viewer-cursor', class: 'viewer-cursor is-hidden', width: 1, height: 1, 'aria-hidden': 'true' });
  const stage = h('div', {
    id: 'viewer-stage', class: 'viewer-stage', tabindex: '0', role: 'application',
    'aria-label': 'Remote screen. Keyboard and mouse input go to the remote machine.',
  }, canvas, cursorCanvas);
  const screen = new RemoteScreen(canvas, cursorCanvas);
  let scale = 1;
  let stream = 0; // counts agent streams (channels): a paint queued for an old one acknowledges nothing
  // Viewer-driven flow control: the agent sends more once a frame is acknowledged; a
  // session in the background of the switcher acknowledges about once a second.
  const acks = new AckPacer({
    ack: (sequence) => controller.send({ type: 'FrameAck', sequence }),
    acked: (sequence) => controller.framePainted(sequence),
  });

  /** The desktop rectangle on show: the chosen monitor, or the whole desktop. */
  function region() {
    const b = screen.bounds;
    if (!b) return null;
    const m = controller.monitors[controller.selectedMonitor];
    return m ? { x: m.x, y: m.y, width: m.width, height: m.height } : b;
  }

  function layout() {
    const r = region();
    if (!r) return;
    const b = screen.bounds;
    const availW = Math.max(1, body.clientWidth);
    const availH = Math.max(1, body.clientHeight);
    scale = controller.fit ? Math.min(availW / r.width, availH / r.height) : 1;
    body.classList.toggle('is-actual', !controller.fit);
    stage.style.width = `${Math.floor(r.width * scale)}px`;
    stage.style.height = `${Math.floor(r.height * scale)}px`;
    canvas.style.width = `${b.width * scale}px`;
    canvas.style.height = `${b.height * scale}px`;
    canvas.style.left = `${-(r.x - b.x) * scale}px`;
    canvas.style.top = `${-(r.y - b.y) * scale}px`;
    layoutCursor();
  }

  function layoutCursor() {
    const r = region();
    const c = screen.cursor;
    const show = Boolean(r && c.hasImage && c.visible);
    cursorCanvas.classList.toggle('is-hidden', !show);
    if (!show) return;
    cursorCanvas.style.width = `${cursorCanvas.width * scale}px`;
    cursorCanvas.style.height = `${cursorCanvas.height * scale}px`;
    cursorCanvas.style.left = `${(c.x - r.x - c.hotX) * scale}px`;
    cursorCanvas.style.top = `${(c.y - r.y - c.hotY) * scale}px`;
  }

  /** The local pointer is hidden over the stage while ours is drawn and input goes through. */
  function showControlling() {
    stage.classList.toggle('is-controlling', controller.inputActive && screen.cursor.hasImage);
  }

  const resizeObserver = new ResizeObserver(() => layout());
  resizeObserver.observe(body);

  const input = attachInput(stage, {
    active: () => controller.inputActive,
    toDesktop(clientX, clientY) {
      const r = region();
      if (!r) return null;
      const rect = stage.getBoundingClientRect();
      const lx = Math.min(Math.max((clientX - rect.left) / scale, 0), r.width - 1);
      const ly = Math.min(Math.max((clientY - rect.top) / scale, 0), r.height - 1);
      return { x: r.x + Math.floor(lx), y: r.y + Math.floor(ly) };
    },
    send: (message) => controller.send(message),
    onPointer(x, y) {
      // Draw the cursor where the local pointer is at once; the agent's CursorPosition confirms it.
      if (!controller.inputActive) return;
      screen.setCursorPosition(x, y, true);
      layoutCursor();
    },
  });

  return {
    name: 'screen',
    mount: { body: stage },
    messages: {
      MonitorLayout(message) {
        screen.setLayout(message.monitors);
        controller.setMonitors(message.monitors); // its change event lays the stage out
      },
      TileUpdate(message) {
        if (!screen.bounds) return; // a tile before any layout has nowhere to go
        controller.emit('tile', message.encoding);
        screen.paintTile(message);
      },
      FrameEnd({ sequence }) {
        const paintedFor = stream;
        screen.afterPaint(() => {
          if (paintedFor !== stream) return; // the agent it belongs to was replaced meanwhile
          if (screen.tileErrors) controller.note(`${screen.tileErrors} screen update(s) could not be decoded`);
          controller.emit('painted', sequence);
          acks.painted(sequence);
        });
      },
      CursorImage(message) {
        screen.setCursorImage(message);
        layoutCursor();
        showControlling();
      },
      CursorPosition(message) {
        screen.setCursorPosition(message.x, message.y, message.visible);
        layoutCursor();
      },
    },
    events: {
      state({ state }) {
        acks.reset(); // a held acknowledgement belongs to the connection that painted it
        if (state !== STATE.keyExchange) return;
        // A new channel, on a new connection or with a replaced agent on this one.
        stream += 1;
        screen.reset();
        layoutCursor();
        showControlling();
      },
      change() {
        acks.setBackground(controller.background);
        layout();
        showControlling();
      },
      focusScreen() {
        stage.focus({ preventScroll: true });
      },
      releaseInput() {
        input.releaseAll();
      },
      specialKey(action) {
        input.sendCombo(action);
        stage.focus({ preventScroll: true });
      },
    },
    stop() {
      acks.stop();
      screen.stop();
      input.detach();
      resizeObserver.disconnect();
    },
  };
}
