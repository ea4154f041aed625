// The envelope (docs/protocol.md §2): the 8-byte header and the payload of each
// tag. Decoding checks the declared size from the header before touching the
// payload, and fails with an EnvelopeError named as in §2.3.
import { ByteReader, ByteWriter, utf8, utf8DecodeOrNull } from './bytes.js';

export const VERSION = 1;
export const HEADER_SIZE = 8;
export const MAX_PAYLOAD = 1_048_576;
export const MAX_FRAME = HEADER_SIZE + MAX_PAYLOAD;
const MAX_TOKEN = 1024;

export const TAG = Object.freeze({
  AgentHello: 0x01, ViewerJoin: 0x02, Welcome: 0x03, Reject: 0x04,
  AgentChallenge: 0x05, AgentProof: 0x06, Ping: 0x10, Pong: 0x11,
  ViewerJoined: 0x20, ViewerLeft: 0x21, SessionEnd: 0x22, ViewerInfo: 0x23, Relay: 0x30,
  AgentStatus: 0x40, AgentInfo: 0x41, AgentInventory: 0x42, WakeOnLan: 0x43,
});
const TAG_NAME = new Map(Object.entries(TAG).map(([name, tag]) => [tag, name]));

/** Reject codes (§2.2). */
export const REJECT_CODE = Object.freeze({ 1: 'BadCredential', 2: 'UnknownSession', 3: 'UnsupportedVersion', 4: 'RateLimited', 5: 'ServerError', 6: 'SessionFull' });

/**
 * Relay marks in the header's flags (§2.5): the agent marks the records of a picture
 * frame so the relay can drop a slow viewer's frames whole. The relay forwards with none.
 */
export const RELAY_MARK = Object.freeze({ none: 0x0000, picture: 0x0001, frameEnd: 0x0003 });
const RELAY_MARK_NAME = new Map(Object.entries(RELAY_MARK).map(([name, flags]) => [flags, name]));

/** AgentStatus states (docs/support.md §3). */
export const AGENT_STATUS = Object.freeze({ 1: 'WaitingForConsent', 2: 'ConsentGiven', 3: 'ConsentDeclined', 4: 'EndedByUser' });

/** A frame that cannot be decoded; `kind` is one of the §2.3 names. */
export class EnvelopeError extends Error {
  constructor(kind, detail = '') {
    super(detail ? `${kind}: ${detail}` : kind);
    this.name = 'EnvelopeError';
    this.kind = kind;
  }
}

const malformed = () => new EnvelopeError('MalformedPayload');
const invalid = (what) => new EnvelopeError('InvalidField', what);

/**
 * Validates the header alone: version, tag, flags and the size limit. Returns the
 * declared payload length; a receiver calls this before buffering the payload.
 */
export function checkHeader(bytes) {
  if (bytes.length < HEADER_SIZE) throw new EnvelopeError('Incomplete');
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  if (view.getUint8(0) !== VERSION) throw new EnvelopeError('UnsupportedVersion');
  if (!TAG_NAME.has(view.getUint8(1))) throw new EnvelopeError('UnknownTag');
  const flags = view.getUint16(2);
  if (flags !== 0 && !(view.getUint8(1) === TAG.Relay && RELAY_MARK_NAME.has(flags))) throw new EnvelopeError('ReservedFlags');
  const length = view.getUint32(4);
  if (length > MAX_PAYLOAD) throw new EnvelopeError('FrameTooLarge');
  return length;
}

/** Decodes one whole WebSocket message into `{ type, ...fields }`. */
export function decodeEnvelope(input) {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const length = checkHeader(bytes);
  if (bytes.length < HEADER_SIZE + length) throw new EnvelopeError('Incomplete');
  if (bytes.length > HEADER_SIZE + length) throw malformed();
  const type = TAG_NAME.get(bytes[1]);
  const r = new ByteReader(bytes.subarray(HEADER_SIZE), malformed);
  const message = decodePayload(type, r);
  if (r.remaining !== 0) throw malformed();
  if (type === 'Relay') message.mark = RELAY_MARK_NAME.get((bytes[2] << 8) | bytes[3]);
  return message;
}

function token(r) {
  const length = r.u16();
  if (length < 1 || length > MAX_TOKEN) throw invalid('token length');
  return r.bytesOf(length);
}

function mode(r) {
  const value = r.u8();
  if (value > 1) throw invalid('mode');
  return value === 0 ? 'control' : 'view';
}

function decodePayload(type, r) {
  switch (type) {
    case 'AgentHello': {
      const agentId = r.bytesOf(16);
      const credential = token(r);
      const versionBytes = r.bytesOf(r.u8());
      const agentVersion = utf8DecodeOrNull(versionBytes);
      if (agentVersion === null) throw invalid('agentVersion');
      return { type, agentId, credential, agentVersion };
    }
    case 'ViewerJoin':
      return { type, sessionId: r.bytesOf(16), joinToken: token(r), mode: mode(r) };
    case 'Welcome': {
      const connectionId = r.u32();
      const heartbeatSeconds = r.u16();
      if (heartbeatSeconds < 1) throw invalid('heartbeatSeconds');
      return { type, connectionId, heartbeatSeconds };
    }
    case 'Reject': {
      const code = r.u16();
      if (!REJECT_CODE[code]) throw invalid('reject code');
      return { type, code };
    }
    case 'AgentChallenge':
      return { type, nonce: r.bytesOf(32) };
    case 'AgentProof':
      return { type, identityKey: r.bytesOf(32), signature: r.bytesOf(64) };
    case 'Ping':
    case 'Pong':
      return { type, nonce: r.u64() };
    case 'ViewerJoined': {
      const sessionId = r.bytesOf(16);
      const viewerId = r.u32();
      if (viewerId === 0) throw invalid('viewerId');
      return { type, sessionId, viewerId, mode: mode(r) };
    }
    case 'ViewerLeft':
      return { type, viewerId: r.u32(), reason: r.u16() };
    case 'SessionEnd':
      return { type, sessionId: r.bytesOf(16), reason: r.u16() };
    case 'Relay': {
      const peerId = r.u32();
      if (r.remaining < 1) throw invalid('empty record');
      return { type, peerId, record: r.rest() };
    }
    case 'ViewerInfo': {
      const viewerId = r.u32();
      const name = utf8DecodeOrNull(r.bytesOf(r.u8()));
      if (viewerId === 0) throw invalid('viewerId');
      if (name === null) throw invalid('name');
      return { type, viewerId, name };
    }
    case 'AgentStatus': {
      const state = r.u8();
      if (!AGENT_STATUS[state]) throw invalid('state');
      return { type, state };
    }
    case 'AgentInfo': {
      const out = { type };
      for (const field of ['hostname', 'osName', 'userName']) {
        const text = utf8DecodeOrNull(r.bytesOf(r.u8()));
        if (text === null) throw invalid(field);
        out[field] = text;
      }
      return out;
    }
    case 'AgentInventory': {
      const json = utf8DecodeOrNull(r.rest());
      if (json === null || !inventorySizeOk(utf8(json).length)) throw invalid('json');
      return { type, json };
    }
    case 'WakeOnLan': {
      const mac = r.bytesOf(6);
      const broadcast = r.bytesOf(4);
      if (!wakeableMac(mac)) throw invalid('mac');
      return { type, mac, broadcast };
    }
    default:
      throw new EnvelopeError('UnknownTag');
  }
}

/** An AgentInventory payload holds 2 to 65 536 bytes of JSON. */
function inventorySizeOk(length) {
  return length >= 2 && length <= 65536;
}

/** A MAC a magic packet can wake: neither all zeros nor all ones. */
function wakeableMac(mac) {
  return !mac.every((b) => b === 0) && !mac.every((b) => b === 0xff);
}

/** Encodes `{ type, ...fields }` (the shape decodeEnvelope returns) into a frame. */
export function encodeEnvelope(message) {
  const tag = TAG[message.type];
  if (tag === undefined) throw new EnvelopeError('UnknownTag', String(message.type));
  const w = new ByteWriter();
  const writeToken = (bytes) => {
    if (bytes.length < 1 || bytes.length > MAX_TOKEN) throw invalid('token length');
    w.u16(bytes.length).raw(bytes);
  };
  const writeId = (bytes) => {
    if (bytes.length !== 16) throw invalid('id128');
    w.raw(bytes);
  };
  const modeByte = (m) => (m === 'control' ? 0 : m === 'view' ? 1 : (() => { throw invalid('mode'); })());
  switch (message.type) {
    case 'AgentHello': {
      const version = utf8(message.agentVersion);
      if (version.length > 255) throw invalid('agentVersion');
      writeId(message.agentId);
      writeToken(message.credential);
      w.u8(version.length).raw(version);
      break;
    }
    case 'ViewerJoin':
      writeId(message.sessionId);
      writeToken(message.joinToken);
      w.u8(modeByte(message.mode));
      break;
    case 'Welcome':
      if (message.heartbeatSeconds < 1) throw invalid('heartbeatSeconds');
      w.u32(message.connectionId).u16(message.heartbeatSeconds);
      break;
    case 'Reject':
      if (!REJECT_CODE[message.code]) throw invalid('reject code');
      w.u16(message.code);
      break;
    case 'AgentChallenge':
      if (message.nonce?.length !== 32) throw invalid('nonce');
      w.raw(message.nonce);
      break;
    case 'AgentProof':
      if (message.identityKey?.length !== 32) throw invalid('identityKey');
      if (message.signature?.length !== 64) throw invalid('signature');
      w.raw(message.identityKey).raw(message.signature);
      break;
    case 'Ping':
    case 'Pong':
      w.u64(message.nonce);
      break;
    case 'ViewerJoined':
      if (!message.viewerId) throw invalid('viewerId');
      writeId(message.sessionId);
      w.u32(message.viewerId).u8(modeByte(message.mode));
      break;
    case 'ViewerLeft':
      w.u32(message.viewerId).u16(message.reason);
      break;
    case 'SessionEnd':
      writeId(message.sessionId);
      w.u16(message.reason);
      break;
    case 'Relay':
      if (!message.record || message.record.length < 1) throw invalid('empty record');
      w.u32(message.peerId).raw(message.record);
      break;
    case 'ViewerInfo': {
      const name = utf8(message.name ?? '');
      if (!message.viewerId) throw invalid('viewerId');
      if (name.length > 255) throw invalid('name');
      w.u32(message.viewerId).u8(name.length).raw(name);
      break;
    }
    case 'AgentStatus':
      if (!AGENT_STATUS[message.state]) throw invalid('state');
      w.u8(message.state);
      break;
    case 'AgentInfo':
      for (const field of ['hostname', 'osName', 'userName']) {
        const text = utf8(message[field] ?? '');
        if (text.length > 255) throw invalid(field);
        w.u8(text.length).raw(text);
      }
      break;
    case 'AgentInventory': {
      const json = utf8(message.json ?? '');
      if (!inventorySizeOk(json.length)) throw invalid('json');
      w.raw(json);
      break;
    }
    case 'WakeOnLan':
      if (message.mac?.length !== 6 || !wakeableMac(message.mac)) throw invalid('mac');
      if (message.broadcast?.length !== 4) throw invalid('broadcast');
      w.raw(message.mac).raw(message.broadcast);
      break;
    default:
      break;
  }
  const payload = w.bytes();
  if (payload.length > MAX_PAYLOAD) throw new EnvelopeError('FrameTooLarge');
  const flags = message.type === 'Relay' ? RELAY_MARK[message.mark ?? 'none'] : 0;
  if (flags === undefined) throw invalid('mark');
  return new ByteWriter().u8(VERSION).u8(tag).u16(flags).u32(payload.length).raw(payload).bytes();
}
