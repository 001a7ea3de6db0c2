/* modgen SCORM launch page: the one place that talks to the LMS.
 *
 * The self-study site has many pages; a SCO that called LMSFinish/Terminate on every page change
 * would end its session at the first link. So the LMS session lives in this launch page, which
 * shows the site in a frame and stays loaded; the site's pages reach it through
 * window.parent.modgenScormSession (assets/scorm.js).
 *
 * Settings come from data attributes on <html>: data-scorm ("1.2" or "2004") and data-pass-mark
 * (percent). Without an LMS API the session stays null and the site keeps its progress in
 * localStorage, as offline. Nothing here throws: cross-frame access is wrapped in try/catch.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  var v2004 = root.getAttribute("data-scorm") === "2004";
  var passMark = parseFloat(root.getAttribute("data-pass-mark") || "0");
  var apiName = v2004 ? "API_1484_11" : "API";
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
  window.modgenScormSession = null;
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
    if (progress && typeof progress.suspend === "string") {
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
    var quizzesDone = progress && typeof progress.suspend === "string" ? finishedQuizzes(progress.suspend) : -1;
    var done = totals.completed ||
      (quizzesDone >= 0 && totals.lessonsVisited >= totals.lessons && quizzesDone >= (Number(totals.quizzes) || 0));
    if (done) {
      var passed = max > 0 ? 100 * score / max >= passMark : null;
      if (v2004) {
        set("cmi.completion_status", "completed");
        if (passed !== null) { set("cmi.success_status", passed ? "passed" : "failed"); }
      } else {
        set("cmi.core.lesson_status", passed === null ? "completed" : (passed ? "passed" : "failed"));
      }
    }
    commit();
  }

  function finish() {
    if (finished) { return; }
    finished = true;
    set(keys.time, sessionTime(Date.now() - started));
    commit();
    call("LMSFinish", "Terminate", [""]);
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);

  window.modgenScormSession = {
    restore: function () {
      var saved = get(keys.suspend);
      if (saved && saved.indexOf(PACKED) === 0) { saved = unpack(saved); }
      return saved ? saved : null;
    },
    report: report
  };
}());
