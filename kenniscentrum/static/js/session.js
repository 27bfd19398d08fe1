// Staff pages: a warning two minutes before the session ends, with a button that keeps it going without leaving
// the page; and, after a login that followed an ended session, the form that was being sent filled in again
// (accounts/unsent.py keeps it on the server for that user). Without JavaScript the page says what was typed.
(function () {
  "use strict";
  var body = document.body;

  function restore() {
    var data = document.getElementById("unsent-form");
    if (!data) { return; }
    var unsent = JSON.parse(data.textContent);
    var form = Array.prototype.find.call(document.forms, function (candidate) {
      return new URL(candidate.action, window.location.href).pathname === unsent.action;
    });
    if (!form) { return; }
    Object.keys(unsent.fields).forEach(function (name) {
      var values = unsent.fields[name];
      Array.prototype.forEach.call(form.elements, function (element) {
        if (element.name !== name || element.type === "hidden" || element.type === "file") { return; }
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = values.indexOf(element.value) !== -1;
        } else if (element.tagName === "SELECT" && element.multiple) {
          Array.prototype.forEach.call(element.options, function (option) {
            option.selected = values.indexOf(option.value) !== -1;
          });
        } else {
          element.value = values[0] || "";
        }
      });
    });
    var details = form.closest("details");
    if (details) { details.open = true; }
    var first = form.querySelector("textarea, input:not([type=hidden]), select");
    if (first) { first.focus(); }
  }

  function warnBeforeTheEnd() {
    var seconds = parseInt(body.getAttribute("data-session-seconds"), 10);
    if (!seconds) { return; }
    var timer = null;
    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(warn, Math.max(seconds - 120, 10) * 1000);
    }
    function warn() {
      var box = document.createElement("div");
      box.className = "notice session-warning";
      box.setAttribute("role", "alert");
      var text = document.createElement("p");
      text.textContent = body.getAttribute("data-session-warning");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "utrecht-button utrecht-button--primary-action";
      button.textContent = body.getAttribute("data-session-extend");
      button.addEventListener("click", function () {
        var token = document.querySelector("input[name=csrfmiddlewaretoken]");
        var form = new FormData();
        if (token) { form.append("csrfmiddlewaretoken", token.value); }
        fetch(body.getAttribute("data-session-url"), { method: "POST", body: form, credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) { return; }
            text.textContent = body.getAttribute("data-session-extended");
            button.remove();
            box.setAttribute("role", "status");
            window.setTimeout(function () { box.remove(); }, 5000);
            schedule();
          });
      });
      box.appendChild(text);
      box.appendChild(button);
      var main = document.getElementById("main");
      main.insertBefore(box, main.firstChild);
      button.focus();
    }
    schedule();
  }

  restore();
  warnBeforeTheEnd();
})();
