"""The release notes a trainer reads: what changed since a version, module by module, in every
language of the course (Markdown).

Written from a :class:`~generator.governance.diff.CourseDiff`: each language's section holds the
changes to texts in that language and the changes every language shares (a new question, a
correct answer, a review date); it names things by their titles and texts, not by their ids.
"""

from __future__ import annotations

import datetime
from typing import Any

from generator.governance.diff import Change, CourseDiff, Step
from generator.i18n import Catalog, format_date, language_name
from generator.model import Course, Node, Text

text = Catalog("changelog")


def changelog(diff: CourseDiff, since: str) -> str:
    """The release notes section for ``diff`` (from ``since`` to now), in every course language."""
    new = diff.new
    if diff.old.version != new.version:
        title = {lang: text("title", lang, old=diff.old.version, new=new.version) for lang in diff.languages}
    else:
        title = {lang: text("title_same", lang, since=since, new=new.version) for lang in diff.languages}
    out: list[str] = []
    for lang in new.languages:
        out += [f"## {title[lang]}", "", f"### {language_name(lang)}", ""]
        sections = _sections(diff, lang)
        if not sections:
            out += [text("none", lang), ""]
            continue
        for heading, lines in sections:
            out += [f"**{heading}**", ""] + [f"- {line}" for line in lines] + [""]
        decks = sorted({d.file for d in diff.decks if d.lang == lang and (d.changed or d.added)})  # not the gone
        if decks:
            out += [text("decks", lang, decks=", ".join(f"`{d}`" for d in decks)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _sections(diff: CourseDiff, lang: str) -> list[tuple[str, list[str]]]:
    mine = [c for c in diff.changes if c.lang in (None, lang) and c.field != "version"]
    order: list[str | None] = []
    for change in mine:
        if change.lesson not in order:
            order.append(change.lesson)
    sections = []
    for lesson_id in order:
        changes = [c for c in mine if c.lesson == lesson_id]
        lines = _lines(diff, changes, lang)
        if lines:
            sections.append((_heading(diff, lesson_id, lang), lines))
    return sections


def _heading(diff: CourseDiff, lesson_id: str | None, lang: str) -> str:
    if lesson_id is None:
        return text("course", lang)
    ids = [lesson.id for lesson in diff.new.lessons]
    if lesson_id in ids:
        lesson = diff.new.lessons[ids.index(lesson_id)]
        return text("module", lang, n=ids.index(lesson_id) + 1, title=lesson.title.get(lang))
    old = diff.old.lesson(lesson_id)
    return text("module_removed", lang, title=old.title.get(lang) if old else lesson_id)


def _lines(diff: CourseDiff, changes: list[Change], lang: str) -> list[str]:
    lines: list[str] = []
    review_done = False
    for change in changes:
        if (change.field or "").startswith("review.") or (change.field == "review"):
            if not review_done:
                lines += _review_lines(diff, change, lang)
                review_done = True
            continue
        line = _line(diff, change, lang)
        if line and line not in lines:
            lines.append(line)
    return lines


def _review_lines(diff: CourseDiff, change: Change, lang: str) -> list[str]:
    node = find(diff.new, change.path) if change.path else diff.new
    review = getattr(node, "review", None)
    if review is None:
        return [text("review_changed", lang)]
    lines = []
    if review.reviewed and review.next_review:
        lines.append(text("reviewed", lang, reviewed=format_date(review.reviewed, lang),
                          next=format_date(review.next_review, lang)))
    elif review.reviewed:
        lines.append(text("reviewed_only", lang, reviewed=format_date(review.reviewed, lang)))
    else:
        lines.append(text("review_changed", lang))
    if review.status == "approved" and review.approved_by:
        lines.append(text("approved", lang, who=review.approved_by))
    return lines


def _line(diff: CourseDiff, change: Change, lang: str) -> str | None:
    steps = change.path[1:] if change.path and change.path[0].kind in ("lesson", "quiz") else change.path
    if not steps and change.path and change.field is None:
        # A whole lesson added or removed: its heading names it. Its quiz goes with it.
        if change.path[0].kind == "lesson":
            return text("lesson_added" if change.change == "added" else "lesson_removed", lang)
        return None
    kind_step = steps[-1] if steps else (change.path[-1] if change.path else None)
    kind = _kind(kind_step.kind, lang) if kind_step else ""
    context = _question_context(diff, change, lang)
    if change.field is None:  # added or removed as a whole
        value = change.new if change.change == "added" else change.old
        return text(change.change, lang, kind=kind, text=_short(value, lang)) + context
    part = _part(change.field, lang)
    node_course = diff.new if change.change != "removed" else diff.old
    node = find(node_course, change.path) if change.path else node_course
    name = _name(node, lang) if node is not None else ""
    if change.lang is None:
        old, new = _value(change.old, change.field, lang), _value(change.new, change.field, lang)
        if not steps:
            return text("changed_own", lang, part=part, old=old, new=new)
        return text("changed_value", lang, part=part, kind=kind, name=name, old=old, new=new) + context
    value = change.new if change.new is not None else ""
    main = _main_field(node)
    if change.field == main and steps:
        return text("changed_text", lang, kind=kind, text=_short(value, lang)) + context
    if not steps:
        return text("changed_own", lang, part=part, old=_short(change.old, lang), new=_short(value, lang))
    return text("changed_part", lang, part=part, kind=kind, name=name, text=_short(value, lang)) + context


def _question_context(diff: CourseDiff, change: Change, lang: str) -> str:
    """For an answer: which question it belongs to."""
    kinds = [s.kind for s in change.path]
    if "answer" not in kinds or "question" not in kinds:
        return ""
    course = diff.new if change.change != "removed" else diff.old
    question = find(course, change.path[:kinds.index("question") + 1])
    if question is None:
        return ""
    return text("in_question", lang, question=_short(question.stem.get(lang), lang))


def find(course: Course, path: tuple[Step, ...]) -> Any:
    """The model object ``path`` leads to in ``course``, or None."""
    if not path:
        return course
    first, rest = path[0], path[1:]
    pool = course.lessons if first.kind == "lesson" else course.quizzes if first.kind == "quiz" else None
    if pool is None:
        node: Any = course
        rest = path
    else:
        node = next((x for x in pool if x.id == first.id), None)
    for step in rest:
        if node is None:
            return None
        node = _child(node, step.id)
    return node


def _child(node: Node, key: str) -> Any:
    for name in type(node).model_fields:
        value = getattr(node, name)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, Node) and (getattr(item, "id", None) == key or getattr(item, "key", None) == key):
                    return item
    return None


def _name(node: Any, lang: str) -> str:
    field = _main_field(node)
    value = getattr(node, field, None) if field else None
    if isinstance(value, Text):
        return _short(value.get(lang), lang)
    return getattr(node, "id", "") or ""


def _main_field(node: Any) -> str | None:
    from generator.governance.diff import KINDS

    return KINDS.get(type(node), (None, None))[1]


def _kind(kind: str, lang: str) -> str:
    key = f"kind_{kind.replace(' ', '_')}"  # PO keys without spaces (XLIFF ids are NMTOKENs)
    return text(key, lang) if key in text else kind


def _part(field: str, lang: str) -> str:
    base = field.split("[")[0].removesuffix(" order").split(".")[-1]
    key = f"part_{base}"
    label = text(key, lang) if key in text else base
    if field.endswith(" order"):
        label = f"{text('part_order', lang)} ({label})"
    return label


def _value(value: str | None, field: str, lang: str) -> str:
    """A value that is not a text as a trainer reads it: right answers as true/false in the
    language, flags as yes/no, dates written out."""
    from generator.i18n import core

    if value in ("true", "false"):
        if field.split(".")[-1] in ("answer", "correct"):
            return core(value, lang).lower()
        return text("yes" if value == "true" else "no", lang)
    if value and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(datetime.date.fromisoformat(value), lang)
        except ValueError:
            pass
    return _short(value, lang)


def _short(value: str | None, lang: str, limit: int = 160) -> str:
    if value is None or value == "":
        return text("nothing", lang)
    if isinstance(value, datetime.date):
        return format_date(value, lang)
    one_line = " ".join(value.split())
    return one_line if len(one_line) <= limit else one_line[:limit - 1].rstrip() + "…"
