// Trust on first use for agents' identity keys (docs/protocol.md §3.6): this browser
// remembers, in IndexedDB, the Ed25519 key each agent (or support session) proved the first
// time, and reports a different key later, so a relay that substitutes keys is caught on
// every session after the first.
import { toHex } from '../protocol/bytes.js';

const DB_NAME = 'guruconnect-trust';
const STORE = 'identities';

/** IndexedDB failed (private mode, storage blocked): the viewer must say so, not guess. */
export class PinStoreError extends Error {
  constructor(message) {
    super(message);
    this.name = 'PinStoreError';
  }
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new PinStoreError(req.error ? req.error.message : 'IndexedDB request failed'));
  });
}

let opening = null;
function database() {
  if (!opening) {
    if (!globalThis.indexedDB) return Promise.reject(new PinStoreError('This browser has no IndexedDB.'));
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'agent' });
    opening = request(req).catch((err) => {
      opening = null;
      throw err;
    });
  }
  return opening;
}

async function withStore(mode, fn) {
  const db = await database();
  const tx = db.transaction(STORE, mode);
  const result = await fn(tx.objectStore(STORE));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(new PinStoreError(tx.error ? tx.error.message : 'IndexedDB transaction failed'));
    tx.onabort = tx.onerror;
  });
  return result;
}

/**
 * Compares `identity` (32 bytes) with what is pinned for `agent`:
 * `{ status: 'new' }` (now pinned), `{ status: 'same', firstSeen }`, or
 * `{ status: 'changed', pinned, firstSeen }` (nothing is changed; see `trustIdentity`).
 */
export async function checkIdentity(agent, identity) {
  const hex = toHex(identity);
  const now = new Date().toISOString();
  return withStore('readwrite', async (store) => {
    const pinned = await request(store.get(agent));
    if (!pinned) {
      await request(store.put({ agent, identity: hex, firstSeen: now, lastSeen: now }));
      return { status: 'new' };
    }
    if (pinned.identity !== hex) return { status: 'changed', pinned: pinned.identity, firstSeen: pinned.firstSeen };
    await request(store.put({ ...pinned, lastSeen: now }));
    return { status: 'same', firstSeen: pinned.firstSeen };
  });
}

/** Replaces the pinned key of `agent` (the technician accepted a new identity). */
export async function trustIdentity(agent, identityHex) {
  const now = new Date().toISOString();
  await withStore('readwrite', (store) => request(store.put({ agent, identity: identityHex, firstSeen: now, lastSeen: now })));
}
