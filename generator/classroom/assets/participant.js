// The participant's page: keeps a WebSocket to the trainer's laptop, shows each step the server
// sends (HTML rendered there, from the course), and sends answers. Reconnects by itself; a reload
// asks the server again, which remembers this browser's answers by its cookie.
(function () {
  "use strict";
  var main = document.getElementById("step");
  var status = document.getElementById("status");
  var body = document.body;
  var socket = null;
  var retry = 500;
  var offline = false;
  var failures = 0;
  var MAX_FAILURES = 20;

  function stop(reason) {
    socket = null;
    say(body.getAttribute(reason));
    body.classList.add("stopped");
  }

  function say(message) {
    status.textContent = message;
  }

  function show(message) {
    var before = main.firstElementChild ? main.firstElementChild.getAttribute("data-index") : null;
    main.innerHTML = message.html;
    if (before !== String(message.index)) {
      say(body.getAttribute("data-new-step").replace("{title}", message.title));
      main.focus();
    } else {
      say("");  // the page itself now says what changed (received, revealed)
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws");
    socket.onopen = function () {
      retry = 500;
      failures = 0;
      if (offline) {
        offline = false;
        say(body.getAttribute("data-online"));
      }
    };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "step") {
        show(message);
      } else if (message.type === "accepted" || message.type === "refused") {
        say(message.text);
      } else if (message.type === "received") {
        say(message.text);
        var field = document.querySelector(message.kind === "words" ? "form.words input" : "form.ask-form input");
        if (field) { field.value = ""; }
      } else if (message.type === "questions") {
        questions(message.items);
      } else if (message.type === "timer") {
        timer.start(message.seconds);
      }
    };
    socket.onclose = function (event) {
      if (event.code === 4401) {  // the server does not know this browser (a new session): join again
        location.assign("/");
        return;
      }
      if (event.code === 1012 || event.code === 1001) {  // the server was stopped: the session is over
        return stop("data-ended");
      }
      if (event.code === 4409) {  // a newer tab of this participant took over
        return stop("data-other-tab");
      }
      if (event.code === 4403) {  // the trainer removed this participant
        return stop("data-removed");
      }
      offline = true;
      failures += 1;
      if (failures > MAX_FAILURES) {  // about two minutes: stop draining the battery, say what to do
        return stop("data-gave-up");
      }
      say(body.getAttribute("data-offline"));
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 8000);
    };
  }

  // The room's questions, shown by the trainer: built as text, never as markup.
  var list = document.getElementById("room-questions");

  function questions(items) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = document.createElement("li");
      var text = document.createElement("span");
      text.className = "text";
      text.textContent = item.text;
      var votes = document.createElement("span");
      votes.className = "votes";
      votes.textContent = " (" + item.votes + " " + list.getAttribute("data-votes") + ") ";
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-upvote", item.id);
      button.textContent = list.getAttribute(item.mine ? "data-upvoted" : "data-upvote");
      button.disabled = item.mine;
      button.setAttribute("aria-pressed", item.mine ? "true" : "false");
      li.appendChild(text);
      li.appendChild(votes);
      li.appendChild(button);
      list.appendChild(li);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-upvote]") : null;
    if (button && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "upvote", question: button.getAttribute("data-upvote") }));
    }
  });

  function sendText(message) {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      say(body.getAttribute("data-offline"));
      return;
    }
    socket.send(JSON.stringify(message));
  }

  // The step's timer, counted down here from the seconds the server sends.
  var timer = (function () {
    var box = document.getElementById("timer");
    var shown = box.querySelector(".time");
    var end = null;
    var tick = null;
    function draw() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      shown.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      if (left === 0 && tick) { clearInterval(tick); tick = null; }
    }
    return {
      start: function (seconds) {
        if (tick) { clearInterval(tick); tick = null; }
        if (seconds === null || seconds === undefined) { box.hidden = true; return; }
        end = Date.now() + seconds * 1000;
        box.hidden = false;
        draw();
        tick = setInterval(draw, 250);
      }
    };
  })();

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList && form.classList.contains("words")) {
      event.preventDefault();
      var words = form.querySelector("input").value.trim();
      if (words) { sendText({ type: "words", step: Number(form.getAttribute("data-step")), text: words }); }
      return;
    }
    if (form.classList && form.classList.contains("ask-form")) {
      event.preventDefault();
      var question = form.querySelector("input").value.trim();
      if (question) { sendText({ type: "ask", text: question }); }
      return;
    }
    if (!form.classList || !form.classList.contains("answer")) { return; }
    event.preventDefault();
    var choices = [];
    var boxes = form.querySelectorAll("input[name=choice]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) { choices.push(boxes[i].value); }
    }
    var lists = form.querySelectorAll("select[name=choice]");  // a matching question: a letter per premise
    for (var k = 0; k < lists.length; k++) {
      if (!lists[k].value) { lists[k].focus(); return; }
      choices.push(lists[k].value);
    }
    if (!choices.length) {
      var first = boxes[0];
      if (first) { first.focus(); }
      return;
    }
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      say(body.getAttribute("data-offline"));
      return;
    }
    socket.send(JSON.stringify({ type: "answer", step: Number(form.getAttribute("data-step")), choices: choices }));
  });

  connect();
})();
