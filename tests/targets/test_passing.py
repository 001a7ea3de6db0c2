"""One rule for passing: the site's certificate, SCORM 1.2, SCORM 2004 and cmi5 agree.

The course in tests/fixtures/passing has six modules of one question each and the default rule,
every quiz passed. A learner passes five quizzes and fails the sixth: the course score (5 of 6,
83 %) is above the pass mark of 70 %, yet the course is not passed — the certificate does not
show, SCORM 1.2 says failed, SCORM 2004 failed, cmi5 sends no "passed". Passing the last quiz on
a retry flips all of them. Each runs in a real runtime: scorm-again for SCORM, an LRS that
validates every statement for cmi5.
"""

from __future__ import annotations

import uuid

import pytest

from generator.targets import cmi5, scorm
from tests.conftest import FIXTURES, need_node_module
from tests.targets.bank import load
from tests.targets.site_browser import (  # noqa: F401 (fixture)
    StaticServer, Watch, answer_in, browser, go_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.node]

COURSE = FIXTURES / "passing"
MODULES = [f"m{i}" for i in range(1, 7)]


@pytest.fixture
def context(browser):  # noqa: F811 - pytest fixture
    # A context of its own per test: the site's progress in localStorage must not carry over.
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def take_quiz(site, base: str, module: str, right: bool) -> None:
    go_to(site, base + f"quiz-{module}.html")
    answer_in(site, f"{module}-q", "Green" if right else "Red")


def five_passed_one_failed(site, base: str) -> None:
    for module in MODULES:
        go_to(site, base + f"lesson-{module}.html")
    for module in MODULES:
        take_quiz(site, base, module, right=module != "m6")


def pass_the_last(site, base: str) -> None:
    go_to(site, base + "quiz-m6.html")
    site.get_by_role("button", name="Try again").click()
    answer_in(site, "m6-q", "Green")


def certificate_shown(site, base: str) -> bool:
    go_to(site, base + "summary.html")
    return site.locator("#certificate").is_visible()


# --- the site and SCORM, under scorm-again ---------------------------------------------------

@pytest.fixture(scope="module")
def scorm_lms(tmp_path_factory):
    from tests.targets.test_scorm import HOST_HTML, HOST_JS, _zip

    runtime = need_node_module("scorm-again") / "dist"
    root = tmp_path_factory.mktemp("passing-scorm")
    (root / "runtime").mkdir()
    for name in ("scorm12.min.js", "scorm2004.min.js"):
        (root / "runtime" / name).write_bytes((runtime / name).read_bytes())
    (root / "host.js").write_text(HOST_JS, encoding="utf-8")
    course = load(COURSE)
    import io
    import zipfile

    for version in ("1.2", "2004"):
        (root / f"host-{version}.html").write_text(HOST_HTML.replace("pkg/scorm.html", f"pkg-{version}/scorm.html"),
                                                   encoding="utf-8")
        with zipfile.ZipFile(io.BytesIO(_zip(scorm.build_package(course, "en", None, version)))) as z:
            z.extractall(root / f"pkg-{version}")
    with StaticServer(root) as server:
        yield root, server


def _scorm_site(page, version: str):
    page.wait_for_function("() => { const f = document.querySelector('#sco'); return f && f.contentWindow && "
                           "f.contentWindow.frames.length && f.contentWindow.frames[0].document.readyState === 'complete' "
                           "&& f.contentWindow.frames[0].document.getElementById('modgen-data'); }")
    frame = page.frame(name="course")
    frame.wait_for_load_state("load")
    return frame


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_scorm_and_the_certificate_say_not_passed_until_every_quiz_is_passed(scorm_lms, context, version) -> None:
    root, server = scorm_lms
    page = context.new_page()
    watch = Watch(server.url).attach(page)
    page.goto(server.url + f"host-{version}.html?v={version}")
    site = _scorm_site(page, version)
    base = server.url + f"pkg-{version}/"
    api = "API_1484_11" if version == "2004" else "API"
    cmi = lambda: page.evaluate(f"() => JSON.parse(window.{api}.renderCMIToJSONString()).cmi")  # noqa: E731

    five_passed_one_failed(site, base)
    now = cmi()
    if version == "2004":
        assert (now["completion_status"], now["success_status"]) == ("completed", "failed")
        assert float(now["score"]["scaled"]) == pytest.approx(5 / 6, abs=1e-4)  # above 0.7, and still failed
        assert now["exit"] == "suspend"  # the learner will come back to retry
    else:
        assert now["core"]["lesson_status"] == "failed"
        assert now["core"]["exit"] == "suspend"
    assert not certificate_shown(site, base)

    pass_the_last(site, base)
    now = cmi()
    if version == "2004":
        assert (now["completion_status"], now["success_status"]) == ("completed", "passed")
        assert now["exit"] == "normal"  # complete: the attempt is over
    else:
        assert now["core"]["lesson_status"] == "passed"
        assert now["core"]["exit"] == ""  # SCORM 1.2's normal exit
    assert certificate_shown(site, base)
    from datetime import date

    assert site.locator("#certificate-date").inner_text() == f"Completed on {date.today().day} " \
        f"{date.today().strftime('%B')} {date.today().year}"
    go_to(site, base + "index.html")  # the home button now leads to the certificate
    start = site.locator("#start-course")
    assert start.inner_text() == "See your certificate" and start.get_attribute("href") == "summary.html#certificate-title"
    watch.assert_clean()


def test_scorm_manifests_carry_no_mastery_score_under_every_quiz_passed() -> None:
    """A mastery score would let an LMS judge by the course score, against the course's rule."""
    course = load(COURSE)
    for version in ("1.2", "2004"):
        manifest = scorm.build_package(course, "en", None, version)["imsmanifest.xml"]
        assert b"masteryscore" not in manifest and b"minNormalizedMeasure" not in manifest
    assert b"masteryScore" not in cmi5.build_package(course, "en", None)["cmi5.xml"]
    scored = course.model_copy(update={"passing": "course-score"})
    assert b"<adlcp:masteryscore>70<" in scorm.build_package(scored, "en", None, "1.2")["imsmanifest.xml"]
    assert b'masteryScore="0.7"' in cmi5.build_package(scored, "en", None)["cmi5.xml"]


# --- cmi5 ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cmi5_lms(tmp_path_factory):
    from tests.targets.test_cmi5 import Lms

    root = tmp_path_factory.mktemp("passing-cmi5")
    for name, data in cmi5.build_package(load(COURSE), "en", None).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    with Lms(root) as server:
        yield server


def test_cmi5_and_the_certificate_say_not_passed_until_every_quiz_is_passed(cmi5_lms, context) -> None:
    from tests.targets.test_cmi5 import _site, _verbs, _wait_for

    lms = cmi5_lms
    registration, session = str(uuid.uuid4()), str(uuid.uuid4())
    page = context.new_page()
    page.goto(lms.launch_url(registration, session, mastery=None))
    site = _site(page)
    base = lms.url + "pkg/"
    five_passed_one_failed(site, base)
    statements = _wait_for(lms, session, "completed")
    assert "passed" not in _verbs(statements)
    assert not certificate_shown(site, base)

    pass_the_last(site, base)
    statements = _wait_for(lms, session, "passed")
    passed = [s for s in statements if s["verb"]["id"].endswith("/passed")]
    assert len(passed) == 1 and passed[0]["result"]["success"] is True
    assert certificate_shown(site, base)
    page.close(run_before_unload=True)
    statements = _wait_for(lms, session, "terminated")
    assert "failed" not in _verbs(statements)  # passed in the same session: no failed as well
    assert lms.rejected == []
