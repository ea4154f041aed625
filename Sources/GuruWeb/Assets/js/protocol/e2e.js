// The end-to-end channel (docs/protocol.md §3) on WebCrypto: ECDH P-256, a
// transcript hash over both public keys, HKDF-SHA256 keys per direction, and
// AES-256-GCM records with counter nonces and replay rejection.
import { concatBytes, toHex, utf8 } from './bytes.js';

export const RECORD_KEYSHARE = 0x01;
export const RECORD_SEALED = 0x02;
const SEALED_HEADER = 9;
const TAG_BYTES = 16;
const MAX_COUNTER = (1n << 64n) - 1n;
const TRANSCRIPT_LABEL = 'GuruConnect E2E v1';
const INFO_AGENT_TO_VIEWER = 'guruconnect e2e v1 agent-to-viewer';
const INFO_VIEWER_TO_AGENT = 'guruconnect e2e v1 viewer-to-agent';
const DIRECTION = { agentToViewer: 1, viewerToAgent: 2 };
const ECDH = { name: 'ECDH', namedCurve: 'P-256' };

/** A channel failure; `kind` is MalformedRecord, Replay, AuthenticationFailed, InvalidPublicKey or CounterExhausted. */
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

/** th = SHA-256(label ‖ agentPub ‖ viewerPub). */
export async function transcriptHash(agentPublicRaw, viewerPublicRaw) {
  const data = concatBytes(utf8(TRANSCRIPT_LABEL), agentPublicRaw, viewerPublicRaw);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

/** Both direction keys as raw bytes: `{ agentToViewer, viewerToAgent }`. */
export async function deriveKeyBytes(secret, th) {
  const ikm = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  const derive = async (info) => new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: th, info: utf8(info) }, ikm, 256));
  return { agentToViewer: await derive(INFO_AGENT_TO_VIEWER), viewerToAgent: await derive(INFO_VIEWER_TO_AGENT) };
}

/** The first 6 bytes of th as upper-case hex in groups of 4 (e.g. BBD8-272B-014C). */
export function fingerprint(th) {
  const hex = toHex(th.subarray(0, 6)).toUpperCase();
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

/** A KeyShare record: 0x01 ‖ the 65-byte point. */
export function keyShareRecord(publicRaw) {
  return concatBytes(Uint8Array.of(RECORD_KEYSHARE), publicRaw);
}

/** The peer point inside a KeyShare record. */
export function parseKeyShare(record) {
  if (record.length !== 66 || record[0] !== RECORD_KEYSHARE) throw new E2EError('MalformedRecord');
  return record.slice(1);
}

function nonceFor(direction, counter) {
  const nonce = new Uint8Array(12);
  const view = new DataView(nonce.buffer);
  view.setUint32(0, direction);
  view.setBigUint64(4, counter);
  return nonce;
}

/**
 * One side of a channel. `role` is 'viewer' or 'agent'; the viewer seals with the
 * viewer-to-agent key and opens with the agent-to-viewer key, the agent the reverse.
 */
export class E2EChannel {
  constructor(role, sealKey, openKey, th) {
    this.role = role;
    this.sealKey = sealKey;
    this.openKey = openKey;
    this.transcriptHash = th;
    this.fingerprint = fingerprint(th);
    this.sealDirection = role === 'viewer' ? DIRECTION.viewerToAgent : DIRECTION.agentToViewer;
    this.openDirection = role === 'viewer' ? DIRECTION.agentToViewer : DIRECTION.viewerToAgent;
    this.sendCounter = 0n;
    this.lastReceived = 0n;
  }

  /** Agrees keys from our key pair and the peer's 65-byte point. */
  static async establish({ role, privateKey, localPublic, peerPublic }) {
    if (role !== 'viewer' && role !== 'agent') throw new TypeError('role must be viewer or agent');
    const secret = await sharedSecret(privateKey, peerPublic);
    const [agentPub, viewerPub] = role === 'viewer' ? [peerPublic, localPublic] : [localPublic, peerPublic];
    const th = await transcriptHash(agentPub, viewerPub);
    const keys = await deriveKeyBytes(secret, th);
    const aes = (raw, usage) => crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [usage]);
    const [sealRaw, openRaw] = role === 'viewer' ? [keys.viewerToAgent, keys.agentToViewer] : [keys.agentToViewer, keys.viewerToAgent];
    const channel = new E2EChannel(role, await aes(sealRaw, 'encrypt'), await aes(openRaw, 'decrypt'), th);
    secret.fill(0);
    keys.agentToViewer.fill(0);
    keys.viewerToAgent.fill(0);
    return channel;
  }

  /** Seals one plaintext into a Sealed record with the next counter. */
  async seal(plaintext) {
    if (this.sendCounter >= MAX_COUNTER) throw new E2EError('CounterExhausted');
    this.sendCounter += 1n;
    const header = new Uint8Array(SEALED_HEADER);
    header[0] = RECORD_SEALED;
    new DataView(header.buffer).setBigUint64(1, this.sendCounter);
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: nonceFor(this.sealDirection, this.sendCounter), additionalData: header, tagLength: 128 },
      this.sealKey, plaintext);
    return concatBytes(header, new Uint8Array(sealed));
  }

  /** Opens a Sealed record: Replay before any decryption, then AuthenticationFailed. */
  async open(record) {
    if (!(record instanceof Uint8Array) || record.length < SEALED_HEADER + TAG_BYTES || record[0] !== RECORD_SEALED) {
      throw new E2EError('MalformedRecord');
    }
    const counter = new DataView(record.buffer, record.byteOffset, SEALED_HEADER).getBigUint64(1);
    if (counter <= this.lastReceived) throw new E2EError('Replay');
    let plain;
    try {
      plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: nonceFor(this.openDirection, counter), additionalData: record.subarray(0, SEALED_HEADER), tagLength: 128 },
        this.openKey, record.subarray(SEALED_HEADER));
    } catch {
      throw new E2EError('AuthenticationFailed');
    }
    // Another open may have raced ahead while this one decrypted.
    if (counter <= this.lastReceived) throw new E2EError('Replay');
    this.lastReceived = counter;
    return new Uint8Array(plain);
  }
}
