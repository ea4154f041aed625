// Injected into the viewer page (GuruConnect or noVNC) before any page script runs, as a
// Playwright init script. It changes nothing in the page; it only observes:
//  - every WebSocket message received: count, bytes, and arrival time (Date.now());
//  - the screen canvas, read with getImageData in a requestAnimationFrame loop: the stopwatch
//    barcode (time painted on the X display) and the input marker tile.
// All times are Date.now() (CLOCK_REALTIME ms), the same clock the stopwatch writes.
(() => {
  const BAR_X = 128, BAR_Y = 128, MARK_X = 256, MARK_Y = 128, BLOCK = 8;
  const RING = 32768;
  const bench = {
    wsBytes: 0, wsMessages: 0,
    arrivals: new Float64Array(RING), sizes: new Uint32Array(RING), arrivalCount: 0,
    canvasSelector: null, running: false,
    samples: 0, badReads: 0,
    // distinct barcode values seen: [canvas time, painted time, tick]
    seen: [], lastValue: null,
    markerState: null, markerChanges: [], // [canvas time, new state]
    rafIntervals: 0, rafLast: 0,
    // draws onto the screen canvas that cover the barcode (mask 1) or marker (mask 2) tile
    drawT: new Float64Array(RING), drawMask: new Uint8Array(RING), drawCount: 0, canvasEl: null,
  };
  window.__bench = bench;

  const Native = window.WebSocket;
  function counted(...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', (event) => {
      const now = Date.now();
      const d = event.data;
      const n = d.byteLength !== undefined ? d.byteLength : d.size !== undefined ? d.size : d.length;
      bench.wsBytes += n;
      const i = bench.arrivalCount % RING;
      bench.arrivals[i] = now;
      bench.sizes[i] = n;
      bench.arrivalCount += 1;
      bench.wsMessages += 1;
    });
    return ws;
  }
  counted.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) counted[k] = Native[k];
  window.WebSocket = counted;

  // Observe (not alter) paints: wrap drawImage/putImageData to note when pixels covering the
  // barcode or marker tile are written into the screen canvas.
  function mask(x, y, w, h) {
    const hit = (rx, ry) => x < rx + 64 && x + w > rx && y < ry + 64 && y + h > ry;
    return (hit(BAR_X, BAR_Y) ? 1 : 0) | (hit(MARK_X, MARK_Y) ? 2 : 0);
  }
  function noteDraw(ctx, x, y, w, h) {
    if (!bench.canvasEl || ctx.canvas !== bench.canvasEl) return;
    const m = mask(x, y, w, h);
    if (!m) return;
    const i = bench.drawCount % RING;
    bench.drawT[i] = Date.now();
    bench.drawMask[i] = m;
    bench.drawCount += 1;
  }
  const proto = CanvasRenderingContext2D.prototype;
  const nativeDraw = proto.drawImage;
  proto.drawImage = function (...a) {
    const r = nativeDraw.apply(this, a);
    if (a.length >= 9) noteDraw(this, a[5], a[6], a[7], a[8]);
    else if (a.length >= 5) noteDraw(this, a[1], a[2], a[3], a[4]);
    else noteDraw(this, a[1], a[2], a[0].width || 0, a[0].height || 0);
    return r;
  };
  const nativePut = proto.putImageData;
  proto.putImageData = function (...a) {
    const r = nativePut.apply(this, a);
    if (a.length >= 7) noteDraw(this, a[1] + a[3], a[2] + a[4], a[5], a[6]);
    else noteDraw(this, a[1], a[2], a[0].width, a[0].height);
    return r;
  };

  function crc16(bytes) {
    let crc = 0xffff;
    for (let i = 0; i < 6; i++) {
      crc ^= bytes[i] << 8;
      for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    return crc;
  }

  /** Decodes the barcode from a 64x64 RGBA block; null when unreadable (torn, blurred, absent). */
  function decode(data) {
    const bytes = new Uint8Array(8);
    for (let i = 0; i < 64; i++) {
      const bx = (i % 8) * BLOCK, by = Math.floor(i / 8) * BLOCK;
      let sum = 0;
      for (let y = by + 2; y < by + 6; y++) for (let x = bx + 2; x < bx + 6; x++) {
        const o = (y * 64 + x) * 4;
        sum += data[o] + data[o + 1] + data[o + 2];
      }
      if (sum / 48 > 128) bytes[i >> 3] |= 0x80 >> (i & 7);
    }
    if (bytes[0] !== 0xa5) return null;
    if (crc16(bytes) !== ((bytes[6] << 8) | bytes[7])) return null;
    return { ms: ((bytes[1] << 24) >>> 0) + (bytes[2] << 16) + (bytes[3] << 8) + bytes[4], tick: bytes[5] };
  }

  function markerOf(data) {
    let sum = 0;
    for (let y = 24; y < 40; y++) for (let x = 24; x < 40; x++) {
      const o = (y * 64 + x) * 4;
      sum += data[o] + data[o + 1] + data[o + 2];
    }
    return sum / (16 * 16 * 3) > 128 ? 1 : 0;
  }

  function canvas() {
    if (!bench.canvasEl || !bench.canvasEl.isConnected) bench.canvasEl = document.querySelector(bench.canvasSelector);
    return bench.canvasEl;
  }

  function tick() {
    if (!bench.running) return;
    const now = Date.now();
    if (bench.rafLast) bench.rafIntervals += 1;
    bench.rafLast = now;
    const c = canvas();
    if (c && c.width >= MARK_X + 64 && c.height >= BAR_Y + 64) {
      const ctx = c.getContext('2d');
      const img = ctx.getImageData(BAR_X, BAR_Y, MARK_X + 64 - BAR_X, 64).data; // barcode .. marker
      const bar = new Uint8ClampedArray(64 * 64 * 4);
      const mark = new Uint8ClampedArray(64 * 64 * 4);
      const rowBytes = (MARK_X + 64 - BAR_X) * 4;
      for (let y = 0; y < 64; y++) {
        bar.set(img.subarray(y * rowBytes, y * rowBytes + 256), y * 256);
        const mo = y * rowBytes + (MARK_X - BAR_X) * 4;
        mark.set(img.subarray(mo, mo + 256), y * 256);
      }
      bench.samples += 1;
      const v = decode(bar);
      if (!v) bench.badReads += 1;
      else if (!bench.lastValue || v.ms !== bench.lastValue.ms || v.tick !== bench.lastValue.tick) {
        bench.lastValue = v;
        if (bench.seen.length < 100000) bench.seen.push([now, v.ms, v.tick]);
      }
      const m = markerOf(mark);
      if (bench.markerState !== null && m !== bench.markerState) bench.markerChanges.push([now, m]);
      bench.markerState = m;
    }
    requestAnimationFrame(tick);
  }

  bench.start = (selector) => {
    bench.canvasSelector = selector;
    if (!bench.running) {
      bench.running = true;
      requestAnimationFrame(tick);
    }
  };
  bench.stop = () => { bench.running = false; };
  /** Clears the per-workload records; returns the counters at that moment. */
  bench.reset = () => {
    bench.seen = [];
    bench.markerChanges = [];
    bench.samples = 0;
    bench.badReads = 0;
    bench.rafIntervals = 0;
    bench.rafLast = 0;
    return { wsBytes: bench.wsBytes, wsMessages: bench.wsMessages, at: Date.now() };
  };
  bench.snapshot = () => ({
    wsBytes: bench.wsBytes, wsMessages: bench.wsMessages, at: Date.now(), samples: bench.samples,
    badReads: bench.badReads, seen: bench.seen, markerChanges: bench.markerChanges,
    markerState: bench.markerState, rafIntervals: bench.rafIntervals, lastValue: bench.lastValue,
  });
  /** WebSocket arrivals (time, bytes) within [from, to]. */
  bench.arrivalsBetween = (from, to) => {
    const out = [];
    const n = Math.min(bench.arrivalCount, RING);
    for (let k = 0; k < n; k++) {
      const i = (bench.arrivalCount - n + k) % RING;
      if (bench.arrivals[i] >= from && bench.arrivals[i] <= to) out.push([bench.arrivals[i], bench.sizes[i]]);
    }
    return out;
  };
  /** Canvas draws covering the barcode/marker within [from, to]: [time, mask]. */
  bench.drawsBetween = (from, to) => {
    const out = [];
    const n = Math.min(bench.drawCount, RING);
    for (let k = 0; k < n; k++) {
      const i = (bench.drawCount - n + k) % RING;
      if (bench.drawT[i] >= from && bench.drawT[i] <= to) out.push([bench.drawT[i], bench.drawMask[i]]);
    }
    return out;
  };
  bench.canvasPng = () => {
    const c = canvas();
    return c ? c.toDataURL('image/png') : null;
  };
})();
