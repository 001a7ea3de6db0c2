"""What every quiz export must carry, read straight from the model (not through the exporters'
shared flattening), in a shape the round-trip tests parse each export back into.

Per question id: ``kind``, ``stem``, ``explanation`` and
- single / multiple: ``answers`` — sorted (text, correct, feedback) triples;
- true-false: ``answer`` (bool), ``feedback_true``, ``feedback_false``;
- matching: ``pairs`` — sorted (premise, response, feedback) triples;
- ordering: ``steps`` — (text, feedback) in the correct order.
Whitespace runs compare as one space: exports carry quiz texts on one line.
"""

from __future__ import annotations

from pathlib import Path

from generator.loader.load import load_course
from generator.model import Course
from tests.conftest import FIXTURES, ROOT


def norm(text: str) -> str:
    return " ".join(text.split())


def expected(course: Course, lang: str) -> dict[str, dict]:
    """Every question of ``course`` (already narrowed to an audience) in ``lang``."""
    t = lambda value: norm(value.get(lang))  # noqa: E731
    result = {}
    for quiz in course.quizzes:
        for q in quiz.scored:  # check items are the lesson page's, not the bank's
            entry = {"kind": q.kind, "stem": t(q.stem), "explanation": t(q.explanation)}
            if q.kind in ("single", "multiple"):
                entry["answers"] = sorted((t(o.text), o.correct, t(o.feedback)) for o in q.options)
            elif q.kind == "true-false":
                entry.update(answer=q.answer, feedback_true=t(q.feedback_true), feedback_false=t(q.feedback_false))
            elif q.kind == "matching":
                entry["pairs"] = sorted((t(p.premise), t(p.response), t(p.feedback)) for p in q.pairs)
            else:
                entry["steps"] = [(t(i.text), t(i.feedback)) for i in q.items]
            result[q.id] = entry
    return result


def category_path(course: Course, lang: str, audience: str | None, module_title: str) -> str:
    """The category Moodle XML and GIFT give a module: course title, audience, module title, each
    HTML-escaped (Moodle strips tags from category names), a '/' in a name doubled."""
    from html import escape

    names = [norm(course.title.get(lang)), *(norm(a.name.get(lang)) for a in course.audiences if a.id == audience),
             module_title]
    return "/".join(["$course$"] + [escape(n, quote=False).replace("/", "//") for n in names])


def courses() -> list[tuple[str, Path]]:
    """The fixture courses every export is checked on, plus the bundled course once it has quizzes."""
    found = [("minimal", FIXTURES / "minimal"), ("special", FIXTURES / "special")]
    if any((ROOT / "quizzes").glob("*.yaml")):
        found.append(("bundled", ROOT))
    return found


_LOADED: dict[Path, Course] = {}


def load(path: Path) -> Course:
    if path not in _LOADED:
        _LOADED[path] = load_course(path).course
    return _LOADED[path]


def views(path: Path) -> list[tuple[Course, str, str | None]]:
    """(course narrowed to an audience, lang, audience) for every language and audience."""
    course = load(path)
    audiences = [a.id for a in course.audiences] or [None]
    return [(course.for_audience(a), lang, a) for lang in course.languages for a in audiences]
