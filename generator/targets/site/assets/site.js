/* modgen self-study site: progress, self-check quizzes, summary and certificate.
 *
 * No network, no inline code: everything this script needs is in <script type="application/json"
 * id="modgen-data"> on each page. Course text is only ever inserted with textContent.
 *
 * LMS hook (see the Python package docstring): a script loaded before this one may define
 * window.modgenProgress = { restore(): string|null, report(event) }. All progress is read and
 * written through `Progress` below, and every change is reported through `report()`.
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("modgen-data");
  if (!dataElement) { return; }
  var site = JSON.parse(dataElement.textContent);
  var text = site.text;

  function say(key, values) {
    var s = text[key] || key;
    if (values) {
      Object.keys(values).forEach(function (name) { s = s.split("{" + name + "}").join(String(values[name])); });
    }
    return s;
  }

  function hook() {
    return window.modgenProgress && typeof window.modgenProgress === "object" ? window.modgenProgress : null;
  }

  /* The one place progress is kept. State shape:
     {v: 1, lessons: {id: {visited: true}}, quizzes: {id: {order, answers, checked, attempt, last, best}},
      learner: ""} */
  var Progress = {
    key: site.storageKey,
    memory: null,
    load: function () {
      if (this.memory) { return this.memory; }
      var raw = null;
      var h = hook();
      if (h && typeof h.restore === "function") {
        try { raw = h.restore(); } catch (e) { raw = null; }
      }
      if (typeof raw !== "string" || !raw) {
        try { raw = window.localStorage.getItem(this.key); } catch (e) { raw = null; }
      }
      var state = null;
      try { state = raw ? JSON.parse(raw) : null; } catch (e) { state = null; }
      if (!state || state.v !== 1) { state = { v: 1, lessons: {}, quizzes: {}, learner: "" }; }
      state.lessons = state.lessons || {};
      state.quizzes = state.quizzes || {};
      this.memory = state;
      return state;
    },
    save: function (quizId) {
      var state = this.load();
      // The day the course was completed, for the certificate; kept while it stays completed.
      var completed = this.totals().completed;
      if (completed && !state.completedAt) { state.completedAt = today(); }
      if (!completed && state.completedAt) { delete state.completedAt; }
      var raw = JSON.stringify(state);
      try { window.localStorage.setItem(this.key, raw); } catch (e) { /* private mode: keep it in memory */ }
      this.report(quizId, raw);
      showProgress();
    },
    clear: function () {
      this.memory = { v: 1, lessons: {}, quizzes: {}, learner: "" };
      this.save(null);
    },
    quiz: function (id) {
      var state = this.load();
      if (!state.quizzes[id]) { state.quizzes[id] = { order: {}, answers: {}, checked: {}, attempt: 0, last: null, best: null }; }
      return state.quizzes[id];
    },
    /* The course as this learner stands. ``passed`` applies the course's one rule for passing
       (site.passing: every quiz passed, or every quiz taken and the course score at the pass
       mark); the certificate shows on ``completed`` and the LMS launch pages report ``passed``, so
       the two can never disagree. */
    totals: function () {
      var state = this.load();
      var t = { score: 0, max: 0, lessons: site.lessons.length, lessonsVisited: 0, quizzes: 0, quizzesPassed: 0,
        quizzesFinished: 0 };
      site.lessons.forEach(function (lesson) {
        if (state.lessons[lesson.id] && state.lessons[lesson.id].visited) { t.lessonsVisited += 1; }
        if (!lesson.quiz) { return; }
        t.quizzes += 1;
        t.max += lesson.questions;
        var q = state.quizzes[lesson.quiz];
        var best = q && q.best;
        if (best) { t.score += best.score; t.quizzesFinished += 1; }
        if (best && best.passed) { t.quizzesPassed += 1; }
      });
      t.passed = coursePassed(t);
      t.finished = t.lessonsVisited === t.lessons && t.quizzesFinished === t.quizzes;
      t.completed = t.lessonsVisited === t.lessons && t.passed;
      return t;
    },
    report: function (quizId, raw) {
      var h = hook();
      if (!h || typeof h.report !== "function") { return; }
      var q = quizId ? this.load().quizzes[quizId] : null;
      var last = q && q.last;
      try {
        h.report({
          lesson: site.lesson, quiz: quizId || null,
          score: last ? last.score : null, max: last ? last.max : null, passed: last ? last.passed : null,
          totals: this.totals(), suspend: raw
        });
      } catch (e) { /* a broken adapter must not break the course */ }
    }
  };

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function percent(score, max) { return max ? Math.round((score / max) * 100) : 0; }

  var passing = site.passing || { rule: "every-quiz", passMark: 0 };

  function coursePassed(t) {
    if (passing.rule === "course-score") {
      // Unrounded: 69.5 % is not 70 %.
      return t.quizzesFinished === t.quizzes && (!t.max || 100 * t.score / t.max >= passing.passMark);
    }
    return t.quizzesPassed === t.quizzes;
  }

  /* A lesson's quiz counts as done: passed, or under the course-score rule, taken. */
  function quizDone(lesson, state) {
    if (!lesson.quiz) { return true; }
    var q = state.quizzes[lesson.quiz];
    var best = q && q.best;
    return !!best && (passing.rule === "course-score" || !!best.passed);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) { return; }
        if (name === "text") { node.textContent = value; } else if (name === "className") { node.className = value; } else { node.setAttribute(name, value === true ? "" : value); }
      });
    }
    (children || []).forEach(function (child) {
      if (child) { node.appendChild(typeof child === "string" ? document.createTextNode(child) : child); }
    });
    return node;
  }

  function shuffled(ids, avoid) {
    var out = ids.slice();
    for (var i = out.length - 1; i > 0; i -= 1) {
      var j = Math.floor(Math.random() * (i + 1));
      var tmp = out[i]; out[i] = out[j]; out[j] = tmp;
    }
    // A new attempt must look different from the one before (and an ordering task must not start solved).
    var same = function (list) { return list && list.join("\u0000") === out.join("\u0000"); };
    if (out.length > 1 && avoid.some(same)) {
      out.push(out.shift());
      if (avoid.some(same)) { out.push(out.shift()); }
    }
    return out;
  }

  /* --- lesson status on the start, lesson and summary pages ------------------------------------- */

  function lessonStatus(lesson) {
    var state = Progress.load();
    var visited = state.lessons[lesson.id] && state.lessons[lesson.id].visited;
    var q = lesson.quiz ? state.quizzes[lesson.quiz] : null;
    var best = q && q.best;
    if (best) {
      var p = percent(best.score, best.max);
      return { text: say(best.passed ? "status_passed" : "status_not_passed", { percent: p }), cls: best.passed ? "is-passed" : "is-failed" };
    }
    return { text: say(visited ? "status_visited" : "status_not_started"), cls: "" };
  }

  /* A module is done when it has been viewed and its quiz, if it has one, passed: the certificate's
     condition, shown as the bar in every page's header and as a tick wherever modules are listed. */
  function moduleDone(lesson, state) {
    var visited = state.lessons[lesson.id] && state.lessons[lesson.id].visited;
    return !!visited && quizDone(lesson, state);
  }

  function showProgress() {
    var state = Progress.load();
    var total = site.lessons.length;
    var done = site.lessons.filter(function (l) { return moduleDone(l, state); }).length;
    var box = document.getElementById("course-progress");
    if (box) {
      box.hidden = false;
      var bar = document.getElementById("course-progress-bar");
      bar.max = total;
      bar.value = done;
      document.getElementById("course-progress-text").textContent = say("course_progress", { n: done, total: total });
    }
    var paint = function (tick, ok) {
      tick.textContent = "";
      tick.classList.toggle("is-done", ok);
      // The icon is decoration; the words say it (icon and text, not colour alone).
      tick.appendChild(el("span", { className: "tick-icon", "aria-hidden": "true", text: ok ? "\u2713" : "\u25CB" }));
      tick.appendChild(el("span", { className: "visually-hidden", text: " (" + say(ok ? "module_done" : "module_open") + ")" }));
    };
    site.lessons.forEach(function (lesson) {
      var ok = moduleDone(lesson, state);
      document.querySelectorAll('[data-module-done="' + lesson.id + '"]').forEach(function (tick) { paint(tick, ok); });
    });
    var totals = Progress.totals();
    document.querySelectorAll("[data-course-score]").forEach(function (tick) { paint(tick, totals.passed); });
    document.querySelectorAll("[data-course-count]").forEach(function (node) { node.textContent = "(" + done + "/" + total + ")"; });
  }

  /* Beside the text on a wide screen the page's menus are open; on a phone they stay folded. */
  function openAsides() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 64em)").matches) { return; }
    document.querySelectorAll(".lesson-aside details").forEach(function (d) { d.open = true; });
  }

  /* The start button leads to the first module not yet done, once the learner has begun. */
  function showContinue() {
    var button = document.getElementById("start-course");
    if (!button) { return; }
    var state = Progress.load();
    var begun = site.lessons.some(function (l) { return state.lessons[l.id] && state.lessons[l.id].visited; });
    if (!begun) { return; }
    var next = site.lessons.filter(function (l) { return !moduleDone(l, state); })[0];
    if (!next) {
      if (Progress.totals().completed) {
        button.textContent = say("see_certificate");
        button.setAttribute("href", "summary.html#certificate-title");
      }
      return;
    }
    button.textContent = say("continue");
    button.setAttribute("href", next.href);
  }

  function showStatuses() {
    site.lessons.forEach(function (lesson) {
      document.querySelectorAll('[data-lesson-status="' + lesson.id + '"]').forEach(function (node) {
        var st = lessonStatus(lesson);
        node.textContent = st.text;
        node.classList.remove("is-passed", "is-failed");
        if (st.cls) { node.classList.add(st.cls); }
      });
    });
  }

  /* --- the quiz ----------------------------------------------------------------------------------- */

  /* A quiz page shows one question per screen (or, by the learner's choice, all of them on one page,
     which is also how it prints), a progress bar that stays in view, and a results screen that
     states the score once and leads back to the questions answered wrong. The same class runs an
     inline knowledge check on a lesson page: one question, unscored, with its own saved state. */
  function Quiz(root, data, options) {
    options = options || {};
    this.root = root;
    this.data = data;
    this.inline = !!options.inline;
    this.state = options.state || Progress.quiz(data.id);
    if (!this.state.attempt) { this.state.attempt = 1; }
    if (!this.inline) { this.bindPage(); }
    this.render();
  }

  Quiz.prototype.bindPage = function () {
    var self = this;
    var byId = function (id) { return document.getElementById(id); };
    this.page = root_of(this.root);
    this.status = byId("quiz-status");
    this.result = byId("quiz-result");
    this.resultText = byId("quiz-result-text");
    this.resultList = byId("quiz-result-list");
    this.reviewWrong = byId("quiz-review-wrong");
    this.tryAgain = byId("quiz-try-again");
    this.reset = byId("quiz-reset");
    this.bar = byId("quiz-bar");
    this.position = byId("quiz-position");
    this.counter = byId("quiz-count");
    this.meter = byId("quiz-progress");
    this.viewButton = byId("quiz-view");
    this.prev = byId("quiz-prev");
    this.next = byId("quiz-next");
    this.toResult = byId("quiz-to-result");
    this.tryAgain.addEventListener("click", function () { self.restart(true); });
    this.resetConfirm = byId("quiz-reset-confirm");
    this.reset.addEventListener("click", function () {
      // A passed quiz is the module's tick and part of the certificate: ask before wiping it.
      if (self.state.best && self.state.best.passed) {
        self.resetConfirm.hidden = false;
        self.reset.setAttribute("aria-expanded", "true");
        byId("quiz-reset-cancel").focus();
        return;
      }
      self.restart(false);
    });
    byId("quiz-reset-cancel").addEventListener("click", function () {
      self.resetConfirm.hidden = true;
      self.reset.setAttribute("aria-expanded", "false");
      self.reset.focus();
    });
    byId("quiz-reset-yes").addEventListener("click", function () {
      self.resetConfirm.hidden = true;
      self.reset.setAttribute("aria-expanded", "false");
      self.restart(false);
    });
    this.viewButton.addEventListener("click", function () { self.setView(self.view === "all" ? "one" : "all"); });
    this.prev.addEventListener("click", function () { self.step(-1); });
    this.next.addEventListener("click", function () { self.step(1); });
    this.toResult.addEventListener("click", function () { self.showScreen("result", true); });
    this.reviewWrong.addEventListener("click", function () {
      self.review = self.wrongIds();
      if (self.review.length) { self.showScreen(self.indexOf(self.review[0]), true); }
    });
    this.resultList.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("[data-goto]") : null;
      if (!link || self.view === "all") { return; }  // on one page the link scrolls, as links do
      event.preventDefault();
      self.review = null;
      self.showScreen(self.indexOf(link.getAttribute("data-goto")), true);
    });
    var prefs = Progress.load().prefs || {};
    this.view = prefs.quizView === "all" ? "all" : "one";
    this.review = null;
    this.bar.hidden = false;
    this.viewButton.hidden = false;
  };

  function root_of(node) { return node.closest ? node.closest(".quiz-page") : null; }

  Quiz.prototype.indexOf = function (qid) {
    for (var i = 0; i < this.data.questions.length; i += 1) { if (this.data.questions[i].id === qid) { return i; } }
    return 0;
  };

  /* Where a returning learner lands: the first question not yet checked, else the results. */
  Quiz.prototype.firstOpen = function () {
    for (var i = 0; i < this.data.questions.length; i += 1) {
      if (!this.state.checked[this.data.questions[i].id]) { return i; }
    }
    return "result";
  };

  Quiz.prototype.finished = function () {
    var self = this;
    return !!this.state.last && this.data.questions.every(function (q) { return self.state.checked[q.id]; });
  };

  Quiz.prototype.wrongIds = function () {
    var self = this;
    return this.data.questions.filter(function (q) { return self.state.checked[q.id] && !self.isCorrect(q); })
      .map(function (q) { return q.id; });
  };

  Quiz.prototype.orderOf = function (q) {
    var order = this.state.order[q.id];
    var ids = q.order;
    if (!order || order.length !== ids.length || ids.some(function (id) { return order.indexOf(id) < 0; })) {
      order = ids.slice();
      this.state.order[q.id] = order;
    }
    return order;
  };

  Quiz.prototype.save = function () { Progress.save(this.inline ? null : this.data.id); };

  Quiz.prototype.render = function () {
    var self = this;
    this.root.textContent = "";
    this.data.questions.forEach(function (q, index) { self.root.appendChild(self.renderQuestion(q, index)); });
    if (this.inline) { return; }
    this.screen = this.firstOpen();
    this.showResult(false);
    this.layout();
  };

  /* Show one screen: a question (its index) or "result". ``focus`` moves the keyboard there, as a
     page change would (the question's group, or the result heading). */
  Quiz.prototype.showScreen = function (screen, focus) {
    if (screen === "result" && !this.finished()) { screen = this.firstOpen(); }
    this.screen = screen;
    // The announcement has done its work; on the results screen the score is said once, there.
    if (screen === "result") { this.review = null; this.status.textContent = ""; }
    this.layout();
    if (!focus) { return; }
    if (this.view === "one" && screen === "result") {
      document.getElementById("quiz-result-title").focus();
    } else if (this.view === "one") {
      var box = this.root.children[screen];
      if (box) { box.focus({ preventScroll: true }); this.reveal(box); }
    }
  };

  /* The bar that stays in view stands over the top of the page: bring ``box`` (a question) to just
     below it, so that its stem is never under the bar — after "Next", "Try again", in review, at any
     zoom. (Focusing an element scrolls it to the very top, under the bar.) */
  Quiz.prototype.barHeight = function () {
    if (!this.bar || this.bar.hidden) { return 0; }
    var height = this.bar.getBoundingClientRect().height;
    // Anchors (the results' links in the one-page view) land below the bar too.
    document.documentElement.style.setProperty("--quiz-bar-height", Math.ceil(height) + "px");
    return height;
  };

  Quiz.prototype.reveal = function (box) {
    var clear = this.barHeight() + 8;
    var top = box.getBoundingClientRect().top;
    // Below the bar and in the upper part of the screen already: leave the page where it is.
    if (top >= clear && top <= Math.max(clear, window.innerHeight / 3)) { return; }
    window.scrollBy(0, top - clear);
  };

  Quiz.prototype.step = function (direction) {
    if (this.review) {
      var at = this.review.indexOf(this.data.questions[this.screen].id) + direction;
      if (at >= 0 && at < this.review.length) { this.showScreen(this.indexOf(this.review[at]), true); }
      return;
    }
    var target = this.screen + direction;
    if (target >= this.data.questions.length) { target = this.firstOpen(); }
    if (target === "result" || target < 0) { return; }
    this.showScreen(target, true);
  };

  Quiz.prototype.setView = function (view) {
    this.view = view;
    var state = Progress.load();
    state.prefs = state.prefs || {};
    state.prefs.quizView = view;
    this.save();
    // Back to one per screen: where a returning learner would land (the first open question, or the result).
    if (view === "one") { this.screen = this.firstOpen(); this.review = null; }
    this.layout();
    this.viewButton.focus();
  };

  /* Everything that follows from (view, screen, answers): which question shows, the bar, the buttons. */
  Quiz.prototype.layout = function () {
    var self = this;
    var total = this.data.questions.length;
    var one = this.view === "one";
    var onResult = this.screen === "result";
    var finished = this.finished();
    this.root.classList.toggle("one-at-a-time", one);
    this.page.classList.toggle("is-result", one && onResult);
    Array.prototype.forEach.call(this.root.children, function (box, i) {
      box.classList.toggle("is-current", !onResult && i === self.screen);
    });
    var answered = this.data.questions.filter(function (q) { return self.state.checked[q.id]; }).length;
    this.meter.max = total;
    this.meter.value = answered;
    this.counter.textContent = say("answered", { n: answered, total: total });
    this.position.textContent = one && !onResult ? say("question", { n: this.screen + 1, total: total })
      : (one && onResult ? say("result_title") : "");
    this.position.hidden = !this.position.textContent;
    this.viewButton.textContent = say(one ? "view_all" : "view_one");
    this.result.hidden = !finished || (one && !onResult);
    this.tryAgain.hidden = !finished;

    var nav = one && !onResult;
    this.prev.hidden = !nav;
    this.next.hidden = !nav;
    this.toResult.hidden = !(nav && finished);
    if (!nav) { return; }
    if (this.review) {
      var at = this.review.indexOf(this.data.questions[this.screen].id);
      this.prev.hidden = at <= 0;
      this.next.hidden = at < 0 || at >= this.review.length - 1;
      this.next.textContent = say("next_wrong");
      this.prev.textContent = say("previous_wrong");
      return;
    }
    this.prev.textContent = say("previous_question");
    this.prev.hidden = this.screen === 0;
    if (this.screen < total - 1) {
      this.next.textContent = say("next_question");
    } else {
      this.next.hidden = finished || this.firstOpen() === this.screen;
      this.next.textContent = say("first_open");
    }
  };

  Quiz.prototype.renderQuestion = function (q, index) {
    var self = this;
    var checked = !!this.state.checked[q.id];
    var answer = this.state.answers[q.id];
    var qid = "q-" + q.id;
    var label = this.inline ? say("check_label") : say("question", { n: index + 1, total: this.data.questions.length });
    var legend = el("legend", { id: qid + "-stem" }, [
      el("span", { className: "question-number", text: label }),
      el("span", { text: q.stem })
    ]);
    var fieldset = el("fieldset", null, [legend]);
    var box = el("div", { className: "question", id: qid, "data-question": q.id, "data-type": q.type, tabindex: "-1",
      "aria-labelledby": qid + "-stem", role: "group" }, [fieldset]);
    var body;
    if (q.type === "matching") {
      body = this.renderMatching(q, answer || {}, checked);
    } else if (q.type === "ordering") {
      body = this.renderOrdering(q, checked);
    } else {
      body = this.renderOptions(q, answer || [], checked);
    }
    fieldset.appendChild(body);
    var feedback = el("div", { className: "feedback", id: qid + "-feedback", "aria-live": "polite" });
    var button = el("button", { type: "button", className: "button button-primary check", text: say(checked ? "checked" : "check"),
      "aria-describedby": qid + "-stem" });
    if (checked) { button.setAttribute("aria-disabled", "true"); }
    button.addEventListener("click", function () { self.check(q, box); });
    box.appendChild(el("div", { className: "actions" }, [button]));
    box.appendChild(feedback);
    if (checked) { this.showFeedback(q, box); }
    return box;
  };

  Quiz.prototype.renderOptions = function (q, chosen, checked) {
    var self = this;
    var multiple = q.type === "multiple";
    var list = el("ul", { className: "options" });
    var byId = {};
    q.options.forEach(function (o) { byId[o.id] = o; });
    this.orderOf(q).forEach(function (id) {
      var o = byId[id];
      var inputId = "q-" + q.id + "-" + o.id;
      var input = el("input", { type: multiple ? "checkbox" : "radio", name: "q-" + q.id, id: inputId, value: o.id,
        checked: chosen.indexOf(o.id) >= 0, disabled: checked });
      input.addEventListener("change", function () { self.readAnswer(q, list); });
      var mark = el("span", { className: "mark", "data-mark": o.id });
      var label = el("label", { "for": inputId }, [input, el("span", null, [el("span", { className: "option-text", text: o.text }), " ", mark])]);
      list.appendChild(el("li", { className: "option", "data-option": o.id }, [label]));
    });
    return list;
  };

  Quiz.prototype.renderMatching = function (q, chosen, checked) {
    var self = this;
    var wrap = el("div", { className: "matching" });
    var responses = {};
    q.pairs.forEach(function (p) { responses[p.id] = p.response; });
    q.pairs.forEach(function (pair) {
      var selectId = "q-" + q.id + "-" + pair.id;
      var select = el("select", { id: selectId, "data-premise": pair.id, disabled: checked });
      select.appendChild(el("option", { value: "", text: say("choose") }));
      self.orderOf(q).forEach(function (id) {
        select.appendChild(el("option", { value: id, text: responses[id], selected: chosen[pair.id] === id }));
      });
      select.addEventListener("change", function () { self.readAnswer(q, wrap); });
      wrap.appendChild(el("div", { className: "match-row" }, [el("label", { "for": selectId, text: pair.premise }), select]));
    });
    return wrap;
  };

  Quiz.prototype.renderOrdering = function (q, checked) {
    var self = this;
    var list = el("ol", { className: "order-list" });
    var byId = {};
    q.items.forEach(function (item) { byId[item.id] = item; });
    var order = this.orderOf(q);
    order.forEach(function (id, i) {
      var item = byId[id];
      var up = el("button", { type: "button", className: "icon-button", "data-move": "up", text: "\u2191",
        "aria-label": say("move_up", { item: item.text }), disabled: checked || i === 0 });
      var down = el("button", { type: "button", className: "icon-button", "data-move": "down", text: "\u2193",
        "aria-label": say("move_down", { item: item.text }), disabled: checked || i === order.length - 1 });
      up.addEventListener("click", function () { self.move(q, id, -1, "up"); });
      down.addEventListener("click", function () { self.move(q, id, 1, "down"); });
      list.appendChild(el("li", { className: "order-item", "data-item": id }, [
        el("span", { className: "order-pos", "aria-hidden": "true", text: String(i + 1) + "." }),
        el("span", { className: "order-text", text: item.text }),
        el("span", { className: "order-buttons" }, [up, down])
      ]));
    });
    var announcer = el("p", { className: "visually-hidden", "aria-live": "polite", "data-announcer": q.id });
    return el("div", null, [list, announcer]);
  };

  Quiz.prototype.move = function (q, id, step, direction) {
    var order = this.orderOf(q);
    var from = order.indexOf(id);
    var to = from + step;
    if (to < 0 || to >= order.length) { return; }
    order.splice(from, 1);
    order.splice(to, 0, id);
    this.state.answers[q.id] = order.slice();
    this.save();
    var box = document.getElementById("q-" + q.id);
    var fieldset = box.querySelector("fieldset");
    var old = fieldset.lastChild;
    fieldset.replaceChild(this.renderOrdering(q, false), old);
    // Keep the keyboard where it was: on the same button of the moved item, or its other button at an end.
    var item = fieldset.querySelector('[data-item="' + id + '"]');
    var button = item.querySelector('[data-move="' + direction + '"]');
    if (button.disabled) { button = item.querySelector('[data-move="' + (direction === "up" ? "down" : "up") + '"]'); }
    button.focus();
    var label = q.items.filter(function (x) { return x.id === id; })[0].text;
    fieldset.querySelector("[data-announcer]").textContent = say("moved", { item: label, pos: to + 1, n: order.length });
  };

  Quiz.prototype.readAnswer = function (q, container) {
    var answer;
    if (q.type === "matching") {
      answer = {};
      container.querySelectorAll("select").forEach(function (s) { if (s.value) { answer[s.getAttribute("data-premise")] = s.value; } });
    } else {
      answer = [];
      container.querySelectorAll("input").forEach(function (input) { if (input.checked) { answer.push(input.value); } });
    }
    this.state.answers[q.id] = answer;
    this.save();
  };

  Quiz.prototype.isAnswered = function (q) {
    var a = this.state.answers[q.id];
    if (q.type === "ordering") { return true; }
    if (q.type === "matching") { return !!a && q.pairs.every(function (p) { return !!a[p.id]; }); }
    return !!a && a.length > 0;
  };

  Quiz.prototype.isCorrect = function (q) {
    var a = this.state.answers[q.id];
    if (q.type === "ordering") {
      var order = this.orderOf(q);
      return q.items.every(function (item, i) { return order[i] === item.id; });
    }
    if (q.type === "matching") {
      return q.pairs.every(function (p) { return a[p.id] === p.id; });
    }
    return q.options.every(function (o) { return o.correct === (a.indexOf(o.id) >= 0); });
  };

  Quiz.prototype.check = function (q, box) {
    if (this.state.checked[q.id]) { return; }
    var feedback = box.querySelector(".feedback");
    if (!this.isAnswered(q)) {
      feedback.textContent = "";
      feedback.appendChild(el("p", { className: "feedback-verdict is-wrong", text: say(q.type === "matching" ? "match_all" : "choose_first") }));
      return;
    }
    if (q.type === "ordering") { this.state.answers[q.id] = this.orderOf(q).slice(); }
    this.state.checked[q.id] = true;
    box.querySelectorAll("input, select, .icon-button").forEach(function (c) { c.disabled = true; });
    var button = box.querySelector(".check");
    button.setAttribute("aria-disabled", "true");
    button.textContent = say("checked");
    this.showFeedback(q, box);
    if (!this.inline) {
      this.finishIfDone();
      this.layout();
    }
    this.save();
  };

  function verdict(ok, text) {
    // State by icon and words, never by colour alone; the icon is decoration.
    return el("span", { className: ok ? "mark mark-ok" : "mark mark-bad" }, [
      el("span", { className: "mark-icon", "aria-hidden": "true", text: ok ? "\u2713" : "\u2717" }), " " + text
    ]);
  }

  Quiz.prototype.showFeedback = function (q, box) {
    var a = this.state.answers[q.id];
    var correct = this.isCorrect(q);
    var feedback = box.querySelector(".feedback");
    feedback.textContent = "";
    feedback.appendChild(el("p", { className: "feedback-verdict " + (correct ? "is-correct" : "is-wrong") }, [
      el("span", { className: "mark-icon", "aria-hidden": "true", text: correct ? "\u2713 " : "\u2717 " }),
      el("span", { text: say(correct ? "correct" : "incorrect") })
    ]));
    var list = el("ul", { className: "feedback-list" });
    if (q.type === "matching") {
      var responses = {};
      q.pairs.forEach(function (p) { responses[p.id] = p.response; });
      q.pairs.forEach(function (p) {
        var ok = a[p.id] === p.id;
        list.appendChild(el("li", { className: ok ? "is-correct" : "is-wrong" }, [
          el("strong", { text: p.premise + " \u2192 " + (responses[a[p.id]] || "") }), " ",
          verdict(ok, ok ? say("match_right") : say("match_wrong", { answer: p.response })),
          el("br"), p.feedback
        ]));
      });
    } else if (q.type === "ordering") {
      var order = this.orderOf(q);
      var byId = {};
      q.items.forEach(function (item, i) { byId[item.id] = { item: item, pos: i + 1 }; });
      order.forEach(function (id, i) {
        var entry = byId[id];
        var ok = entry.pos === i + 1;
        var row = box.querySelector('[data-item="' + id + '"]');
        if (row) { row.classList.add(ok ? "is-correct" : "is-wrong"); }
        list.appendChild(el("li", { className: ok ? "is-correct" : "is-wrong" }, [
          el("strong", { text: (i + 1) + ". " + entry.item.text }), " ",
          verdict(ok, ok ? say("order_right") : say("order_wrong", { pos: entry.pos })),
          el("br"), entry.item.feedback
        ]));
      });
    } else {
      this.orderOf(q).forEach(function (id) {
        var o = q.options.filter(function (x) { return x.id === id; })[0];
        var chosen = a.indexOf(o.id) >= 0;
        var row = box.querySelector('[data-option="' + o.id + '"]');
        var mark = row && row.querySelector(".mark");
        if (chosen) {
          var ok = o.correct;
          if (row) { row.classList.add(ok ? "is-correct" : "is-wrong"); }
          if (mark) { mark.textContent = "(" + (ok ? "\u2713 " : "\u2717 ") + say(ok ? "correct" : "incorrect") + ")"; }
          list.appendChild(el("li", { className: ok ? "is-correct" : "is-wrong" }, [
            el("strong", { text: say("your_choice") + ": " + o.text }), " ",
            verdict(ok, say(ok ? "correct" : "incorrect")),
            el("br"), o.feedback
          ]));
        } else if (o.correct) {
          if (row) { row.classList.add("is-missed"); }
          if (mark) { mark.textContent = "(" + say(q.type === "multiple" ? "missed" : "right_answer", { answer: "" }).replace(/:\s*$/, "") + ")"; }
          list.appendChild(el("li", { className: "is-missed" }, [
            el("strong", { text: q.type === "multiple" ? say("missed") + ": " + o.text : say("right_answer", { answer: o.text }) }),
            el("br"), o.feedback
          ]));
        }
      });
    }
    feedback.appendChild(list);
    var explanation = el("div", { className: "explanation" }, [
      el("p", null, [el("strong", { text: say("explanation") + ": " }), q.explanation])
    ]);
    if (q.source) { explanation.appendChild(el("p", { className: "hint", text: say("source", { source: q.source }) })); }
    feedback.appendChild(explanation);
  };

  Quiz.prototype.score = function () {
    var self = this;
    var score = 0;
    this.data.questions.forEach(function (q) { if (self.state.checked[q.id] && self.isCorrect(q)) { score += 1; } });
    return score;
  };

  Quiz.prototype.finishIfDone = function () {
    var self = this;
    var done = this.data.questions.every(function (q) { return self.state.checked[q.id]; });
    if (!done) { return; }
    var max = this.data.questions.length;
    var score = this.score();
    var passed = percent(score, max) >= this.data.passMark;
    this.state.last = { score: score, max: max, passed: passed };
    var best = this.state.best;
    if (!best || score > best.score || (passed && !best.passed)) { this.state.best = { score: score, max: max, passed: passed }; }
    this.showResult(true);
  };

  /* The results: the score once, then every question with its outcome, each a link to it. */
  Quiz.prototype.showResult = function (announce) {
    var self = this;
    var last = this.state.last;
    this.result.classList.remove("is-passed", "is-failed");
    this.resultList.textContent = "";
    if (!this.finished()) { this.status.textContent = ""; return; }
    this.result.classList.add(last.passed ? "is-passed" : "is-failed");
    var p = percent(last.score, last.max);
    var parts = [say("result", { score: last.score, max: last.max, percent: p }), say("pass_mark", { pass: this.data.passMark }),
      say(last.passed ? "passed" : "not_passed")];
    if (this.state.best && this.state.attempt > 1) { parts.push(say("best", { percent: percent(this.state.best.score, this.state.best.max) })); }
    this.resultText.textContent = parts.join(" ");
    this.data.questions.forEach(function (q, i) {
      var ok = self.isCorrect(q);
      self.resultList.appendChild(el("li", { className: "result-item " + (ok ? "is-correct" : "is-wrong"), "data-result": q.id }, [
        verdict(ok, say(ok ? "correct" : "incorrect")), " ",
        el("a", { href: "#q-" + q.id, "data-goto": q.id }, [say("question", { n: i + 1, total: self.data.questions.length }) + ": " + q.stem])
      ]));
    });
    var wrong = this.wrongIds().length;
    this.reviewWrong.hidden = wrong === 0;
    this.reviewWrong.textContent = say("review_wrong", { n: wrong });
    // Announced once through the (visually hidden) status region; the page shows the score once.
    this.status.textContent = announce ? parts.slice(0, 3).join(" ") : "";
  };

  Quiz.prototype.restart = function (keepBest) {
    var previous = this.state.order;
    var order = {};
    this.data.questions.forEach(function (q) {
      if (q.type === "true-false") { order[q.id] = q.order.slice(); return; }
      var avoid = [previous[q.id]];
      if (q.type === "ordering") { avoid.push(q.items.map(function (x) { return x.id; })); }
      order[q.id] = shuffled(q.order, avoid);
    });
    var best = keepBest ? this.state.best : null;
    var attempt = keepBest ? (this.state.attempt || 1) + 1 : 1;
    var state = Progress.quiz(this.data.id);
    state.order = order; state.answers = {}; state.checked = {}; state.last = null; state.best = best; state.attempt = attempt;
    this.state = state;
    this.review = null;
    this.render();
    this.save();
    this.status.textContent = say("quiz_reset");
    var first = this.root.querySelector(".question.is-current input, .question.is-current select, .question.is-current .icon-button") ||
      this.root.querySelector("input, select, .icon-button");
    if (first) {
      first.focus({ preventScroll: true });
      var box = first.closest ? first.closest(".question") : null;
      if (box) { this.reveal(box); }
    }
  };

  /* Knowledge checks inside a lesson: the same questions as the quiz, not scored, kept apart. */
  function initChecks() {
    if (!site.checks) { return; }
    document.querySelectorAll("[data-check]").forEach(function (root) {
      var q = site.checks.filter(function (x) { return x.id === root.getAttribute("data-check"); })[0];
      if (!q) { return; }
      var state = Progress.load();
      state.checks = state.checks || {};
      if (!state.checks[q.id]) { state.checks[q.id] = { order: {}, answers: {}, checked: {}, attempt: 1 }; }
      new Quiz(root, { id: "check-" + q.id, questions: [q], passMark: 0 }, { inline: true, state: state.checks[q.id] });
    });
  }

  /* --- the summary page -------------------------------------------------------------------------- */

  function showSummary() {
    var state = Progress.load();
    site.lessons.forEach(function (lesson) {
      var viewed = document.querySelector('[data-viewed="' + lesson.id + '"]');
      if (viewed) { viewed.textContent = say(state.lessons[lesson.id] && state.lessons[lesson.id].visited ? "yes" : "no"); }
      var cell = document.querySelector('[data-quiz-score="' + lesson.id + '"]');
      if (cell && lesson.quiz) {
        var q = state.quizzes[lesson.quiz];
        var best = q && q.best;
        cell.textContent = best ? say(best.passed ? "status_passed" : "status_not_passed", { percent: percent(best.score, best.max) })
          + " \u2014 " + say("status_quiz", { score: best.score, max: best.max }) : say("not_taken");
      }
    });
    var totals = Progress.totals();
    var certificate = document.getElementById("certificate");
    if (!certificate) { return; }
    certificate.hidden = !totals.completed;
    document.getElementById("certificate-pending").hidden = totals.completed;
    document.getElementById("certificate-score").textContent = totals.max
      ? say("certificate_score", { score: totals.score, max: totals.max, percent: percent(totals.score, totals.max) }) : "";
    var date = document.getElementById("certificate-date");
    if (date) {
      var when = state.completedAt ? new Date(state.completedAt + "T12:00:00") : null;
      date.textContent = when && !isNaN(when.getTime())
        ? say("certificate_date", { date: when.toLocaleDateString(document.documentElement.lang || undefined,
          { year: "numeric", month: "long", day: "numeric" }) }) : "";
    }
    var input = document.getElementById("learner-name");
    var name = document.getElementById("certificate-name");
    input.value = state.learner || "";
    name.textContent = state.learner || say("certificate_learner");
  }

  function initSummary() {
    var input = document.getElementById("learner-name");
    if (!input) { return; }
    input.addEventListener("input", function () {
      Progress.load().learner = input.value.slice(0, 120);
      Progress.save(null);
      document.getElementById("certificate-name").textContent = input.value || say("certificate_learner");
    });
    document.getElementById("print").addEventListener("click", function () { window.print(); });
    var resetAll = document.getElementById("reset-all");
    var confirmBox = document.getElementById("reset-confirm");
    var resetStatus = document.getElementById("reset-status");
    resetAll.addEventListener("click", function () {
      confirmBox.hidden = false;
      resetAll.setAttribute("aria-expanded", "true");
      document.getElementById("reset-cancel").focus();
    });
    document.getElementById("reset-cancel").addEventListener("click", function () {
      confirmBox.hidden = true;
      resetAll.setAttribute("aria-expanded", "false");
      resetAll.focus();
    });
    document.getElementById("reset-yes").addEventListener("click", function () {
      Progress.clear();
      confirmBox.hidden = true;
      resetAll.setAttribute("aria-expanded", "false");
      showSummary();
      resetStatus.textContent = say("reset_done");
      resetAll.focus();
    });
    showSummary();
  }

  /* The content notice is the course's, the same before every sensitive module: read once on a
     notice page, it is marked seen; after that, links to sensitive modules skip their notice pages,
     and the modules' own pages fold their copy away. (Without JavaScript every notice shows.) */
  function rememberNotices() {
    var state = Progress.load();
    state.notices = state.notices || {};
    if (site.lesson && document.body.classList.contains("page-notice") && !state.notices[site.lesson]) {
      state.notices[site.lesson] = true;
      Progress.save(null);
    }
    var seen = Object.keys(state.notices).length > 0;
    document.querySelectorAll('a[href^="notice-"]').forEach(function (link) {
      var id = link.getAttribute("href").replace(/^notice-/, "").replace(/\.html$/, "");
      if (seen) { link.setAttribute("href", "lesson-" + id + ".html"); }
    });
    if (site.lesson && document.body.classList.contains("page-lesson") && seen) {
      var copy = document.querySelector(".lesson-body > .notice[role=note]");
      if (copy) { copy.hidden = true; }
    }
  }

  /* --- a lesson in parts ------------------------------------------------------------------------ */

  /* The lesson page's parts are what "On this page" lists: each <section> of the lesson body, with
     the knowledge checks that follow it. The part in view is marked in that list ("Part 3 of 7").
     With site.steps the parts open one by one: a "Continue" button ends the last one open, and a
     link in the list to a part not yet open opens the parts up to it. Without JavaScript the whole
     lesson shows. */
  function lessonParts() {
    var body = document.querySelector(".page-lesson .lesson-body");
    if (!body) { return []; }
    var parts = [];
    Array.prototype.forEach.call(body.children, function (node) {
      if (node.tagName === "SECTION" && node.querySelector("h2[id]")) {
        parts.push({ nodes: [node], heading: node.querySelector("h2[id]") });
      } else if (parts.length) {
        parts[parts.length - 1].nodes.push(node);
      }
    });
    return parts;
  }

  function initParts() {
    var parts = lessonParts();
    if (!parts.length) { return; }
    var links = parts.map(function (part) {
      return document.querySelector('.toc a[href="#' + part.heading.id + '"]');
    });
    var position = document.getElementById("lesson-position");
    var shown = -1;
    function mark(i) {
      if (i === shown) { return; }
      shown = i;
      links.forEach(function (link, k) {
        if (!link) { return; }
        if (k === i) { link.setAttribute("aria-current", "location"); } else { link.removeAttribute("aria-current"); }
      });
      if (position) { position.textContent = "(" + say("part_of", { n: i + 1, total: parts.length }) + ")"; }
      // A long list scrolls within itself: keep the marked part in its view (not the page's).
      var link = links[i], list = link && link.closest ? link.closest("ol") : null;
      if (list && list.scrollHeight > list.clientHeight) {
        var r = link.getBoundingClientRect(), b = list.getBoundingClientRect();
        if (r.top < b.top || r.bottom > b.bottom) { list.scrollTop += r.top - b.top - b.height / 3; }
      }
    }
    function inView() {
      // The last part whose heading has passed the upper third of the screen.
      var line = window.innerHeight / 3, found = 0;
      parts.forEach(function (part, i) {
        if (!part.nodes[0].hidden && part.heading.getBoundingClientRect().top <= line) { found = i; }
      });
      mark(found);
    }
    var waiting = false;
    window.addEventListener("scroll", function () {
      if (waiting) { return; }
      waiting = true;
      window.requestAnimationFrame(function () { waiting = false; inView(); });
    }, { passive: true });
    inView();
    if (site.steps) { initSteps(parts, links, mark); }
  }

  function initSteps(parts, links, mark) {
    var state = Progress.load();
    state.steps = state.steps || {};
    var reached = Math.min(parts.length - 1, Math.max(0, Number(state.steps[site.lesson]) || 0));
    var button = el("button", { type: "button", className: "button button-primary" });
    var box = el("p", { className: "step-continue" }, [button]);
    function show() {
      parts.forEach(function (part, i) {
        part.nodes.forEach(function (node) { node.hidden = i > reached; });
      });
      if (reached >= parts.length - 1) {
        if (box.parentNode) { box.parentNode.removeChild(box); }
        return;
      }
      var last = parts[reached].nodes[parts[reached].nodes.length - 1];
      last.parentNode.insertBefore(box, last.nextSibling);
      button.textContent = say("continue_to", { title: parts[reached + 1].heading.textContent,
        n: reached + 2, total: parts.length });
    }
    function open(upTo, focus) {
      if (upTo > reached) {
        reached = upTo;
        state.steps[site.lesson] = reached;
        Progress.save(null);
      }
      show();
      if (focus) {
        var heading = parts[upTo].heading;
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
        heading.scrollIntoView({ block: "start" });
        mark(upTo);
      }
    }
    button.addEventListener("click", function () { open(reached + 1, true); });
    links.forEach(function (link, i) {
      if (!link) { return; }
      link.addEventListener("click", function () { if (i > reached) { open(i, false); } });
    });
    // Arriving at a part's address (a cross-reference to a section) opens the lesson up to it.
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    parts.forEach(function (part, i) {
      if (target && part.nodes.some(function (node) { return node.contains(target); })) { reached = Math.max(reached, i); }
    });
    show();
    if (target && !target.hidden) { target.scrollIntoView({ block: "start" }); }
  }

  /* --- start ----------------------------------------------------------------------------------------- */

  function start() {
    if (site.lesson && document.body.classList.contains("page-lesson")) {
      var state = Progress.load();
      if (!(state.lessons[site.lesson] && state.lessons[site.lesson].visited)) {
        state.lessons[site.lesson] = { visited: true };
        Progress.save(null);
      }
    }
    var root = document.getElementById("quiz");
    if (root && site.quiz) { new Quiz(root, site.quiz); }
    initChecks();
    rememberNotices();
    initParts();
    openAsides();
    showProgress();
    showStatuses();
    showContinue();
    initSummary();
  }

  start();
}());
