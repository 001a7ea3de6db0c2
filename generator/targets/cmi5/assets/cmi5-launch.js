/* modgen cmi5 launch page: the AU's one session with the LMS, in xAPI.
 *
 * The launch sequence of cmi5 (section 8): read endpoint, fetch, actor, registration and
 * activityId from the launch URL; POST to the fetch URL for the auth token; read the
 * LMS.LaunchData state document (context template, launch mode, masteryScore, returnURL) and our
 * own state document (the site's progress, and what this registration was already told); send
 * "initialized"; only then show the site, so that its first page can resume.
 *
 * Statements: "answered" per checked question (cmi5 allowed: the context template, the AU as
 * parent, no cmi5 category); "completed" once per registration when every lesson was opened and
 * every quiz finished; "passed" once per registration when the course's rule for passing holds
 * (the site's totals.passed; with a masteryScore from the LMS, that too);
 * "failed" at the end of a session that finished below it and did not pass — at the end, since a
 * session may hold only one of passed and failed and a learner may retry and pass; "terminated"
 * last, on the exit button or when the page goes away. In Browse and Review mode only
 * initialized and terminated are sent. Without launch parameters, or when the LMS does not answer,
 * the site runs as the offline site.
 *
 * The site's pages reach the session through window.parent.modgenLmsSession (assets/lms-bridge.js).
 */
(function () {
  "use strict";
  var VERB = "http://adlnet.gov/expapi/verbs/";
  var CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
  var MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon";
  var MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
  var STATE_ID = "modgen.progress";

  function data(id) {
    try { return JSON.parse(document.getElementById(id).textContent); } catch (e) { return null; }
  }
  var catalogue = data("modgen-lms") || { questions: {} };
  var settings = data("modgen-cmi5") || { questions: {}, passMark: 0 };
  window.modgenLmsSession = null;

  var domReady = new Promise(function (resolve) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", resolve); } else { resolve(); }
  });
  function showSite(note) {
    return domReady.then(function () {
      var frame = document.querySelector("iframe[name=course]");
      if (note) { document.getElementById("cmi5-status").textContent = note; }
      if (frame && !frame.getAttribute("src")) { frame.setAttribute("src", frame.getAttribute("data-src")); }
    });
  }

  var params = new URLSearchParams(window.location.search);
  var launch = {};
  ["endpoint", "fetch", "actor", "registration", "activityId"].forEach(function (name) { launch[name] = params.get(name); });
  var actor = null;
  try { actor = JSON.parse(launch.actor); } catch (e) { actor = null; }
  if (!launch.endpoint || !launch.fetch || !actor || !launch.registration || !launch.activityId || !window.fetch) {
    showSite(settings.offline);
    return;
  }
  var endpoint = launch.endpoint.replace(/\/?$/, "/");
  var token = null, template = {}, mode = "Normal", mastery = null, returnURL = null;
  var kept = { suspend: null, completed: false, passed: false };
  var started = null, finished = false, failedScore = null;

  function headers() {
    return { "Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json" };
  }
  function stateUrl(stateId) {
    return endpoint + "activities/state?" + new URLSearchParams({
      activityId: launch.activityId, agent: JSON.stringify(actor), registration: launch.registration, stateId: stateId
    }).toString();
  }
  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x < 16 ? "0" : "") + x.toString(16); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function duration(ms) {
    var hundredths = Math.max(0, Math.round(ms / 10));
    return "PT" + Math.floor(hundredths / 360000) + "H" + (Math.floor(hundredths / 6000) % 60) + "M" +
      ((hundredths % 6000) / 100) + "S";
  }
  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  // The context template with what the AU adds to it, never overwriting what the LMS gave.
  function context(categories, extensions) {
    var ctx = copy(template || {});
    ctx.registration = launch.registration;
    ctx.contextActivities = ctx.contextActivities || {};
    if (categories.length) {
      ctx.contextActivities.category = (ctx.contextActivities.category || []).concat(
        categories.map(function (id) { return { id: id, objectType: "Activity" }; }));
    }
    if (extensions) {
      ctx.extensions = ctx.extensions || {};
      Object.keys(extensions).forEach(function (k) { if (!(k in ctx.extensions)) { ctx.extensions[k] = extensions[k]; } });
    }
    return ctx;
  }
  function statement(verb, result, categories, extensions, object) {
    var s = {
      id: uuid(), actor: actor, verb: { id: VERB + verb, display: { "en-US": verb } },
      object: object || { objectType: "Activity", id: launch.activityId },
      context: context(categories, extensions), timestamp: new Date().toISOString()
    };
    if (result) { s.result = result; }
    return s;
  }
  // Requests go one after the other, so that the LRS receives statements in the order they were
  // made and the state document's last version last. All of them are keepalive requests, so
  // that the one under way still arrives when the page goes away; what waits behind it is then
  // sent at once with the closing statements (flush).
  var waiting = [], busy = false, idle = [];
  function request(item) {
    return item.kind === "state"
      ? fetch(stateUrl(STATE_ID), { method: "PUT", headers: headers(), body: JSON.stringify(item.body), keepalive: true })
      : fetch(endpoint + "statements", { method: "POST", headers: headers(), body: JSON.stringify(item.body), keepalive: true });
  }
  function pump() {
    if (busy) { return; }
    if (!waiting.length) { idle.splice(0).forEach(function (resolve) { resolve(); }); return; }
    busy = true;
    var item = waiting.shift();
    request(item).catch(function () { /* the LRS is gone: the site keeps working */ }).then(function () {
      busy = false;
      pump();
    });
  }
  function send(statements) { waiting.push({ kind: "statements", body: statements }); pump(); }
  function saveState() {
    // Only the newest state matters: one waiting write is enough.
    waiting = waiting.filter(function (item) { return item.kind !== "state"; });
    waiting.push({ kind: "state", body: copy(kept) });
    pump();
  }
  function drained() { return new Promise(function (resolve) { idle.push(resolve); pump(); }); }
  function flush(statements) {
    var all = [];
    waiting.forEach(function (item) { if (item.kind === "statements") { all = all.concat(item.body); } });
    waiting = [];
    request({ kind: "statements", body: all.concat(statements) }).catch(function () {});
    request({ kind: "state", body: copy(kept) }).catch(function () {});
  }

  // The learner's answer in xAPI's response syntax (SCORM 2004's): generator/targets/interactions.py.
  function response(q, answer) {
    var out = [];
    if (q.type === "true-false") { return answer && answer[0] === "true" ? "true" : "false"; }
    if (q.type === "matching") {
      q.choices.forEach(function (p) { if (answer && answer[p]) { out.push(p + "[.]" + answer[p]); } });
    } else if (q.type === "sequencing") {
      out = (answer || []).slice();
    } else {
      q.choices.forEach(function (id) { if ((answer || []).indexOf(id) >= 0) { out.push(id); } });
    }
    return out.join("[,]");
  }

  function answered(done) {
    var q = catalogue.questions[done.question], activity = settings.questions[done.question];
    if (!q || !activity) { return null; }
    var given = response(q, done.answer);
    var s = statement("answered", { response: given, success: given === q.pattern2004, duration: duration(done.latency) }, [],
      null, { objectType: "Activity", id: activity.id, definition: activity.definition });
    s.timestamp = new Date(done.at).toISOString();
    s.context.contextActivities.parent = [{ id: launch.activityId, objectType: "Activity" }];
    s.context.contextActivities.other = [{ id: activity.objective, objectType: "Activity" }];
    return s;
  }

  // How many quizzes have a finished attempt in the site's state; as in scorm-launch.js.
  function finishedQuizzes(state) {
    var quizzes = (state && state.quizzes) || {}, n = 0;
    Object.keys(quizzes).forEach(function (id) { if (quizzes[id] && (quizzes[id].best || quizzes[id].last)) { n += 1; } });
    return n;
  }

  function report(progress) {
    if (finished) { return; }
    var judged = mode === "Normal";
    var out = [];
    if (judged) {
      ((progress && progress.answered) || []).forEach(function (done) { var s = answered(done); if (s) { out.push(s); } });
    }
    var totals = (progress && progress.totals) || {};
    var state = null;
    if (progress && typeof progress.suspend === "string") {
      kept.suspend = progress.suspend;
      try { state = JSON.parse(progress.suspend); } catch (e) { state = null; }
    }
    var max = Number(totals.max) || 0, score = Number(totals.score) || 0;
    var done = totals.completed || totals.finished === true || (state && totals.lessonsVisited >= totals.lessons &&
      finishedQuizzes(state) >= (Number(totals.quizzes) || 0));
    if (judged && done) {
      var spent = duration(Date.now() - started);
      if (!kept.completed) {
        kept.completed = true;
        out.push(statement("completed", { completion: true, duration: spent }, [CATEGORY, MOVEON]));
      }
      if (max > 0 && !kept.passed) {
        var scaled = Math.round(10000 * score / max) / 10000;
        var extensions = mastery !== null ? {} : null;
        if (extensions) { extensions[MASTERY] = mastery; }
        // The course's one rule for passing, the site's certificate's (totals.passed: every quiz
        // passed, or the course score at the pass mark). A masteryScore the LMS sets must be
        // applied (cmi5 10.0): it replaces the course's pass mark for the score rule and is
        // required on top of every quiz passed for the other.
        var ok = settings.rule === "course-score" && mastery !== null ? scaled >= mastery
          : totals.passed === true && (mastery === null || scaled >= mastery);
        if (ok) {
          kept.passed = true;
          failedScore = null;
          out.push(statement("passed", { success: true, score: { scaled: scaled }, duration: spent }, [CATEGORY, MOVEON], extensions));
        } else {
          failedScore = { scaled: scaled, extensions: extensions };
        }
      }
    }
    if (out.length) { send(out); }
    saveState();
  }

  // Ends the session: at once when the page goes away (leaving), else after what is under way.
  function finish(leaving) {
    if (finished || started === null) { return Promise.resolve(); }
    finished = true;
    var spent = duration(Date.now() - started);
    var out = [];
    if (failedScore && !kept.passed) {
      out.push(statement("failed", { success: false, score: { scaled: failedScore.scaled }, duration: spent }, [CATEGORY, MOVEON],
        failedScore.extensions));
    }
    out.push(statement("terminated", { duration: spent }, [CATEGORY]));
    if (leaving) { flush(out); return Promise.resolve(); }
    send(out);
    return drained();
  }

  function exit() {
    var button = document.getElementById("cmi5-exit");
    button.disabled = true;
    finish(false).then(function () {
      if (returnURL) { window.location.assign(returnURL); return; }
      var frame = document.querySelector("iframe[name=course]");
      if (frame) { frame.remove(); }
      button.hidden = true;
      document.getElementById("cmi5-status").textContent = settings.closed;
    });
  }

  function json(response) {
    if (!response.ok) { throw new Error("HTTP " + response.status); }
    return response.json();
  }

  fetch(launch.fetch, { method: "POST" }).then(json).then(function (body) {
    if (!body || !body["auth-token"]) { throw new Error(body && body["error-text"] ? body["error-text"] : "no auth-token"); }
    token = body["auth-token"];
    return fetch(stateUrl("LMS.LaunchData"), { headers: headers() }).then(json);
  }).then(function (launchData) {
    template = launchData.contextTemplate || {};
    mode = launchData.launchMode || "Normal";
    mastery = typeof launchData.masteryScore === "number" ? launchData.masteryScore : null;
    // Only a web address: the LMS's returnURL is followed, never a javascript: or data: one.
    returnURL = typeof launchData.returnURL === "string" && /^(https?:\/\/|\/)/i.test(launchData.returnURL)
      ? launchData.returnURL : null;
    return fetch(stateUrl(STATE_ID), { headers: headers() }).then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  }).then(function (saved) {
    if (saved && typeof saved === "object") {
      kept.suspend = typeof saved.suspend === "string" ? saved.suspend : null;
      kept.completed = saved.completed === true;
      kept.passed = saved.passed === true;
    }
    started = Date.now();
    send([statement("initialized", null, [CATEGORY])]);
    // The progress of this registration only: with nothing saved yet the site starts afresh
    // rather than from the browser's storage, which may hold another learner's progress on a
    // shared computer (and must not go to an LRS a crafted launch address names).
    var fresh = JSON.stringify({ v: 1, lessons: {}, quizzes: {}, learner: "" });
    window.modgenLmsSession = { restore: function () { return kept.suspend || fresh; }, report: report };
    window.addEventListener("pagehide", function () { finish(true); });
    // The site appears once the LRS has "initialized": the learner's first answer comes after it.
    return drained().then(function () { return domReady; }).then(function () {
      var button = document.getElementById("cmi5-exit");
      button.hidden = false;
      button.addEventListener("click", exit);
      return showSite(null);
    });
  }).catch(function () {
    showSite(settings.offline);
  });
}());
