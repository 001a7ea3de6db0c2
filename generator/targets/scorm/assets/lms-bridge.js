/* modgen LMS bridge in every page of the self-study site (SCORM and cmi5 packages): hands the
 * site's progress to the launch page (scorm-launch.js, cmi5-launch.js) through the
 * window.modgenProgress hook of site.js, with the questions answered since the last report.
 * Opened outside the launch page, or without an LMS, it does nothing and the site works offline.
 *
 * Which questions are new is read from the site's own state (quizzes[id].checked): a question
 * checked now and not when this page loaded (or at the previous report) was just answered. A
 * retry or reset of the quiz starts over. The state the page loaded is found the way site.js
 * finds it — the LMS's suspend data, else the browser's storage — so a question answered in an
 * earlier session is not reported again.
 *
 * Latency is the time from the page being shown, or from the learner's previous answer on it,
 * to this answer: with the questions answered one after the other, the time spent on each.
 */
(function () {
  "use strict";
  var session = null;
  try {
    session = window.parent && window.parent !== window ? window.parent.modgenLmsSession : null;
  } catch (e) {
    session = null;  // a parent from another origin: not our launch page
  }
  if (!session) { return; }
  var page = (window.location.pathname.split("/").pop() || "index.html");
  var site = null;
  try { site = JSON.parse(document.getElementById("modgen-data").textContent); } catch (e) { site = null; }
  var quiz = site && site.quiz ? site.quiz : null;

  function parse(raw) {
    try { return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  }
  function quizState(state) {
    return quiz && state && state.quizzes && state.quizzes[quiz.id] ? state.quizzes[quiz.id] : null;
  }
  function checkedOf(q) {
    var out = {};
    if (q && q.checked) { Object.keys(q.checked).forEach(function (id) { if (q.checked[id]) { out[id] = true; } }); }
    return out;
  }

  var known = null;  // {attempt, checked} as last seen
  var since = Date.now();
  if (quiz) {
    var raw = null;
    try { raw = session.restore(); } catch (e) { raw = null; }
    if (typeof raw !== "string" || !raw) {
      try { raw = window.localStorage.getItem(site.storageKey); } catch (e) { raw = null; }
    }
    var loaded = quizState(parse(raw));
    known = { attempt: loaded ? loaded.attempt : null, checked: checkedOf(loaded) };
  }

  // The questions answered since the last report: [{question, answer, latency (ms), at (Date)}].
  function answered(suspend) {
    if (!quiz || typeof suspend !== "string") { return []; }
    var now = quizState(parse(suspend));
    if (!now) { return []; }
    var checked = checkedOf(now);
    var restarted = now.attempt !== known.attempt ||
      Object.keys(known.checked).some(function (id) { return !checked[id]; });
    if (restarted) { known = { attempt: now.attempt, checked: {} }; since = Date.now(); }
    var found = [];
    quiz.questions.forEach(function (q) {
      if (!checked[q.id] || known.checked[q.id]) { return; }
      var at = Date.now();
      found.push({ question: q.id, answer: now.answers ? now.answers[q.id] : null, latency: at - since, at: at });
      known.checked[q.id] = true;
      since = at;
    });
    return found;
  }

  window.modgenProgress = {
    restore: function () {
      try { return session.restore(); } catch (e) { return null; }
    },
    report: function (progress) {
      try {
        var copy = {};
        for (var key in progress) {
          if (Object.prototype.hasOwnProperty.call(progress, key)) { copy[key] = progress[key]; }
        }
        copy.page = page;
        copy.answered = answered(progress.suspend);
        session.report(copy);
      } catch (e) {
        // The LMS may have gone away (window closed); the site keeps working.
      }
    }
  };
}());
