// Big-endian byte reading and writing shared by the envelope and inner codecs.
// Each codec passes its own error factory, so a short read surfaces as that
// codec's typed error (MalformedPayload for the envelope, Truncated for inner).

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const UTF8_ENCODER = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text) {
  return UTF8_ENCODER.encode(text);
}

/** Decodes UTF-8, or returns null when the bytes are not valid UTF-8. */
export function utf8DecodeOrNull(bytes) {
  try {
    return UTF8_STRICT.decode(bytes);
  } catch {
    return null;
  }
}

export function toHex(bytes) {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex) {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) throw new TypeError('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concatBytes(...parts) {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads fields front to back; `shortError()` builds the error for a read past the end. */
export class ByteReader {
  constructor(bytes, shortError) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = 0;
    this.shortError = shortError;
  }

  get remaining() {
    return this.bytes.length - this.offset;
  }

  need(n) {
    if (this.remaining < n) throw this.shortError();
  }

  u8() { this.need(1); return this.view.getUint8(this.offset++); }
  u16() { this.need(2); const v = this.view.getUint16(this.offset); this.offset += 2; return v; }
  i16() { this.need(2); const v = this.view.getInt16(this.offset); this.offset += 2; return v; }
  u32() { this.need(4); const v = this.view.getUint32(this.offset); this.offset += 4; return v; }
  i32() { this.need(4); const v = this.view.getInt32(this.offset); this.offset += 4; return v; }
  u64() { this.need(8); const v = this.view.getBigUint64(this.offset); this.offset += 8; return v; }

  bytesOf(n) {
    this.need(n);
    const out = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  rest() {
    return this.bytesOf(this.remaining);
  }
}

/** Appends fields; `bytes()` returns the result. */
export class ByteWriter {
  constructor() {
    this.parts = [];
  }

  u8(v) { this.parts.push(Uint8Array.of(v & 0xff)); return this; }
  u16(v) { const b = new Uint8Array(2); new DataView(b.buffer).setUint16(0, v); this.parts.push(b); return this; }
  i16(v) { const b = new Uint8Array(2); new DataView(b.buffer).setInt16(0, v); this.parts.push(b); return this; }
  u32(v) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v); this.parts.push(b); return this; }
  i32(v) { const b = new Uint8Array(4); new DataView(b.buffer).setInt32(0, v); this.parts.push(b); return this; }
  u64(v) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(v)); this.parts.push(b); return this; }
  raw(bytes) { this.parts.push(bytes); return this; }

  bytes() {
    return concatBytes(...this.parts);
  }
}
