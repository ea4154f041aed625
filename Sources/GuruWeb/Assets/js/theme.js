// Theme preference (light / dark / system), persisted in localStorage `gc-theme`
// and applied as <html data-theme="…" data-color-scheme="light|dark">; "system" follows the OS
// live. theme-boot.js applies it before paint.

const STORAGE_KEY = 'gc-theme';
export const THEMES = ['light', 'dark', 'system'];

export function getTheme() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (THEMES.includes(saved)) return saved;
  } catch {
    // Storage blocked: fall through to the default.
  }
  return 'system';
}

/** Applies and saves the theme. Returns false if it could not be saved. */
const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

function apply(theme) {
  const dark = theme === 'dark' || (theme === 'system' && systemDark.matches);
  document.documentElement.dataset.theme = theme;
  document.documentElement.dataset.colorScheme = dark ? 'dark' : 'light';
}

systemDark.addEventListener('change', () => apply(getTheme()));

export function setTheme(theme) {
  if (!THEMES.includes(theme)) throw new Error(`Unknown theme "${theme}"`);
  apply(theme);
  try {
    localStorage.setItem(STORAGE_KEY, theme);
    return true;
  } catch {
    return false;
  }
}

export function applySavedTheme() {
  apply(getTheme());
}
