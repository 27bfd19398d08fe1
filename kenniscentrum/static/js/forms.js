// Shows how much room a long text has left, as the visitor or worker types. Without JavaScript the
// field's help text names its limit and the browser stops at it (maxlength).
(function () {
  "use strict";
  var template = document.body.getAttribute("data-chars-left");
  if (!template) { return; }
  function text(left) {
    return template.replace("#", left.toLocaleString(document.documentElement.lang));
  }
  document.querySelectorAll("textarea[maxlength]").forEach(function (field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max || max < 500) { return; }
    // What the eye sees changes at every key; what a screen reader hears only when a step is passed.
    var counter = document.createElement("p");
    counter.className = "meta chars-left";
    counter.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", spoken);
    field.insertAdjacentElement("afterend", counter);
    var step = -1;
    function update() {
      var left = max - field.value.length;
      counter.textContent = text(left);
      var size = left > 1000 ? 1000 : left > 100 ? 100 : 10;
      var current = Math.floor(left / size);
      if (step !== -1 && current !== step) { spoken.textContent = text(left); }
      step = current;
    }
    field.addEventListener("input", update);
    update();
  });
})();

// Back after sending a report brings the form back fresh from the server, with a new one-time token and
// the text the browser restores. Sending it again would make a second report, so the token that was
// sent is put back: the server then shows the receipt page of the report already made. The token is
// kept in this tab's sessionStorage only, which the browser empties when the tab closes.
(function () {
  "use strict";
  var navigation = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  document.querySelectorAll("form input[name=token]").forEach(function (field) {
    var key = "sent-token:" + window.location.pathname;
    try {
      var sent = window.sessionStorage.getItem(key);
      if (sent && navigation && navigation.type === "back_forward") { field.value = sent; }
      field.form.addEventListener("submit", function () { window.sessionStorage.setItem(key, field.value); });
    } catch (e) { /* storage blocked: the form works as without JavaScript */ }
  });
})();
