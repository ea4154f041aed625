// The end-to-end channel, version 2 (docs/protocol.md §3), on WebCrypto: the agent commits
// to its ephemeral P-256 key and Ed25519 identity, the viewer answers with its key, the
// agent reveals both and signs the transcript; HKDF-SHA256 keys per direction; AES-256-GCM
// records on two counter spaces (ordered: no gap; picture: gaps allowed), padded plaintexts.
import { concatBytes, toHex, utf8 } from './bytes.js';

export const RECORD_KEYSHARE = 0x01;
export const RECORD_SEALED = 0x02;
export const RECORD_KEYCOMMIT = 0x03;
export const RECORD_KEYCONFIRM = 0x04;
export const RECORD_SEALED_PICTURE = 0x05;
/** Every input record's plaintext is padded to this size (docs/protocol.md §3.3). */
export const INPUT_PLAINTEXT_SIZE = 136;

const SEALED_HEADER = 9;
const TAG_BYTES = 16;
const MAX_COUNTER = (1n << 64n) - 1n;
const TRANSCRIPT_LABEL = 'GuruConnect E2E v2';
const COMMIT_LABEL = 'GuruConnect E2E v2 commit';
const CONFIRM_LABEL = 'GuruConnect E2E v2 key-confirm';
const SAS_LABEL = 'GuruConnect E2E v2 sas';
const INFO_AGENT_TO_VIEWER = 'guruconnect e2e v2 agent-to-viewer';
const INFO_VIEWER_TO_AGENT = 'guruconnect e2e v2 viewer-to-agent';
// The nonce's first word: which key and counter space.
const NONCE_SPACE = { agentOrdered: 1, viewerOrdered: 2, agentPicture: 3 };
const ECDH = { name: 'ECDH', namedCurve: 'P-256' };

/**
 * A channel failure; `kind` is MalformedRecord, Replay, AuthenticationFailed, MissingRecord,
 * BadPadding, BadCommitment, BadSignature, UnexpectedRecord, InvalidPublicKey or CounterExhausted.
 */
export class E2EError extends Error {
  constructor(kind, detail = '') {
    super(detail ? `${kind}: ${detail}` : kind);
    this.name = 'E2EError';
    this.kind = kind;
  }
}

/** True when WebCrypto is available (secure context: HTTPS or loopback). */
export function hasWebCrypto() {
  return Boolean(globalThis.crypto && globalThis.crypto.subtle);
}

/** A fresh ephemeral key pair: `{ privateKey, publicRaw }` (65-byte uncompressed point). */
export async function generateKeyPair() {
  const pair = await crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
  const publicRaw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicRaw };
}

/** Imports a fixed private key (the test vectors) from its scalar and public point. */
export async function importPrivateKey(dBytes, publicRaw) {
  const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const jwk = { kty: 'EC', crv: 'P-256', d: b64url(dBytes), x: b64url(publicRaw.slice(1, 33)), y: b64url(publicRaw.slice(33, 65)), ext: false };
  const privateKey = await crypto.subtle.importKey('jwk', jwk, ECDH, false, ['deriveBits']);
  return { privateKey, publicRaw: new Uint8Array(publicRaw) };
}

/** Checks a peer point (65 bytes, 0x04 prefix, on the curve) and imports it. */
export async function importPublicKey(raw) {
  if (!(raw instanceof Uint8Array) || raw.length !== 65 || raw[0] !== 0x04) throw new E2EError('InvalidPublicKey');
  try {
    return await crypto.subtle.importKey('raw', raw, ECDH, false, []);
  } catch {
    throw new E2EError('InvalidPublicKey');
  }
}

/** The 32-byte ECDH shared secret (x coordinate of d·Q). */
export async function sharedSecret(privateKey, peerPublicRaw) {
  const peer = await importPublicKey(peerPublicRaw);
  try {
    return new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: peer }, privateKey, 256));
  } catch {
    throw new E2EError('InvalidPublicKey');
  }
}

async function sha256(...parts) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concatBytes(...parts)));
}

function u32(n) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/** th = SHA-256(label ‖ agentPub ‖ viewerPub ‖ identityPub ‖ sessionId(16) ‖ u32 viewerId). */
export function transcriptHash({ agentPublic, viewerPublic, identityPublic, sessionId, viewerId }) {
  return sha256(utf8(TRANSCRIPT_LABEL), agentPublic, viewerPublic, identityPublic, sessionId, u32(viewerId));
}

/** What KeyCommit carries: SHA-256(label ‖ agentPub ‖ identityPub). */
export function keyCommitment(agentPublic, identityPublic) {
  return sha256(utf8(COMMIT_LABEL), agentPublic, identityPublic);
}

/** The bytes the agent's identity key signs. */
export function keyConfirmSigningInput(th) {
  return concatBytes(utf8(CONFIRM_LABEL), th);
}

/** Both direction keys as raw bytes: `{ agentToViewer, viewerToAgent }`. */
export async function deriveKeyBytes(secret, th) {
  const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  const derive = async (info) => new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: th, info: utf8(info) }, ikm, 256));
  return { agentToViewer: await derive(INFO_AGENT_TO_VIEWER), viewerToAgent: await derive(INFO_VIEWER_TO_AGENT) };
}

/** The 6-digit short authentication string of a transcript, "123 456". */
export async function shortAuthString(th) {
  const digest = await sha256(utf8(SAS_LABEL), th);
  const n = new DataView(digest.buffer).getUint32(0) % 1_000_000;
  const digits = String(n).padStart(6, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** A short, readable fingerprint of an identity key: SHA-256 of it, 8 bytes in groups of 4 hex. */
export async function identityFingerprint(identityPublic) {
  const hex = toHex((await sha256(identityPublic)).subarray(0, 8)).toUpperCase();
  return hex.match(/.{4}/g).join('-');
}

/** A KeyShare record: 0x01 ‖ the 65-byte point. */
export function keyShareRecord(publicRaw) {
  return concatBytes(Uint8Array.of(RECORD_KEYSHARE), publicRaw);
}

/** The commitment inside a KeyCommit record. */
export function parseKeyCommit(record) {
  if (record.length !== 33 || record[0] !== RECORD_KEYCOMMIT) throw new E2EError('MalformedRecord', 'not a KeyCommit');
  return record.slice(1);
}

/** `{ agentPublic, identityPublic, signature }` of a KeyConfirm record. */
export function parseKeyConfirm(record) {
  if (record.length !== 162 || record[0] !== RECORD_KEYCONFIRM) throw new E2EError('MalformedRecord', 'not a KeyConfirm');
  return { agentPublic: record.slice(1, 66), identityPublic: record.slice(66, 98), signature: record.slice(98, 162) };
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Ed25519 (RFC 8032) verification through WebCrypto. */
export async function verifyEd25519(identityPublic, message, signature) {
  let key;
  try {
    key = await crypto.subtle.importKey('raw', identityPublic, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return false; // not a valid Ed25519 point
  }
  return crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

/**
 * The viewer's half of one key exchange: `commitReceived` answers KeyCommit with our
 * KeyShare; `confirmReceived` checks KeyConfirm (commitment, then signature) and returns
 * the channel. Nothing sealed may be opened before it resolves. A handshake takes one
 * KeyCommit: a new KeyCommit on the connection starts a new key exchange (the agent process
 * was replaced, docs/protocol.md §3.2), and the connection makes a new handshake, with a new
 * key pair, for it.
 */
export class ViewerHandshake {
  constructor({ keys, sessionId, viewerId }) {
    this.keys = keys;
    this.sessionId = sessionId;
    this.viewerId = viewerId;
    this.commitment = null;
    this.done = false;
  }

  commitReceived(record) {
    if (this.commitment) throw new E2EError('UnexpectedRecord', 'a second KeyCommit to one handshake (a new exchange needs a new handshake)');
    this.commitment = parseKeyCommit(record);
    return keyShareRecord(this.keys.publicRaw);
  }

  async confirmReceived(record) {
    if (!this.commitment || this.done) throw new E2EError('UnexpectedRecord', 'KeyConfirm out of turn');
    const { agentPublic, identityPublic, signature } = parseKeyConfirm(record);
    if (!sameBytes(await keyCommitment(agentPublic, identityPublic), this.commitment)) throw new E2EError('BadCommitment');
    const th = await transcriptHash({ agentPublic, viewerPublic: this.keys.publicRaw, identityPublic, sessionId: this.sessionId, viewerId: this.viewerId });
    if (!(await verifyEd25519(identityPublic, keyConfirmSigningInput(th), signature))) throw new E2EError('BadSignature');
    const secret = await sharedSecret(this.keys.privateKey, agentPublic);
    const keys = await deriveKeyBytes(secret, th);
    secret.fill(0);
    const channel = await E2EChannel.fromKeys('viewer', keys, th);
    channel.identityPublic = identityPublic;
    this.done = true;
    return channel;
  }
}

function nonceFor(space, counter) {
  const nonce = new Uint8Array(12);
  const view = new DataView(nonce.buffer);
  view.setUint32(0, space);
  view.setBigUint64(4, counter);
  return nonce;
}

/** `u16 padding ‖ message ‖ zeros`, padded up to `padTo` bytes. */
function pad(message, padTo) {
  const padding = Math.max(0, padTo - 2 - message.length);
  const out = new Uint8Array(2 + message.length + padding);
  new DataView(out.buffer).setUint16(0, padding);
  out.set(message, 2);
  return out;
}

function unpad(plain) {
  if (plain.length < 2) throw new E2EError('BadPadding');
  const padding = new DataView(plain.buffer, plain.byteOffset, 2).getUint16(0);
  if (padding > plain.length - 2) throw new E2EError('BadPadding');
  const end = plain.length - padding;
  for (let i = end; i < plain.length; i += 1) if (plain[i] !== 0) throw new E2EError('BadPadding');
  return plain.slice(2, end);
}

/**
 * One side of a channel. `role` is 'viewer' or 'agent' (the agent side serves the vector
 * tests). `open` returns `{ stream: 'ordered'|'picture', message }`.
 */
export class E2EChannel {
  constructor(role, sealKey, openKey, th, sas) {
    this.role = role;
    this.sealKey = sealKey;
    this.openKey = openKey;
    this.transcriptHash = th;
    this.shortAuthString = sas;
    this.identityPublic = null;
    this.counters = { ordered: { sent: 0n, last: 0n }, picture: { sent: 0n, last: 0n } };
    this.broken = false;
  }

  /** A channel from raw direction keys and the transcript hash. */
  static async fromKeys(role, keys, th) {
    if (role !== 'viewer' && role !== 'agent') throw new TypeError('role must be viewer or agent');
    const aes = (raw, usage) => crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [usage]);
    const [sealRaw, openRaw] = role === 'viewer' ? [keys.viewerToAgent, keys.agentToViewer] : [keys.agentToViewer, keys.viewerToAgent];
    const channel = new E2EChannel(role, await aes(sealRaw, 'encrypt'), await aes(openRaw, 'decrypt'), th, await shortAuthString(th));
    keys.agentToViewer.fill(0);
    keys.viewerToAgent.fill(0);
    return channel;
  }

  nonceSpace(sender, stream) {
    if (stream === 'picture') return NONCE_SPACE.agentPicture;
    return sender === 'agent' ? NONCE_SPACE.agentOrdered : NONCE_SPACE.viewerOrdered;
  }

  /** Seals one message on `stream` ('ordered' or 'picture', agent only), padded to `padTo`. */
  async seal(message, { stream = 'ordered', padTo = 0 } = {}) {
    if (stream === 'picture' && this.role !== 'agent') throw new E2EError('UnexpectedRecord', 'only the agent sends pictures');
    const counters = this.counters[stream];
    if (counters.sent >= MAX_COUNTER) throw new E2EError('CounterExhausted');
    counters.sent += 1n;
    const header = new Uint8Array(SEALED_HEADER);
    header[0] = stream === 'picture' ? RECORD_SEALED_PICTURE : RECORD_SEALED;
    new DataView(header.buffer).setBigUint64(1, counters.sent);
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: nonceFor(this.nonceSpace(this.role, stream), counters.sent), additionalData: header, tagLength: 128 },
      this.sealKey, pad(message, padTo));
    return concatBytes(header, new Uint8Array(sealed));
  }

  /**
   * Opens a record: Replay before any decryption, then AuthenticationFailed, then (ordered
   * stream) MissingRecord when a counter was skipped; the channel is then closed for good.
   * Calls must not overlap (the connection opens one record at a time).
   */
  async open(record) {
    if (this.broken) throw new E2EError('MissingRecord', 'the channel is closed');
    if (!(record instanceof Uint8Array) || record.length < SEALED_HEADER + TAG_BYTES) throw new E2EError('MalformedRecord');
    let stream;
    if (record[0] === RECORD_SEALED) stream = 'ordered';
    else if (record[0] === RECORD_SEALED_PICTURE) stream = 'picture';
    else throw new E2EError('MalformedRecord');
    if (stream === 'picture' && this.role !== 'viewer') throw new E2EError('UnexpectedRecord', 'a picture record to the agent');
    const counters = this.counters[stream];
    const counter = new DataView(record.buffer, record.byteOffset, SEALED_HEADER).getBigUint64(1);
    if (counter <= counters.last) throw new E2EError('Replay');
    const sender = this.role === 'viewer' ? 'agent' : 'viewer';
    let plain;
    try {
      plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: nonceFor(this.nonceSpace(sender, stream), counter), additionalData: record.subarray(0, SEALED_HEADER), tagLength: 128 },
        this.openKey, record.subarray(SEALED_HEADER));
    } catch {
      throw new E2EError('AuthenticationFailed');
    }
    if (counter <= counters.last) throw new E2EError('Replay');
    if (stream === 'ordered' && counter !== counters.last + 1n) {
      this.broken = true;
      throw new E2EError('MissingRecord', `record ${counters.last + 1n} never arrived`);
    }
    counters.last = counter;
    return { stream, message: unpad(new Uint8Array(plain)) };
  }
}
