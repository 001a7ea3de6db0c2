"""What only a learner reads, and what only a trainer reads.

- Check items (``scored: false``): asked inline on the lesson page, never part of the quiz — not
  its score, not the site's quiz page, not QTI, Moodle XML, GIFT, SCORM or cmi5, not the paper quiz.
- ``reflection`` on discussion prompts and cases: the site shows it and never the trainer's
  ``guidance`` or ``debrief``; the facilitator guide shows the trainer's text and not the learner's.
- Support entries for the learners' own wellbeing come first on the support page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.loader.load import load_course
from tests.conftest import FIXTURES, run_modgen

CHECK_ITEM = """
  - id: prep-check
    type: single
    scored: false
    check: individual
    objective: prep-explain
    source: example-study
    stem: {nl: Welke plek trekt dieven het meest aan?, en: Which place draws thieves the most?}
    options:
      - id: busy
        correct: true
        text: {nl: Een drukke stalling zonder toezicht, en: A busy rack nobody watches}
        feedback: {nl: Ja., en: Yes.}
      - id: quiet
        text: {nl: Een afgesloten schuur, en: A locked shed}
        feedback: {nl: Nee., en: No.}
    explanation: {nl: Veel fietsen en weinig toezicht., en: Many bicycles and little oversight.}
"""

REFLECTION_PROMPT = {"nl": "Denk aan je eigen wijk: waar staan fietsen onbewaakt?",
                     "en": "Think of your own area: where do bicycles stand unwatched?"}
REFLECTION_CASE = {"nl": "Let op wat de eigenaar zelf had kunnen doen.",
                   "en": "Notice what the owner could have done."}


@pytest.fixture
def course_dir(course_copy) -> Path:
    """The minimal course with a check item, learner text on its prompt and case, and a support
    entry for the learner's wellbeing listed last in course.yaml."""
    root = course_copy("minimal")
    quiz = root / "quizzes" / "01-preparation.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8") + CHECK_ITEM, encoding="utf-8")
    module = root / "modules" / "01-preparation.yaml"
    text = module.read_text(encoding="utf-8")
    text = re.sub(r"(\n    guidance:)", "\n    reflection: {nl: \"%s\", en: \"%s\"}\\1" % (
        REFLECTION_PROMPT["nl"], REFLECTION_PROMPT["en"]), text, count=1)
    text = re.sub(r"(\n    debrief:)", "\n    reflection: {nl: \"%s\", en: \"%s\"}\\1" % (
        REFLECTION_CASE["nl"], REFLECTION_CASE["en"]), text, count=1)
    module.write_text(text, encoding="utf-8")
    course = root / "course.yaml"
    course.write_text(course.read_text(encoding="utf-8").replace("pass_mark: 60", """  - id: counsellor
    wellbeing: true
    name: {nl: Vertrouwenspersoon, en: Confidential counsellor}
    description: {nl: Voor jezelf, en: For yourself}
pass_mark: 60"""), encoding="utf-8")
    return root


def test_the_changed_fixture_loads(course_dir: Path) -> None:
    result = run_modgen("validate", course_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    course = load_course(course_dir).course
    quiz = course.quizzes[0]
    assert [q.id for q in quiz.scored] == ["prep-q1", "prep-q2", "prep-q3", "prep-q4"]
    assert len(quiz.questions) == 5
    assert course.lessons[0].discussion[0].reflection is not None
    assert course.lessons[0].vignettes[0].reflection is not None


def test_a_quiz_of_check_items_only_is_a_problem(course_copy) -> None:
    root = course_copy("minimal")
    quiz = root / "quizzes" / "02-activity.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("    type: ordering\n", "    type: ordering\n    scored: false\n"),
                    encoding="utf-8")
    result = run_modgen("validate", root)
    assert result.returncode == 1
    assert re.search(r"quizzes/02-activity\.yaml:\d+:\d+: .*nothing to score", result.stdout + result.stderr)


def test_a_check_item_is_asked_on_the_lesson_page_and_nowhere_else(course_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_modgen("build", course_dir, "-o", out, "--lang", "en", "--audience", "enforcement",
                        "--format", "site,scorm12,scorm2004,cmi5,qti21,moodle-xml,gift,print-quiz,answer-key")
    assert result.returncode == 0, result.stdout + result.stderr
    stem = "Which place draws thieves the most?"
    site = next(out.glob("site/en-enforcement"))
    lesson = (site / "lesson-preparation.html").read_text(encoding="utf-8")
    assert 'data-check="prep-check"' in lesson and stem in lesson  # asked inline, after its section
    assert lesson.index('id="section-individual"') < lesson.index('data-check="prep-check"')
    quiz = (site / "quiz-preparation.html").read_text(encoding="utf-8")
    assert stem not in quiz and "prep-check" not in quiz
    assert "4 questions" in quiz  # the quiz's own four
    seen = []
    import zipfile

    for path in sorted(p for p in out.rglob("*") if p.is_file() and "site" not in p.parts and ".cache" not in p.parts):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    data = z.read(name).decode("utf-8", "replace")
                    # The package's copy of the lesson page asks it inline: that is the lesson page.
                    if name == "lesson-preparation.html":
                        continue
                    if stem in data or "prep-check" in data:
                        seen.append(f"{path.name}:{name}")
        elif path.suffix in (".xml", ".txt", ".html", ".json", ".gift"):
            data = path.read_text(encoding="utf-8", errors="replace")
            if (stem in data or "prep-check" in data) and path.name != "manifest.json":
                seen.append(str(path.relative_to(out)))
    assert seen == []


def test_learner_text_on_the_site_and_trainer_text_in_the_guide(course_dir: Path, tmp_path: Path) -> None:
    course = load_course(course_dir).course
    lesson = course.lessons[0]
    guidance = lesson.discussion[0].guidance.get("en")
    debrief = lesson.vignettes[0].debrief.get("en")
    out = tmp_path / "out"
    result = run_modgen("build", course_dir, "-o", out, "--lang", "en", "--audience", "enforcement",
                        "--format", "site,facilitator-guide")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (out / "site" / "en-enforcement" / "lesson-preparation.html").read_text(encoding="utf-8")
    assert REFLECTION_PROMPT["en"] in page and REFLECTION_CASE["en"] in page
    assert _words(guidance) not in _words(page) and _words(debrief) not in _words(page)
    guide = "".join(p.read_text(encoding="utf-8") for p in (out / "facilitator-guide").rglob("*.html"))
    assert _words(guidance) in _words(guide) and _words(debrief) in _words(guide)
    assert REFLECTION_PROMPT["en"] not in guide and REFLECTION_CASE["en"] not in guide


def test_support_for_the_learner_comes_first(course_dir: Path, tmp_path: Path) -> None:
    from generator.targets.site import site_files

    course = load_course(course_dir).course.for_audience("enforcement")
    files = site_files(course, "en", "enforcement")
    support = files["support.html"].decode()
    assert support.index("Confidential counsellor") < support.index("Service desk")
    lesson = files["lesson-preparation.html"].decode()
    if "Service desk" in lesson:  # the support list at the end of a sensitive lesson: the same order
        assert lesson.index("Confidential counsellor") < lesson.index("Service desk")


def _words(html: str) -> str:
    """Text without markup, spaces collapsed: a sentence found whatever the HTML around it."""
    import html as html_lib

    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()
