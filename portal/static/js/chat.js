// Progressive enhancement of the chat page: send without a full reload. Without JavaScript the
// same form posts and the server renders the transcript.
(function () {
  "use strict";
  const form = document.getElementById("chat-form");
  const transcript = document.getElementById("transcript");
  if (!form || !transcript || !window.fetch) return;
  const input = form.querySelector("input[name='message']");
  const button = form.querySelector("[type='submit']");
  const status = document.getElementById("chat-status");

  function addLine(author, text) {
    const item = document.createElement("li");
    item.className = "transcript__item transcript__item--" + author;
    const who = document.createElement("span");
    who.className = "transcript__author";
    who.textContent = (author === "bot" ? transcript.dataset.botLabel : transcript.dataset.userLabel) + ": ";
    const body = document.createElement("span");
    body.className = "transcript__text";
    body.textContent = text;
    item.append(who, body);
    transcript.append(item);
  }

  form.addEventListener("submit", function (event) {
    const text = input.value.trim();
    if (!text) return; // let the server show the validation message
    event.preventDefault();
    input.value = "";
    send(text);
  });

  // The common questions and "talk to a person" are buttons of their own form; with JavaScript
  // they go through the same conversation without a reload, and the focus returns to the input.
  const quick = document.getElementById("quick-replies");
  if (quick) {
    quick.addEventListener("submit", function (event) {
      const text = event.submitter && event.submitter.value;
      if (!text) return;
      event.preventDefault();
      send(text);
    });
  }

  async function send(text) {
    button.disabled = true;
    addLine("user", text);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json" },
        body: new URLSearchParams({ csrf_token: form.elements.csrf_token.value, message: text }),
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!data.available) {
        window.location.assign(data.reload || form.action);
        return;
      }
      (data.replies || []).forEach(function (reply) { addLine("bot", reply); });
      if (data.errors && data.errors.length) status.textContent = data.errors.join(" ");
    } catch (error) {
      status.textContent = form.dataset.offlineMessage;
      window.location.assign(form.action);
      return;
    } finally {
      button.disabled = false;
      input.focus();
    }
  }
})();
