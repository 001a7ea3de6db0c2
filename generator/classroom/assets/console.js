// The trainer's console (on the trainer's own screen or phone, never the projector): what the
// room typed, held until the trainer shows it; the room's questions; the participants and the
// door. Buttons post to the trainer's URL (it holds the token); the live channel brings changes.
(function () {
  "use strict";
  var body = document.body;
  var base = body.getAttribute("data-base");
  var main = document.getElementById("console");
  var channel = document.getElementById("channel");
  var retry = 1000;

  function show(html) {
    var focused = document.activeElement;
    var key = focused && focused.getAttribute ? [focused.getAttribute("data-moderate"), focused.getAttribute("data-id")] : null;
    main.innerHTML = html;
    if (key && key[0]) {  // keep the keyboard where it was, on the same item's next button
      var selector = key[1] ? "[data-id='" + key[1].replace(/[^A-Za-z0-9]/g, "") + "']" : "[data-moderate='" + key[0] + "']";
      var again = main.querySelector("button" + selector);
      if (again) { again.focus(); }
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-moderate]") : null;
    if (!button) { return; }
    var form = new URLSearchParams();
    form.set("action", button.getAttribute("data-moderate"));
    form.set("id", button.getAttribute("data-id") || "");
    fetch(base + "/moderate", { method: "POST", credentials: "same-origin", body: form })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (message) { if (message) { show(message.html); } })
      .catch(function () {});
  });

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + base + "/console/ws");
    socket.onopen = function () { retry = 1000; channel.hidden = true; };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "console") { show(message.html); }
    };
    socket.onclose = function (event) {
      var ended = event.code === 1012 || event.code === 1001;
      channel.textContent = body.getAttribute(ended ? "data-channel-ended" : "data-channel-down");
      channel.hidden = false;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  connect();
})();
