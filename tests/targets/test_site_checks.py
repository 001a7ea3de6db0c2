"""Inline knowledge checks (``check:`` on a quiz question): where a lesson page asks them, what the
page carries for them, and a located error for a check placed after a section that does not exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.loader.load import load_course
from generator.targets.site import inline_checks, site_files
from tests.conftest import ROOT, run_modgen


def _mark(course_dir: Path, marks: dict[str, str]) -> None:
    """Add ``check: VALUE`` to questions of the fixture's preparation quiz (by question id)."""
    path = course_dir / "quizzes" / "01-preparation.yaml"
    text = path.read_text(encoding="utf-8")
    for qid, value in marks.items():
        text = text.replace(f"  - id: {qid}\n", f"  - id: {qid}\n    check: {value}\n", 1)
    path.write_text(text, encoding="utf-8")


def _with_sections(course_dir: Path, n: int) -> None:
    """Give the fixture's preparation lesson ``n`` sections (copies of its first, renamed)."""
    import yaml

    path = course_dir / "modules" / "01-preparation.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = data["sections"][0]
    data["sections"] = [{**first, "id": f"s{i}"} for i in range(1, n + 1)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_checks_marked_true_spread_over_the_sections(course_copy) -> None:
    root = course_copy("minimal")
    _with_sections(root, 5)
    _mark(root, {"prep-q1": "true"})
    course = load_course(root).course
    lesson = course.lesson("preparation")
    placed = inline_checks(lesson, course.quiz_for(lesson))
    assert {at: [q.id for q in qs] for at, qs in placed.items()} == {"s2": ["prep-q1"]}

    _mark(root, {"prep-q3": "true"})
    course = load_course(root).course
    placed = inline_checks(lesson := course.lesson("preparation"), course.quiz_for(lesson))
    assert {at: [q.id for q in qs] for at, qs in placed.items()} == {"s1": ["prep-q1"], "s3": ["prep-q3"]}


def test_a_check_named_by_section_follows_that_section_on_the_page(course_copy) -> None:
    root = course_copy("minimal")
    _with_sections(root, 3)
    _mark(root, {"prep-q2": "s3", "prep-q4": "s1"})
    course = load_course(root).course
    lesson = course.lesson("preparation")
    placed = inline_checks(lesson, course.quiz_for(lesson))
    assert [(at, [q.id for q in qs]) for at, qs in placed.items()] == [("s1", ["prep-q4"]), ("s3", ["prep-q2"])]

    narrowed = course.for_audience("enforcement")
    page = site_files(narrowed, "en", "enforcement")["lesson-preparation.html"].decode()
    order = [m.group(1) or m.group(2) for m in re.finditer(r'id="section-(s\d)"|data-check="([\w-]+)"', page)]
    assert order == ["s1", "prep-q4", "s2", "s3", "prep-q2"]
    data = json.loads(re.search(r'<script type="application/json" id="modgen-data">(.*?)</script>', page, re.S).group(1))
    assert [q["id"] for q in data["checks"]] == ["prep-q4", "prep-q2"]
    assert data["checks"][1]["options"] and "quiz" not in data  # the question itself, not the quiz
    # the quiz keeps every question, checks included
    quiz_page = site_files(narrowed, "en", "enforcement")["quiz-preparation.html"].decode()
    assert quiz_page.count('"id":"prep-q2"') == 1


def test_a_lesson_without_checks_carries_no_check_data(course_copy) -> None:
    root = course_copy("minimal")
    course = load_course(root).course.for_audience("enforcement")
    page = site_files(course, "en", "enforcement")["lesson-preparation.html"].decode()
    assert "data-check=" not in page and '"checks"' not in page


def test_a_check_after_an_unknown_section_is_located(course_copy) -> None:
    root = course_copy("minimal")
    _mark(root, {"prep-q2": "nowhere"})
    result = run_modgen("validate", root)
    assert result.returncode == 1
    lines = (root / "quizzes" / "01-preparation.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.strip() == "check: nowhere")
    assert re.search(rf"quizzes/01-preparation\.yaml:{line}:\d+: unknown section of lesson 'preparation': 'nowhere'",
                     result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_the_bundled_course_asks_at_least_one_check_in_every_lesson() -> None:
    course = load_course(ROOT).course
    for lesson in course.lessons:
        placed = inline_checks(lesson, course.quiz_for(lesson))
        assert 1 <= sum(len(qs) for qs in placed.values()) <= 2, lesson.id
        assert "" not in placed  # between sections, not before them
