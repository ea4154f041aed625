// Local input → inner messages (docs/protocol.md §4): pointer moves, buttons and
// drags, wheel, keys (KeyboardEvent.code + key + modifiers), and touch gestures
// (tap = click, long-press = right click, two-finger drag = wheel).
import { MODIFIER } from '../protocol/inner.js';

const LONG_PRESS_MS = 550;
const TAP_SLOP_PX = 10;
const WHEEL_NOTCH = 120;

/** The modifier bits of a keyboard or pointer event. */
export function modifierBits(event) {
  let bits = 0;
  if (event.shiftKey) bits |= MODIFIER.Shift;
  if (event.ctrlKey) bits |= MODIFIER.Control;
  if (event.altKey) bits |= MODIFIER.Alt;
  if (event.metaKey) bits |= MODIFIER.Meta;
  if (event.getModifierState && event.getModifierState('AltGraph')) bits |= MODIFIER.AltGraph;
  if (event.getModifierState && event.getModifierState('CapsLock')) bits |= MODIFIER.CapsLock;
  return bits;
}

/** Wheel deltas in 1/120 notch, whatever unit the browser reports. */
export function wheelNotches(event) {
  const perUnit = event.deltaMode === 1 ? WHEEL_NOTCH / 3 : event.deltaMode === 2 ? WHEEL_NOTCH * 3 : WHEEL_NOTCH / 100;
  return { dx: Math.round(event.deltaX * perUnit), dy: Math.round(event.deltaY * perUnit) };
}

/** Key sequences for the special-keys menu: [code, key, modifiers-while-held]. */
export const SPECIAL_KEYS = {
  ctrlAltDel: { label: 'Ctrl+Alt+Del', keys: [['ControlLeft', 'Control'], ['AltLeft', 'Alt'], ['Delete', 'Delete']] },
  super: { label: 'Windows / Super', keys: [['MetaLeft', 'Meta']] },
  altTab: { label: 'Alt+Tab', keys: [['AltLeft', 'Alt'], ['Tab', 'Tab']] },
  ctrlEsc: { label: 'Ctrl+Esc', keys: [['ControlLeft', 'Control'], ['Escape', 'Escape']] },
  printScreen: { label: 'Print Screen', keys: [['PrintScreen', 'PrintScreen']] },
};
const HELD_BITS = { Control: MODIFIER.Control, Alt: MODIFIER.Alt, Meta: MODIFIER.Meta, Shift: MODIFIER.Shift };

/**
 * attachInput(surface, { active(), toDesktop(clientX, clientY), send(message), onPointer(x, y) })
 * `active()` says whether input may be sent now (control mode, not view-only, connected).
 */
export function attachInput(surface, options) {
  const { active, toDesktop, send, onPointer } = options;
  const pressedKeys = new Map(); // code → key
  const pressedButtons = new Set();
  const touches = new Map(); // pointerId → { x, y, startX, startY }
  let touchGesture = null; // { kind: 'tap'|'scroll'|'move', longPress, start }
  let pendingMove = null;
  let lastSent = null;
  let moveFrame = 0;
  const listeners = [];

  function on(target, type, fn, opts) {
    target.addEventListener(type, fn, opts);
    listeners.push(() => target.removeEventListener(type, fn, opts));
  }

  function flushMove() {
    moveFrame = 0;
    if (!pendingMove) return;
    const { x, y } = pendingMove;
    pendingMove = null;
    if (lastSent && lastSent.x === x && lastSent.y === y) return;
    lastSent = { x, y };
    send({ type: 'PointerMove', x, y });
  }

  function moveTo(clientX, clientY, immediate = false) {
    const point = toDesktop(clientX, clientY);
    if (!point) return null;
    onPointer(point.x, point.y);
    if (!active()) return point;
    pendingMove = point;
    // Coalesce moves to one per animation frame; buttons flush first so a click lands where it should.
    if (immediate) {
      if (moveFrame) cancelAnimationFrame(moveFrame);
      flushMove();
    } else if (!moveFrame) {
      moveFrame = requestAnimationFrame(flushMove);
    }
    return point;
  }

  function button(buttonIndex, pressed) {
    if (!active()) return;
    if (pressed) pressedButtons.add(buttonIndex);
    else if (!pressedButtons.delete(buttonIndex)) return;
    send({ type: 'PointerButton', button: buttonIndex, pressed });
  }

  function click(clientX, clientY, buttonIndex) {
    if (!moveTo(clientX, clientY, true)) return;
    button(buttonIndex, true);
    button(buttonIndex, false);
  }

  // ---- mouse and pen ----
  on(surface, 'pointermove', (event) => {
    if (event.pointerType === 'touch') return onTouchMove(event);
    moveTo(event.clientX, event.clientY);
    return undefined;
  });
  on(surface, 'pointerdown', (event) => {
    surface.focus({ preventScroll: true });
    if (event.pointerType === 'touch') return onTouchDown(event);
    if (event.button < 0 || event.button > 4) return undefined;
    event.preventDefault();
    surface.setPointerCapture(event.pointerId); // drags keep reporting outside the canvas
    moveTo(event.clientX, event.clientY, true);
    button(event.button, true);
    return undefined;
  });
  on(surface, 'pointerup', (event) => {
    if (event.pointerType === 'touch') return onTouchUp(event);
    moveTo(event.clientX, event.clientY, true);
    button(event.button, false);
    return undefined;
  });
  on(surface, 'pointercancel', (event) => {
    if (event.pointerType === 'touch') {
      touches.delete(event.pointerId);
      if (!touches.size) endGesture();
    }
  });
  on(surface, 'contextmenu', (event) => event.preventDefault());
  on(surface, 'auxclick', (event) => event.preventDefault());
  on(surface, 'wheel', (event) => {
    event.preventDefault();
    if (!active()) return;
    const { dx, dy } = wheelNotches(event);
    if (dx || dy) send({ type: 'Wheel', dx, dy });
  }, { passive: false });

  // ---- touch ----
  function onTouchDown(event) {
    event.preventDefault();
    touches.set(event.pointerId, { x: event.clientX, y: event.clientY, startX: event.clientX, startY: event.clientY });
    if (touches.size === 1) {
      const started = performance.now();
      touchGesture = { kind: 'tap', start: started };
      touchGesture.longPress = setTimeout(() => {
        if (!touchGesture || touchGesture.kind !== 'tap') return;
        touchGesture.kind = 'done';
        click(event.clientX, event.clientY, 2);
      }, LONG_PRESS_MS);
    } else if (touches.size === 2) {
      if (touchGesture) clearTimeout(touchGesture.longPress);
      touchGesture = { kind: 'scroll', carryX: 0, carryY: 0 };
    }
  }

  function centroid() {
    let x = 0;
    let y = 0;
    for (const t of touches.values()) {
      x += t.x;
      y += t.y;
    }
    return { x: x / touches.size, y: y / touches.size };
  }

  function onTouchMove(event) {
    const touch = touches.get(event.pointerId);
    if (!touch || !touchGesture) return;
    event.preventDefault();
    const before = centroid();
    touch.x = event.clientX;
    touch.y = event.clientY;
    if (touchGesture.kind === 'scroll' && touches.size >= 2) {
      const after = centroid();
      // Content follows the fingers, like scrolling a page: fingers up = scroll down.
      touchGesture.carryX += (before.x - after.x) * 2;
      touchGesture.carryY += (before.y - after.y) * 2;
      const dx = Math.trunc(touchGesture.carryX);
      const dy = Math.trunc(touchGesture.carryY);
      if ((dx || dy) && active()) {
        send({ type: 'Wheel', dx, dy });
        touchGesture.carryX -= dx;
        touchGesture.carryY -= dy;
      }
    } else if (touches.size === 1) {
      if (touchGesture.kind === 'tap' && Math.hypot(touch.x - touch.startX, touch.y - touch.startY) > TAP_SLOP_PX) {
        clearTimeout(touchGesture.longPress);
        touchGesture.kind = 'move';
      }
      if (touchGesture.kind === 'move') moveTo(touch.x, touch.y);
    }
  }

  function onTouchUp(event) {
    const touch = touches.get(event.pointerId);
    touches.delete(event.pointerId);
    if (!touch || !touchGesture) return;
    event.preventDefault();
    if (touchGesture.kind === 'tap' && touches.size === 0) click(touch.x, touch.y, 0);
    if (touches.size === 0) endGesture();
  }

  function endGesture() {
    if (touchGesture) clearTimeout(touchGesture.longPress);
    touchGesture = null;
  }

  // ---- keyboard ----
  function keyMessage(event, pressed) {
    const key = event.key === 'Unidentified' || event.key === 'Dead' ? '' : event.key;
    const code = /^[\x20-\x7e]{0,64}$/.test(event.code) ? event.code : '';
    if (!code && !key) return null;
    return { type: 'Key', pressed, modifiers: modifierBits(event), code, key: new TextEncoder().encode(key).length <= 64 ? key : '' };
  }

  on(surface, 'keydown', (event) => {
    if (!active() || event.isComposing) return;
    // Keep the browser from acting on keys meant for the remote machine.
    event.preventDefault();
    const message = keyMessage(event, true);
    if (!message) return;
    pressedKeys.set(event.code, message.key);
    send(message);
  });
  on(surface, 'keyup', (event) => {
    if (!active() || event.isComposing) return;
    event.preventDefault();
    const message = keyMessage(event, false);
    if (!message) return;
    pressedKeys.delete(event.code);
    send(message);
  });
  on(surface, 'blur', () => releaseAll());
  on(window, 'blur', () => releaseAll());

  /** Releases every key and button still held, so nothing sticks on the remote side. */
  function releaseAll() {
    if (!active()) {
      pressedKeys.clear();
      pressedButtons.clear();
      return;
    }
    for (const [code, key] of pressedKeys) send({ type: 'Key', pressed: false, modifiers: 0, code, key });
    pressedKeys.clear();
    for (const b of [...pressedButtons]) button(b, false);
  }

  /** Sends a key combination: presses in order, releases in reverse. */
  function sendCombo(name) {
    const combo = SPECIAL_KEYS[name];
    if (!combo || !active()) return;
    let held = 0;
    for (const [code, key] of combo.keys) {
      send({ type: 'Key', pressed: true, modifiers: held, code, key });
      held |= HELD_BITS[key] || 0;
    }
    for (const [code, key] of [...combo.keys].reverse()) {
      held &= ~(HELD_BITS[key] || 0);
      send({ type: 'Key', pressed: false, modifiers: held, code, key });
    }
  }

  return {
    releaseAll,
    sendCombo,
    detach() {
      releaseAll();
      if (moveFrame) cancelAnimationFrame(moveFrame);
      for (const off of listeners) off();
    },
  };
}
