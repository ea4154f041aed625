// Diagnostics reports on the server (docs/api.md, Diagnostics): where a session's reports are
// stored and listed, and the links to one report's readable page and JSON download.
import { api } from '../api.js';

/** The API path of a session's reports: a support session's own, or an Access machine's. */
export function sessionReportsPath({ kind, agentId }) {
  const id = encodeURIComponent(agentId);
  return kind === 'support' ? `/api/support/sessions/${id}/diagnostics` : `/api/agents/${id}/diagnostics`;
}

/** Stores the report JSON `text` exactly as the agent sent it; resolves to the stored report. */
export function uploadReport(session, text) {
  return api('POST', sessionReportsPath(session), undefined, { jsonText: text });
}

/** The session's (or machine's) reports, newest first. */
export async function listReports(session) {
  const answer = await api('GET', sessionReportsPath(session));
  return answer.reports;
}

/** The readable page of report `id`. */
export function reportPageHref(id) {
  return `/app/diagnostics/${encodeURIComponent(id)}`;
}

/** The JSON download of report `id`. */
export function reportJsonHref(id) {
  return `/api/diagnostics/${encodeURIComponent(id)}/json`;
}
