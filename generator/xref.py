"""Cross-references between lessons, by id, in course text.

An author writes a markdown link whose address is ``lesson:<id>`` (or ``lesson:<id>#<section id>``)::

    As [](lesson:activity) showed, …          →  As Module 4: The activity showed, …
    See [](lesson:activity#forums).           →  See Module 4: The activity, “Forums”.
    See [the activity phase](lesson:activity) →  See the activity phase (a link on the site)

With empty link text the reference says the lesson's number and title, as the build numbers and
names them — the number counts the lessons of the audience the material is for, so a reference
never says "module 5" for the module a reader sees as number 6. With words of its own the link
keeps them. The site makes it a link to the lesson (or its section); decks, the facilitator guide
and the printed material show the words. A lesson left out for this audience is named by its
title alone, without a number or link. ``modgen validate`` reports an id that names no lesson or
section at the text's line.

Quiz texts are plain text in every export (QTI, Moodle, GIFT): they take no cross-references.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # pragma: no cover
    from generator.model import Course, Lesson

#: ``[words](lesson:id)`` or ``[words](lesson:id#section)``; the words may be empty.
XREF = re.compile(r"\[([^\[\]]*)\]\(lesson:([a-z0-9][a-z0-9_.-]*)(?:#([a-z0-9][a-z0-9_.-]*))?\)")


#: Where a reference leads on a page: (lesson, section id or None) → a relative address.
Href = Callable[["Lesson", "str | None"], str]


def targets(text: str) -> list[tuple[str, str | None]]:
    """The (lesson id, section id) each reference in ``text`` names, in order."""
    if "lesson:" not in text:
        return []
    return [(m.group(2), m.group(3)) for m in XREF.finditer(text)]


def label(course: "Course", lang: str, lesson_id: str, section_id: str | None) -> str | None:
    """What a reference with empty words says: the lesson's number in ``course`` (narrowed to an
    audience) and its title; its section's title after it. None for an unknown id."""
    lesson = course.lesson(lesson_id)
    numbered = lesson is not None
    if lesson is None:
        lesson = course.whole.lesson(lesson_id)  # left out for this audience: its title only
        if lesson is None:
            return None
    from generator.i18n import core

    title = lesson.title.get(lang)
    section = next((s for s in lesson.sections if s.id == section_id), None) if section_id else None
    if numbered:
        n = course.lessons.index(lesson) + 1
        if section is not None:
            return core("xref_section", lang, n=n, title=title, section=section.title.get(lang))
        return core("xref_lesson", lang, n=n, title=title)
    if section is not None:
        return core("xref_unnumbered_section", lang, title=title, section=section.title.get(lang))
    return title


def plain(text: str, course: "Course", lang: str) -> str:
    """``text`` with every reference replaced by its words (no link): for plain-text places."""
    if "lesson:" not in text:
        return text
    return XREF.sub(lambda m: m.group(1).strip() or label(course, lang, m.group(2), m.group(3)) or m.group(0), text)


def markdown(text: str, course: "Course", lang: str, href: Href | None = None) -> str:
    """Markdown ``text`` with every reference made an ordinary markdown link to ``href(lesson,
    section)`` — or, without ``href`` (or for a lesson not in this build), its words alone."""
    if "lesson:" not in text:
        return text

    def one(m: re.Match) -> str:
        words = m.group(1).strip() or _escape(label(course, lang, m.group(2), m.group(3)) or "")
        if not words:
            return m.group(0)
        lesson = course.lesson(m.group(2))
        if href is None or lesson is None:
            return words
        return f"[{words}]({href(lesson, m.group(3))})"

    return XREF.sub(one, text)


def _escape(words: str) -> str:
    """Markdown's inline syntax in a title, written as text."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", words)


def problems(course: "Course") -> list:
    """A problem at each reference to a lesson or section the course does not have."""
    from generator.model import texts

    found = []
    for lesson in course.lessons:
        for owner, field, value in texts(lesson):
            for lang_text in value.root.values():
                for lesson_id, section_id in targets(lang_text):
                    target = course.lesson(lesson_id)
                    if target is None:
                        known = ", ".join(x.id for x in course.lessons)
                        found.append(owner.problem(f"cross-reference to unknown lesson '{lesson_id}'", field,
                                                   f"known: {known}" if len(course.lessons) <= 12 else None))
                    elif section_id and not any(s.id == section_id for s in target.sections):
                        known = ", ".join(s.id for s in target.sections)
                        found.append(owner.problem(
                            f"cross-reference to unknown section '{section_id}' of lesson '{lesson_id}'", field,
                            f"known: {known}" if known else None))
    for quiz in course.quizzes:
        for owner, field, value in texts(quiz):
            if any(targets(t) for t in value.root.values()):
                found.append(owner.problem(
                    "quiz texts take no cross-references (the LMS exports show plain text)", field,
                    "name the module in words"))
    return found
