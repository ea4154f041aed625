// Which browser and operating system a User-Agent string names, so the portal can
// say where the download appears and how to run it. Pure: no DOM, no globals, so
// tests can feed it real UA strings.

/** Browsers the portal has specific instructions for; anything else is 'generic'. */
export const BROWSERS = Object.freeze(['chrome', 'edge', 'firefox', 'safari', 'generic']);

const BROWSER_NAMES = {
  chrome: 'Google Chrome', edge: 'Microsoft Edge', firefox: 'Firefox', safari: 'Safari', generic: 'your browser',
};
const OS_NAMES = {
  windows: 'Windows', mac: 'macOS', linux: 'Linux', chromeos: 'ChromeOS', android: 'Android', ios: 'iOS', other: 'your computer',
};

/**
 * detectBrowser(userAgent) → { browser, os, browserName, osName, mobile }
 * browser: chrome | edge | firefox | safari | generic
 * os: windows | mac | linux | chromeos | android | ios | other
 * Order matters: Edge and Opera also say "Chrome/", Chrome also says "Safari/".
 */
export function detectBrowser(userAgent) {
  const ua = String(userAgent || '');
  const os = detectOs(ua);
  let browser = 'generic';
  if (/\bEdg(e|A|iOS)?\//.test(ua)) browser = 'edge';
  else if (/\b(OPR|Opera|SamsungBrowser|YaBrowser|Vivaldi|UCBrowser)\//.test(ua)) browser = 'generic';
  else if (/\b(Firefox|FxiOS)\//.test(ua)) browser = 'firefox';
  else if (/\b(Chrome|CriOS)\//.test(ua) && !/\bChromium\//.test(ua)) browser = 'chrome';
  else if (/\bSafari\//.test(ua) && /\bVersion\//.test(ua) && (os === 'mac' || os === 'ios')) browser = 'safari';
  return {
    browser,
    os,
    browserName: BROWSER_NAMES[browser],
    osName: OS_NAMES[os],
    mobile: os === 'android' || os === 'ios',
  };
}

function detectOs(ua) {
  if (/\b(iPhone|iPad|iPod)\b/.test(ua)) return 'ios';
  if (/\bAndroid\b/.test(ua)) return 'android';
  if (/\bWindows\b/.test(ua)) return 'windows';
  if (/\bCrOS\b/.test(ua)) return 'chromeos';
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return 'mac';
  if (/\b(Linux|X11|FreeBSD|OpenBSD)\b/.test(ua)) return 'linux';
  return 'other';
}
