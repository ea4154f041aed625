// The signed-in user for this page load. The CSRF token lives in api.js.
import { setCsrfToken } from './api.js';

let currentUser = null;

export function setUser(user) {
  currentUser = user || null;
}

export function getUser() {
  return currentUser;
}

export function clearSession() {
  currentUser = null;
  setCsrfToken(null);
}

/** True when the signed-in user holds `permission` (UI hint; the server enforces). */
export function can(permission) {
  return Boolean(currentUser && Array.isArray(currentUser.permissions) && currentUser.permissions.includes(permission));
}
