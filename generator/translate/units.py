"""Translatable texts as units: a stable id, the source, the current translation, and context.

A unit id is the text's path in the model with list positions replaced by the ids authors gave the
items (``lesson:pre-activity/sections/preact-where/body``), so it survives reordering and edits to
other texts; only lists without ids (takeaways, table cells, a vignette's questions) fall back to
their position. The generator's own words (``generator/i18n.py``) are not units: they are
translated with the generator.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.model import ANY_LANGUAGE, Course, Node, Text, texts
from generator.problems import Problem


@dataclass(frozen=True)
class Unit:
    """One text of the course, seen from one source language towards one target language."""

    id: str
    file: str  # the course file, relative to the course directory
    yaml_path: tuple  # from the file's top to the mapping {nl: …, en: …}
    source: str
    target: str  # "" when not translated yet
    owner: Node
    field: tuple
    title: str  # of the lesson or quiz it is in ("" in course.yaml)

    def problem(self, lang: str, message: str, hint: str | None = None) -> Problem:
        """A problem at this text's ``lang`` value (at the mapping, when that language is missing)."""
        return self.owner.problem(message, self.field + (lang,), hint)


def digest(source: str) -> str:
    """What ``translations.lock`` keeps of a source text: enough to tell that it changed."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def course_units(course: Course, source_lang: str, target_lang: str) -> list[Unit]:
    """Every translatable text of ``course`` in file order; texts with no ``source_lang`` text are
    left out. A plain text (not ``{en: …}``) is in the course's first language: it is a unit with
    that language as source (the import then writes it as ``{en: …, nl: …}``)."""
    first = course.languages[0]
    units: list[Unit] = []
    trees: list[tuple[str, Node]] = [("course", course)]
    trees += [(f"lesson:{lesson.id}", lesson) for lesson in course.lessons]
    trees += [(f"quiz:{quiz.id}", quiz) for quiz in course.quizzes]
    for prefix, tree in trees:
        for owner, field, text in texts(tree):
            root = text.root
            if ANY_LANGUAGE in root:
                if len(course.languages) < 2:
                    continue  # a one-language course: nothing to translate towards
                root = {first: root[ANY_LANGUAGE]}
            source = root.get(source_lang, "")
            if not source.strip():
                continue
            model_path = owner._loc + field
            steps = _id_steps(tree, model_path)
            unit_id = f"course:{'/'.join(steps)}" if prefix == "course" else f"{prefix}/{'/'.join(steps)}"
            title = _title(tree, source_lang) if prefix != "course" else ""
            units.append(Unit(unit_id, owner._source.path if owner._source else "course.yaml",
                              model_path, source, root.get(target_lang, ""), owner, field, title))
    return units


@dataclass(frozen=True)
class Context:
    """What a translator is told about a unit."""

    note: str  # what the text is and where it appears
    max_length: int | None  # characters that show, where the output cuts a text off
    markdown: bool  # ** and [..](..) are markup


def context(course: Course, unit: Unit) -> Context:
    kind, where, markdown = _context(unit.owner, unit.field)
    max_length = _max_length(course, unit.owner, unit.field)
    note = f"{kind} — {where}"
    if unit.title:
        note += f" (in “{unit.title}”)"
    if max_length:
        note += f"; at most {max_length} characters show"
    return Context(note, max_length, markdown)


def _id_steps(tree: Any, path: tuple) -> list[str]:
    """``("sections", 0, "body")`` → ``["sections", "preact-where", "body"]``."""
    steps: list[str] = []
    current = tree
    for step in path:
        if isinstance(step, int):
            current = current[step]
            name = getattr(current, "id", None) or getattr(current, "key", None)
            steps.append(str(name) if isinstance(name, str) else str(step))
        elif isinstance(current, BaseModel) and not isinstance(current, Text):
            current = getattr(current, step)
            steps.append(step)
        else:  # pragma: no cover - texts are reached through model fields and list positions only
            steps.append(str(step))
    return steps


def _title(tree: Node, lang: str) -> str:
    title = getattr(tree, "title", None)
    return title.get(lang) if isinstance(title, Text) else ""


# What a field is and where the reader meets it, by the model class that holds it. Said to the
# translator in each unit's note; the markdown flag tells them that ** and [..](..) are markup.
_WHERE = {
    ("CourseFile", "title"): ("course title", "title slide, site home page, SCORM and LMS package titles", False),
    ("CourseFile", "subtitle"): ("course subtitle", "title slide, site home page", False),
    ("CourseFile", "description"): ("course description", "site home page, package metadata", False),
    ("CourseFile", "self_study_notice"): ("content notice for one learner on their own", "self-study site", True),
    ("CourseFile", "content_notice"): ("content notice", "notice slide and page before each sensitive module",
                                       False),
    ("Audience", "name"): ("audience name", "site audience choice, facilitator guide", False),
    ("Audience", "description"): ("audience description", "facilitator guide", False),
    ("Phase", "name"): ("crime-script phase name", "crime-script diagram on slides and the site", False),
    ("Phase", "description"): ("phase description", "crime-script overview", False),
    ("Figure", "alt"): ("text alternative of a picture or chart: what it shows, for readers who cannot see it",
                        "alt text on the site, in the guide and the decks (read by screen readers)", True),
    ("Figure", "caption"): ("figure caption", "the line under a picture or chart on slides, the site and the guide",
                            False),
    ("Figure", "credit"): ("maker and licence of a picture", "under the picture on slides, the site and the guide",
                           False),
    ("Chart", "categories"): ("chart category label", "along the chart's axis and in its data table", False),
    ("Chart", "axis"): ("what a chart's numbers count", "the chart's value axis and data table", False),
    ("ChartSeries", "name"): ("chart series name", "the chart's legend and data table", False),
    ("PhaseView", "text"): ("a phase seen from one perspective, in about five words",
                            "a cell of the crime-script figure on slides and the site", True),
    ("Perspective", "name"): ("perspective name", "section labels on slides and the site", False),
    ("Actor", "name"): ("actor name", "intervention-point slides and pages", False),
    ("Source", "citation"): ("full citation", "sources slide and page", False),
    ("Source", "short"): ("short citation", "slide footers", False),
    ("SupportResource", "name"): ("support resource name", "support slide and page", False),
    ("SupportResource", "description"): ("support resource description", "support slide and page", False),
    ("Branding", "organisation"): ("organisation name", "slide footers, site footer", False),
    ("Session", "notes"): ("trainer's notes on the day", "speaker notes of the agenda slide, facilitator guide", True),
    ("SessionBreak", "title"): ("break title", "session plan, facilitator guide", False),
    ("SessionBreak", "notes"): ("what the trainer says announcing the break", "facilitator guide", True),
    ("SlideNotes", "objectives"): ("speaker notes", "notes of the module's objectives slide", True),
    ("SlideNotes", "agenda"): ("speaker notes", "notes of the module's agenda slide", True),
    ("SlideNotes", "summary"): ("speaker notes", "notes of the module's summary slide", True),
    ("SlideNotes", "sources"): ("speaker notes", "notes of the module's sources slide", True),
    ("Lesson", "title"): ("module title", "module title slide, site page heading, package item title", False),
    ("Lesson", "summary"): ("module summary", "site page introduction, facilitator guide", False),
    ("Objective", "text"): ("learning objective", "objectives slide, site page", False),
    ("Section", "title"): ("section title", "slide title, site page heading", False),
    ("Section", "body"): ("section text (markdown)", "slide body, site page", True),
    ("Section", "slide"): ("slide points (markdown): a few short phrases or one statement",
                           "the section's slide (the body goes to the speaker notes)", True),
    ("Section", "notes"): ("facilitator notes", "speaker notes, facilitator guide", True),
    ("KeyFact", "text"): ("key fact", "key-facts slide, site page", True),
    ("KeyFact", "figure"): ("key figure (a number of the fact's text)", "key-figure slide", False),
    ("Table", "caption"): ("table caption", "table slide title, site table caption", False),
    ("Table", "columns"): ("table column heading", "table slide, site table", False),
    ("Table", "rows"): ("table cell", "table slide, site table", False),
    ("Table", "note"): ("table note", "under the table on the slide and the site", True),
    ("InterventionPoint", "text"): ("intervention point", "interventions slide, site page", True),
    ("InterventionPoint", "label"): ("intervention point label (a few words)", "interventions slide, intervention matrix",
                                     False),
    ("DiscussionPrompt", "prompt"): ("discussion question", "discussion slide, facilitator guide", False),
    ("DiscussionPrompt", "guidance"): ("discussion guidance for the facilitator", "speaker notes, facilitator guide",
                                       True),
    ("DiscussionPrompt", "reflection"): ("points for a learner on their own to think over (markdown)",
                                         "self-study site", True),
    ("Vignette", "reflection"): ("what a learner on their own takes from the case (markdown)", "self-study site",
                                 True),
    ("Scale", "statement"): ("statement the room rates on a scale", "classroom session", False),
    ("Scale", "low"): ("the scale's lowest point, e.g. 'not at all'", "classroom session", False),
    ("Scale", "high"): ("the scale's highest point, e.g. 'completely'", "classroom session", False),
    ("Vignette", "title"): ("case title", "case slide title, site page", False),
    ("Vignette", "text"): ("case text (markdown)", "case slide, site page", True),
    ("Vignette", "questions"): ("case question", "case slide, site page", False),
    ("Vignette", "task"): ("what each group produces in the case", "case slide, scenario cards", False),
    ("Vignette", "debrief"): ("case debrief for the facilitator", "speaker notes, facilitator guide", True),
    ("Lesson", "takeaways"): ("takeaway", "summary slide, site page", True),
    ("Quiz", "title"): ("quiz title", "site quiz heading, LMS quiz name", False),
    ("QuestionBase", "stem"): ("question", "self-check quiz on the site, SCORM, QTI, Moodle, GIFT, paper quiz", True),
    ("QuestionBase", "room"): ("question, short version for the room", "question slide, classroom", True),
    ("QuestionBase", "explanation"): ("answer explanation", "quiz feedback, answer key", True),
    ("TrueFalse", "feedback_true"): ("feedback for the answer 'true'", "quiz feedback", True),
    ("TrueFalse", "feedback_false"): ("feedback for the answer 'false'", "quiz feedback", True),
    ("Option", "text"): ("answer option", "quiz", False),
    ("Option", "room"): ("answer option, short version for the room", "question slide, classroom", False),
    ("Option", "feedback"): ("feedback on this option", "quiz feedback", True),
    ("Pair", "premise"): ("matching premise", "quiz", False),
    ("Pair", "response"): ("matching response", "quiz", False),
    ("Pair", "room_premise"): ("matching premise, short version for the room", "question slide, classroom", False),
    ("Pair", "room_response"): ("matching response, short version for the room", "question slide, classroom",
                                False),
    ("Pair", "feedback"): ("feedback on this pair", "quiz feedback", True),
    ("OrderItem", "text"): ("ordering item", "quiz", False),
    ("OrderItem", "room"): ("ordering item, short version for the room", "question slide, classroom", False),
    ("OrderItem", "feedback"): ("feedback on this item", "quiz feedback", True),
}


def _context(owner: Node, field: tuple) -> tuple[str, str, bool]:
    name = field[0]
    for cls in type(owner).__mro__:
        found = _WHERE.get((cls.__name__, name))
        if found:
            return found
    return str(name), "course material", True


def _max_length(course: Course, owner: Node, field: tuple) -> int | None:
    if type(owner).__name__ == "Phase" and field == ("name",):
        from generator.targets.site.crime_script import name_capacity

        return name_capacity(len(course.phases))
    return None

