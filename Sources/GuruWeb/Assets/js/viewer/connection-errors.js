// What the viewer tells the technician when a connection ends or fails: the support
// session's end reasons, the agent's ChannelClosed reasons, and E2E and protocol errors
// turned into a title and plain words. A FatalError is never retried automatically.
import { E2EError } from '../protocol/e2e.js';
import { InnerError } from '../protocol/inner.js';
import { REJECT_CODE } from '../protocol/envelope.js';

/** Why a support session ended (docs/support.md §3), as the technician reads it. */
export const SUPPORT_END = {
  2: ['Session ended', 'The support session was ended. GuruConnect closed on the customer\'s computer.'],
  3: ['Code cancelled', 'This support code was cancelled before the customer connected.'],
  4: ['Session transferred', 'The session was handed to another technician.'],
  5: ['Session ended', 'The session ended after being idle for too long.'],
  6: ['Customer declined', 'The customer declined the session.'],
};

/** A failure that must not be retried automatically. */
export class FatalError extends Error {
  constructor(title, message) {
    super(message);
    this.title = title;
  }
}

/** Why the agent closed the channel (ChannelClosed, docs/protocol.md §4). */
export const CHANNEL_CLOSED = {
  missingRecord: 'One of your messages (a key press, a click or the clipboard) never reached the machine: it was deleted on the way. The machine stopped taking input from this viewer so nothing is typed out of order.',
  unexpectedRecord: 'The machine received a record it never accepts from a viewer.',
};

/** Whether a Reject with `code` ends the viewer for good (session full, refused) rather than being retried. */
export function isFinalReject(code) {
  return code === 1 || code === 3 || code === 6;
}

/** The FatalError for a final Reject. */
export function rejectError(code) {
  if (code === 6) {
    return new FatalError('Session full', 'This session already has as many viewers as the server allows. Try again once someone leaves it.');
  }
  return new FatalError('Connection refused', `The server refused this viewer (${REJECT_CODE[code]}).`);
}

/** The title and detail of the identityChanged state; `firstSeen` is when this browser pinned the old key. */
export function identityChangedText(firstSeen) {
  return {
    title: 'This machine\'s identity has changed',
    detail: `The machine proved a different identity key than the one this browser saw first on ${firstSeen.slice(0, 10)}. ` +
      'This happens when GuruConnect was reinstalled on it, but it is also what an attacker between you and the machine would cause. ' +
      'Nothing was sent to it. Ask the person at the machine for the 6-digit code in their GuruConnect window: connect only if it matches.',
  };
}

/** The FatalError a failed E2E or inner-message check becomes; any other error as it is. */
export function securityError(err) {
  if (err instanceof E2EError) {
    const why = {
      AuthenticationFailed: 'A message failed its integrity check: it was altered on the way or sealed with another key.',
      Replay: 'A message was replayed.',
      MissingRecord: 'A message from the machine never arrived: it was deleted on the way.',
      BadSignature: "The key exchange was not signed by the machine's identity key: someone between you and the machine replaced the keys.",
      BadCommitment: 'The machine\'s keys are not the ones it committed to at the start: someone between you and the machine replaced them.',
      BadPadding: 'A message arrived with broken padding.',
      UnexpectedRecord: 'A key-exchange record arrived out of turn.',
      MalformedRecord: 'A malformed encrypted record arrived.',
      InvalidPublicKey: "The agent's key share is not a valid P-256 key.",
      CounterExhausted: 'The message counter ran out.',
    }[err.kind] || err.message;
    return new FatalError('Security check failed', `${why} The session was closed to protect you (${err.kind}).`);
  }
  if (err instanceof InnerError) {
    return new FatalError('Protocol error', `The agent sent a message this viewer cannot read (${err.kind}).`);
  }
  return err;
}
