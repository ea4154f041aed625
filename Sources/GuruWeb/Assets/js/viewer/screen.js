// The remote screen: a canvas the size of the whole desktop (the bounding box of
// MonitorLayout), tiles decoded off the main thread (images with createImageBitmap,
// 'vp8' video with WebCodecs in ./video.js) and painted in arrival order, and the
// cursor drawn locally on its own canvas.
import { MIME_FOR_ENCODING } from '../protocol/inner.js';
import { VideoStream } from './video.js';

/** Bounding box of a monitor list, in desktop coordinates. */
export function desktopBounds(monitors) {
  const minX = Math.min(...monitors.map((m) => m.x));
  const minY = Math.min(...monitors.map((m) => m.y));
  const maxX = Math.max(...monitors.map((m) => m.x + m.width));
  const maxY = Math.max(...monitors.map((m) => m.y + m.height));
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

export class RemoteScreen {
  constructor(canvas, cursorCanvas) {
    this.canvas = canvas;
    this.context = canvas.getContext('2d', { alpha: false });
    this.cursorCanvas = cursorCanvas;
    this.cursorContext = cursorCanvas.getContext('2d');
    this.bounds = null;
    this.cursor = { hotX: 0, hotY: 0, x: 0, y: 0, visible: false, hasImage: false };
    this.paintChain = Promise.resolve();
    this.video = new VideoStream(this.context);
    this.tileErrors = 0;
    this.painted = false;
  }

  /** Resizes the canvas for a new layout. Returns true when the size changed. */
  setLayout(monitors) {
    const bounds = desktopBounds(monitors);
    const changed = !this.bounds || bounds.width !== this.bounds.width || bounds.height !== this.bounds.height;
    this.bounds = bounds;
    if (changed) {
      this.canvas.width = bounds.width;
      this.canvas.height = bounds.height;
      this.context.fillStyle = '#000';
      this.context.fillRect(0, 0, bounds.width, bounds.height);
      this.painted = false;
    }
    return changed;
  }

  /**
   * Starts decoding a tile now (in parallel with others) and queues its paint
   * after every earlier one, so tiles land in the order they were sent.
   */
  paintTile(tile) {
    if (tile.encoding === 'vp8') {
      // Decoding starts now; the frame is drawn once every earlier paint is done.
      const painted = this.video.decode(tile, this.paintChain);
      this.paintChain = this.paintChain.then(async () => {
        if (await painted) this.painted = true;
        else this.tileErrors += 1;
      });
      return;
    }
    const decoding = createImageBitmap(new Blob([tile.data], { type: MIME_FOR_ENCODING[tile.encoding] }))
      .then((bitmap) => bitmap, () => null);
    this.paintChain = this.paintChain.then(async () => {
      const bitmap = await decoding;
      if (!bitmap) {
        this.tileErrors += 1;
        return;
      }
      // Tile coordinates are relative to the desktop's top-left corner.
      this.context.drawImage(bitmap, tile.x, tile.y, tile.width, tile.height);
      bitmap.close();
      this.painted = true;
    });
  }

  /** Runs `fn` once every tile queued so far is on the canvas. */
  afterPaint(fn) {
    this.paintChain = this.paintChain.then(fn, fn);
  }

  /**
   * A new agent stream (a new channel): its MonitorLayout starts the picture afresh, so the
   * layout, the video decoder and the cursor of the old one are dropped. Paints still queued
   * finish on the old canvas, which the new layout clears.
   */
  reset() {
    this.video.stop();
    this.bounds = null;
    this.painted = false;
    this.tileErrors = 0;
    Object.assign(this.cursor, { hotX: 0, hotY: 0, x: 0, y: 0, visible: false, hasImage: false });
  }

  /** Releases the video decoder (the viewer is going away). */
  stop() {
    this.video.stop();
  }

  setCursorImage(message) {
    const { width, height, hotX, hotY, rgba } = message;
    this.cursorCanvas.width = width;
    this.cursorCanvas.height = height;
    this.cursorContext.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
    Object.assign(this.cursor, { hotX, hotY, hasImage: true });
  }

  /** Remote cursor position in desktop coordinates. */
  setCursorPosition(x, y, visible = true) {
    Object.assign(this.cursor, { x, y, visible });
  }
}
