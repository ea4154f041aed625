// The viewer's support-session parts: naming the session (code and machine) and
// ending it for everyone (POST /api/support/sessions/{id}/end).
import { api } from '../api.js';
import { confirmDialog } from '../components/dialog.js';

/** Resolves { code, title } for the session, or null when the caller cannot see it. */
export async function describeSupportSession(id) {
  const result = await api('GET', '/api/support/sessions');
  const session = (result?.sessions || []).find((s) => s.id === id);
  if (!session) return null;
  const title = session.machineName || (session.status === 'pending' ? 'Waiting for the customer' : "Customer's computer");
  return { code: session.code, machineName: session.machineName, title };
}

/** Asks first; `onEnded()` runs once the server ended the session. */
export function confirmEndSupportSession(id, onEnded) {
  return confirmDialog({
    title: 'End this support session?',
    message: "Everyone watching is disconnected, and GuruConnect closes and removes itself on the customer's computer.",
    confirmLabel: 'End session',
    destructive: true,
    onConfirm: async () => {
      await api('POST', `/api/support/sessions/${encodeURIComponent(id)}/end`);
      onEnded();
    },
  });
}
