// The public side's safety script. Without JavaScript every part still works: the quick exit is a plain
// link to the platform's own exit (which ends the visit on the server, then leaves), and links add history
// entries as usual (the page on browsing safely says how to clear them).
(function () {
  "use strict";
  var exitLink = document.querySelector("a.quick-exit");
  if (!exitLink) { return; }  // staff pages have no quick exit

  var neutral = exitLink.getAttribute("data-neutral");
  var leaving = false;

  // The neutral site opens in a new tab at once, in front; this tab goes through the exit, which ends the visit
  // on the server before the neutral site replaces this page in the history: Back, a form sent again or a new
  // tab then find nothing. Going through the exit (not a beacon beside it) means the visit has ended before
  // Back can be pressed.
  function leave() {
    if (leaving) { return; }
    leaving = true;
    try { window.open(neutral, "_blank", "noopener"); } catch (e) { /* pop-up blocked: the replace still leaves */ }
    window.location.replace(exitLink.href);
    // Should the platform not answer, leave anyway (the exit's request, once sent, still ends the visit).
    var fallback = window.setTimeout(function () { window.location.replace(neutral); }, 2000);
    window.addEventListener("pagehide", function () { window.clearTimeout(fallback); leaving = false; }, { once: true });
  }
  exitLink.addEventListener("click", function (event) {
    event.preventDefault();
    leave();
  });

  // Within the site, each page replaces the one before it in the history: after the quick exit,
  // Back cannot walk through the pages that were read here.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || link === exitLink || link.target || link.hasAttribute("download")) { return; }
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) { return; }
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) {
      return;  // a jump within the page (skip link, error summary) stays a jump
    }
    event.preventDefault();
    window.location.replace(url.href);
  });

  // Pressing Escape three times quickly also leaves.
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
})();
