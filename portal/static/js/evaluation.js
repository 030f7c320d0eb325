// Keeps a half-filled evaluation safe: saves the step as a draft while the person types, and
// keeps a copy on this device when the connection is lost. Without JavaScript the buttons
// "Next" and "Save and go on later" save the draft just the same.
(function () {
  "use strict";
  var form = document.querySelector("form.evaluation-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var status = form.querySelector(".autosave-status");
  var key = form.dataset.autosaveKey;
  var timer = null;

  function say(text) { if (status) { status.textContent = text; } }

  function entries() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token") { return; }
      (data[name] = data[name] || []).push(value);
    });
    return data;
  }

  function keepLocally() {
    try {
      localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), data: entries() }));
    } catch (e) { /* storage full or blocked: the server copy is all we have */ }
  }

  function save() {
    var body = new FormData(form);
    body.set("action", "autosave");
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Autosave": "1" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (result) {
      if (result.saved) {
        try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
        say(form.dataset.msgSaved.replace("{time}", result.saved_at));
      }
    }).catch(function () {
      keepLocally();
      say(form.dataset.msgOffline);
    });
  }

  function later() {
    keepLocally();
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  }

  function restore() {
    var stored;
    try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    if (!stored) { return; }
    var serverAt = form.dataset.savedAt ? Date.parse(form.dataset.savedAt) : 0;
    if (Date.parse(stored.at) <= serverAt) { localStorage.removeItem(key); return; }
    Object.keys(stored.data).forEach(function (name) {
      var values = stored.data[name];
      form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = values.indexOf(input.value) !== -1;
        } else if (input.type !== "hidden") {
          input.value = values[0];
        }
      });
    });
    say(form.dataset.msgRestored);
    save();
  }

  form.addEventListener("change", later);
  form.addEventListener("input", later);
  window.addEventListener("online", save);
  restore();
}());
