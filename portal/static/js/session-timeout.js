// The inactivity warning: 2 minutes before the server may end the session for inactivity, a
// message with "Stay logged in" appears (focus moves to its button); the button tells the server
// the session is in use (POST /sessie/verlengen). Without JavaScript the server simply ends the
// session after the limit and the log-in page says why. The texts come from data attributes of
// <body>, so they are translated with the page.
(function () {
  "use strict";
  var body = document.body;
  var seconds = parseInt(body.dataset.idleSeconds, 10);
  if (!seconds || !window.fetch) { return; }
  var WARN_BEFORE = 120;  // seconds before the earliest moment the session can end
  var MARGIN = 60;        // the server keeps "last seen" per minute: it ends the session later
  var warnTimer = null;
  var endTimer = null;
  var box = null;
  var returnFocus = null;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function removeBox() {
    if (box && box.parentNode) { box.parentNode.removeChild(box); }
    box = null;
  }

  function buildBox(text) {
    removeBox();
    box = document.createElement("div");
    box.className = "utrecht-alert utrecht-alert--warning session-timeout";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", "session-timeout-text");
    var p = document.createElement("p");
    p.className = "utrecht-paragraph";
    p.id = "session-timeout-text";
    p.textContent = text;
    box.appendChild(p);
    var main = document.getElementById("main");
    (main || body).insertBefore(box, (main || body).firstChild);
    return box;
  }

  function showWarning() {
    returnFocus = document.activeElement;
    buildBox(body.dataset.sessionWarning);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "utrecht-button utrecht-button--primary-action";
    button.textContent = body.dataset.sessionStay;
    button.addEventListener("click", stayLoggedIn);
    var p = document.createElement("p");
    p.className = "utrecht-paragraph";
    p.appendChild(button);
    box.appendChild(p);
    button.focus();
  }

  function showEnded() {
    buildBox(body.dataset.sessionEnded);
    var link = document.createElement("a");
    link.className = "utrecht-link";
    link.href = body.dataset.sessionLoginUrl;
    link.textContent = body.dataset.sessionLogin;
    var p = document.createElement("p");
    p.className = "utrecht-paragraph";
    p.appendChild(link);
    box.appendChild(p);
    link.focus();
  }

  function start() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(showWarning, Math.max(seconds - WARN_BEFORE, 0) * 1000);
    endTimer = window.setTimeout(showEnded, (seconds + MARGIN) * 1000);
  }

  function stayLoggedIn() {
    fetch(body.dataset.sessionExtendUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      if (response.status !== 204) { throw new Error(String(response.status)); }
      removeBox();
      var status = document.createElement("div");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      body.appendChild(status);
      window.setTimeout(function () { status.textContent = body.dataset.sessionExtended; }, 100);
      window.setTimeout(function () { body.removeChild(status); }, 10000);
      if (returnFocus && document.contains(returnFocus) && returnFocus.focus) {
        returnFocus.focus();
      }
      start();
    }).catch(function () {
      window.clearTimeout(endTimer);
      showEnded();
    });
  }

  start();
}());
