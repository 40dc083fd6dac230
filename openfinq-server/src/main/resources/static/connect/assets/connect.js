// Progressive enhancement only: follows the page's main link after a short pause. The page works without it.
(function () {
  var next = document.querySelector('[data-auto-follow]');
  if (next) {
    setTimeout(function () { window.location.assign(next.getAttribute('href')); }, 1200);
  }
  var refresh = document.querySelector('[data-refresh]');
  if (refresh) {
    setTimeout(function () { window.location.reload(); }, 2000);
  }
})();
