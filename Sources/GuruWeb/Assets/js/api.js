// The one fetch wrapper: JSON in and out, same-origin cookie, CSRF header on
// state-changing requests, and typed errors (ApiError) for every failure.

/** A failed API call: HTTP status, the server's error code and message. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken = null;
let unauthenticatedHandler = null;

/** Stores the CSRF token from login / GET /api/session answers (memory only). */
export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** Called when a signed-in request answers 401 `unauthenticated` (session ended). */
export function onUnauthenticated(handler) {
  unauthenticatedHandler = handler;
}

/**
 * api('GET', '/api/session') → parsed JSON, or null for 204.
 * Options: { quietAuth: true } skips the global signed-out handler; { jsonText } sends that
 * JSON text as the body, byte for byte (a diagnostics report as the agent wrote it).
 */
export async function api(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (body !== undefined || typeof options.jsonText === 'string') {
    headers['Content-Type'] = 'application/json';
    init.body = typeof options.jsonText === 'string' ? options.jsonText : JSON.stringify(body);
  }
  if (UNSAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', "Can't reach the GuruConnect server. Check your connection and try again.");
  }

  const data = await readBody(response);
  if (response.ok) {
    if (data && typeof data === 'object' && typeof data.csrfToken === 'string') setCsrfToken(data.csrfToken);
    return data;
  }
  const error = toApiError(response, data);
  if (error.code === 'unauthenticated' && !options.quietAuth && unauthenticatedHandler) {
    unauthenticatedHandler(error);
  }
  throw error;
}

async function readBody(response) {
  if (response.status === 204) return null;
  const text = await response.text().catch(() => '');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { rawText: text };
  }
}

function toApiError(response, data) {
  const headerRetry = Number.parseInt(response.headers.get('Retry-After') || '', 10);
  const bodyRetry = data && Number.isFinite(data.retryAfter) ? data.retryAfter : null;
  const retryAfter = bodyRetry ?? (Number.isFinite(headerRetry) ? headerRetry : null);
  if (data && typeof data.error === 'string') {
    return new ApiError(response.status, data.error, data.message || fallbackMessage(response.status), retryAfter);
  }
  return new ApiError(response.status, 'http_' + response.status, fallbackMessage(response.status), retryAfter);
}

function fallbackMessage(status) {
  if (status === 401) return 'You are not signed in.';
  if (status === 403) return "You don't have permission to do that.";
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Please wait and try again.';
  if (status >= 500) return `The server had a problem (HTTP ${status}). Try again in a moment.`;
  return `Request failed (HTTP ${status}).`;
}
