// The viewer's support-session parts: naming the session (code and machine), and the
// End session button, which ends it for everyone (POST /api/support/sessions/{id}/end).
import { api } from '../api.js';
import { button } from '../components/button.js';
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

/** The toolbar's End session button (support sessions only); disabled once the session is over. */
export function endSessionPanel(controller) {
  const endButton = button({ label: 'End session', icon: 'plug', variant: 'destructive', size: 'sm', id: 'viewer-end-session', title: "End the support session; GuruConnect closes on the customer's computer" });
  endButton.addEventListener('click', () => confirmEndSupportSession(controller.session.agentId, () => {
    controller.disconnect('Session ended', "You ended the support session. GuruConnect closed on the customer's computer.");
    controller.markFinal();
  }));
  return {
    name: 'end-session',
    mount: { tools: endButton },
    events: {
      state(info) {
        if (info.final) endButton.disabled = true;
      },
    },
  };
}
