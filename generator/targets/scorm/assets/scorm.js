/* modgen SCORM bridge in every page of the self-study site: hands the site's progress to the
 * launch page (scorm-launch.js) through the window.modgenProgress hook of site.js. Opened
 * outside the launch page, or without an LMS, it does nothing and the site works offline. */
(function () {
  "use strict";
  var session = null;
  try {
    session = window.parent && window.parent !== window ? window.parent.modgenScormSession : null;
  } catch (e) {
    session = null;  // a parent from another origin: not our launch page
  }
  if (!session) { return; }
  var page = (window.location.pathname.split("/").pop() || "index.html");
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
        session.report(copy);
      } catch (e) {
        // The LMS may have gone away (window closed); the site keeps working.
      }
    }
  };
}());
