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

  function report(progress) {
    var totals = (progress && progress.totals) || {};
    if (progress && typeof progress.suspend === "string") {
      // Too long for this SCORM version: clear it rather than leave an older state to resume from;
      // the site then resumes from the browser's own storage.
      set(keys.suspend, progress.suspend.length <= suspendLimit ? progress.suspend : "");
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
      return saved ? saved : null;
    },
    report: report
  };
}());
