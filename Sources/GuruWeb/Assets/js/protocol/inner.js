// Inner messages (docs/protocol.md §4): the plaintext of sealed records. Decoding
// fails with an InnerError whose `kind` is one of the §4 error names.
import { ByteReader, ByteWriter, utf8, utf8DecodeOrNull } from './bytes.js';

export const INNER = Object.freeze({
  MonitorLayout: 0x01, SessionInfo: 0x02, TileUpdate: 0x10, FrameEnd: 0x11, FrameAck: 0x12, CursorImage: 0x20,
  CursorPosition: 0x21, PointerMove: 0x30, PointerButton: 0x31, Wheel: 0x32, Key: 0x33, ClipboardText: 0x40,
  ChannelClosed: 0x50, DiagnosticsRequest: 0x60, DiagnosticsReport: 0x61,
});
const INNER_NAME = new Map(Object.entries(INNER).map(([name, type]) => [type, name]));

export const ENCODINGS = Object.freeze({ 1: 'jpeg', 2: 'png', 3: 'webp-lossless', 4: 'vp8' });
const ENCODING_BYTE = { jpeg: 1, png: 2, 'webp-lossless': 3, vp8: 4 };
/** Image encodings (createImageBitmap); 'vp8' is video and has no MIME type here. */
export const MIME_FOR_ENCODING = Object.freeze({ jpeg: 'image/jpeg', png: 'image/png', 'webp-lossless': 'image/webp' });
/** Flags byte of a 'vp8' TileUpdate (the first data byte): bit 0 keyframe, bits 1–7 zero. */
export const VIDEO_KEYFRAME = 0x01;

/** SessionInfo's secureAttention byte: how the agent delivers Ctrl+Alt+Del. */
export const SECURE_ATTENTION = Object.freeze({ 0: 'keys', 1: 'sas', 2: 'unavailable' });
const SECURE_ATTENTION_BYTE = { keys: 0, sas: 1, unavailable: 2 };
/** SessionInfo's flags byte: bit 0, the agent runs elevated; bits 1–7 are reserved (0). */
const SESSION_ELEVATED = 0x01;
const MAX_CAPTURE_NAME = 32;

/** ChannelClosed's reason byte: why the agent ended this viewer's channel. */
export const CLOSE_REASON = Object.freeze({ 1: 'missingRecord', 2: 'unexpectedRecord' });
const CLOSE_REASON_BYTE = { missingRecord: 1, unexpectedRecord: 2 };
/** Input messages: padded to one size when sealed (docs/protocol.md §3.3). */
export const INPUT_TYPES = Object.freeze(new Set(['PointerMove', 'PointerButton', 'Wheel', 'Key']));

/** Modifier bits of a Key message. */
export const MODIFIER = Object.freeze({ Shift: 1, Control: 2, Alt: 4, Meta: 8, AltGraph: 16, CapsLock: 32 });
const MAX_MONITORS = 16;
const MAX_CURSOR = 256;
const MAX_KEY_STRING = 64;
/** Largest DiagnosticsReport JSON, in bytes. */
export const MAX_DIAGNOSTICS_REPORT = 262144;

/** An inner message that cannot be decoded (or encoded); `kind` names why. */
export class InnerError extends Error {
  constructor(kind, detail = '') {
    super(detail ? `${kind}: ${detail}` : kind);
    this.name = 'InnerError';
    this.kind = kind;
  }
}

const truncated = () => new InnerError('Truncated');
const invalid = (what) => new InnerError('InvalidField', what);
// Diagnostics: requestId 1..2^32-1; the report's JSON 1..262,144 bytes of UTF-8.
const checkRequestId = (id) => {
  if (!(Number.isInteger(id) && id >= 1 && id <= 0xffffffff)) throw invalid('requestId');
  return id;
};
const checkReport = (bytes) => {
  if (bytes.length < 1 || bytes.length > MAX_DIAGNOSTICS_REPORT) throw invalid('report size');
  return bytes;
};
// Image data is opaque but never empty; VP8 data is `u8 flags` (only the keyframe bit may
// be set) then the frame (≥ 1 byte).
const checkTileData = (encoding, data) => {
  if (data.length < 1) throw invalid('empty image');
  if (encoding !== 'vp8') return;
  if (data[0] & ~VIDEO_KEYFRAME) throw invalid('video flags');
  if (data.length < 2) throw invalid('empty video frame');
};

/** Splits a 'vp8' tile's data into the keyframe flag and the VP8 frame (a view, no copy). */
export function videoFrameOf(tile) {
  return { keyframe: (tile.data[0] & VIDEO_KEYFRAME) !== 0, frame: tile.data.subarray(1) };
}

const bool = (value, what) => {
  if (value > 1) throw invalid(what);
  return value === 1;
};

/** Decodes one inner message into `{ type, ...fields }`. */
export function decodeInner(input) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length === 0) throw new InnerError('Empty');
  const type = INNER_NAME.get(bytes[0]);
  if (!type) throw new InnerError('UnknownType');
  const r = new ByteReader(bytes.subarray(1), truncated);
  const message = decodeBody(type, r);
  if (r.remaining !== 0) throw new InnerError('TrailingBytes');
  return message;
}

function keyString(r, what, ascii) {
  const length = r.u8();
  if (length > MAX_KEY_STRING) throw invalid(what);
  const bytes = r.bytesOf(length);
  if (ascii && bytes.some((b) => b > 0x7f)) throw invalid(what);
  const text = utf8DecodeOrNull(bytes);
  if (text === null) throw invalid(what);
  return text;
}

function decodeBody(type, r) {
  switch (type) {
    case 'MonitorLayout': {
      const count = r.u8();
      if (count < 1 || count > MAX_MONITORS) throw invalid('monitor count');
      r.need(count * 13); // a short list is Truncated before any field is judged
      const monitors = [];
      for (let i = 0; i < count; i += 1) {
        const x = r.i32();
        const y = r.i32();
        const width = r.u16();
        const height = r.u16();
        const primary = r.u8();
        if (width < 1 || height < 1) throw invalid('monitor size');
        monitors.push({ x, y, width, height, primary: bool(primary, 'primary') });
      }
      return { type, monitors };
    }
    case 'SessionInfo': {
      const nameBytes = r.bytesOf(r.u8());
      const secureAttention = SECURE_ATTENTION[r.u8()];
      const flags = r.u8();
      if (nameBytes.length < 1 || nameBytes.length > MAX_CAPTURE_NAME) throw invalid('capture name');
      const captureName = utf8DecodeOrNull(nameBytes);
      if (captureName === null) throw invalid('capture name');
      if (!secureAttention) throw invalid('secureAttention');
      if (flags & ~SESSION_ELEVATED) throw invalid('reserved flags');
      return { type, captureName, secureAttention, elevated: (flags & SESSION_ELEVATED) !== 0 };
    }
    case 'TileUpdate': {
      const x = r.u16();
      const y = r.u16();
      const width = r.u16();
      const height = r.u16();
      const encodingByte = r.u8();
      if (width < 1 || height < 1) throw invalid('tile size');
      const encoding = ENCODINGS[encodingByte];
      if (!encoding) throw invalid('encoding');
      const data = r.rest();
      checkTileData(encoding, data);
      return { type, x, y, width, height, encoding, data };
    }
    case 'FrameEnd':
    case 'FrameAck':
      return { type, sequence: r.u32() };
    case 'CursorImage': {
      const width = r.u16();
      const height = r.u16();
      const hotX = r.u16();
      const hotY = r.u16();
      if (width < 1 || width > MAX_CURSOR || height < 1 || height > MAX_CURSOR) throw invalid('cursor size');
      if (hotX >= width || hotY >= height) throw invalid('hotspot');
      return { type, width, height, hotX, hotY, rgba: r.bytesOf(width * height * 4) };
    }
    case 'CursorPosition': {
      const x = r.i32();
      const y = r.i32();
      return { type, x, y, visible: bool(r.u8(), 'visible') };
    }
    case 'PointerMove':
      return { type, x: r.i32(), y: r.i32() };
    case 'PointerButton': {
      const button = r.u8();
      if (button > 4) throw invalid('button');
      return { type, button, pressed: bool(r.u8(), 'pressed') };
    }
    case 'Wheel':
      return { type, dx: r.i16(), dy: r.i16() };
    case 'Key': {
      const pressed = bool(r.u8(), 'pressed');
      const modifiers = r.u8();
      if (modifiers & 0xc0) throw invalid('modifiers');
      const code = keyString(r, 'code', true);
      const key = keyString(r, 'key', false);
      if (!code && !key) throw invalid('empty key');
      return { type, pressed, modifiers, code, key };
    }
    case 'ClipboardText': {
      const text = utf8DecodeOrNull(r.rest());
      if (text === null) throw invalid('text');
      return { type, text };
    }
    case 'ChannelClosed': {
      const reason = CLOSE_REASON[r.u8()];
      if (!reason) throw invalid('reason');
      return { type, reason };
    }
    case 'DiagnosticsRequest':
      return { type, requestId: checkRequestId(r.u32()) };
    case 'DiagnosticsReport': {
      const requestId = checkRequestId(r.u32());
      const report = utf8DecodeOrNull(checkReport(r.rest()));
      if (report === null) throw invalid('report');
      return { type, requestId, report };
    }
    default:
      throw new InnerError('UnknownType');
  }
}

/** Encodes `{ type, ...fields }` (the shape decodeInner returns). */
export function encodeInner(message) {
  const typeByte = INNER[message.type];
  if (typeByte === undefined) throw new InnerError('UnknownType', String(message.type));
  const w = new ByteWriter().u8(typeByte);
  switch (message.type) {
    case 'MonitorLayout': {
      const { monitors } = message;
      if (monitors.length < 1 || monitors.length > MAX_MONITORS) throw invalid('monitor count');
      w.u8(monitors.length);
      for (const m of monitors) w.i32(m.x).i32(m.y).u16(m.width).u16(m.height).u8(m.primary ? 1 : 0);
      break;
    }
    case 'SessionInfo': {
      const name = utf8(message.captureName || '');
      if (name.length < 1 || name.length > MAX_CAPTURE_NAME) throw invalid('capture name');
      if (!Object.hasOwn(SECURE_ATTENTION_BYTE, message.secureAttention)) throw invalid('secureAttention');
      const secureAttention = SECURE_ATTENTION_BYTE[message.secureAttention];
      w.u8(name.length).raw(name).u8(secureAttention).u8(message.elevated ? SESSION_ELEVATED : 0);
      break;
    }
    case 'TileUpdate':
      if (!ENCODING_BYTE[message.encoding]) throw invalid('encoding');
      if (!(message.width >= 1 && message.height >= 1)) throw invalid('tile size');
      checkTileData(message.encoding, message.data);
      w.u16(message.x).u16(message.y).u16(message.width).u16(message.height).u8(ENCODING_BYTE[message.encoding]).raw(message.data);
      break;
    case 'FrameEnd':
    case 'FrameAck':
      w.u32(message.sequence >>> 0);
      break;
    case 'CursorImage':
      w.u16(message.width).u16(message.height).u16(message.hotX).u16(message.hotY).raw(message.rgba);
      break;
    case 'CursorPosition':
      w.i32(message.x).i32(message.y).u8(message.visible ? 1 : 0);
      break;
    case 'PointerMove':
      w.i32(clampI32(message.x)).i32(clampI32(message.y));
      break;
    case 'PointerButton':
      if (!(message.button >= 0 && message.button <= 4)) throw invalid('button');
      w.u8(message.button).u8(message.pressed ? 1 : 0);
      break;
    case 'Wheel':
      w.i16(clampI16(message.dx)).i16(clampI16(message.dy));
      break;
    case 'Key': {
      const code = utf8(message.code || '');
      const key = utf8(message.key || '');
      if (code.length > MAX_KEY_STRING || key.length > MAX_KEY_STRING || code.some((b) => b > 0x7f)) throw invalid('key strings');
      if (!code.length && !key.length) throw invalid('empty key');
      w.u8(message.pressed ? 1 : 0).u8(message.modifiers & 0x3f).u8(code.length).raw(code).u8(key.length).raw(key);
      break;
    }
    case 'ClipboardText':
      w.raw(utf8(message.text));
      break;
    case 'ChannelClosed':
      if (!CLOSE_REASON_BYTE[message.reason]) throw invalid('reason');
      w.u8(CLOSE_REASON_BYTE[message.reason]);
      break;
    case 'DiagnosticsRequest':
      w.u32(checkRequestId(message.requestId));
      break;
    case 'DiagnosticsReport':
      w.u32(checkRequestId(message.requestId)).raw(checkReport(utf8(message.report)));
      break;
    default:
      break;
  }
  return w.bytes();
}

function clampI16(v) {
  return Math.max(-32768, Math.min(32767, Math.round(v)));
}

function clampI32(v) {
  return Math.max(-2147483648, Math.min(2147483647, Math.round(v)));
}
