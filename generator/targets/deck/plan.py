"""What goes on the slides: lessons and quizzes → logical slides, independent of PowerPoint.

A logical slide may become several physical slides (continuations) when its text does not fit;
that is decided later, when the layout's boxes are known (``builder``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator import i18n
from generator.i18n import Catalog, cell_text
from generator.model import Course, Lesson, Matching, MultipleResponse, Ordering, Quiz, Text, TrueFalse
from generator.shuffle import stable_shuffle
from generator.targets.deck.markdown_runs import BULLET, NUMBERED, inline, paragraphs
from generator.targets.deck.measure import Paragraph, Run

LETTERED = "#alphaUcPeriod"

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
    "source_line": {"nl": "Bron: {sources}", "en": "Source: {sources}"},
    "sources_line": {"nl": "Bronnen: {sources}", "en": "Sources: {sources}"},
    "notes_sources": {"nl": "Bronnen:", "en": "Sources:"},
    "question": {"nl": "{quiz} – vraag {n}", "en": "{quiz} – question {n}"},
    "answer": {"nl": "{quiz} – antwoord {n}", "en": "{quiz} – answer {n}"},
    "several": {"nl": "Meerdere antwoorden zijn juist.", "en": "More than one answer is correct."},
    "match": {"nl": "Koppel elk nummer aan een letter.", "en": "Match each number to a letter."},
    "order": {"nl": "Zet in de juiste volgorde.", "en": "Put in the right order."},
    "correct_mark": {"nl": " (juist)", "en": " (correct)"},
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
    "deck_course": {"nl": "Hele cursus", "en": "Whole course"},
    "basis": {"nl": "Basis: {basis}", "en": "Basis: {basis}"},
})


@dataclass
class TableSpec:
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]


@dataclass
class DiagramSpec:
    phases: list[tuple[str, str]]  # (id, name) in order
    highlight: str | None
    lanes: list[tuple[str, list[str]]]  # (perspective name, titles of the lesson's sections)
    caption: str  # the highlighted phase's description, or ""
    alt: str


@dataclass
class Slide:
    """One logical slide; ``body`` may spill onto continuation slides."""

    kind: str
    title: str
    body: list[Paragraph] = field(default_factory=list)
    subtitle: list[Paragraph] = field(default_factory=list)
    footer: str = ""  # a source line at the foot of the slide
    table: TableSpec | None = None
    diagram: DiagramSpec | None = None
    notes: list[str] = field(default_factory=list)
    lesson: str | None = None
    #: Shown on a click (a quiz question's answer), in a box of its own under the body; ``brief``
    #: is the short form used when the full one would take too much of the slide.
    reveal: list[Paragraph] = field(default_factory=list)
    reveal_brief: list[Paragraph] = field(default_factory=list)


def _p(text: str, **kw) -> Paragraph:
    return Paragraph([Run(text)], **kw)


class Planner:
    """Turns the course, in one language, into logical slides."""

    def __init__(self, course: Course, lang: str):
        self.course = course
        self.lang = lang

    def t(self, value: Text | str | None) -> str:
        if value is None:
            return ""
        return value.get(self.lang) if isinstance(value, Text) else str(value)

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
        slides += self.lesson_body(lesson)
        return slides

    def course_front(self) -> list[Slide]:
        """The whole-course deck before its first lesson: title, agenda, crime script."""
        c = self.course
        subtitle = [_p(self.t(c.subtitle))] if c.subtitle else []
        if c.branding.organisation:
            subtitle.append(_p(self.t(c.branding.organisation), space_before=0.3))
        total = sum(l.duration for l in c.lessons)
        slides = [Slide("title", self.t(c.title), subtitle=subtitle,
                        notes=[self.t(c.description)] if c.description else [])]
        agenda = [Paragraph([Run(f"{self.t(l.title)} – "), Run(self.core("minutes", n=l.duration))],
                            bullet=NUMBERED, start=n, space_before=0.25)
                  for n, l in enumerate(c.lessons, 1)]
        slides.append(Slide("agenda", self.ui("agenda"), body=agenda, notes=[self.ui("duration", n=total)]))
        if c.phases:
            slides.append(self.diagram(None))
        return slides

    def course_lesson(self, lesson: Lesson, number: int) -> list[Slide]:
        """Lesson ``number``'s part of the whole-course deck: a section slide, then its slides,
        each title saying which module it belongs to. Reads the lesson, its quiz and
        ``course.yaml`` only (the course deck keeps it as a fragment between builds)."""
        section = self.lesson_title(lesson, number, "section")
        body = self.lesson_body(lesson)
        for slide in body:
            slide.title = self.ui("module_of", title=slide.title, n=number)
        return [section] + body

    def course_back(self) -> list[Slide]:
        """The whole-course deck after its last lesson: every lesson's sources, and support."""
        c = self.course
        slides = []
        keys = [k for l in c.lessons for k in self.lesson_sources(l, self.shown_quiz(l))]
        if keys:
            slides.append(self.sources_slide(keys))
        if c.support:
            slides.append(self.support_slide())
        return slides

    def lesson_title(self, lesson: Lesson, number: int, kind: str) -> Slide:
        bits = [self.ui("module", n=number), self.core("minutes", n=lesson.duration)]
        subtitle = [_p(" · ".join(bits))]
        if kind == "title":
            subtitle.insert(0, _p(self.t(self.course.title)))
        notes = [self.t(lesson.summary)] if lesson.summary else []
        notes.append(self.ui("duration", n=lesson.duration))
        return Slide(kind, self.t(lesson.title), subtitle=subtitle, notes=notes, lesson=lesson.id)

    def shown_quiz(self, lesson: Lesson) -> Quiz | None:
        """The lesson's quiz, unless the course's decks leave quizzes out (``decks.quiz: none``)."""
        return self.course.quiz_for(lesson) if self.course.decks.quiz != "none" else None

    def lesson_body(self, lesson: Lesson) -> list[Slide]:
        c = self.course
        quiz = self.shown_quiz(lesson)
        slides: list[Slide] = []
        if lesson.sensitive:
            notice = self.t(c.content_notice) if c.content_notice else self.core("content_notice")
            slides.append(Slide("notice", self.core("content_notice_title"), body=paragraphs(notice),
                                notes=[self.ui("notice_notes")]))
        slides.append(self.agenda(lesson, quiz))
        if lesson.objectives:
            slides.append(Slide("objectives", self.core("objectives"),
                                body=[_p(self.t(o.text), bullet=BULLET, space_before=0.3) for o in lesson.objectives]))
        if lesson.phase and c.phases:
            slides.append(self.diagram(lesson))
        for section in lesson.sections:
            notes = [self.t(section.notes)] if section.notes else []
            if section.minutes:
                notes.append(self.ui("timing", n=section.minutes))
            notes += self.notes_sources(section.sources)
            title = self.t(section.title)
            slides.append(Slide("content", title, body=paragraphs(self.t(section.body)),
                                footer=self.short(section.sources), notes=notes))
        if lesson.facts:
            body = [Paragraph(inline(self.t(f.text)) + [Run(f" – {self.t(c.source(f.source).short)}", italic=True)],
                              bullet=BULLET, space_before=0.4) for f in lesson.facts]
            keys = [f.source for f in lesson.facts]
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
        if lesson.discussion:
            body, notes = [], []
            for n, prompt in enumerate(lesson.discussion, 1):
                body.append(Paragraph(inline(self.t(prompt.prompt)), bullet=NUMBERED, start=n, space_before=0.5))
                if prompt.guidance:
                    notes.append(f"{n}. {self.ui('guidance')} {self.t(prompt.guidance)}")
            slides.append(Slide("discussion", self.core("discussion"), body=body, notes=notes))
        for vignette in lesson.vignettes:
            body = paragraphs(self.t(vignette.text))
            if vignette.questions:
                body.append(Paragraph([Run(self.ui("questions"), bold=True)], keep_with_next=True, space_before=0.6))
                body += [Paragraph(inline(self.t(q)), bullet=NUMBERED, start=n, space_before=0.25)
                         for n, q in enumerate(vignette.questions, 1)]
            notes = [f"{self.ui('debrief')} {self.t(vignette.debrief)}"] if vignette.debrief else []
            slides.append(Slide("vignette", self.ui("case", title=self.t(vignette.title)), body=body, notes=notes))
        if quiz:
            slides += self.quiz(quiz, lesson)
        if lesson.takeaways:
            slides.append(Slide("summary", self.core("takeaways"),
                                body=[Paragraph(inline(self.t(x)), bullet=BULLET, space_before=0.4)
                                      for x in lesson.takeaways]))
        keys = self.lesson_sources(lesson, quiz)
        if keys:
            slides.append(self.sources_slide(keys))
        if lesson.sensitive and c.support:
            slides.append(self.support_slide())
        for slide in slides:
            slide.lesson = lesson.id
        return slides

    def agenda(self, lesson: Lesson, quiz: Quiz | None) -> Slide:
        items: list[tuple[str, int | None]] = [(self.t(s.title), s.minutes) for s in lesson.sections]
        if lesson.interventions:
            items.append((self.core("interventions"), None))
        if lesson.discussion:
            items.append((self.core("discussion"), None))
        items += [(self.ui("case", title=self.t(v.title)), None) for v in lesson.vignettes]
        if quiz:
            items.append((self.core("quiz"), None))
        if lesson.takeaways:
            items.append((self.core("takeaways"), None))
        body = []
        for text, minutes in items:
            runs = [Run(text)] + ([Run(" – " + self.core("minutes", n=minutes))] if minutes else [])
            body.append(Paragraph(runs, bullet=BULLET, space_before=0.25))
        return Slide("agenda", self.ui("agenda"), body=body, notes=[self.ui("duration", n=lesson.duration)])

    def diagram(self, lesson: Lesson | None) -> Slide:
        c = self.course
        phases = [(p.id, self.t(p.name)) for p in c.phases]
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
        notes += self.notes_sources(["cornish-1994"] if c.source("cornish-1994") else [])
        title = self.ui("crime_script") + (f": {self.t(phase.name)}" if phase else "")
        return Slide("diagram", title, diagram=DiagramSpec(phases, highlight, lanes, caption, alt), notes=notes)

    def interventions(self, lesson: Lesson) -> Slide:
        c = self.course
        body: list[Paragraph] = []
        order = {a.id: i for i, a in enumerate(c.actors)}
        actors = sorted({p.actor for p in lesson.interventions}, key=lambda a: order.get(a, len(order)))
        keys = []
        for actor_id in actors:
            actor = c.actor(actor_id)
            body.append(Paragraph([Run(self.t(actor.name) if actor else actor_id, bold=True)],
                                  keep_with_next=True, space_before=0.6))
            for point in (p for p in lesson.interventions if p.actor == actor_id):
                # An intervention point never goes to the next slide without its basis line.
                body.append(Paragraph(inline(self.t(point.text)), bullet=BULLET, space_before=0.2,
                                      keep_with_next=True))
                basis = [self.core(f"basis_{point.basis}")]
                if point.source and c.source(point.source):
                    basis.append(self.t(c.source(point.source).short))
                    keys.append(point.source)
                perspective = c.perspective(point.perspective)
                if perspective:
                    basis.append(f"{self.core('perspective')}: {self.t(perspective.name)}")
                body.append(Paragraph([Run(self.ui("basis", basis=" · ".join(basis)), italic=True)],
                                      level=1, scale=0.8, space_before=0.1))
        return Slide("interventions", self.core("interventions"), body=body, notes=self.notes_sources(keys))

    def quiz(self, quiz: Quiz, lesson: Lesson) -> list[Slide]:
        """One slide per question (``decks.quiz``: ``reveal``, with the answer shown on a click, or
        ``questions``, with the answer in the notes only), or, for ``classroom``, one slide that
        sends the room to the live session."""
        name = self.t(quiz.title) if quiz.title else self.core("quiz")
        mode = self.course.decks.quiz
        if mode == "classroom":
            body = [_p(self.ui(key), bullet=NUMBERED, start=n, space_before=0.5)
                    for n, key in enumerate(("classroom_phone", "classroom_code", "classroom_private"), 1)]
            return [Slide("classroom", self.ui("classroom", quiz=name), body=body,
                          notes=[self.ui("classroom_notes", lesson=lesson.id, n=len(quiz.questions))])]
        # The objectives of the lesson showing the quiz (the checks make it the quiz's own lesson):
        # a lesson's slides read nothing of other lessons.
        objectives = {o.id: o for o in lesson.objectives}
        slides = []
        for n, q in enumerate(quiz.questions, 1):
            stem = Paragraph(inline(self.t(q.stem)), space_before=0.0)
            question: list[Paragraph] = [stem]
            feedback: list[str] = []
            if isinstance(q, Matching):
                question.append(_p(self.ui("match"), space_before=0.4, scale=0.85))
                responses = stable_shuffle(q.pairs, q.id)
                letter = {p.id: chr(ord("A") + i) for i, p in enumerate(responses)}
                question += [Paragraph(inline(self.t(p.premise)), bullet=NUMBERED, start=i, space_before=0.25)
                             for i, p in enumerate(q.pairs, 1)]
                question += [Paragraph(inline(self.t(p.response)), bullet=LETTERED, start=i, space_before=0.25)
                             for i, p in enumerate(responses, 1)]
                brief = ", ".join(f"{i}–{letter[p.id]}" for i, p in enumerate(q.pairs, 1))
                full = [brief]
                for i, p in enumerate(q.pairs, 1):
                    feedback.append(f"{i}–{letter[p.id]}: {self.t(p.feedback)}")
            elif isinstance(q, Ordering):
                question.append(_p(self.ui("order"), space_before=0.4, scale=0.85))
                shown = stable_shuffle(q.items, q.id)
                letter = {x.id: chr(ord("A") + i) for i, x in enumerate(shown)}
                question += [Paragraph(inline(self.t(x.text)), bullet=LETTERED, start=i, space_before=0.25)
                             for i, x in enumerate(shown, 1)]
                brief = ", ".join(letter[x.id] for x in q.items)
                full = [brief]
                for i, x in enumerate(q.items, 1):
                    feedback.append(f"{i}. {self.t(x.feedback)}")
            else:
                options = q.choices() if isinstance(q, TrueFalse) else stable_shuffle(q.options, q.id)
                if isinstance(q, MultipleResponse):
                    question.append(_p(self.ui("several"), space_before=0.4, scale=0.85))
                right = []
                for i, o in enumerate(options, 1):
                    question.append(Paragraph(inline(self.t(o.text)), bullet=LETTERED, start=i, space_before=0.3))
                    feedback.append(f"{chr(ord('A') + i - 1)}. {self.t(o.feedback)}")
                    if o.correct:
                        right.append((chr(ord("A") + i - 1), self.t(o.text)))
                brief = ", ".join(letter for letter, _ in right)
                full = [f"{letter}. {text}" for letter, text in right]
            several = isinstance(q, MultipleResponse) and brief.count(",") > 0
            line = "answers_line" if several else "answer_line"
            objective = objectives.get(q.objective)
            notes = [self.ui("ask_first" if mode == "reveal" else "ask_only")]
            if objective:
                notes.append(self.ui("objective", text=self.t(objective.text)))
            notes += [self.ui("answer_notes", answer="; ".join(full)), f"{self.ui('explanation')} {self.t(q.explanation)}",
                      self.ui("feedback")] + feedback
            notes += self.notes_sources([q.source])
            slide = Slide("question", self.ui("question", quiz=name, n=n), body=question,
                          footer=self.short([q.source]), notes=notes)
            if mode == "reveal":
                # One right answer: its letter and text; several (or pairs, or an order): the letters,
                # which stand beside the options on the slide.
                answer = full[0] if len(full) == 1 else brief
                slide.reveal = [Paragraph([Run(self.ui(line, answer=answer), bold=True)], space_before=0.0)]
                slide.reveal_brief = [Paragraph([Run(self.ui(line, answer=brief), bold=True)], space_before=0.0)]
            slides.append(slide)
        return slides

    def sources_slide(self, keys: list[str]) -> Slide:
        body = []
        for key in dict.fromkeys(keys):
            source = self.course.source(key)
            if source is None:
                continue
            runs = inline(self.t(source.citation))
            if source.url:
                runs += [Run(" "), Run(source.url, link=source.url)]
            body.append(Paragraph(runs, space_before=0.5, scale=0.85))
        return Slide("sources", self.core("sources"), body=body)

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
