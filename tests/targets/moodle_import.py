"""Moodle's own import code on our exports: ``../shared/moodle-import`` runs Moodle 4.5.6's
``qformat_xml`` / ``qformat_gift`` and the question types' save hooks on a file and prints, as JSON,
what Moodle stores (its README). Here: running it, and comparing what Moodle stored with what the
course means, question by question, read from the model (``tests.targets.bank.expected``), not
through the exporters' shared flattening."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path

from lxml import html as lxml_html

from generator.model import Course
from generator.targets import quizbank
from tests.conftest import SHARED, need
from tests.targets.bank import expected, norm

HARNESS = SHARED / "moodle-import" / "import.php"

#: Moodle's qtype for each kind of question (ordering: as our Moodle XML writes it by default).
QTYPES = {"single": "multichoice", "multiple": "multichoice", "true-false": "truefalse", "matching": "match",
          "ordering": "ordering"}


def need_moodle() -> None:
    need(shutil.which("php") is not None, "php not installed (apt-get install php-cli php-xml php-mbstring)")
    need(HARNESS.exists(), f"{HARNESS} missing (../shared/moodle-import is laid beside the checkout in CI)")


def moodle(*runs: tuple[str, Path], save: bool = True, profile: str | None = None,
           stop_on_error: bool = True) -> dict:
    """What Moodle makes of importing ``runs`` ((format, file), …) one after the other into one
    course: the harness's JSON document."""
    args = ["php", str(HARNESS)]
    for n, (fmt, path) in enumerate(runs):
        args += (["--then"] if n else []) + [fmt, str(path)]
    args += (["--save"] if save else []) + (["--moodle", profile] if profile else [])
    args += [] if stop_on_error else ["--no-stop-on-error"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def text(source: str | None) -> str:
    """What a reader sees of an HTML text."""
    if not source:
        return ""
    return norm(lxml_html.fragment_fromstring(source, create_parent="div").text_content())


def general_feedback(source: str) -> tuple[str, dict[str, str]]:
    """The explanation (the first paragraph) and the parts' feedback listed after it (name → feedback)."""
    root = lxml_html.fragment_fromstring(source, create_parent="div")
    first = root.find("p")
    parts = {}
    for item in root.iter("li"):
        name = norm(item.find("strong").text_content())
        parts[name] = norm(item.text_content())[len(name) + 1:].strip()
    return (norm(first.text_content()) if first is not None else ""), parts


def module_questions(course: Course, lang: str):
    """(category names, [questions]) per module the exports hold, in lesson order: the scored
    questions of each lesson's quiz (check-only ones, ``scored: false``, stay out of the banks)."""
    for lesson in course.lessons:
        quiz = course.quiz_for(lesson)
        if quiz is None:
            continue
        questions = [q for q in quiz.questions if getattr(q, "scored", True)]
        if questions:
            yield norm((quiz.title or lesson.title).get(lang)), questions


def stored_shape(q: dict, parts: dict[str, str], kind: str) -> dict:
    """A stored question in the shape of ``tests.targets.bank.expected``."""
    explanation, _ = general_feedback(q["generalfeedback"])
    entry = {"kind": kind, "stem": text(q["questiontext"]), "explanation": explanation}
    if q["qtype"] == "multichoice":
        entry["answers"] = sorted((text(a["text"]), a["fraction"] > 0, text(a["feedback"])) for a in q["answers"])
    elif q["qtype"] == "truefalse":
        by_word = {a["text"]: a for a in q["answers"]}
        entry.update(answer=by_word["True"]["fraction"] == 1.0, feedback_true=text(by_word["True"]["feedback"]),
                     feedback_false=text(by_word["False"]["feedback"]))
    elif kind == "matching":
        entry["pairs"] = sorted((text(s["text"]), norm(html.unescape(s["answer"])), parts.get(text(s["text"]), ""))
                                for s in q["subquestions"])
    elif q["qtype"] == "ordering":
        entry["steps"] = [(text(a["text"]), parts.get(text(a["text"]), "")) for a in q["answers"]]
    else:  # an ordering question written as matching: each step matched to its position's name
        by_position = sorted(q["subquestions"], key=lambda s: int(s["answer"].rsplit(" ", 1)[1]))
        entry["steps"] = [(text(s["text"]), parts.get(text(s["text"]), "")) for s in by_position]
    return entry


def fractions(question) -> list[float]:
    """The grade of each option of a choice question, as the course means it: single choice 1 for
    the right one; multiple response: the right ones share +1, the wrong ones -1."""
    if question.kind == "single":
        return [1.0 if o.correct else 0.0 for o in question.options]
    right = sum(o.correct for o in question.options)
    wrong = len(question.options) - right
    return [1 / right if o.correct else -1 / wrong for o in question.options]


def differences(stored: list[dict], course: Course, lang: str, audience: str | None, *, fmt: str,
                ordering: str = "ordering") -> list[str]:
    """Where what Moodle stored (``save.questions`` of a first import into an empty course) differs
    from the course (narrowed to ``audience``) in ``lang``: one line per difference, naming the
    question. ``ordering``: how the export writes ordering questions (``moodle.ordering``)."""
    found: list[str] = []
    meant = expected(course, lang)
    by_id = {quizbank.stable_id(course.id, lang, q.id): q for q in course.quizzes for q in q.questions}
    course_title = norm(course.title.get(lang))
    audience_names = [norm(a.name.get(lang)) for a in course.audiences if a.id == audience]
    order: list[str] = []
    category_of: dict[str, list[str]] = {}
    for title, questions in module_questions(course, lang):
        for q in questions:
            order.append(quizbank.stable_id(course.id, lang, q.id))
            category_of[order[-1]] = ["top", course_title, *audience_names, title]
    stored_order = [q["idnumber"] for q in stored]
    if stored_order != order:
        found.append(f"Moodle stored the questions {stored_order}, the course has {order}")
    as_matching = fmt == "gift" or ordering == "matching"
    for q in stored:
        question = by_id.get(q["idnumber"])
        if question is None:
            continue
        name = q["idnumber"]

        def differ(what: str, got, want) -> None:
            if got != want:
                found.append(f"{name}: {what}: Moodle stored {got!r}, the course means {want!r}")

        qtype = "match" if question.kind == "ordering" and as_matching else QTYPES[question.kind]
        differ("qtype", q["qtype"], qtype)
        if q["qtype"] != qtype:
            continue
        differ("category", [html.unescape(c) for c in q["category"]], category_of[name])
        stem = norm(question.stem.get(lang))
        shown = html.unescape(q["name"])
        if not (shown == stem or (shown.endswith("…") and stem.startswith(shown[:-1]) and len(shown) <= 61)):
            found.append(f"{name}: name: Moodle stored {shown!r}, not the question's stem or its start")
        _, parts = general_feedback(q["generalfeedback"])
        differ("texts and feedback", stored_shape(q, parts, question.kind), meant[question.id])
        if question.kind in ("matching", "ordering"):
            named = ([(p.premise, p.feedback) for p in question.pairs] if question.kind == "matching"
                     else [(i.text, i.feedback) for i in question.items])
            differ("feedback per part in the general feedback", parts,
                   {norm(n.get(lang)): norm(f.get(lang)) for n, f in named if f is not None})
        if question.kind in ("single", "multiple"):
            got = {text(a["text"]): a["fraction"] for a in q["answers"]}
            for option, fraction in zip(question.options, fractions(question)):
                value = got.get(norm(option.text.get(lang)))
                if value is None or abs(value - fraction) > 1e-6:
                    found.append(f"{name}: fraction of {norm(option.text.get(lang))!r}: Moodle stored {value}, "
                                 f"the course means {fraction:.7f}")
        differ("penalty", q["penalty"], 1.0 if question.kind == "true-false" else 0.3333333)
        differ("default mark", q["defaultmark"], 1.0)
        if fmt == "xml" and (question.kind in ("multiple", "matching", "ordering")):
            options = next(iter(q["options"].values()))
            differ("shows the number of right responses", options.get("shownumcorrect"), 1)
    return found


def first_import(document: dict) -> dict:
    """The one run of ``document``, checked to have imported cleanly; its ``save`` part."""
    (run,) = document["runs"]
    problems = [m for m in run["parse"]["messages"] + run["save"]["messages"] if m["kind"] in ("error", "php", "debugging")]
    assert run["parse"]["importerrors"] == 0 and problems == [], problems
    assert run["save"]["result"] is True and run["save"]["exception"] is None, run["save"]
    assert run["parse"]["invalid_grades"] == [] and run["parse"]["unsupported_qtypes"] == []
    return run["save"]
