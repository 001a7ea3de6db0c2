// The trainer's projector view: buttons and keys move through the session (POST to the trainer's
// own URL, which holds the token); a WebSocket brings the live counts and each new step.
//
// Every step fits the screen: it first shrinks towards the type floors (the CSS variable --fit, from
// 1 down to 0), and what still does not fit is shown a page at a time. A presenter's clicker sends
// PageDown / PageUp (or → / ←, or space, or B): forward shows the next page, then reveals the
// answer, then moves to the next step; back goes the other way.
(function () {
  "use strict";
  var body = document.body;
  var base = body.getAttribute("data-base");
  var main = document.getElementById("step");
  var position = document.getElementById("position");
  var blackout = document.getElementById("blackout");
  var pages = [[]];  // per page, the blocks shown on it (none: a step that fits, all shown)
  var page = 0;

  function current() {
    return main.firstElementChild;
  }

  // --- fitting the step to the screen -------------------------------------------------------

  function fits() {
    return main.scrollHeight <= main.clientHeight + 1;
  }

  // The step's blocks, in order: its direct children, and the children of a long text (a case, an
  // explanation, a list) so a page can end between two paragraphs. The title stays on every page.
  function blocks(step) {
    var found = [];
    var children = step.children;
    for (var i = 0; i < children.length; i++) {
      var child = children[i];
      if (child.tagName === "H1") { continue; }
      var inner = child.children;
      var splittable = (child.tagName === "DIV" || child.tagName === "UL" || child.tagName === "OL" ||
                        child.tagName === "ASIDE") && inner.length > 1 && !child.classList.contains("start");
      if (splittable) {
        for (var j = 0; j < inner.length; j++) { found.push(inner[j]); }
      } else {
        found.push(child);
      }
    }
    return found;
  }

  function hide(node, hidden) {
    if (hidden) { node.setAttribute("data-page-hidden", ""); } else { node.removeAttribute("data-page-hidden"); }
  }

  // A block split into its children is hidden when none of them is shown.
  function syncContainers(step, all) {
    var children = step.children;
    for (var i = 0; i < children.length; i++) {
      var box = children[i];
      if (box.tagName === "H1" || all.indexOf(box) >= 0) { continue; }
      var shown = false;
      for (var j = 0; j < box.children.length; j++) {
        if (!box.children[j].hasAttribute("data-page-hidden")) { shown = true; }
      }
      hide(box, !shown);
    }
  }

  function marker(step, label) {
    var h1 = step.querySelector("h1");
    var mark = h1 ? h1.querySelector(".page") : null;
    if (label === null) {
      if (mark) { h1.removeChild(mark); }
      return;
    }
    if (!h1) { return; }
    if (!mark) {
      mark = document.createElement("span");
      mark.className = "page";
      h1.appendChild(mark);
    }
    mark.textContent = " (" + label + ")";
  }

  function pageLabel(n, total) {
    return body.getAttribute("data-page-of").replace("{n}", n).replace("{total}", total);
  }

  function showPage(n) {
    var step = current();
    if (!step) { return; }
    page = n;
    var all = blocks(step);
    for (var i = 0; i < all.length; i++) { hide(all[i], pages.length > 1 && pages[page].indexOf(all[i]) < 0); }
    syncContainers(step, all);
    marker(step, pages.length > 1 ? pageLabel(page + 1, pages.length) : null);
  }

  function paginate(step) {
    var all = blocks(step);
    marker(step, pageLabel(9, 9));  // its room kept while the pages are filled
    for (var i = 0; i < all.length; i++) { hide(all[i], true); }
    pages = [];
    var filling = [];
    for (var j = 0; j < all.length; j++) {
      hide(all[j], false);
      syncContainers(step, all);
      if (!fits() && filling.length) {
        // A heading goes over with what it heads, rather than end a page alone.
        var carried = [];
        while (filling.length > 1 && /^H[2-6]$/.test(filling[filling.length - 1].tagName)) {
          carried.unshift(filling.pop());
        }
        for (var k = 0; k < filling.length; k++) { hide(filling[k], true); }
        pages.push(filling);
        filling = carried;
        syncContainers(step, all);
      }
      filling.push(all[j]);
    }
    pages.push(filling);
  }

  function fit(keepPage) {
    var step = current();
    if (!step) { return; }
    var wanted = keepPage ? page : 0;
    pages = [[]];
    showPage(0);
    var scale;
    for (scale = 10; scale >= 0; scale--) {
      body.style.setProperty("--fit", String(scale / 10));
      if (fits()) { break; }
    }
    if (scale < 0) {  // at the floors and still too long: a page at a time
      paginate(step);
      showPage(Math.min(wanted, pages.length - 1));
    }
    position.textContent = step.getAttribute("data-position") || "";
  }

  function show(message) {
    var before = current() ? current().getAttribute("data-index") : null;
    var same = before === String(message.index);
    main.innerHTML = message.html;
    fit(same);
    if (!same) { main.focus(); }
  }

  // --- the trainer's actions ------------------------------------------------------------------

  // One action after the other, none dropped: two quick presses of → move two steps.
  var queue = Promise.resolve();

  function act(action) {
    queue = queue.then(function () {
      if (action === "forward" || action === "back") {
        var step = current();
        if (action === "forward" && page < pages.length - 1) { showPage(page + 1); return null; }
        if (action === "back" && page > 0) { showPage(page - 1); return null; }
        if (action === "forward") {
          action = step && step.getAttribute("data-revealable") === "yes" ? "reveal" : "next";
        } else {
          action = "previous";
        }
      }
      return fetch(base + "/" + action, { method: "POST", credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (message) { if (message) { show(message); } })
        .catch(function () {});
    });
  }

  function blank() {
    blackout.hidden = !blackout.hidden;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "BUTTON" || target.tagName === "INPUT") && (event.key === " " || event.key === "Enter")) {
      return;  // a focused button does its own thing
    }
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown" || key === " " || key === "ArrowDown") {
      event.preventDefault();
      act("forward");
    } else if (key === "ArrowLeft" || key === "PageUp" || key === "ArrowUp") {
      event.preventDefault();
      act("back");
    } else if (key === "r" || key === "R") {
      event.preventDefault();
      act("reveal");
    } else if (key === "b" || key === "B" || key === ".") {  // clickers send B or . for a black screen
      event.preventDefault();
      blank();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-action]") : null;
    if (!button) { return; }
    var action = button.getAttribute("data-action");
    if (action === "blank") { blank(); } else { act(action === "previous" ? "back" : action); }
    if (event.detail > 0) { button.blur(); }  // clicked with the mouse: the controls may fade again
  });

  window.addEventListener("resize", function () { fit(true); });

  // --- the live channel -----------------------------------------------------------------------

  // The live channel's state, on the screen: a trainer must see at once that the counts have
  // stopped (the server was stopped, the laptop slept), not wait for a count that never comes.
  var channel = document.getElementById("channel");
  var retry = 1000;

  function down(ended) {
    channel.textContent = body.getAttribute(ended ? "data-channel-ended" : "data-channel-down");
    channel.hidden = false;
    body.classList.add("offline");
    fit(true);
  }

  function up() {
    if (channel.hidden) { return; }
    channel.hidden = true;
    channel.textContent = "";
    body.classList.remove("offline");
    fit(true);
  }

  // The step's timer, large in the corner, counted down here from the seconds the server sends.
  var timerBox = document.getElementById("timer");
  var timerTick = null;

  function timer(seconds) {
    if (timerTick) { clearInterval(timerTick); timerTick = null; }
    if (seconds === null || seconds === undefined) { timerBox.hidden = true; return; }
    var end = Date.now() + seconds * 1000;
    var shown = timerBox.querySelector(".time");
    function draw() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      shown.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      timerBox.classList.toggle("done", left === 0);
      if (left === 0 && timerTick) { clearInterval(timerTick); timerTick = null; }
    }
    timerBox.hidden = false;
    draw();
    timerTick = setInterval(draw, 250);
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
      } else if (message.type === "timer") {
        timer(message.seconds);
      } else if (message.type === "joined") {
        setText("joined", message.text);
      } else if (message.type === "nickname") {
        var list = document.getElementById("nicknames");
        if (list) {
          var item = document.createElement("li");
          item.textContent = message.name;  // text, never markup
          list.insertBefore(item, list.firstChild);  // the newest first: older ones fall off the box
          while (list.children.length > 60) { list.removeChild(list.lastChild); }
        }
      }
    };
    socket.onclose = function (event) {
      down(event.code === 1012 || event.code === 1001);  // the server is going away: it was stopped
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  fit(false);
  connect();
})();
