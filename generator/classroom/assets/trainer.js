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

  // The live channel's state, on the screen: a trainer must see at once that the counts have
  // stopped (the server was stopped, the laptop slept), not wait for a count that never comes.
  var channel = document.getElementById("channel");
  var retry = 1000;

  function down(ended) {
    channel.textContent = document.body.getAttribute(ended ? "data-channel-ended" : "data-channel-down");
    channel.hidden = false;
    document.body.classList.add("offline");
  }

  function up() {
    channel.hidden = true;
    channel.textContent = "";
    document.body.classList.remove("offline");
  }

  function setText(id, value) {
    var node = document.getElementById(id);
    if (node) { node.textContent = value; }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + base + "/ws");
    socket.onopen = function () { retry = 1000; up(); };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "step") {
        show(message);
      } else if (message.type === "count") {
        setText("answered", message.text);
      } else if (message.type === "joined") {
        setText("joined", message.text);
      } else if (message.type === "nickname") {
        var list = document.getElementById("nicknames");
        if (list) {
          var item = document.createElement("li");
          item.textContent = message.name;  // text, never markup
          list.appendChild(item);
        }
      }
    };
    socket.onclose = function (event) {
      down(event.code === 1012 || event.code === 1001);  // the server is going away: it was stopped
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  connect();
})();
