"""The site target without a browser: layout, manifest, determinism, escaping, CSP, languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.targets.site import CSP, contrast, json_script, readable, safe_url
from tests.conftest import FIXTURES, run_modgen
from tests.targets.site_browser import build


def test_build_writes_one_site_per_language_and_audience(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_modgen("build", FIXTURES / "minimal", "-o", out, "--format", "site", check=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = [(a["lang"], a["audience"], a["path"], a["index"]) for a in manifest["artifacts"]]
    assert entries == [
        ("en", "enforcement", "site/en-enforcement", "site/en-enforcement/index.html"),
        ("en", "prevention", "site/en-prevention", "site/en-prevention/index.html"),
        ("nl", "enforcement", "site/nl-enforcement", "site/nl-enforcement/index.html"),
        ("nl", "prevention", "site/nl-prevention", "site/nl-prevention/index.html"),
    ]
    site = out / "site" / "en-enforcement"
    assert sorted(p.name for p in site.glob("*.html")) == [
        "index.html", "lesson-activity.html", "lesson-preparation.html", "notice-preparation.html",
        "quiz-activity.html", "quiz-preparation.html", "sources.html", "summary.html", "support.html"]
    assert sorted(p.name for p in (site / "assets").iterdir()) == ["icon.svg", "site.css", "site.js", "theme.css"]


def test_same_course_same_bytes(tmp_path: Path) -> None:
    a = build(FIXTURES / "minimal", tmp_path / "a")
    b = build(FIXTURES / "minimal", tmp_path / "b")
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_every_page_has_lang_csp_and_no_inline_script(tmp_path: Path) -> None:
    site = build(FIXTURES / "minimal", tmp_path / "nl", "nl", "prevention")
    for page in site.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="nl-NL">' in html, page.name
        assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html, page.name
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
            assert ("src=" in attributes and body == "") or 'type="application/json"' in attributes, page.name
        assert " style=" not in html and "<style" not in html, page.name
        assert not re.search(r"\son[a-z]+=", html), page.name
        assert "http://" not in html.replace("http://www.w3.org/2000/svg", ""), page.name


def test_audience_narrows_the_site(tmp_path: Path) -> None:
    enforcement = build(FIXTURES / "minimal", tmp_path / "e", "en", "enforcement")
    prevention = build(FIXTURES / "minimal", tmp_path / "p", "en", "prevention")
    e = (enforcement / "lesson-preparation.html").read_text(encoding="utf-8")
    p = (prevention / "lesson-preparation.html").read_text(encoding="utf-8")
    assert "The organisation" in e and "The organisation" not in p
    assert "Targeted patrols" in e and "Targeted patrols" not in p
    assert "Better lighting" in p and "Better lighting" not in e


def test_json_script_cannot_close_its_element() -> None:
    text = json_script({"stem": "</script><script>alert(1)</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(str(text)) == {"stem": "</script><script>alert(1)</script><!-- & \u2028"}


@pytest.mark.parametrize("url, kept", [
    ("https://example.org", True), ("mailto:a@example.org", True), ("javascript:alert(1)", False),
    ("JaVaScRiPt:alert(1)", False), ("data:text/html,x", False), ("//evil.example", False),
])
def test_safe_url(url: str, kept: bool) -> None:
    assert (safe_url(url) == url) is kept


def test_brand_colours_are_darkened_to_aa() -> None:
    assert readable("#1F3A5F") == "#1F3A5F"
    light = readable("#FFCC00")
    assert contrast(light, "#F6F7F9") >= 4.5 and contrast(light, "#FFFFFF") >= 4.5


def test_ui_strings_in_both_languages() -> None:
    from generator.targets.site import ui

    assert ui.missing() == []


def test_lesson_contents_link_to_its_parts(tmp_path: Path) -> None:
    site = build(FIXTURES / "minimal", tmp_path / "site")
    html = (site / "lesson-preparation.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<li><a href="#([^"]+)">', html)
    assert anchors == ["objectives", "section-individual", "section-organisation", "facts", "interventions",
                       "vignettes", "reflection", "takeaways", "quiz-cta", "support"]
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor


def test_page_json_is_the_json_of_the_page_data(minimal_course) -> None:
    # Pages join pre-serialised parts of their data; the result must be json_script's, character
    # for character, with text that needs escaping in the shared part and in the quiz.
    from generator.targets import made_now
    from generator.targets.site import _SiteWriter

    course = minimal_course.for_audience("enforcement")
    lesson = course.lessons[0]
    course.lessons[0] = lesson.model_copy(update={"title": lesson.title.model_copy(
        update={"root": {**lesson.title.root, "en": "</script> & \u2028 <!--"}})})
    writer = _SiteWriter(course, "en", "enforcement", (), made_now)
    quiz = {"id": "q", "questions": [{"stem": "a < b & c > d"}]}
    for page_lesson, quiz_data in ((None, None), (course.lessons[0], None), (course.lessons[1], quiz)):
        assert writer.page_json(page_lesson, quiz_data) == json_script(writer.page_data(page_lesson, quiz_data))
    assert "\\u003c/script\\u003e" in writer.page_json(None)


def test_the_logo_heads_every_page_and_travels_in_the_scorm_packages(course_copy, tmp_path: Path) -> None:
    import zipfile

    from generator.build import BuildRequest, build
    from tests.targets.test_deck_logo import with_logo

    course = course_copy("minimal")
    data = with_logo(course, (400, 120))
    out = tmp_path / "out"
    build(BuildRequest(course, out, formats=["site", "scorm12"], languages=["nl"], audiences=["prevention"]))
    site = out / "site" / "nl-prevention"
    assert (site / "assets" / "logo.png").read_bytes() == data
    for page in site.glob("*.html"):
        header = page.read_text(encoding="utf-8").split("</header>")[0]
        assert ('<img class="site-logo" src="assets/logo.png" alt="Politieacademie" width="400" height="120">'
                in header), page.name
    package = next((out / "scorm12").rglob("*.zip"))
    with zipfile.ZipFile(package) as z:
        assert z.read("assets/logo.png") == data
        assert 'href="assets/logo.png"' in z.read("imsmanifest.xml").decode()


def test_without_a_logo_the_site_has_no_image(minimal_course, tmp_path: Path) -> None:
    from generator.targets.site import site_files

    files = site_files(minimal_course, "en", None)
    assert not [name for name in files if "logo" in name]
    assert b"site-logo" not in files["index.html"]
