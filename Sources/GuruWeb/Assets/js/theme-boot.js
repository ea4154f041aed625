// Runs as a classic, render-blocking script so the saved theme is on <html>
// before the first paint (main.js is a deferred module and would flash).
(function () {
  var theme = 'system';
  try {
    var saved = localStorage.getItem('gc-theme');
    if (saved === 'light' || saved === 'dark' || saved === 'system') theme = saved;
  } catch (e) {
    // Storage can be blocked (privacy mode); the system theme is a safe default.
  }
  var dark = theme === 'dark' || (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = theme;
  document.documentElement.dataset.colorScheme = dark ? 'dark' : 'light';
})();
