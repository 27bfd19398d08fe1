// Quick exit: leave for a neutral site and replace this page in the history, so Back does not
// bring it back. Without JavaScript the button is a plain link and still leaves at once.
(function () {
  "use strict";
  function leave(url) {
    try { window.open(url, "_blank", "noopener"); } catch (e) { /* pop-up blocked: the replace below still leaves */ }
    window.location.replace(url);
  }
  document.querySelectorAll("a.quick-exit").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave(link.href);
    });
  });
  // Pressing Escape three times quickly also leaves.
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    var link = document.querySelector("a.quick-exit");
    if (presses.length >= 3 && link) { leave(link.href); }
  });
})();
