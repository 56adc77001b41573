// Runs in <head> before the first paint (a classic script: the CSP allows 'self', not inline code):
// puts the theme chosen in the header (web/src/theme/themePreference.ts, key `thrds.theme`) on <html>,
// so a dark-theme reader on a light system never sees a light flash. "system" (nothing stored) sets nothing.
(function () {
  try {
    var theme = localStorage.getItem('thrds.theme');
    if (theme !== 'light' && theme !== 'dark') return;
    document.documentElement.setAttribute('data-theme', theme);
    var colour = theme === 'dark' ? '#16181d' : '#f7f7f5';
    var metas = document.querySelectorAll('meta[name="theme-color"]');
    for (var i = 0; i < metas.length; i++) metas[i].setAttribute('content', colour);
  } catch (error) {
    // Storage blocked: the system's scheme applies.
  }
})();
