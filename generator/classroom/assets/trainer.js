// The trainer's projector view: buttons and keys move through the session (POST to the trainer's
// own URL, which holds the token); a WebSocket brings the live answer count and each new step.
(function () {
  "use strict";
  var base = document.body.getAttribute("data-base");
  var main = document.getElementById("step");

  function current() {
    return main.firstElementChild;
  }

  function show(message) {
    var before = current() ? current().getAttribute("data-index") : null;
    main.innerHTML = message.html;
    if (before !== String(message.index)) { main.focus(); }
  }

  // One action after the other, none dropped: two quick presses of → move two steps.
  var queue = Promise.resolve();

  function act(action) {
    queue = queue.then(function () {
      return fetch(base + "/" + action, { method: "POST", credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (message) { if (message) { show(message); } })
        .catch(function () {});
    });
  }

  function forward() {
    var step = current();
    act(step && step.getAttribute("data-revealable") === "yes" ? "reveal" : "next");
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "BUTTON" || target.tagName === "INPUT") && (event.key === " " || event.key === "Enter")) {
      return;  // a focused button does its own thing
    }
    if (event.key === "ArrowRight" || event.key === "PageDown") { event.preventDefault(); act("next"); }
    else if (event.key === "ArrowLeft" || event.key === "PageUp") { event.preventDefault(); act("previous"); }
    else if (event.key === " ") { event.preventDefault(); forward(); }
    else if (event.key === "r" || event.key === "R") { event.preventDefault(); act("reveal"); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-action]") : null;
    if (button) { act(button.getAttribute("data-action")); }
  });

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + base + "/ws");
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "step") {
        show(message);
      } else if (message.type === "count") {
        var answered = document.getElementById("answered");
        if (answered) { answered.textContent = message.text; }
      }
    };
    socket.onclose = function () { setTimeout(connect, 1000); };
  }

  connect();
})();
