/* modgen serve only: reload after a rebuild, and show course errors over the page.
   Never part of a built site; the preview server adds it to every page it serves. */
(function () {
  "use strict";
  var endpoint = "/__modgen__/version";
  var seen = null;

  function overlay(problems) {
    var old = document.getElementById("modgen-problems");
    if (old) { old.remove(); }
    if (!problems.length) { return; }
    var box = document.createElement("section");
    box.id = "modgen-problems";
    box.className = "modgen-problems";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", "modgen-problems-title");
    var title = document.createElement("h2");
    title.id = "modgen-problems-title";
    title.textContent = "The course has errors — showing the last good build";
    var list = document.createElement("pre");
    list.textContent = problems.join("\n");
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(title);
    box.appendChild(list);
    box.appendChild(close);
    document.body.insertBefore(box, document.body.firstChild);
  }

  var link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = "/__modgen__/live.css";
  document.head.appendChild(link);

  function poll() {
    fetch(endpoint, { cache: "no-store" }).then(function (response) { return response.json(); }).then(function (status) {
      if (seen === null) {
        seen = status.version;
        overlay(status.problems);
      } else if (status.version !== seen) {
        window.location.reload();
        return;
      }
      window.setTimeout(poll, 500);
    }).catch(function () { window.setTimeout(poll, 1500); });
  }
  poll();
}());
