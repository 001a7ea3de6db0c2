"""Cross-references by id (``[](lesson:id)``, ``[](lesson:id#section)``): the number and title the
reader sees in each output, per audience; links on the site; problems at the line; rebuilt when the
title they quote changes."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from generator.loader.load import load_course
from generator.xref import label, markdown, plain
from tests.conftest import run_modgen

INTRO = """id: intro
title: {nl: Inleiding, en: Introduction}
duration: 5
audiences: [prevention]
sections:
  - id: hello
    title: {nl: Welkom, en: Welcome}
    body: {nl: Welkom., en: Welcome.}
"""

REFERENCE = ("See [](lesson:activity) and [](lesson:activity#steps); "
             "or [the theft itself](lesson:activity).")


@pytest.fixture
def course_dir(course_copy) -> Path:
    """The minimal course with a first lesson for the prevention audience only (so the activity is
    module 2 for enforcement and module 3 for prevention) and references to the activity lesson."""
    root = course_copy("minimal")
    (root / "modules" / "00-intro.yaml").write_text(INTRO, encoding="utf-8")
    module = root / "modules" / "01-preparation.yaml"
    text = module.read_text(encoding="utf-8")
    text = text.replace("        - shopping centres\n", f"        - shopping centres\n\n        {REFERENCE}\n", 1)
    module.write_text(text, encoding="utf-8")
    return root


def test_words_and_numbers_follow_the_audience(course_dir: Path) -> None:
    course = load_course(course_dir).course
    enforcement, prevention = course.for_audience("enforcement"), course.for_audience("prevention")
    assert label(enforcement, "en", "activity", None) == "Module 2: The theft"
    assert label(prevention, "en", "activity", None) == "Module 3: The theft"
    assert label(prevention, "nl", "activity", "steps") == "Module 3: De diefstal, ‘De stappen’"
    # A lesson this audience does not see: its title, no number, no link.
    assert label(enforcement, "en", "intro", None) == "Introduction"
    assert markdown("[](lesson:intro)", enforcement, "en", lambda lesson, s: "x.html") == "Introduction"
    assert plain(REFERENCE, enforcement, "en") == (
        "See Module 2: The theft and Module 2: The theft, ‘The steps’; or the theft itself.")


def test_every_output_says_the_number_and_title(course_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_modgen("build", course_dir, "-o", out, "--lang", "en",
                        "--format", "site,facilitator-guide,pptx,scorm2004")
    assert result.returncode == 0, result.stdout + result.stderr
    for audience, n in (("enforcement", 2), ("prevention", 3)):
        page = (out / "site" / f"en-{audience}" / "lesson-preparation.html").read_text(encoding="utf-8")
        assert re.search(f'<a href="lesson-activity.html"[^>]*>Module {n}: The theft</a>', page)
        assert re.search(f'<a href="lesson-activity.html#section-steps"[^>]*>Module {n}: The theft, ‘The steps’</a>', page)
        assert re.search('<a href="lesson-activity.html"[^>]*>the theft itself</a>', page)
        guide = (out / "facilitator-guide" / f"en-{audience}" / "facilitator-guide.html").read_text(encoding="utf-8")
        assert f"Module {n}: The theft" in guide
        decks = sorted((out / "pptx" / f"en-{audience}").glob("*.pptx"))
        assert decks
        slides = "".join(_pptx_text(p) for p in decks)
        assert f"Module {n}: The theft" in slides
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*.html"))
    assert "lesson:activity" not in everything
    for package in out.rglob("*.zip"):
        with zipfile.ZipFile(package) as z:
            assert not any(b"lesson:activity" in z.read(n) for n in z.namelist() if n.endswith(".html"))


def test_an_unknown_id_is_reported_at_its_line(course_dir: Path) -> None:
    module = course_dir / "modules" / "01-preparation.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("lesson:activity#steps", "lesson:activity#stairs")
                      .replace("[](lesson:activity) and", "[](lesson:actvity) and"), encoding="utf-8")
    result = run_modgen("validate", course_dir)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert re.search(r"modules/01-preparation\.yaml:\d+:\d+: .*unknown lesson 'actvity'", output), output
    assert re.search(r"modules/01-preparation\.yaml:\d+:\d+: .*unknown section 'stairs' of lesson 'activity'", output)


def test_a_rebuild_after_the_title_changes_says_the_new_title(course_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("--lang", "en", "--audience", "enforcement", "--format", "site")
    assert run_modgen("build", course_dir, "-o", out, *args).returncode == 0
    module = course_dir / "modules" / "02-activity.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("en: The theft}", "en: Taking the bicycle}"),
                      encoding="utf-8")
    assert run_modgen("build", course_dir, "-o", out, *args).returncode == 0
    page = (out / "site" / "en-enforcement" / "lesson-preparation.html").read_text(encoding="utf-8")
    assert "Module 2: Taking the bicycle" in page and "Module 2: The theft" not in page


def _pptx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8")) for n in z.namelist()
                       if re.match(r"ppt/(slides|notesSlides)/\w+\.xml$", n))
