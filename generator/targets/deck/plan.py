"""What goes on the slides: lessons and quizzes → logical slides, independent of PowerPoint.

A logical slide may become several physical slides (continuations) when its text does not fit;
that is decided later, when the layout's boxes are known (``builder``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator import i18n, xref
from generator.i18n import Catalog, cell_text
from generator import session as timing
from generator.model import Course, Lesson, Matching, MultipleResponse, Ordering, Quiz, SessionBreak, Text, TrueFalse
from generator.shuffle import stable_shuffle
from generator.targets.deck.markdown_runs import BULLET, NUMBERED, inline, paragraphs
from generator.targets.deck.measure import Paragraph, Run

LETTERED = "#alphaUcPeriod"
#: A point's mark in a cell of the intervention matrix slide, by its basis: the fuller the circle,
#: the firmer the ground (a finding of the study, an implication it states, one the course derives).
MATRIX_MARKS = {"finding": "\u25cf", "implication": "\u25d0", "derived": "\u25cb"}

ui = Catalog("deck", {
    "continued": {"nl": "{title} (vervolg)", "en": "{title} (continued)"},
    "continued_n": {"nl": "{title} (vervolg {n})", "en": "{title} (continued {n})"},
    "agenda": {"nl": "Programma", "en": "Agenda"},
    "crime_script": {"nl": "Het crime script", "en": "The crime script"},
    "crime_script_alt": {
        "nl": "Crime script in {n} fasen: {phases}.",
        "en": "Crime script in {n} phases: {phases}.",
    },
    "crime_script_here": {"nl": " Deze module: {phase}.", "en": " This module: {phase}."},
    "crime_script_lanes": {"nl": " Rijen: {lanes}.", "en": " Lanes: {lanes}."},
    "crime_script_notes": {
        "nl": "Het crime script (Cornish, 1994) deelt het proces op in fasen. De gemarkeerde fase is "
              "die van deze module.",
        "en": "The crime script (Cornish, 1994) breaks the process into phases. The highlighted phase "
              "is this module's.",
    },
    "crime_script_course_notes": {
        "nl": "Het crime script (Cornish, 1994) deelt het proces op in fasen; elke module behandelt er een.",
        "en": "The crime script (Cornish, 1994) breaks the process into phases; each module covers one.",
    },
    "module": {"nl": "Module {n}", "en": "Module {n}"},
    "module_of": {"nl": "{title} (module {n})", "en": "{title} (module {n})"},
    "duration": {"nl": "Duur: {n} minuten.", "en": "Duration: {n} minutes."},
    "timing": {"nl": "Tijd: {n} minuten.", "en": "Time: {n} minutes."},
    "timing_one": {"nl": "Tijd: 1 minuut.", "en": "Time: 1 minute."},
    "one_minute": {"nl": "1 minuut", "en": "1 minute"},
    "source_line": {"nl": "Bron: {sources}", "en": "Source: {sources}"},
    "sources_line": {"nl": "Bronnen: {sources}", "en": "Sources: {sources}"},
    "notes_sources": {"nl": "Bronnen:", "en": "Sources:"},
    "question": {"nl": "Vraag {n} van {total}", "en": "Question {n} of {total}"},
    "question_answers": {"nl": "Antwoorden bij vraag {n}", "en": "Answers to question {n}"},
    "read_aloud": {
        "nl": "Lees de vraag voor; de antwoorden staan op de volgende dia.",
        "en": "Read the question aloud; its answers are on the next slide.",
    },
    "quiz_some": {
        "nl": "{quiz}: {n} van de {total} vragen stel je in de groep. De zelftoets bevat er nog {more}: die maken "
              "deelnemers zelf (de afdrukbare toets, de site).",
        "en": "{quiz}: you ask {n} of its {total} questions in the room. The self-check quiz holds {more} more: "
              "participants take them on their own (the printable quiz, the site).",
    },
    "quiz_every": {
        "nl": "{quiz}: elke vraag van de toets staat op de dia's.",
        "en": "{quiz}: every question of the quiz is on the slides.",
    },
    "several": {"nl": "Meerdere antwoorden zijn juist.", "en": "More than one answer is correct."},
    "match": {"nl": "Koppel elk nummer aan een letter.", "en": "Match each number to a letter."},
    "order": {"nl": "Zet in de juiste volgorde.", "en": "Put in the right order."},
    "explanation": {"nl": "Uitleg:", "en": "Explanation:"},
    "feedback": {"nl": "Feedback per antwoord:", "en": "Feedback per answer:"},
    "objective": {"nl": "Leerdoel: {text}", "en": "Learning objective: {text}"},
    "ask_first": {
        "nl": "Laat de groep eerst antwoorden en klik dan om het antwoord te tonen.",
        "en": "Let the group answer first, then click to show the answer.",
    },
    "ask_only": {
        "nl": "Laat de groep antwoorden; het antwoord staat hieronder, niet op de dia.",
        "en": "Let the group answer; the answer is below, not on the slide.",
    },
    "answer_line": {"nl": "Antwoord: {answer}", "en": "Answer: {answer}"},
    "answers_line": {"nl": "Antwoorden: {answer}", "en": "Answers: {answer}"},
    "answer_notes": {"nl": "Antwoord: {answer}", "en": "Answer: {answer}"},
    "classroom": {"nl": "{quiz}: live op je telefoon", "en": "{quiz}: live on your phone"},
    "classroom_phone": {"nl": "Pak je telefoon en open het adres op het scherm.",
                        "en": "Take out your phone and open the address on the screen."},
    "classroom_code": {"nl": "Vul de sessiecode in die daar staat. Een account of naam is niet nodig.",
                       "en": "Enter the session code shown there. No account or name is needed."},
    "classroom_private": {"nl": "Niemand ziet wat jij antwoordt: alleen hoeveel mensen elk antwoord gaven.",
                          "en": "Nobody sees what you answer: only how many people gave each answer."},
    "classroom_notes": {
        "nl": "Start de sessie vóór de les op je laptop: modgen classroom --lesson {lesson} --host 0.0.0.0 "
              "(zie docs/classroom.md). Laat dan het trainersscherm in de browser zien: adres, code en "
              "QR-code voor de deelnemers. {n} vragen.",
        "en": "Start the session on your laptop before the lesson: modgen classroom --lesson {lesson} --host "
              "0.0.0.0 (see docs/classroom.md). Then show the trainer view in the browser: the address, code "
              "and QR code for the participants. {n} questions.",
    },
    "guidance": {"nl": "Richting voor het gesprek:", "en": "Where the discussion should go:"},
    "debrief": {"nl": "Nabespreking:", "en": "Debrief:"},
    "questions": {"nl": "Vragen", "en": "Questions"},
    "case": {"nl": "Casus: {title}", "en": "Case: {title}"},
    "notice_notes": {
        "nl": "Lees deze melding voor. Wijs op pauzes, op de mogelijkheid een gesprek over te slaan "
              "en op de steun aan het eind van de module.",
        "en": "Read this notice aloud. Point out breaks, that anyone may sit out a discussion, and the "
              "support listed at the end of the module.",
    },
    "support_notes": {
        "nl": "Sta even stil bij hoe het met de groep gaat en wijs op deze hulp.",
        "en": "Take a moment to check how the group is doing and point to this help.",
    },
    "phone": {"nl": "Telefoon: {n}", "en": "Phone: {n}"},
    # the session: agendas and breaks
    "agenda_item": {"nl": "{part} – {minutes}", "en": "{part} – {minutes}"},
    "agenda_quiz": {"nl": "Toets: {n} vragen samen", "en": "Quiz: {n} questions together"},
    "agenda_quiz_one": {"nl": "Toets: 1 vraag samen", "en": "Quiz: 1 question together"},
    "break_title": {"nl": "{title} ({start}–{end})", "en": "{title} ({start}–{end})"},
    "break_next": {"nl": "Daarna: module {n}", "en": "Then: module {n}"},
    "break_next_title": {"nl": "Daarna: module {n}, {title}", "en": "Then: module {n}, {title}"},
    "break_notes": {
        "nl": "Kondig de pauze aan: {n} minuten. Zeg hoe laat de groep weer begint.",
        "en": "Announce the break: {n} minutes. Say when the group starts again.",
    },
    "break_notes_resume": {
        "nl": "In het sessieplan gaat de groep verder op {clock}.",
        "en": "In the session plan the group carries on at {clock}.",
    },
    "break_notes_sensitive": {
        "nl": "Deze module ging over een zwaar onderwerp: zeg dat wie even wil praten in de pauze bij je "
              "terecht kan, en wijs nog eens op de steun op de vorige dia.",
        "en": "This module dealt with a heavy subject: say that anyone who wants a word can come to you during "
              "the break, and point once more to the support on the previous slide.",
    },
    "day_notes": {
        "nl": "Neem het programma door: {modules} modules in {length}, pauzes meegerekend.",
        "en": "Go through the agenda: {modules} modules in {length}, breaks included.",
    },
    "day_breaks": {
        "nl": "Noem de pauzes: {n}, samen {minutes} minuten.",
        "en": "Point out the breaks: {n}, {minutes} minutes in all.",
    },
    "day_care": {
        "nl": "Zeg dat iedereen op elk moment even de ruimte mag verlaten, dat niemand iets persoonlijks hoeft "
              "te delen, en dat je na afloop beschikbaar bent voor een gesprek.",
        "en": "Say that anyone may step out of the room at any time, that nobody has to share anything "
              "personal, and that you are available for a talk afterwards.",
    },
    "day_quiz": {
        "nl": "Per module bespreken we een paar toetsvragen samen; de rest van de zelftoets maken deelnemers "
              "na afloop zelf.",
        "en": "In each module we go through a few quiz questions together; participants take the rest of the "
              "self-check quiz on their own afterwards.",
    },
    "length": {"nl": "{h} uur {m} minuten", "en": "{h} h {m} min"},
    "length_hours": {"nl": "{h} uur", "en": "{h} h"},
    "length_minutes": {"nl": "{n} minuten", "en": "{n} minutes"},
    "module_notes": {
        "nl": "Vertel wat deze module brengt: {parts}.",
        "en": "Tell the group what this module holds: {parts}.",
    },
    "module_notes_part": {"nl": "{part} ({n} min.)", "en": "{part} ({n} min)"},
    "module_notes_break": {
        "nl": "Daarna volgt een pauze van {n} minuten.",
        "en": "A break of {n} minutes follows.",
    },
    "module_notes_quiz": {
        "nl": "Van de toets bespreken we {n} van de {total} vragen samen; de rest maken deelnemers zelf in de "
              "zelftoets.",
        "en": "Of the quiz we go through {n} of its {total} questions together; participants take the rest in "
              "the self-check quiz.",
    },
    "objectives_notes": {
        "nl": "Lees de leerdoelen voor: aan het eind van deze module kunnen deelnemers dit. Elke vraag van de "
              "zelftoets hoort bij een van deze {n} leerdoelen.",
        "en": "Read out the learning objectives: by the end of this module, participants can do this. Every "
              "question of the self-check quiz belongs to one of these {n} objectives.",
    },
    "objectives_notes_one": {
        "nl": "Lees het leerdoel voor: aan het eind van deze module kunnen deelnemers dit. De vragen van de "
              "zelftoets horen erbij.",
        "en": "Read out the learning objective: by the end of this module, participants can do this. The "
              "questions of the self-check quiz belong to it.",
    },
    "summary_notes": {
        "nl": "Vat de module samen met deze punten. Vraag welk punt de groep het meest helpt in het eigen werk, "
              "en wat nog onduidelijk is.",
        "en": "Sum up the module with these points. Ask which point helps the group most in their own work, "
              "and what is still unclear.",
    },
    "sources_notes": {
        "nl": "De feiten in deze module komen uit deze bronnen; de cijfers zijn die van de bronnen. Wijs erop "
              "dat deelnemers ze kunnen nalezen.",
        "en": "The facts in this module come from these sources; the numbers are the sources' own. Point out "
              "that participants can read them for themselves.",
    },
    "sources_notes_course": {
        "nl": "De feiten in deze training komen uit deze bronnen; de cijfers zijn die van de bronnen. Wijs erop "
              "dat deelnemers ze kunnen nalezen.",
        "en": "The facts in this course come from these sources; the numbers are the sources' own. Point out "
              "that participants can read them for themselves.",
    },
    "interventions_notes": {
        "nl": "Noem bij elk aangrijpingspunt wie kan handelen en waarop het rust: een bevinding van het "
              "onderzoek, een implicatie die het onderzoek zelf noemt, of afgeleid: de eigen redenering van "
              "deze training, om samen te toetsen aan de praktijk.",
        "en": "For each intervention point, name who can act and what it rests on: a finding of the study, an "
              "implication the study itself states, or derived: this course's own reasoning, to be tested "
              "together against practice.",
    },
    "discussion_notes": {
        "nl": "Laat verschillende deelnemers aan het woord; niemand hoeft iets persoonlijks te delen.",
        "en": "Let several participants speak; nobody has to share anything personal.",
    },
    "vignette_notes": {
        "nl": "Laat groepjes van vier tot zes de casus lezen en de vragen bespreken; vraag daarna elk groepje "
              "om één antwoord.",
        "en": "Have groups of four to six read the case and discuss the questions; then ask each group for one "
              "answer.",
    },
    "in_room": {"nl": "Gepland voor de groep ({n} minuten).", "en": "Planned for the room ({n} minutes)."},
    "not_in_room": {
        "nl": "Niet gepland voor de groep: deze vraag staat in de zelftoets. Sla hem over, of gebruik hem als er "
              "tijd over is.",
        "en": "Not planned for the room: this question is in the self-check quiz. Skip it, or use it if time "
              "allows.",
    },
    "title_notes": {
        "nl": "Heet de groep welkom, stel jezelf voor en noem het onderwerp van de training.",
        "en": "Welcome the group, introduce yourself and name the subject of the course.",
    },
    "deck_course": {"nl": "Hele cursus", "en": "Whole course"},
    "basis": {"nl": "Basis: {basis}", "en": "Basis: {basis}"},
    "divider_phase": {"nl": "Crime script, fase {n} van {total}: {phase}",
                      "en": "Crime script, phase {n} of {total}: {phase}"},
    "matrix_notes": {
        "nl": "Het hele crime script op een dia: per partij en fase een bolletje per aangrijpingspunt, voor "
              "alle doelgroepen. Vol: bevinding van het onderzoek; half: implicatie die het onderzoek noemt; "
              "open: afgeleid door deze training. Laat de groep zien waar hun eigen rij ligt en wie in "
              "dezelfde fase iets kan doen. De punten:",
        "en": "The whole crime script on one slide: for each actor and phase a circle per intervention point, "
              "for every audience. Filled: a finding of the study; half: an implication the study states; "
              "open: derived by this course. Show the group where their own row is and who else can act in "
              "the same phase. The points:",
    },
})


@dataclass
class TableSpec:
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    #: Per body cell, how many things it counts (the matrix's points): the cell is shaded the
    #: stronger, the more it holds. None: rows are banded.
    counts: list[list[int]] | None = None
    #: Per body row, the name of an icon (``generator.icons``) shown before its first cell's text:
    #: the matrix's actors. None: no icons.
    icons: list[str | None] | None = None


@dataclass
class DiagramSpec:
    phases: list[tuple[str, str]]  # (id, name) in order
    highlight: str | None
    lanes: list[tuple[str, list[str]]]  # (perspective name, titles of the lesson's sections)
    caption: str  # the highlighted phase's description, or ""
    alt: str
    holds: list[str] = field(default_factory=list)  # what each phase holds (its description), in order


@dataclass
class Slide:
    """One logical slide; ``body`` may spill onto continuation slides."""

    kind: str
    title: str
    body: list[Paragraph] = field(default_factory=list)
    subtitle: list[Paragraph] = field(default_factory=list)
    footer: str = ""  # a source line at the foot of the slide
    figure: str = ""  # a key figure, shown large above the body (kind "figure")
    table: TableSpec | None = None
    diagram: DiagramSpec | None = None
    notes: list[str] = field(default_factory=list)
    lesson: str | None = None
    #: Shown on a click (a quiz question's answer), in a box of its own under the body.
    reveal: list[Paragraph] = field(default_factory=list)
    #: What this slide becomes when it does not fit one slide — a question: the question alone,
    #: then its answers (with the reveal) — decided by the builder, which knows the boxes.
    parts: list["Slide"] = field(default_factory=list)


#: A label at the start of a note an author wrote: a few words and a colon ("Direction: …").
_OWN_LABEL = re.compile(r"^([^\W\d][\w'-]*(?: [\w'-]+){0,4}):\s")


def _stems(words: str) -> set[str]:
    """The first five letters of each word of five letters or more: "Richting" and "richting",
    not "voor" and "voor" (short words are function words)."""
    return {w[:5] for w in re.findall(r"\w{5,}", words.lower())}


def labelled(label: str, text: str) -> str:
    """``label`` before the author's ``text`` — unless the text starts with a label of its own
    that repeats a word of ours ("Richting voor het gesprek: Richting: …"): then the author's
    label stands alone."""
    own = _OWN_LABEL.match(text)
    if own and _stems(own.group(1)) & _stems(label):
        return text
    return f"{label} {text}"


def _p(text: str, bold_all: bool = False, **kw) -> Paragraph:
    return Paragraph([Run(text, bold=bold_all)], **kw)


class Planner:
    """Turns the course, in one language, into logical slides."""

    def __init__(self, course: Course, lang: str):
        self.course = course
        self.lang = lang

    def t(self, value: Text | str | None) -> str:
        if value is None:
            return ""
        text = value.get(self.lang) if isinstance(value, Text) else str(value)
        # Cross-references between lessons ([](lesson:id)) as their words: a slide has no links to pages.
        return xref.plain(text, self.course, self.lang) if "lesson:" in text else text

    def core(self, key: str, **kw) -> str:
        return i18n.core(key, self.lang, **kw)

    def ui(self, key: str, **kw) -> str:
        return ui(key, self.lang, **kw)

    # --- sources ---------------------------------------------------------------------------

    def short(self, keys: list[str]) -> str:
        names = []
        for key in dict.fromkeys(k for k in keys if k):
            source = self.course.source(key)
            if source is not None:
                names.append(self.t(source.short))
        if not names:
            return ""
        return self.ui("source_line" if len(names) == 1 else "sources_line", sources="; ".join(names))

    def citations(self, keys: list[str]) -> list[str]:
        out = []
        for key in dict.fromkeys(k for k in keys if k):
            source = self.course.source(key)
            if source is not None:
                out.append(self.t(source.citation) + (f" {source.url}" if source.url else ""))
        return out

    def notes_sources(self, keys: list[str]) -> list[str]:
        cited = self.citations(keys)
        return [self.ui("notes_sources")] + [f"– {c}" for c in cited] if cited else []

    @staticmethod
    def lesson_sources(lesson: Lesson, quiz: Quiz | None) -> list[str]:
        keys = [k for s in lesson.sections for k in s.sources]
        keys += [f.source for f in lesson.facts] + [t.source for t in lesson.tables]
        keys += [p.source for p in lesson.interventions if p.source]
        keys += [q.source for q in quiz.questions] if quiz else []
        return list(dict.fromkeys(keys))

    # --- decks -----------------------------------------------------------------------------

    def lesson_deck(self, lesson: Lesson, number: int) -> list[Slide]:
        slides = [self.lesson_title(lesson, number, "title")]
        slides += self.lesson_body(lesson, number)
        pause = self.pause_after(lesson, number)
        if pause is not None:
            slides.append(self.break_slide(pause, lesson, number))
        return slides

    def pause_after(self, lesson: Lesson, number: int) -> SessionBreak | None:
        """The break after lesson ``number`` (reads course.yaml and the lesson order only)."""
        return timing.break_after(self.course, lesson, number == len(self.course.lessons))

    def course_front(self) -> list[Slide]:
        """The whole-course deck before its first lesson: title, agenda, crime script."""
        c = self.course
        subtitle = [_p(self.t(c.subtitle))] if c.subtitle else []
        if c.branding.organisation:
            subtitle.append(_p(self.t(c.branding.organisation), space_before=0.3))
        plan = timing.session_plan(c)
        total = timing.session_minutes(plan)
        notes = [self.t(c.description)] if c.description else [self.ui("title_notes")]
        notes += self.review_notes(c.review)
        slides = [Slide("title", self.t(c.title), subtitle=subtitle, notes=notes)]
        agenda: list[Paragraph] = []
        for module in plan:
            agenda.append(Paragraph([Run(f"{self.t(module.lesson.title)} – "),
                                     Run(self.core("minutes", n=module.minutes))],
                                    bullet=NUMBERED, start=module.number, space_before=0.25))
            if module.pause:
                agenda.append(Paragraph([Run(self.ui("agenda_item", part=self.t(module.pause.title),
                                                     minutes=self.core("minutes", n=module.pause.minutes)),
                                             italic=True)], level=1, space_before=0.15, scale=0.9))
        slides.append(Slide("agenda", self.ui("agenda"), body=agenda, notes=self.day_notes(plan, total)))
        if c.phases:
            slides.append(self.diagram(None))
        return slides

    def timing(self, minutes: int) -> str:
        return self.ui("timing", n=minutes) if minutes != 1 else self.ui("timing_one")

    def length(self, minutes: int) -> str:
        if minutes < 60:
            return self.ui("length_minutes", n=minutes) if minutes != 1 else self.ui("one_minute")
        if minutes % 60 == 0:
            return self.ui("length_hours", h=minutes // 60)
        return self.ui("length", h=minutes // 60, m=minutes % 60)

    def day_notes(self, plan: list[timing.ModulePlan], total: int) -> list[str]:
        """What the trainer says about the day: the author's ``session.notes``, else written from
        the plan. The session's length follows either way."""
        c = self.course
        if c.session.notes:
            notes = [self.t(c.session.notes)]
        else:
            notes = [self.ui("day_notes", modules=len(plan), length=self.length(total))]
            breaks = [m.pause for m in plan if m.pause]
            if breaks:
                notes.append(self.ui("day_breaks", n=len(breaks), minutes=sum(b.minutes for b in breaks)))
            if any(m.lesson.sensitive for m in plan):
                notes.append(self.ui("day_care"))
            if any(q.in_room for z in c.quizzes for q in z.questions):
                notes.append(self.ui("day_quiz"))
        return notes + [self.ui("duration", n=total)]

    def break_slide(self, pause: SessionBreak | timing.Break, lesson: Lesson, number: int,
                    following: Lesson | None = None, start: int | None = None) -> Slide:
        """The slide shown during the break after lesson ``number``. In the whole-course deck
        (``start`` given) its title says when it runs and it names the next module; a lesson's
        own deck knows only that module's number (it reads no other lesson)."""
        title = self.t(pause.title) if pause.title else timing.text("break", self.lang)
        if start is not None:
            title = self.ui("break_title", title=title, start=timing.clock(start),
                            end=timing.clock(start + pause.minutes))
        subtitle = [_p(self.length(pause.minutes))]
        if following is not None:
            subtitle.append(_p(self.ui("break_next_title", n=number + 1, title=self.t(following.title)),
                               space_before=0.3))
        else:
            subtitle.append(_p(self.ui("break_next", n=number + 1), space_before=0.3))
        if pause.notes:
            notes = [self.t(pause.notes)]
        else:
            notes = [self.ui("break_notes", n=pause.minutes)]
            if lesson.sensitive:
                notes.append(self.ui("break_notes_sensitive"))
        if start is not None:
            notes.append(self.ui("break_notes_resume", clock=timing.clock(start + pause.minutes)))
        return Slide("break", title, subtitle=subtitle, notes=notes, lesson=lesson.id)

    def course_lesson(self, lesson: Lesson, number: int) -> list[Slide]:
        """Lesson ``number``'s part of the whole-course deck: a section slide, then its slides,
        each title saying which module it belongs to. Reads the lesson, its quiz and
        ``course.yaml`` only (the course deck keeps it as a fragment between builds)."""
        section = self.lesson_title(lesson, number, "section")
        body = self.lesson_body(lesson, number)
        for slide in body:
            for each in [slide, *slide.parts]:
                each.title = self.ui("module_of", title=each.title, n=number)
        return [section] + body

    def course_back(self) -> list[Slide]:
        """The whole-course deck after its last lesson: every lesson's sources, and support."""
        c = self.course
        slides = []
        matrix = self.matrix()
        if matrix is not None:
            slides.append(matrix)
        keys = [k for l in c.lessons for k in self.lesson_sources(l, self.shown_quiz(l))]
        if keys:
            slides.append(self.sources_slide(keys, self.ui("sources_notes_course")))
        if c.support:
            slides.append(self.support_slide())
        return slides

    def matrix(self) -> Slide | None:
        """The intervention matrix (``generator.matrix``) of the whole course on one slide, as a
        native table: an actor per row, a phase per column, and in each cell a mark per point
        there — filled for a finding, half for an implication, open for a derived point — so the
        room sees at a glance who can act where and on what ground. Labels would not fit: eight
        actors × four phases of three-word labels is twice the words a slide can carry. The
        legend and the source are in the source line; each point's label and full sentence are in
        the notes, actor by actor."""
        from generator.matrix import intervention_matrix

        found = intervention_matrix(self.course)
        if found is None:
            return None
        heads = [self.t(p.name) for p in found.phases] + ([self.core("matrix_across")] if found.across else [])
        rows, counts, notes = [], [], [self.ui("matrix_notes")]
        for row in found.rows:
            actor = self.t(row.actor.name)
            rows.append([actor] + [" ".join(MATRIX_MARKS[e.basis] for e in cell) or self.core("matrix_none")
                                   for cell in row.cells])
            counts.append([len(cell) for cell in row.cells])
            for head, cell in zip(heads, row.cells):
                notes += [f"{actor}, {head}: {self.t(e.point.label) + ' – ' if e.point.label else ''}"
                          f"{self.t(e.point.text)} ({self.core(f'basis_{e.basis}')})" for e in cell]
        legend = " · ".join(f"{MATRIX_MARKS[b]} {self.core(f'basis_short_{b}')}" for b in found.bases)
        footer = " · ".join(x for x in (legend, self.short(list(found.sources))) if x)
        icons = [row.actor.icon for row in found.rows]
        table = TableSpec([self.core("matrix_actor")] + heads, rows, [False] * (len(heads) + 1), counts=counts,
                          icons=icons if any(icons) else None)
        return Slide("matrix", self.core("matrix"), table=table, footer=footer,
                     notes=notes + self.notes_sources(list(found.sources)))

    def lesson_title(self, lesson: Lesson, number: int, kind: str) -> Slide:
        bits = [self.ui("module", n=number), self.core("minutes", n=lesson.duration)]
        subtitle = [_p(" · ".join(bits))]
        if kind == "title":
            subtitle.insert(0, _p(self.t(self.course.title)))
        phases = [p.id for p in self.course.phases]
        if kind == "section" and lesson.phase in phases:
            # In the course deck a module's divider says where in the crime script the room now is.
            subtitle.insert(0, _p(self.ui("divider_phase", n=phases.index(lesson.phase) + 1, total=len(phases),
                                          phase=self.t(self.course.phase(lesson.phase).name)), bold_all=True))
        notes = [self.t(lesson.summary)] if lesson.summary else []
        notes.append(self.ui("duration", n=lesson.duration))
        if kind == "title":  # a lesson deck of its own: the trainer sees which version was approved
            from generator.governance.review import governing_review

            notes += self.review_notes(governing_review(self.course, lesson))
        return Slide(kind, self.t(lesson.title), subtitle=subtitle, notes=notes, lesson=lesson.id)

    def shown_quiz(self, lesson: Lesson) -> Quiz | None:
        """The lesson's quiz, unless the course's decks leave quizzes out (``decks.quiz: none``)."""
        return self.course.quiz_for(lesson) if self.course.decks.quiz != "none" else None

    def review_notes(self, review) -> list[str]:
        """The course's version and ``review`` as lines of speaker notes ("Owner: …")."""
        return [f"{name}: {value}" for name, value in i18n.review_facts(review, self.course.version, self.lang)]

    def lesson_body(self, lesson: Lesson, number: int) -> list[Slide]:
        c = self.course
        quiz = self.shown_quiz(lesson)
        plan = timing.plan_module(c, lesson, number, 0)
        own = lesson.notes
        slides: list[Slide] = []
        if lesson.sensitive:
            notice = self.t(c.content_notice) if c.content_notice else self.core("content_notice")
            notes = [self.ui("notice_notes")] + [self.timing(s.minutes) for s in plan.slots
                                                 if s.activity == "notice"]
            slides.append(Slide("notice", self.core("content_notice_title"), body=paragraphs(notice), notes=notes))
        slides.append(self.agenda(lesson, quiz, plan, self.pause_after(lesson, number)))
        if lesson.objectives:
            n = len(lesson.objectives)
            notes = [self.t(own.objectives)] if own and own.objectives else [
                self.ui("objectives_notes", n=n) if n > 1 else self.ui("objectives_notes_one")]
            slides.append(Slide("objectives", self.core("objectives"),
                                body=[_p(self.t(o.text), bullet=BULLET, space_before=0.3) for o in lesson.objectives],
                                notes=notes))
        if lesson.phase and c.phases:
            slides.append(self.diagram(lesson))
        for section in lesson.sections:
            notes = [self.t(section.notes)] if section.notes else []
            notes.append(self.timing(plan.slot_for(section).minutes))
            notes += self.notes_sources(section.sources)
            title = self.t(section.title)
            slides.append(Slide(section.layout or "content", title, body=paragraphs(self.t(section.body)),
                                footer=self.short(section.sources), notes=notes))
        # A fact with a figure gets a slide of its own: the number large, the fact as its caption.
        for fact in (f for f in lesson.facts if f.figure):
            slides.append(Slide("figure", self.core("facts"), figure=self.t(fact.figure),
                                body=[Paragraph(inline(self.t(fact.text)), space_before=0)],
                                footer=self.short([fact.source]), notes=[self.t(fact.text)]
                                + self.notes_sources([fact.source])))
        plain = [f for f in lesson.facts if not f.figure]
        if plain:
            body = [Paragraph(inline(self.t(f.text)) + [Run(f" – {self.t(c.source(f.source).short)}", italic=True)],
                              bullet=BULLET, space_before=0.4) for f in plain]
            keys = [f.source for f in plain]
            slides.append(Slide("facts", self.core("facts"), body=body, notes=self.notes_sources(keys)))
        for table in lesson.tables:
            numeric = [all(isinstance(r[i], (int, float)) for r in table.rows if i < len(r))
                       for i in range(len(table.columns))]
            spec = TableSpec([self.t(col) for col in table.columns],
                             [[cell_text(cell, self.lang) for cell in row] for row in table.rows], numeric)
            footer = " ".join(x for x in (self.t(table.note), self.short([table.source])) if x)
            slides.append(Slide("table", self.t(table.caption), table=spec, footer=footer,
                                notes=[self.t(table.caption)] + self.notes_sources([table.source])))
        if lesson.interventions:
            slides.append(self.interventions(lesson))
        slot = {s.activity: s for s in plan.slots if s.activity in ("discussion", "quiz")}
        if lesson.discussion:
            body, notes = [], []
            for n, prompt in enumerate(lesson.discussion, 1):
                body.append(Paragraph(inline(self.t(prompt.prompt)), bullet=NUMBERED, start=n, space_before=0.5))
                if prompt.guidance:
                    notes.append(f"{n}. {labelled(self.ui('guidance'), self.t(prompt.guidance))}")
            if not notes:
                notes.append(self.ui("discussion_notes"))
            notes.append(self.timing(slot["discussion"].minutes))
            slides.append(Slide("discussion", self.core("discussion"), body=body, notes=notes))
        cases = {s.vignette.id: s for s in plan.slots if s.vignette is not None}
        for vignette in lesson.vignettes:
            body = paragraphs(self.t(vignette.text))
            if vignette.questions:
                body.append(Paragraph([Run(self.ui("questions"), bold=True)], keep_with_next=True, space_before=0.6))
                body += [Paragraph(inline(self.t(q)), bullet=NUMBERED, start=n, space_before=0.25)
                         for n, q in enumerate(vignette.questions, 1)]
            notes = [labelled(self.ui("debrief"), self.t(vignette.debrief))] if vignette.debrief else [
                self.ui("vignette_notes")]
            notes.append(self.timing(cases[vignette.id].minutes))
            slides.append(Slide("vignette", self.ui("case", title=self.t(vignette.title)), body=body, notes=notes))
        if quiz:
            slides += self.quiz(quiz, lesson)
        if lesson.takeaways:
            notes = [self.t(own.summary)] if own and own.summary else [self.ui("summary_notes")]
            notes += [self.timing(s.minutes) for s in plan.slots if s.activity == "close"]
            slides.append(Slide("summary", self.core("takeaways"),
                                body=[Paragraph(inline(self.t(x)), bullet=BULLET, space_before=0.4)
                                      for x in lesson.takeaways], notes=notes))
        keys = self.lesson_sources(lesson, quiz)
        if keys:
            slides.append(self.sources_slide(keys, self.t(own.sources) if own and own.sources
                                             else self.ui("sources_notes")))
        if lesson.sensitive and c.support:
            slides.append(self.support_slide())
        for slide in slides:
            slide.lesson = lesson.id
        return slides

    def agenda(self, lesson: Lesson, quiz: Quiz | None, plan: timing.ModulePlan,
               pause: SessionBreak | None) -> Slide:
        """The module's parts with their minutes, as the session plan times them, and the break
        after it; the notes say what the module holds (or are the author's ``notes.agenda``)."""
        asked = sum(1 for q in quiz.questions if q.in_room) if quiz else 0
        items: list[tuple[str, int]] = []
        activities: list[str] = []
        for slot in plan.slots:
            if slot.activity == "notice":
                continue
            if slot.section is not None:
                label = self.t(slot.section.title)
            elif slot.activity == "discussion":
                label = self.core("discussion")
            elif slot.vignette is not None:
                label = self.ui("case", title=self.t(slot.vignette.title))
            elif slot.activity == "quiz":
                label = (self.ui("agenda_quiz", n=asked) if asked > 1 else self.ui("agenda_quiz_one") if asked
                         else self.core("quiz"))
            elif lesson.takeaways:
                label = self.core("takeaways")
            else:
                label = self.t(slot.label)
            items.append((label, slot.minutes))
            if slot.section is None:
                activities.append(self.ui("module_notes_part", part=label, n=slot.minutes))
        if pause is not None:
            items.append((self.t(pause.title) if pause.title else timing.text("break", self.lang), pause.minutes))
        body = [Paragraph([Run(self.ui("agenda_item", part=text, minutes=self.core("minutes", n=minutes)))],
                          bullet=BULLET, space_before=0.25) for text, minutes in items]
        own = lesson.notes
        if own and own.agenda:
            notes = [self.t(own.agenda)]
        else:
            notes = [self.ui("module_notes", parts="; ".join(activities))] if activities else []
            if asked:
                notes.append(self.ui("module_notes_quiz", n=asked, total=len(quiz.questions)))
            if pause is not None:
                notes.append(self.ui("module_notes_break", n=pause.minutes))
        notes.append(self.ui("duration", n=lesson.duration))
        return Slide("agenda", self.ui("agenda"), body=body, notes=notes)

    def diagram(self, lesson: Lesson | None) -> Slide:
        """The crime script: every phase with what it holds (its description), the lesson's phase
        highlighted, and — where the slide's word limit leaves room — a lane per perspective with
        the lesson's sections; lanes that do not fit are in the alt text and the notes."""
        from generator.targets.deck.measure import MAX_WORDS, word_count

        c = self.course
        phases = [(p.id, self.t(p.name)) for p in c.phases]
        holds = [self.t(p.description) if p.description else "" for p in c.phases]
        highlight = lesson.phase if lesson else None
        lanes: list[tuple[str, list[str]]] = []
        if lesson:
            for perspective in c.perspectives:
                titles = [self.t(s.title) for s in lesson.sections if s.perspective == perspective.id]
                if titles:
                    lanes.append((self.t(perspective.name), titles))
        phase = c.phase(highlight)
        caption = self.t(phase.description) if phase and phase.description else ""
        alt = self.ui("crime_script_alt", n=len(phases), phases=", ".join(name for _, name in phases))
        if phase:
            alt += self.ui("crime_script_here", phase=self.t(phase.name))
        if lanes:
            alt += self.ui("crime_script_lanes", lanes=", ".join(
                f"{name} ({'; '.join(titles)})" for name, titles in lanes))
        notes = [self.ui("crime_script_notes" if lesson else "crime_script_course_notes")]
        notes += [f"{self.t(p.name)}: {self.t(p.description)}" for p in c.phases if p.description]
        title = self.ui("crime_script") + (f": {self.t(phase.name)}" if phase else "")
        shown = word_count(title) + 3 + sum(word_count(x) for x in [n for _, n in phases] + holds)
        lane_words = sum(word_count(name) + sum(word_count(t) for t in titles) for name, titles in lanes)
        if lanes and shown + lane_words > MAX_WORDS:
            notes += [f"{name} ({'; '.join(titles)})" for name, titles in lanes]
            lanes = []
        notes += self.notes_sources(["cornish-1994"] if c.source("cornish-1994") else [])
        return Slide("diagram", title, diagram=DiagramSpec(phases, highlight, lanes, caption, alt, holds),
                     notes=notes)

    def interventions(self, lesson: Lesson) -> Slide:
        """The lesson's intervention points by actor: each a short label and its basis on the
        slide (a room reads a few words), the full sentence, source and perspective in the notes."""
        c = self.course
        body: list[Paragraph] = []
        notes = [self.ui("interventions_notes")]
        order = {a.id: i for i, a in enumerate(c.actors)}
        actors = sorted({p.actor for p in lesson.interventions}, key=lambda a: order.get(a, len(order)))
        keys = []
        for actor_id in actors:
            actor = c.actor(actor_id)
            name = self.t(actor.name) if actor else actor_id
            # An actor's name never ends a slide: it goes to the next with its first point.
            body.append(Paragraph([Run(name, bold=True)], keep_with_next=True, space_before=0.6,
                                  icon=actor.icon if actor else None))
            for point in (p for p in lesson.interventions if p.actor == actor_id):
                basis = self.core(f"basis_{point.basis}")
                shown = self.t(point.label) if point.label else self.t(point.text)
                body.append(Paragraph(inline(shown) + [Run(f" – {basis}", italic=True)], bullet=BULLET,
                                      space_before=0.2))
                detail = [self.ui("basis", basis=basis)]
                if point.source and c.source(point.source):
                    detail.append(self.t(c.source(point.source).short))
                    keys.append(point.source)
                perspective = c.perspective(point.perspective)
                if perspective:
                    detail.append(f"{self.core('perspective')}: {self.t(perspective.name)}")
                said = f"{name} – {shown}: {self.t(point.text)}" if point.label else f"{name}: {shown}"
                notes.append(f"{said} ({'; '.join(detail)})")
        return Slide("interventions", self.core("interventions"), body=body, footer=self.short(keys),
                     notes=notes + self.notes_sources(keys))

    def quiz(self, quiz: Quiz, lesson: Lesson) -> list[Slide]:
        """One slide per question the session asks in the room (``timing.asked_in_room``; every
        question with ``decks.questions: all``) — ``decks.quiz``: ``reveal``, the answer's letters
        shown on a click, or ``questions``, the answer in the notes only — or, for ``classroom``,
        one slide that sends the room to the live session. A question too long for one slide with
        its answers becomes two: the question alone, then its answers (``Slide.parts``)."""
        name = self.t(quiz.title) if quiz.title else self.core("quiz")
        mode = self.course.decks.quiz
        asked = timing.asked_in_room(quiz, all_questions=self.course.decks.questions == "all")
        if mode == "classroom":
            body = [_p(self.ui(key), bullet=NUMBERED, start=n, space_before=0.5)
                    for n, key in enumerate(("classroom_phone", "classroom_code", "classroom_private"), 1)]
            return [Slide("classroom", self.ui("classroom", quiz=name), body=body,
                          notes=[self.ui("classroom_notes", lesson=lesson.id, n=len(asked))])]
        # The objectives of the lesson showing the quiz (the checks make it the quiz's own lesson):
        # a lesson's slides read nothing of other lessons.
        objectives = {o.id: o for o in lesson.objectives}
        total = len(quiz.questions)
        more = total - len(asked)
        # The quiz's first slide says what the room is asked and what the self-check quiz keeps.
        overview = (self.ui("quiz_some", quiz=name, n=len(asked), total=total, more=more) if more
                    else self.ui("quiz_every", quiz=name))
        slides = []
        for n, q in asked:
            stem = Paragraph(inline(self.t(q.stem)), space_before=0.0)
            answers: list[Paragraph] = []
            feedback: list[str] = []
            if isinstance(q, Matching):
                answers.append(self.how_to_answer("match"))
                responses = stable_shuffle(q.pairs, q.id)
                letter = {p.id: chr(ord("A") + i) for i, p in enumerate(responses)}
                answers += [Paragraph(inline(self.t(p.premise)), bullet=NUMBERED, start=i, space_before=0.25)
                            for i, p in enumerate(q.pairs, 1)]
                answers += [Paragraph(inline(self.t(p.response)), bullet=LETTERED, start=i, space_before=0.25)
                            for i, p in enumerate(responses, 1)]
                brief = ", ".join(f"{i}–{letter[p.id]}" for i, p in enumerate(q.pairs, 1))
                full = [brief]
                for i, p in enumerate(q.pairs, 1):
                    feedback.append(f"{i}–{letter[p.id]}: {self.t(p.feedback)}")
            elif isinstance(q, Ordering):
                answers.append(self.how_to_answer("order"))
                shown = stable_shuffle(q.items, q.id)
                letter = {x.id: chr(ord("A") + i) for i, x in enumerate(shown)}
                answers += [Paragraph(inline(self.t(x.text)), bullet=LETTERED, start=i, space_before=0.25)
                            for i, x in enumerate(shown, 1)]
                brief = ", ".join(letter[x.id] for x in q.items)
                full = [brief]
                for i, x in enumerate(q.items, 1):
                    feedback.append(f"{i}. {self.t(x.feedback)}")
            else:
                options = q.choices() if isinstance(q, TrueFalse) else stable_shuffle(q.options, q.id)
                if isinstance(q, MultipleResponse):
                    answers.append(self.how_to_answer("several"))
                right = []
                for i, o in enumerate(options, 1):
                    answers.append(Paragraph(inline(self.t(o.text)), bullet=LETTERED, start=i, space_before=0.3))
                    feedback.append(f"{chr(ord('A') + i - 1)}. {self.t(o.feedback)}")
                    if o.correct:
                        right.append((chr(ord("A") + i - 1), self.t(o.text)))
                brief = ", ".join(letter for letter, _ in right)
                full = [f"{letter}. {text}" for letter, text in right]
            several = isinstance(q, MultipleResponse) and brief.count(",") > 0
            objective = objectives.get(q.objective)
            planned = []  # whether the plan asks it in the room, and what it assesses
            if any(x.in_room for x in quiz.questions):
                planned.append(self.ui("in_room", n=self.course.session.question_minutes) if q.in_room
                               else self.ui("not_in_room"))
            if objective:
                planned.append(self.ui("objective", text=self.t(objective.text)))
            first = [overview] if n == asked[0][0] else []
            notes = [self.ui("ask_first" if mode == "reveal" else "ask_only")] + planned
            notes += [self.ui("answer_notes", answer="; ".join(full)),
                      labelled(self.ui("explanation"), self.t(q.explanation)), self.ui("feedback")] + feedback
            notes += self.notes_sources([q.source])
            # The room sees the letters (they stand beside the options); the answer in full, the
            # explanation and the feedback are the trainer's, in the notes.
            reveal = ([Paragraph([Run(self.ui("answers_line" if several else "answer_line", answer=brief),
                                      bold=True)], space_before=0.0)] if mode == "reveal" else [])
            title = self.ui("question", n=n, total=total)
            footer = self.short([q.source])
            slide = Slide("question", title, body=[stem] + answers, footer=footer, notes=first + notes, reveal=reveal)
            # Split, the source line stands under the question: the answers' slide keeps its words for them.
            slide.parts = [
                Slide("question", title, body=[stem], footer=footer,
                      notes=first + [self.ui("read_aloud")] + planned),
                Slide("question", self.ui("question_answers", n=n), body=answers, notes=notes, reveal=reveal),
            ]
            slides.append(slide)
        return slides

    def how_to_answer(self, key: str) -> Paragraph:
        """The line that says how to answer ("Match each number to a letter."), at body size."""
        return Paragraph([Run(self.ui(key), italic=True)], space_before=0.4)

    def sources_slide(self, keys: list[str], notes: str) -> Slide:
        body = []
        for key in dict.fromkeys(keys):
            source = self.course.source(key)
            if source is None:
                continue
            runs = inline(self.t(source.citation))
            if source.url:
                runs += [Run(" "), Run(source.url, link=source.url)]
            body.append(Paragraph(runs, space_before=0.5, scale=0.85))
        return Slide("sources", self.core("sources"), body=body, notes=[notes])

    def support_slide(self) -> Slide:
        body = []
        for resource in self.course.support:
            body.append(Paragraph([Run(self.t(resource.name), bold=True)], keep_with_next=True, space_before=0.6))
            body.append(Paragraph(inline(self.t(resource.description)), space_before=0.1, scale=0.9))
            contact = []
            if resource.phone:
                contact.append(Run(self.ui("phone", n=resource.phone)))
            if resource.url:
                if contact:
                    contact.append(Run(" · "))
                contact.append(Run(resource.url, link=resource.url))
            if contact:
                body.append(Paragraph(contact, space_before=0.1, scale=0.9))
        return Slide("support", self.core("support_title"), body=body, notes=[self.ui("support_notes")])
