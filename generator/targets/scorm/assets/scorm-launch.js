/* modgen SCORM launch page: the one place that talks to the LMS.
 *
 * The self-study site has many pages; a SCO that called LMSFinish/Terminate on every page change
 * would end its session at the first link. So the LMS session lives in this launch page, which
 * shows the site in a frame and stays loaded; the site's pages reach it through
 * window.parent.modgenLmsSession (assets/lms-bridge.js).
 *
 * Settings come from data attributes on <html>: data-scorm ("1.2" or "2004"); whether the course
 * is passed is the site's own judgement (its totals.passed, by the course's rule); the interaction catalogue (each question's id, type and correct-response pattern in
 * both versions' syntax, each objective's questions and pass mark; generator/targets/interactions.py)
 * from the JSON block #modgen-lms. Without an LMS API the session stays null and the site keeps
 * its progress in localStorage, as offline. Nothing here throws: cross-frame access is wrapped in try/catch.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  var v2004 = root.getAttribute("data-scorm") === "2004";
  // The site's page the frame opens: the start page, or where an earlier session left off.
  var startPage = null;
  function showSite() {
    try {
      var frame = document.querySelector("iframe[name=course]");
      if (frame && !frame.getAttribute("src")) { frame.setAttribute("src", startPage || frame.getAttribute("data-src")); }
    } catch (e) { /* no frame: nothing to show */ }
  }
  try {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", showSite); } else { showSite(); }
  } catch (e) { /* not a page */ }
  var apiName = v2004 ? "API_1484_11" : "API";
  var catalogue = { questions: {}, objectives: [], lang: "" };
  try {
    var block = document.getElementById && document.getElementById("modgen-lms");
    if (block) { catalogue = JSON.parse(block.textContent); }
  } catch (e) { /* no catalogue: scores and status only */ }
  // SCORM 1.2 holds 4,096 characters of suspend data, SCORM 2004 64,000.
  var suspendLimit = v2004 ? 64000 : 4096;
  var keys = v2004 ? {
    suspend: "cmi.suspend_data", location: "cmi.location", exit: "cmi.exit", time: "cmi.session_time",
    raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max"
  } : {
    suspend: "cmi.suspend_data", location: "cmi.core.lesson_location", exit: "cmi.core.exit",
    time: "cmi.core.session_time", raw: "cmi.core.score.raw", min: "cmi.core.score.min",
    max: "cmi.core.score.max"
  };

  function apiOf(win) {
    try { return win && win[apiName] ? win[apiName] : null; } catch (e) { return null; }
  }
  function parentOf(win) {
    try { return win.parent && win.parent !== win ? win.parent : null; } catch (e) { return null; }
  }
  function openerOf(win) {
    try { return win.opener || null; } catch (e) { return null; }
  }
  // The search ADL describes: up the chain of parents, then the opener's chain.
  function searchFrom(win) {
    for (var depth = 0; win && depth < 10; depth += 1) {
      var api = apiOf(win);
      if (api) { return api; }
      win = parentOf(win);
    }
    return null;
  }
  function findApi() {
    return searchFrom(window) || searchFrom(openerOf(window));
  }

  var api = null;
  try { api = findApi(); } catch (e) { api = null; }
  window.modgenLmsSession = null;
  if (!api) { return; }

  function call(name12, name2004, args) {
    try {
      var result = api[v2004 ? name2004 : name12].apply(api, args);
      return result === undefined || result === null ? "" : String(result);
    } catch (e) {
      return "";
    }
  }
  function get(key) { return call("LMSGetValue", "GetValue", [key]); }
  function set(key, value) { return call("LMSSetValue", "SetValue", [key, String(value)]); }
  function commit() { return call("LMSCommit", "Commit", [""]); }

  if (call("LMSInitialize", "Initialize", [""]) !== "true") { return; }

  var started = Date.now();
  var finished = false;
  if (v2004) {
    var completion = get("cmi.completion_status");
    if (completion === "" || completion === "unknown" || completion === "not attempted") {
      set("cmi.completion_status", "incomplete");
    }
  } else {
    var status = get("cmi.core.lesson_status");
    if (status === "" || status === "not attempted") { set("cmi.core.lesson_status", "incomplete"); }
  }
  set(keys.exit, "suspend");
  var objectives = setUpObjectives();
  commit();

  function sessionTime(ms) {
    var seconds = Math.max(0, Math.round(ms / 1000));
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
    if (v2004) { return "PT" + h + "H" + m + "M" + s + "S"; }
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return (h < 100 ? pad(h) : String(Math.min(h, 9999))) + ":" + pad(m) + ":" + pad(s);
  }

  // How many quizzes have a finished attempt, from the site's state ({quizzes: {id: {last, best}}});
  // -1 when the state cannot be read. The site's own "completed" needs every quiz passed, but an
  // LMS must also learn of a learner who finished everything and failed.
  function finishedQuizzes(suspend) {
    try {
      var state = JSON.parse(suspend);
      var quizzes = (state && state.quizzes) || {};
      var n = 0;
      for (var id in quizzes) {
        if (Object.prototype.hasOwnProperty.call(quizzes, id) && quizzes[id] && (quizzes[id].best || quizzes[id].last)) { n += 1; }
      }
      return n;
    } catch (e) {
      return -1;
    }
  }

  // Suspend data in SCORM 1.2 holds only 4,096 characters, less than the progress of a course
  // with a few dozen questions. It is therefore packed: LZW over the UTF-8 bytes, the k-th code in
  // as many bits as the dictionary then needs (9 bits at first), six bits per character of the
  // URL-safe base64 alphabet, after the marker "z1:". Restoring accepts packed and plain state.
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var CODES = 1 << 14;
  var PACKED = "z1:";

  function widthFor(k) {
    var largest = Math.min(255 + k, CODES - 1), width = 1;
    while ((1 << width) <= largest) { width += 1; }
    return width;
  }

  function pack(text) {
    var bytes = unescape(encodeURIComponent(text));
    var dict = Object.create(null);
    var next = 256, w = "", out = [], buffer = 0, held = 0, k = 0;
    var emit = function (code) {
      for (var bit = widthFor(k) - 1; bit >= 0; bit -= 1) {
        buffer = (buffer << 1) | ((code >> bit) & 1);
        held += 1;
        if (held === 6) { out.push(ALPHABET.charAt(buffer)); buffer = 0; held = 0; }
      }
      k += 1;
    };
    var codeOf = function (word) { return word.length === 1 ? word.charCodeAt(0) : dict[word]; };
    for (var i = 0; i < bytes.length; i += 1) {
      var c = bytes.charAt(i), wc = w + c;
      if (w === "" || wc in dict) { w = wc; continue; }
      emit(codeOf(w));
      if (next < CODES) { dict[wc] = next; next += 1; }
      w = c;
    }
    if (w !== "") { emit(codeOf(w)); }
    if (held > 0) { out.push(ALPHABET.charAt(buffer << (6 - held))); }
    return PACKED + out.join("");
  }

  function unpack(packed) {
    var bits = [];
    for (var i = PACKED.length; i < packed.length; i += 1) {
      var value = ALPHABET.indexOf(packed.charAt(i));
      if (value < 0) { return null; }
      for (var bit = 5; bit >= 0; bit -= 1) { bits.push((value >> bit) & 1); }
    }
    var codes = [], at = 0;
    for (var k = 0; at + widthFor(k) <= bits.length; k += 1) {
      var code = 0;
      for (var n = widthFor(k); n > 0; n -= 1) { code = (code << 1) | bits[at]; at += 1; }
      codes.push(code);
    }
    if (!codes.length) { return ""; }
    var dict = [], next = 256;
    var entry = function (c) { return c < 256 ? String.fromCharCode(c) : dict[c]; };
    var w = entry(codes[0]);
    if (w === undefined) { return null; }
    var out = [w];
    for (var j = 1; j < codes.length; j += 1) {
      var e;
      if (codes[j] < 256 || dict[codes[j]] !== undefined) { e = entry(codes[j]); } else if (codes[j] === next) { e = w + w.charAt(0); } else { return null; }
      out.push(e);
      if (next < CODES) { dict[next] = w + e.charAt(0); next += 1; }
      w = e;
    }
    try { return decodeURIComponent(escape(out.join(""))); } catch (err) { return null; }
  }

  function report(progress) {
    var totals = (progress && progress.totals) || {};
    ((progress && progress.answered) || []).forEach(writeInteraction);
    if (progress && typeof progress.suspend === "string") {
      var parsed = null;
      try { parsed = JSON.parse(progress.suspend); } catch (e) { parsed = null; }
      if (parsed) { updateObjectives(parsed); }
      var suspend = progress.suspend;
      if (!v2004) {
        try { suspend = pack(suspend); } catch (e) { /* text that is not valid UTF-16: kept as it is */ }
      }
      // Still too long: clear it rather than leave an older state to resume from; the site then
      // resumes from the browser's own storage.
      set(keys.suspend, suspend.length <= suspendLimit ? suspend : "");
    }
    if (progress && progress.page) { set(keys.location, progress.page); }
    var max = Number(totals.max) || 0;
    var score = Number(totals.score) || 0;
    if (max > 0) {
      var percent = Math.round(10000 * score / max) / 100;
      set(keys.min, 0);
      set(keys.max, 100);
      set(keys.raw, percent);
      if (v2004) { set("cmi.score.scaled", (Math.round(10000 * score / max) / 10000).toString()); }
    }
    // Done: every lesson opened and every quiz taken. Passed: the site's own judgement
    // (totals.passed), made by the course's one rule for passing, the rule its certificate
    // follows: every quiz passed, or the course score at the pass mark (course.yaml "passing").
    var quizzesDone = progress && typeof progress.suspend === "string" ? finishedQuizzes(progress.suspend) : -1;
    var done = totals.completed || totals.finished === true ||
      (quizzesDone >= 0 && totals.lessonsVisited >= totals.lessons && quizzesDone >= (Number(totals.quizzes) || 0));
    var urgent = false;
    if (done) {
      var passed = Number(totals.quizzes) > 0 ? totals.passed === true : null;
      var status = passed === null ? "completed" : (passed ? "passed" : "failed");
      urgent = status !== reported;
      reported = status;
      if (v2004) {
        set("cmi.completion_status", "completed");
        if (passed !== null) { set("cmi.success_status", status); }
      } else {
        set("cmi.core.lesson_status", status);
      }
      // Completed and passed: the attempt is over, the next launch may begin a new one. Until
      // then the learner leaves to come back ("suspend"), keeping the progress to resume from.
      // (SCORM 1.2 has no "normal": the empty value is its normal exit.)
      set(keys.exit, totals.completed ? (v2004 ? "normal" : "") : "suspend");
    }
    if (urgent) { commit(); } else { commitSoon(); }
  }

  // Commits are batched: an LMS stores each Commit (often as a request to its server), and a
  // learner going through a quiz reports after every click. A change of status is committed at
  // once, the rest within a few seconds, and everything when the session ends.
  var reported = null, pending = null;
  function commitSoon() {
    if (pending !== null) { return; }
    pending = setTimeout(function () { pending = null; if (!finished) { commit(); } }, 5000);
  }

  /* --- interactions and objectives ---------------------------------------------------------- */

  var LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789";
  var pad2 = function (n) { return (n < 10 ? "0" : "") + n; };

  function count(key) {
    var n = parseInt(get(key), 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }

  // The learner's answer (option ids; matching: premise id -> the id of the pair whose response
  // was chosen) in either version's syntax: the same rules as generator/targets/interactions.py.
  function response(q, answer, modern) {
    var ids = [];
    if (q.type === "true-false") {
      var value = answer && answer[0] === "true";
      return modern ? (value ? "true" : "false") : (value ? "t" : "f");
    }
    var letter = function (id) { return LETTERS.charAt(q.choices.indexOf(id)); };
    if (q.type === "matching") {
      answer = answer || {};
      q.choices.forEach(function (premise) {
        if (answer[premise]) {
          ids.push(modern ? premise + "[.]" + answer[premise] : letter(premise) + "." + letter(answer[premise]));
        }
      });
      return ids.join(modern ? "[,]" : ",");
    }
    if (q.type === "sequencing") {
      ids = (answer || []).map(function (id) { return modern ? id : letter(id); });
    } else {
      q.choices.forEach(function (id) { if ((answer || []).indexOf(id) >= 0) { ids.push(modern ? id : letter(id)); } });
    }
    return ids.join(modern ? "[,]" : ",");
  }

  function clock(at) {
    var d = new Date(at);
    return pad2(d.getHours()) + ":" + pad2(d.getMinutes()) + ":" + pad2(d.getSeconds());
  }
  function timestamp(at) {
    // time(second,10,0): at most two decimals of the second.
    return new Date(at).toISOString().replace(/(\.\d\d)\dZ$/, "$1Z");
  }
  function latency(ms) {
    var hundredths = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(hundredths / 360000), m = Math.floor(hundredths / 6000) % 60;
    var s = (hundredths % 6000) / 100;
    if (v2004) { return "PT" + h + "H" + m + "M" + s + "S"; }
    var secs = Math.floor(s), frac = hundredths % 100;
    return (h < 10 ? "000" : h < 100 ? "00" : h < 1000 ? "0" : "") + Math.min(h, 9999) + ":" + pad2(m) + ":" +
      pad2(secs) + "." + pad2(frac);
  }

  // One interaction record per answered question, appended (SCORM 1.2 journals them; 2004
  // keeps them the same way so that each attempt at a question stays on record).
  var interactionCount = -1;
  function writeInteraction(done) {
    var q = catalogue.questions[done.question];
    if (!q) { return; }
    if (interactionCount < 0) { interactionCount = count("cmi.interactions._count"); }
    var n = "cmi.interactions." + interactionCount + ".";
    interactionCount += 1;
    var correct = response(q, done.answer, true) === q.pattern2004;
    if (v2004) {
      set(n + "id", q.id2004);
      set(n + "type", q.type);
      set(n + "objectives.0.id", q.objective2004);
      set(n + "timestamp", timestamp(done.at));
      set(n + "correct_responses.0.pattern", q.pattern2004);
      set(n + "weighting", 1);
      set(n + "learner_response", response(q, done.answer, true));
      set(n + "result", correct ? "correct" : "incorrect");
      set(n + "latency", latency(done.latency));
      if (q.description) { set(n + "description", (catalogue.lang ? "{lang=" + catalogue.lang + "}" : "") + q.description); }
    } else {
      set(n + "id", q.id12);
      set(n + "objectives.0.id", q.objective12);
      set(n + "time", clock(done.at));
      set(n + "type", q.type);
      set(n + "weighting", 1);
      if (q.pattern12) {  // empty: more answers than 1.2's 36 characters can name
        set(n + "correct_responses.0.pattern", q.pattern12);
        set(n + "student_response", response(q, done.answer, false));
      }
      set(n + "result", correct ? "correct" : "wrong");
      set(n + "latency", latency(done.latency));
    }
  }

  // Each course objective as cmi.objectives.n, found again by id in a later session. Status
  // only ever rises: not attempted, incomplete, then failed or passed; a retry that clears the
  // answers does not take a judgement back, and passed stays passed.
  function setUpObjectives() {
    var found = {}, list = catalogue.objectives || [];
    var n = count("cmi.objectives._count");
    for (var i = 0; i < n; i += 1) { found[get("cmi.objectives." + i + ".id")] = i; }
    var made = [];
    list.forEach(function (objective) {
      var id = v2004 ? objective.id2004 : objective.id12;
      var index = Object.prototype.hasOwnProperty.call(found, id) ? found[id] : null;
      var prefix;
      if (index === null) {
        index = n; n += 1;
        prefix = "cmi.objectives." + index + ".";
        set(prefix + "id", id);
        if (v2004) {
          set(prefix + "success_status", "unknown");
          set(prefix + "completion_status", "not attempted");
          if (objective.description) {
            set(prefix + "description", (catalogue.lang ? "{lang=" + catalogue.lang + "}" : "") + objective.description);
          }
        } else {
          set(prefix + "status", "not attempted");
        }
      }
      prefix = "cmi.objectives." + index + ".";
      var status = v2004
        ? (get(prefix + "success_status") === "passed" ? "passed" : get(prefix + "success_status") === "failed" ? "failed"
          : get(prefix + "completion_status") === "incomplete" ? "incomplete" : "not attempted")
        : get(prefix + "status");
      made.push({ def: objective, prefix: prefix, status: status || "not attempted" });
    });
    return made;
  }

  var RANK = { "not attempted": 0, "": 0, "browsed": 0, "incomplete": 1, "completed": 1, "failed": 2, "passed": 3 };

  function updateObjectives(state) {
    var quizzes = (state && state.quizzes) || {};
    objectives.forEach(function (objective) {
      var answered = 0, right = 0, total = objective.def.questions.length;
      objective.def.questions.forEach(function (qid) {
        var q = catalogue.questions[qid];
        var quiz = q && quizzes[q.quiz];
        if (!quiz || !quiz.checked || !quiz.checked[qid]) { return; }
        answered += 1;
        if (response(q, quiz.answers ? quiz.answers[qid] : null, true) === q.pattern2004) { right += 1; }
      });
      if (!answered) { return; }
      var status = answered < total ? "incomplete" : (100 * right / total >= objective.def.passMark ? "passed" : "failed");
      var old = objective.status;
      if (old === "passed" || (status === "incomplete" && (RANK[old] || 0) >= 1)) { return; }
      objective.status = status;
      var p = objective.prefix;
      if (v2004) {
        set(p + "completion_status", status === "incomplete" ? "incomplete" : "completed");
        if (status !== "incomplete") {
          set(p + "success_status", status);
          set(p + "score.scaled", (Math.round(10000 * right / total) / 10000).toString());
        }
      } else {
        set(p + "status", status);
      }
      if (status !== "incomplete") {
        set(p + "score.min", 0);
        set(p + "score.max", 100);
        set(p + "score.raw", Math.round(10000 * right / total) / 100);
      }
    });
  }

  function finish() {
    if (finished) { return; }
    finished = true;
    if (pending !== null) { clearTimeout(pending); pending = null; }
    set(keys.time, sessionTime(Date.now() - started));
    commit();
    call("LMSFinish", "Terminate", [""]);
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);

  // Resume where the learner left off: the page the site last reported (a page of this package).
  var resumeAt = get(keys.location);
  if (/^[a-z0-9][a-z0-9_.-]*\.html$/.test(resumeAt)) { startPage = resumeAt; }
  showSite();

  window.modgenLmsSession = {
    restore: function () {
      var saved = get(keys.suspend);
      if (saved && saved.indexOf(PACKED) === 0) { saved = unpack(saved); }
      return saved ? saved : null;
    },
    report: report
  };
}());
