"""SCORM 1.2 and 2004 packages: manifests valid against the ADL XSDs and complete, and the
package running under a real SCORM runtime (npm scorm-again) in Chromium: status, score,
pass/fail against the course pass mark, resume from suspend data, and the offline fallback."""

from __future__ import annotations

import csv
import io
import json
import posixpath
import random
import re
import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

from generator.targets import scorm
from tests.conftest import FIXTURES, ROOT, need_node_module, need_schemas, run_modgen
from tests.targets.bank import expected, load, norm, views
from tests.targets.site_browser import (  # noqa: F401 (fixture)
    StaticServer, Watch, answer_in as _answer, browser, go_to as _go,
)

VERSIONS = {"1.2": ("scorm12", scorm.CP12, scorm.ADLCP12), "2004": ("scorm2004-4th", scorm.CP, scorm.ADLCP)}


@pytest.fixture(scope="session")
def manifest_schemas() -> dict[str, etree.XMLSchema]:
    return {v: etree.XMLSchema(etree.parse(str(need_schemas(folder, "manifest.xsd"))))
            for v, (folder, _, _) in VERSIONS.items()}


def packages():
    cases = [(name, path, view) for name, path in (("minimal", FIXTURES / "minimal"), ("special", FIXTURES / "special"))
             for view in views(path)]
    if any((ROOT / "quizzes").glob("*.yaml")):
        cases.append(("bundled", ROOT, views(ROOT)[0]))
    for name, _, (course, lang, audience) in cases:
        for version in VERSIONS:
            yield pytest.param(course, lang, audience, version, id=f"{name}-{lang}-{audience}-{version}")


@pytest.mark.schemas
@pytest.mark.parametrize("course,lang,audience,version", list(packages()))
def test_manifest_validates_and_resolves(course, lang, audience, version, manifest_schemas) -> None:
    files = scorm.build_package(course, lang, audience, version)
    _, cp, adlcp = VERSIONS[version]
    doc = etree.parse(io.BytesIO(files["imsmanifest.xml"]))
    schema = manifest_schemas[version]
    assert schema.validate(doc), "; ".join(f"{e.line}: {e.message}" for e in schema.error_log)

    ns = {"cp": cp, "adlcp": adlcp, "imsss": scorm.IMSSS}
    manifest = doc.getroot()
    resources = {r.get("identifier"): r for r in manifest.iterfind("cp:resources/cp:resource", ns)}
    organizations = manifest.find("cp:organizations", ns)
    assert organizations.find(f"cp:organization[@identifier='{organizations.get('default')}']", ns) is not None
    items = list(manifest.iterfind(".//cp:item", ns))
    assert items and all(i.get("identifierref") in resources for i in items)
    listed = set()
    for resource in resources.values():
        assert resource.get("href") in files
        listed |= {f.get("href") for f in resource.iterfind("cp:file", ns)}
    assert listed == set(files) - {"imsmanifest.xml"}
    # Every page's own links and scripts resolve inside the package too.
    for name, data in files.items():
        if name.endswith(".html"):
            page = etree.HTML(data)
            for attr in ("href", "src"):
                for ref in page.xpath(f"//@{attr}"):
                    if ref.startswith(("http:", "https:", "mailto:", "tel:", "#", "data:")):
                        continue
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), ref.split("#")[0]))
                    assert target in files, f"{name}: {ref}"

    (sco,) = [r for r in resources.values() if r.get("href") == scorm.LAUNCH]
    if version == "1.2":
        assert sco.get(f"{{{adlcp}}}scormtype") == "sco"
        assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "1.2"
        # A mastery score only where the course is passed by its score (scorm.mastery).
        assert items[0].findtext("adlcp:masteryscore", namespaces=ns) == (
            str(course.pass_mark) if course.passing == "course-score" else None)
    else:
        assert sco.get(f"{{{adlcp}}}scormType") == "sco"
        assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "2004 4th Edition"
        primary = items[0].find("imsss:sequencing/imsss:objectives/imsss:primaryObjective", ns)
        if course.passing == "course-score":
            assert primary.get("satisfiedByMeasure") == "true"
            assert float(primary.findtext("imsss:minNormalizedMeasure", namespaces=ns)) == course.pass_mark / 100
        else:  # the SCO's status, by the site's rule, decides
            assert primary.get("satisfiedByMeasure") == "false"
            assert primary.find("imsss:minNormalizedMeasure", ns) is None
    launch = etree.HTML(files[scorm.LAUNCH])
    assert launch.get("data-scorm") == version and launch.get("data-pass-mark") == str(course.pass_mark)


def _site_questions(files: dict[str, bytes]) -> dict[str, dict]:
    """The quiz bank as the packaged site carries it (the JSON data block of each quiz page)."""
    found = {}
    for name, data in files.items():
        if not (name.startswith("quiz-") and name.endswith(".html")):
            continue
        (block,) = etree.HTML(data).xpath("//script[@id='modgen-data']/text()")
        stack = [json.loads(block)]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                if isinstance(value.get("questions"), list) and "passMark" in value:
                    for q in value["questions"]:
                        found[q["id"]] = _bank_entry(q)
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
    return found


def _bank_entry(q: dict) -> dict:
    entry = {"kind": q["type"], "stem": norm(q["stem"]), "explanation": norm(q["explanation"])}
    if q["type"] in ("single", "multiple"):
        entry["answers"] = sorted((norm(o["text"]), o["correct"], norm(o["feedback"])) for o in q["options"])
    elif q["type"] == "true-false":
        by_id = {o["id"]: o for o in q["options"]}
        entry.update(answer=by_id["true"]["correct"], feedback_true=norm(by_id["true"]["feedback"]),
                     feedback_false=norm(by_id["false"]["feedback"]))
    elif q["type"] == "matching":
        entry["pairs"] = sorted((norm(p["premise"]), norm(p["response"]), norm(p["feedback"])) for p in q["pairs"])
    else:
        entry["steps"] = [(norm(i["text"]), norm(i["feedback"])) for i in q["items"]]
    return entry


@pytest.mark.parametrize("name", ["minimal", "special"])
def test_package_carries_the_whole_bank(name) -> None:
    path = FIXTURES / name
    for course, lang, audience in views(path)[:2]:
        files = scorm.build_package(course, lang, audience, "2004")
        assert _site_questions(files) == expected(course, lang)


def test_cli_builds_deterministic_zips(tmp_path) -> None:
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        run_modgen("build", FIXTURES / "minimal", "-o", out, "--format", "scorm12,scorm2004", "--lang", "nl",
                   check=True)
        outs.append(out)
    zips = sorted(p.relative_to(outs[0]).as_posix() for p in outs[0].rglob("*.zip"))
    assert zips == [f"{k}/nl-{a}/bike-theft-{k}-nl-{a}.zip" for k in ("scorm12", "scorm2004")
                    for a in ("enforcement", "prevention")]
    for z in zips:
        assert (outs[0] / z).read_bytes() == (outs[1] / z).read_bytes()
        with zipfile.ZipFile(outs[0] / z) as archive:
            assert archive.namelist() == sorted(archive.namelist())
            assert "imsmanifest.xml" in archive.namelist()


def test_both_versions_share_one_rendering_of_the_site_and_zip_as_write_zip_would(tmp_path, monkeypatch) -> None:
    """A build renders and compresses the site once per language and audience for both packages
    (``Job.shared``), and copies the compressed files into each zip: the zips are byte for byte
    what ``write_zip`` makes of ``build_package``'s files."""
    from generator.build import BuildRequest, build
    from generator.targets.packaging import write_zip

    rendered: list[tuple[str, str | None]] = []
    package_site = scorm.package_site

    def spy(course, lang, audience, **kwargs):
        rendered.append((lang, audience))
        return package_site(course, lang, audience, **kwargs)

    monkeypatch.setattr(scorm, "package_site", spy)
    monkeypatch.setattr("generator.build._can_fork", lambda: False)  # one process: the spy sees every job
    out = tmp_path / "out"
    build(BuildRequest(FIXTURES / "minimal", out, ["scorm12", "scorm2004"], ["en"]))
    assert sorted(rendered) == [("en", "enforcement"), ("en", "prevention")]
    assert not (out / ".cache" / "shared").exists()  # not kept in the output
    # Each unit lists the site's lesson fragments, whether its job made the site or took it.
    units = json.loads((out / ".cache" / "index.json").read_text())["units"].values()
    lists = {(u["artifacts"][0]["kind"], u["artifacts"][0]["audience"]): u["fragments"] for u in units}
    for audience in ("enforcement", "prevention"):
        assert lists["scorm12", audience] == lists["scorm2004", audience] != []
    course = load(FIXTURES / "minimal")
    for audience in ("enforcement", "prevention"):
        for version, kind in (("1.2", "scorm12"), ("2004", "scorm2004")):
            files = scorm.build_package(course.for_audience(audience), "en", audience, version)
            expected_zip = write_zip(tmp_path / f"{kind}-{audience}.zip", files).read_bytes()
            assert (out / kind / f"en-{audience}" / f"bike-theft-{kind}-en-{audience}.zip").read_bytes() == expected_zip


# --- a real SCORM runtime -------------------------------------------------------------------

HOST_JS = """
(function () {
  var version = new URLSearchParams(location.search).get("v");
  var key = "host-cmi-" + version;
  var api = version === "2004" ? new Scorm2004API({logLevel: 4}) : new Scorm12API({logLevel: 4});
  var saved = localStorage.getItem(key);
  if (saved) { api.loadFromJSON(JSON.parse(saved)); }
  // What the LMS saw, kept across reloads: the CMI data and the order of the calls.
  function store(name) {
    return function () {
      var events = JSON.parse(localStorage.getItem("host-events-" + version) || "[]");
      events.push(name);
      localStorage.setItem("host-events-" + version, JSON.stringify(events));
      localStorage.setItem(key, api.renderCMIToJSONString());
    };
  }
  ["LMSInitialize", "LMSCommit", "LMSFinish", "Initialize", "Commit", "Terminate"].forEach(function (name) {
    api.on(name, store(name));
  });
  if (version === "2004") { window.API_1484_11 = api; } else { window.API = api; }
}());
"""

HOST_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title><link rel="icon" href="data:,">
<script src="runtime/scorm12.min.js"></script><script src="runtime/scorm2004.min.js"></script>
<script src="host.js"></script></head>
<body><iframe id="sco" src="pkg/scorm.html" style="width:1200px;height:850px"></iframe></body></html>
"""

#: A page on another origin that offers an "API" and frames the package: the package must not be
#: able to reach it, and must not throw trying.
CROSS_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>other origin</title><link rel="icon" href="data:,">
<script>window.API = {{LMSInitialize: function () {{ throw new Error("reached across origins"); }}}};</script>
</head>
<body><iframe id="sco" src="{url}pkg/scorm.html" style="width:1200px;height:850px"></iframe></body></html>
"""


@pytest.fixture(scope="module")
def lms(tmp_path_factory):
    """A static server with the scorm-again host page and the fixture course's packages."""
    runtime = need_node_module("scorm-again") / "dist"
    root = tmp_path_factory.mktemp("lms")
    (root / "runtime").mkdir()
    for name in ("scorm12.min.js", "scorm2004.min.js"):
        shutil.copyfile(runtime / name, root / "runtime" / name)
    (root / "host.js").write_text(HOST_JS, encoding="utf-8")
    (root / "host.html").write_text(HOST_HTML, encoding="utf-8")
    # Passed by the course score (80 % with one quiz failed passes the course's 60 %); the
    # default rule, every quiz passed, is tested in test_passing.py.
    course = load(FIXTURES / "minimal").model_copy(update={"passing": "course-score"}).for_audience("enforcement")
    for version in VERSIONS:
        with zipfile.ZipFile(io.BytesIO(_zip(scorm.build_package(course, "en", "enforcement", version)))) as z:
            z.extractall(root / f"pkg-{version}")
    with StaticServer(root) as server:
        yield root, server


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def context(browser):  # noqa: F811 - pytest fixture
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def _use(root: Path, version: str) -> None:
    """Point pkg/ at the package of ``version`` (the host page always frames pkg/scorm.html)."""
    link = root / "pkg"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(root / f"pkg-{version}", target_is_directory=True)


def _site(page):
    """The site's frame inside the launch page, once its start page has loaded."""
    page.wait_for_function("() => { const f = document.querySelector('#sco'); return f && f.contentWindow && "
                           "f.contentWindow.frames.length && f.contentWindow.frames[0].document.readyState === 'complete'; }")
    frame = page.frame(name="course")
    frame.wait_for_load_state("load")
    return frame


def _visit_lessons(frame, base: str) -> None:
    for name in ("lesson-preparation.html", "lesson-activity.html"):
        _go(frame, base + name)


def _cmi(page, version: str) -> dict:
    name = "API_1484_11" if version == "2004" else "API"
    return page.evaluate(f"() => JSON.parse(window.{name}.renderCMIToJSONString())")


@pytest.mark.browser
@pytest.mark.node
def test_scorm12_passes_scores_and_resumes_from_suspend_data(lms, context) -> None:
    root, server = lms
    _use(root, "1.2")
    page = context.new_page()
    watch = Watch(server.url).attach(page)
    page.goto(server.url + "host.html?v=1.2")
    site = _site(page)
    base = server.url + "pkg/"
    assert page.evaluate("() => API.cmi.core.lesson_status") == "incomplete"

    _visit_lessons(site, base)
    _go(site, base + "quiz-preparation.html")
    _answer(site, "prep-q1", "Near stations")
    _answer(site, "prep-q2", "Lighting|Guarded parking")
    _answer(site, "prep-q3", "False")
    _answer(site, "prep-q4", selects={"Police": "Patrols", "Municipality": "Lighting"})
    assert page.evaluate("() => API.cmi.core.lesson_status") == "incomplete"  # one quiz still open
    _go(site, base + "quiz-activity.html")
    _answer(site, "act-q1")  # the ordering left as shown: wrong

    cmi = _cmi(page, "1.2")["cmi"]
    assert cmi["core"]["lesson_status"] == "passed"  # 4 of 5 = 80 % against the course's 60 %
    assert cmi["core"]["score"] == {"raw": "80", "min": "0", "max": "100"}
    assert cmi["suspend_data"].startswith("z1:")  # packed to fit SCORM 1.2's 4,096 characters
    launch = next(f for f in page.frames if f.url.endswith("pkg/scorm.html"))
    restored = json.loads(launch.evaluate("() => window.modgenLmsSession.restore()"))
    assert restored["quizzes"]["preparation"]["best"]["score"] == 4
    assert cmi["core"]["lesson_location"] == "quiz-activity.html"
    shown = "".join(LETTERS["choose,open,leave".split(",").index(i)] for i in _shown_order(root, "1.2", "act-q1"))
    assert _interactions(page, "1.2") == [
        ("prep-q1", "choice", "a", "a", "correct", "prep-explain"),
        ("prep-q2", "choice", "a,b", "{a,b}", "correct", "prep-intervene"),
        ("prep-q3", "true-false", "f", "f", "correct", "prep-intervene"),
        ("prep-q4", "matching", "a.a,b.b", "a.a,b.b", "correct", "prep-explain"),
        ("act-q1", "sequencing", ",".join(shown), "a,b,c", "wrong", "act-order"),
    ]
    assert _objectives(page, "1.2") == {"prep-explain": ("passed", "100"), "prep-intervene": ("passed", "100"),
                                        "act-order": ("failed", "0")}

    # Reload the LMS page: the launch page terminates, the host keeps the CMI data; the site's own
    # localStorage is wiped, so what comes back can only come from cmi.suspend_data.
    page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('modgen:')).forEach(k => localStorage.removeItem(k))")
    page.reload()
    site = _site(page)
    assert site.url == base + "quiz-activity.html"  # resumed at cmi.core.lesson_location
    events = page.evaluate("() => JSON.parse(localStorage.getItem('host-events-1.2'))")
    assert events[0] == "LMSInitialize" and events.count("LMSInitialize") == 2
    assert "LMSFinish" in events[:events.index("LMSInitialize", 1)]  # one session, ended once
    assert events.count("LMSFinish") == 1
    assert page.evaluate("() => API.cmi.core.lesson_status") == "passed"
    _go(site, base + "quiz-preparation.html")
    first = site.locator('[data-question="prep-q1"]')
    assert first.get_by_label("Near stations").is_checked()
    assert first.get_by_label("Near stations").is_disabled()
    # Resumed: nothing answered in the first session is recorded again. A second attempt is
    # journaled as a new record; the objective it failed stays passed from the first attempt.
    assert len(_interactions(page, "1.2")) == 5
    site.get_by_role("button", name="Try again").click()
    _answer(site, "prep-q1", "Near schools")
    _answer(site, "prep-q4", selects={"Police": "Lighting", "Municipality": "Patrols"})
    records = _interactions(page, "1.2")
    assert records[5:] == [("prep-q1", "choice", "b", "a", "wrong", "prep-explain"),
                           ("prep-q4", "matching", "a.b,b.a", "a.a,b.b", "wrong", "prep-explain")]
    assert _objectives(page, "1.2")["prep-explain"] == ("passed", "100")
    watch.assert_clean()


@pytest.mark.browser
@pytest.mark.node
def test_scorm2004_fails_below_pass_mark_with_scaled_score(lms, context, tmp_path) -> None:
    root, server = lms
    _use(root, "2004")
    page = context.new_page()
    watch = Watch(server.url).attach(page)
    page.goto(server.url + "host.html?v=2004")
    site = _site(page)
    base = server.url + "pkg/"
    assert page.evaluate("() => API_1484_11.cmi.completion_status") == "incomplete"
    _visit_lessons(site, base)
    _go(site, base + "quiz-preparation.html")
    _answer(site, "prep-q1", "Near stations")
    _answer(site, "prep-q2", "A fine afterwards")
    _answer(site, "prep-q3", "True")
    _answer(site, "prep-q4", selects={"Police": "Lighting", "Municipality": "Patrols"})
    _go(site, base + "quiz-activity.html")
    _answer(site, "act-q1")

    cmi = _cmi(page, "2004")["cmi"]
    assert cmi["completion_status"] == "completed"
    assert cmi["success_status"] == "failed"  # 1 of 5 = 20 % against 60 %
    assert cmi["score"]["raw"] == "20" and cmi["score"]["min"] == "0" and cmi["score"]["max"] == "100"
    assert float(cmi["score"]["scaled"]) == pytest.approx(0.2)
    shown = "[,]".join(_shown_order(root, "2004", "act-q1"))
    assert _interactions(page, "2004") == [
        ("prep-q1", "choice", "a", "a", "correct", "prep-explain"),
        ("prep-q2", "choice", "c", "a[,]b", "incorrect", "prep-intervene"),
        ("prep-q3", "true-false", "true", "false", "incorrect", "prep-intervene"),
        ("prep-q4", "matching", "police[.]municipality[,]municipality[.]police",
         "police[.]police[,]municipality[.]municipality", "incorrect", "prep-explain"),
        ("act-q1", "sequencing", shown, "choose[,]open[,]leave", "incorrect", "act-order"),
    ]
    get = lambda key: page.evaluate("k => API_1484_11.GetValue(k)", key)  # noqa: E731
    for n in range(5):
        assert re.fullmatch(r"PT\d+H\d+M\d+(\.\d{1,2})?S", get(f"cmi.interactions.{n}.latency"))
        stamp = get(f"cmi.interactions.{n}.timestamp")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,2})?Z", stamp), stamp
        assert abs(datetime.fromisoformat(stamp.replace("Z", "+00:00")) - datetime.now(timezone.utc)).total_seconds() < 120
        assert get(f"cmi.interactions.{n}.weighting") == "1"
    assert get("cmi.interactions.0.description") == "{lang=en}Where do most bicycle thefts happen?"
    # prep-explain: 1 of 2 right meets its quiz's pass mark of 50 %.
    assert _objectives(page, "2004") == {"prep-explain": ("completed", "passed", "0.5"),
                                         "prep-intervene": ("completed", "failed", "0"),
                                         "act-order": ("completed", "failed", "0")}
    assert get("cmi.objectives.0.description") == "{lang=en}Explain which steps come before a theft."
    # What the LMS holds is what `modgen report` reads (an interactions CSV).
    rows = "".join(f'learner-1,{r[0]},"{r[2]}"\n' for r in _interactions(page, "2004"))
    (tmp_path / "interactions.csv").write_text("learner,id,response\n" + rows, encoding="utf-8")
    result = run_modgen("report", FIXTURES / "minimal", tmp_path / "interactions.csv", "-o", tmp_path / "report")
    assert result.returncode == 0, result.stderr
    with (tmp_path / "report" / "item-analysis.csv").open(encoding="utf-8") as f:
        facility = {r["question"]: r["facility"] for r in csv.DictReader(f)}
    assert facility == {"prep-q1": "1.000", "prep-q2": "0.000", "prep-q3": "0.000", "prep-q4": "0.000", "act-q1": "0.000"}
    watch.assert_clean()
    page.close(run_before_unload=True)  # the learner closes the course: the launch page terminates
    other = context.new_page()
    other.goto(server.url + "runtime/scorm2004.min.js")
    assert other.evaluate("() => JSON.parse(localStorage.getItem('host-events-2004'))")[-1] == "Terminate"
    saved = other.evaluate("() => JSON.parse(localStorage.getItem('host-cmi-2004'))")["cmi"]
    assert (saved["completion_status"], saved["success_status"]) == ("completed", "failed")


@pytest.mark.browser
@pytest.mark.node
def test_without_lms_the_package_is_the_offline_site(lms, context) -> None:
    root, server = lms
    _use(root, "1.2")
    page = context.new_page()
    watch = Watch(server.url).attach(page)
    page.goto(server.url + "pkg/scorm.html")
    site = _site_top(page)
    assert page.evaluate("() => window.modgenLmsSession") is None
    _go(site, server.url + "pkg/quiz-preparation.html")
    _answer(site, "prep-q1", "Near stations")
    assert "Right, the study shows this." in site.locator('[data-question="prep-q1"] .feedback').inner_text()
    stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('modgen:'))")
    assert stored, "the offline site keeps progress in localStorage"
    watch.assert_clean()


@pytest.mark.browser
@pytest.mark.node
def test_a_parent_on_another_origin_is_skipped_without_errors(lms, context, tmp_path) -> None:
    root, server = lms
    _use(root, "1.2")
    (tmp_path / "cross.html").write_text(CROSS_HTML.format(url=server.url), encoding="utf-8")
    errors: list[str] = []
    with StaticServer(tmp_path) as other:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(other.url + "cross.html")
        page.wait_for_function("() => document.querySelector('#sco').contentWindow.frames.length === 1")
        frame = next(f for f in page.frames if f.url.endswith("pkg/scorm.html"))
        frame.wait_for_load_state("load")
        assert frame.evaluate("() => window.modgenLmsSession") is None
        site = page.frame(name="course")
        site.wait_for_load_state("load")
        _go(site, server.url + "pkg/quiz-preparation.html")
        _answer(site, "prep-q1", "Near stations")
        assert "Right, the study shows this." in site.locator('[data-question="prep-q1"] .feedback').inner_text()
    assert errors == []


LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _shown_order(root: Path, version: str, qid: str) -> list[str]:
    """The order in which the package shows a question's answers (the site's stable shuffle)."""
    page = etree.HTML((root / f"pkg-{version}" / "quiz-activity.html").read_bytes())
    (block,) = page.xpath("//script[@id='modgen-data']/text()")
    return next(q["order"] for q in json.loads(block)["quiz"]["questions"] if q["id"] == qid)


def _interactions(page, version: str) -> list[tuple]:
    """(id, type, learner response, correct pattern, result, objective) of every interaction as
    the LMS holds it: through GetValue in 2004; 1.2's interactions are write-only for the SCO,
    so from the runtime's own CMI data."""
    if version == "2004":
        get = lambda key: page.evaluate("k => API_1484_11.GetValue(k)", key)  # noqa: E731
        n = int(get("cmi.interactions._count"))
        return [tuple(get(f"cmi.interactions.{i}.{f}") for f in
                      ("id", "type", "learner_response", "correct_responses.0.pattern", "result", "objectives.0.id"))
                for i in range(n)]
    records = _cmi(page, "1.2")["cmi"]["interactions"]
    found = []
    for i in range(len(records)):
        r = records[str(i)]
        assert re.fullmatch(r"\d\d:\d\d:\d\d", r["time"]) and re.fullmatch(r"\d{2,4}:\d\d:\d\d(\.\d{1,2})?", r["latency"])
        assert r["weighting"] == "1"
        found.append((r["id"], r["type"], r["student_response"], r["correct_responses"]["0"]["pattern"], r["result"],
                      r["objectives"]["0"]["id"]))
    return found


def _objectives(page, version: str) -> dict[str, tuple]:
    if version == "2004":
        get = lambda key: page.evaluate("k => API_1484_11.GetValue(k)", key)  # noqa: E731
        return {get(f"cmi.objectives.{i}.id"): tuple(get(f"cmi.objectives.{i}.{f}") for f in
                                                     ("completion_status", "success_status", "score.scaled"))
                for i in range(int(get("cmi.objectives._count")))}
    get = lambda key: page.evaluate("k => API.LMSGetValue(k)", key)  # noqa: E731
    return {get(f"cmi.objectives.{i}.id"): (get(f"cmi.objectives.{i}.status"), get(f"cmi.objectives.{i}.score.raw"))
            for i in range(int(get("cmi.objectives._count")))}


def _site_top(page):
    frame = page.frame(name="course")
    frame.wait_for_load_state("load")
    return frame


# --- the launch script's decisions, against a recording fake LMS in node ---------------------

FAKE_LMS = """
const vm = require("vm");
const fs = require("fs");
const [script, version, passMark, reports, apiMode, catalogue, initial] = JSON.parse(fs.readFileSync(0, "utf8"));
const values = Object.assign({}, initial || {}), calls = [];
const ok = (name, result) => (...args) => {
  calls.push([name, ...args]);
  if (apiMode === "throws") { throw new Error("LMS broken"); }
  return result(...args);
};
const names = version === "2004"
  ? {init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate", api: "API_1484_11"}
  : {init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish", api: "API"};
const api = {};
api[names.init] = ok(names.init, () => "true");
api[names.get] = ok(names.get, (k) => values[k] || "");
api[names.set] = ok(names.set, (k, v) => { values[k] = v; return "true"; });
api[names.commit] = ok(names.commit, () => "true");
api[names.finish] = ok(names.finish, () => "true");
const listeners = {};
const top = {addEventListener: (n, f) => { listeners[n] = f; }};
top.parent = top;
if (apiMode !== "none") { top[names.api] = api; }
const attrs = {"data-scorm": version, "data-pass-mark": String(passMark)};
// Timers never fire on their own: a test sees what is committed at once (batched commits).
const timers = [];
vm.runInNewContext(fs.readFileSync(script, "utf8"), {
  window: top, Date, JSON, Math, Object, String, Number, parseInt, isNaN,
  setTimeout: (f) => { timers.push(f); return timers.length; }, clearTimeout: (id) => { timers[id - 1] = null; },
  document: {documentElement: {getAttribute: (n) => attrs[n]},
             getElementById: (id) => (id === "modgen-lms" && catalogue ? {textContent: JSON.stringify(catalogue)} : null)}
});
const session = top.modgenLmsSession;
for (const r of reports) { session.report(r); }
if (listeners.pagehide) { listeners.pagehide(); listeners.pagehide(); }
const restored = session ? session.restore() : null;
process.stdout.write(JSON.stringify({values, calls: calls.map((c) => c[0]), session: session !== null, restored}));
"""


def run_launch(version: str, reports: list[dict], pass_mark: int = 60, api: str = "ok", catalogue: dict | None = None,
               initial: dict | None = None) -> dict:
    need_node_module("scorm-again")  # node itself, as the other runtime tests
    import subprocess

    script = str(scorm.ASSETS / "scorm-launch.js")
    result = subprocess.run(["node", "-e", FAKE_LMS], input=json.dumps([script, version, pass_mark, reports, api, catalogue, initial]),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _state(finished: int) -> str:
    return json.dumps({"v": 1, "quizzes": {f"q{i}": {"best": {"score": 1}} for i in range(finished)}})


def _report(score: int, max_: int, visited: int, finished: int, suspend: str | None = None,
            passed: bool = False) -> dict:
    """A report as site.js makes it; ``passed`` is the site's judgement by the course's rule."""
    return {"totals": {"score": score, "max": max_, "lessons": 2, "lessonsVisited": visited, "quizzes": 2,
                       "quizzesPassed": 2 if passed else 0, "completed": passed and visited == 2, "passed": passed},
            "suspend": _state(finished) if suspend is None else suspend, "page": "quiz-a.html"}


@pytest.mark.node
def test_launch_reports_failed_when_everything_is_done_below_the_pass_mark() -> None:
    out = run_launch("1.2", [_report(1, 5, 2, 1), _report(2, 5, 2, 2)])
    values = out["values"]
    assert values["cmi.core.lesson_status"] == "failed"
    assert (values["cmi.core.score.raw"], values["cmi.core.score.min"], values["cmi.core.score.max"]) == ("40", "0", "100")
    assert values["cmi.core.exit"] == "suspend" and values["cmi.core.lesson_location"] == "quiz-a.html"
    assert out["calls"].count("LMSInitialize") == 1 and out["calls"].count("LMSFinish") == 1


@pytest.mark.node
def test_launch_reports_the_sites_judgement_not_the_score() -> None:
    """The site passes a course by its rule (every quiz passed by default): 90 % with one quiz
    failed is failed for the LMS too, and 50 % with every quiz passed is passed."""
    values = run_launch("2004", [_report(9, 10, 2, 2, passed=False)], pass_mark=60)["values"]
    assert (values["cmi.success_status"], values["cmi.exit"]) == ("failed", "suspend")
    values = run_launch("1.2", [_report(5, 10, 2, 2, passed=True)], pass_mark=60)["values"]
    assert (values["cmi.core.lesson_status"], values["cmi.core.exit"]) == ("passed", "")


@pytest.mark.node
def test_launch_batches_commits_and_commits_a_change_of_status_at_once() -> None:
    quiet = [_report(n, 10, 1, 0) for n in range(30)]
    out = run_launch("2004", [*quiet, _report(10, 10, 2, 2, passed=True)])
    # One at initialisation, one for the change of status, one when the session ends; the 30
    # reports in between wait for one batched commit (its timer has not fired here).
    assert out["calls"].count("Commit") == 3
    assert out["values"]["cmi.success_status"] == "passed"


@pytest.mark.node
def test_launch_keeps_incomplete_until_every_quiz_is_finished() -> None:
    values = run_launch("2004", [_report(3, 5, 2, 1)], pass_mark=50)["values"]
    assert values["cmi.completion_status"] == "incomplete"
    assert "cmi.success_status" not in values
    values = run_launch("2004", [_report(3, 5, 2, 2, passed=True)], pass_mark=50)["values"]
    assert (values["cmi.completion_status"], values["cmi.success_status"]) == ("completed", "passed")
    assert values["cmi.exit"] == "normal"  # complete: no suspend, the attempt is over
    assert values["cmi.score.scaled"] == "0.6" and values["cmi.score.raw"] == "60"
    assert values["cmi.session_time"].startswith("PT")


def _bundled_state() -> str:
    """Progress as site.js keeps it (see its Progress object), for every question of the bundled
    course answered: the size a real learner reaches."""
    course = load(ROOT) if any((ROOT / "quizzes").glob("*.yaml")) else load(FIXTURES / "special")
    quizzes = {}
    for quiz in course.quizzes:
        order, answers = {}, {}
        for q in quiz.questions:
            ids = ([o.id for o in q.options] if hasattr(q, "options") else [p.id for p in q.pairs]
                   if hasattr(q, "pairs") else [i.id for i in q.items] if hasattr(q, "items") else ["true", "false"])
            order[q.id] = list(reversed(ids))
            answers[q.id] = ids if q.kind in ("multiple", "ordering") else (
                {i: i for i in ids} if q.kind == "matching" else ids[0])
        checked = {q.id: True for q in quiz.questions}
        result = {"score": len(quiz.questions) - 1, "max": len(quiz.questions), "passed": True}
        quizzes[quiz.id] = {"order": order, "answers": answers, "checked": checked, "attempt": 2,
                            "last": result, "best": result}
    lessons = {lesson.id: {"visited": True} for lesson in course.lessons}
    return json.dumps({"v": 1, "lessons": lessons, "quizzes": quizzes, "learner": "Zoë van der Berg"},
                      separators=(",", ":"), ensure_ascii=False)


@pytest.mark.node
def test_launch_packs_suspend_data_to_fit_scorm12_and_restores_it() -> None:
    state = _bundled_state()
    out = run_launch("1.2", [_report(0, 5, 0, 0, suspend=state)])
    packed = out["values"]["cmi.suspend_data"]
    assert len(state) > 4096, "the bundled course's progress no longer needs packing"
    assert packed.startswith("z1:") and len(packed) <= 4096
    assert not set(packed) & set("\"'<>&% \n")
    assert out["restored"] == state
    # 2004 has room for the state as it is.
    out = run_launch("2004", [_report(0, 5, 0, 0, suspend=state)])
    assert out["values"]["cmi.suspend_data"] == state and out["restored"] == state


@pytest.mark.node
def test_launch_packing_round_trips_any_text() -> None:
    rng = random.Random(12)
    alphabet = "ab{}[]:,\"\\é ë ï ü€😀\n\t" + "".join(chr(i) for i in range(32, 127))
    for _ in range(25):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3000)))
        out = run_launch("1.2", [_report(0, 5, 0, 0, suspend=text)])
        if out["values"]["cmi.suspend_data"]:
            assert out["restored"] == text
        else:
            assert out["restored"] is None  # too long even packed: cleared, nothing stale


@pytest.mark.node
def test_launch_clears_suspend_data_too_long_for_scorm12() -> None:
    rng = random.Random(4)
    noise = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(6000))
    values = run_launch("1.2", [_report(0, 5, 0, 0), _report(0, 5, 0, 0, suspend=noise)])["values"]
    assert values["cmi.suspend_data"] == ""
    values = run_launch("2004", [_report(0, 5, 0, 0, suspend=noise)])["values"]
    assert values["cmi.suspend_data"] == noise  # 2004 holds 64,000 characters


@pytest.mark.node
def test_launch_without_api_or_with_a_broken_one_never_throws() -> None:
    assert run_launch("1.2", [], api="none")["session"] is False
    out = run_launch("2004", [], api="throws")
    assert out["session"] is False and out["calls"] == ["Initialize"]


def _answered_report(answers: dict, checked: list[str], answered: list[tuple[str, object]]) -> dict:
    """A report after the questions ``answered`` were checked, the minimal course's preparation quiz."""
    state = {"v": 1, "lessons": {}, "quizzes": {"preparation": {
        "answers": answers, "checked": {q: True for q in checked}, "attempt": 1}}}
    return {**_report(0, 5, 0, 0, suspend=json.dumps(state)),
            "answered": [{"question": q, "answer": a, "latency": 61_250, "at": 1_780_000_000_000} for q, a in answered]}


@pytest.mark.node
def test_launch_appends_interactions_after_the_lms_records_and_finds_objectives_by_id() -> None:
    """A later session: the LMS already holds 3 interactions and the course's objectives (one of
    them passed). New records go after them; objectives are updated in place, passed stays passed."""
    from generator.targets import interactions

    course = load(FIXTURES / "minimal").for_audience("enforcement")
    catalogue = interactions.catalogue(course, "en")
    initial = {"cmi.interactions._count": "3", "cmi.objectives._count": "2",
               "cmi.objectives.0.id": "prep-intervene", "cmi.objectives.0.success_status": "passed",
               "cmi.objectives.1.id": "prep-explain", "cmi.objectives.1.success_status": "unknown"}
    reports = [_answered_report({"prep-q1": ["b"]}, ["prep-q1"], [("prep-q1", ["b"])]),
               _answered_report({"prep-q1": ["b"], "prep-q2": ["c"], "prep-q3": ["true"],
                                 "prep-q4": {"police": "police", "municipality": "municipality"}},
                                ["prep-q1", "prep-q2", "prep-q3", "prep-q4"],
                                [("prep-q2", ["c"]), ("prep-q3", ["true"]),
                                 ("prep-q4", {"police": "police", "municipality": "municipality"})])]
    values = run_launch("2004", reports, catalogue=catalogue, initial=initial)["values"]
    assert "cmi.interactions.2.id" not in values
    assert [values[f"cmi.interactions.{n}.id"] for n in range(3, 7)] == ["prep-q1", "prep-q2", "prep-q3", "prep-q4"]
    assert values["cmi.interactions.3.learner_response"] == "b" and values["cmi.interactions.3.result"] == "incorrect"
    assert values["cmi.interactions.6.result"] == "correct"
    assert values["cmi.interactions.3.latency"] == "PT0H1M1.25S"
    assert values["cmi.interactions.3.timestamp"] == "2026-05-28T20:26:40.00Z"
    # prep-intervene was passed before and is failed now (q2, q3 wrong): it stays passed.
    assert values["cmi.objectives.0.success_status"] == "passed" and "cmi.objectives.0.score.scaled" not in values
    # prep-explain: q1 wrong, q4 right: 50 % meets the quiz's pass mark.
    assert (values["cmi.objectives.1.completion_status"], values["cmi.objectives.1.success_status"],
            values["cmi.objectives.1.score.scaled"]) == ("completed", "passed", "0.5")
    # act-order was not in the LMS yet: added after the two it had, not attempted.
    assert (values["cmi.objectives.2.id"], values["cmi.objectives.2.completion_status"]) == ("act-order", "not attempted")

    values = run_launch("1.2", reports[:1], catalogue=catalogue)["values"]
    assert values["cmi.interactions.0.latency"] == "0000:01:01.25"
    assert values["cmi.interactions.0.student_response"] == "b" and values["cmi.interactions.0.result"] == "wrong"
    assert values["cmi.objectives.0.id"] == "prep-explain" and values["cmi.objectives.0.status"] == "incomplete"
