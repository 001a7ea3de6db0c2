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
from generator.figures import section_figures
from generator.model import Course, Lesson, Matching, MultipleResponse, Ordering, Quiz, SessionBreak, Text
from generator.shuffle import shown_options, shown_responses, shown_steps
from generator.targets.deck.markdown_runs import BULLET, NUMBERED, inline, paragraphs
from generator.targets.deck.figures import FigureMedia, Visual
from generator.targets.deck.measure import Paragraph, Run

LETTERED = "#alphaUcPeriod"
#: A point's mark in a cell of the intervention matrix slide, by its basis: the fuller the circle,
#: the firmer the ground (a finding of the study, an implication it states, one the course derives).
MATRIX_MARKS = {"finding": "\u25cf", "implication": "\u25d0", "derived": "\u25cb"}

ui = Catalog("deck")


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
    #: The phases from each perspective (``Phase.views``): (perspective name, a text per phase, ""
    #: where the phase says nothing from it). With views the figure shows them instead of holds and lanes.
    views: list[tuple[str, list[str]]] = field(default_factory=list)


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
    #: A picture or chart (kinds "picture" and "chart"): a section's figure, see ``deck.figures``.
    visual: "Visual | None" = None
    #: What this slide becomes when it does not fit one slide even at the least size — a question:
    #: the question alone, then its answers (with the reveal) — decided by the builder.
    parts: list["Slide"] = field(default_factory=list)
    #: Two columns under the body, side by side (a matching question: the numbered items left, the
    #: lettered answers right).
    columns: tuple[list[Paragraph], list[Paragraph]] | None = None
    #: The title is the author's own (a section's, a case's, a table's caption): in the whole-course
    #: deck it stands as written, where a generated title ("Summary") says its module.
    own_title: bool = False
    #: The part of the session this slide serves, for the run sheet's slide numbers: "opening",
    #: "module", "section:<id>", "discussion", "vignette:<id>", "quiz", "close", "break", "matrix",
    #: "closing"; None for the rest of a module (objectives, facts, tables …: its presentation).
    part: str | None = None


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


def plain_lines(markdown: str) -> list[str]:
    """Markdown as lines of speaker notes: a paragraph a line, list items with a dash."""
    return [("– " if p.bullet else "") + p.text for p in paragraphs(markdown) if p.text.strip()]


def _p(text: str, bold_all: bool = False, **kw) -> Paragraph:
    return Paragraph([Run(text, bold=bold_all)], **kw)


class Planner:
    """Turns the course, in one language, into logical slides."""

    def __init__(self, course: Course, lang: str, media: FigureMedia | None = None):
        self.course = course
        self.lang = lang
        self.media = media if media is not None else FigureMedia(course, lang)

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

    @property
    def of_sources(self) -> str:
        """'' where the course's intervention points rest on one study (the notes say "a finding of
        the study"), else '_sources' (they say "of the sources"): built-in words about *the* study
        only where the course cites one."""
        cited = {p.source for lesson in self.course.whole.lessons for p in lesson.interventions
                 if p.basis != "derived" and p.source}
        return "" if len(cited) == 1 else "_sources"

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
        """The whole-course deck before its first lesson — the day's opening, once: title,
        welcome and house rules, the content notice (when a module is sensitive), the day's
        agenda with clock times, the crime script."""
        c = self.course
        subtitle = [_p(self.t(c.subtitle))] if c.subtitle else []
        if c.branding.organisation:
            subtitle.append(_p(self.t(c.branding.organisation), space_before=0.3))
        plan = timing.session_plan(c)
        total = timing.session_minutes(plan)
        notes = [self.t(c.description)] if c.description else [self.ui("title_notes")]
        notes += self.review_notes(c.review)
        slides = [Slide("title", self.t(c.title), subtitle=subtitle, notes=notes)]
        sensitive = any(lesson.sensitive for lesson in c.lessons)
        rules = ["rule_phones", "rule_breaks", "rule_questions"]
        rules += ["rule_share", "rule_step_out", "rule_cases"] if sensitive else []
        slides.append(Slide("welcome", self.ui("welcome"), notes=[self.ui("welcome_notes")],
                            body=[_p(self.ui(rule), bullet=BULLET, space_before=0.3) for rule in rules]))
        if sensitive:
            notice = (paragraphs(self.t(c.content_notice)) if c.content_notice else
                      [_p(self.ui(key), bullet=BULLET, space_before=0.3) for key in
                       ("notice_day_subject", "notice_day_images", "notice_day_break", "notice_day_support")])
            slides.append(Slide("notice", self.core("content_notice_title"), body=notice,
                                notes=[self.ui("notice_notes_day")]))
        # A row per module, its break beside it: the day on one slide, at a glance.
        rows = []
        for module in plan:
            pause = module.pause
            rows.append([timing.wall_clock(c, module.start), self.t(module.lesson.title),
                         self.ui("day_agenda_break", clock=timing.wall_clock(c, pause.start), title=self.t(pause.title),
                                 minutes=self.core("minutes", n=pause.minutes)) if pause else ""])
        if plan:
            rows.append([timing.wall_clock(c, plan[-1].end), self.ui("day_agenda_end"), ""])
        table = TableSpec([self.ui("day_agenda_time"), self.ui("day_agenda_module"), self.ui("day_agenda_then")],
                          rows, [False, False, False])
        slides.append(Slide("agenda", self.ui("agenda"), table=table, notes=self.day_notes(plan, total)))
        if c.phases:
            slides.append(self.diagram(None))
        for slide in slides:
            slide.part = "opening"
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
            if any(q.in_room for z in c.quizzes for q in z.scored):
                notes.append(self.ui("day_quiz"))
        return notes + [self.ui("duration", n=total)]

    def break_slide(self, pause: SessionBreak | timing.Break, lesson: Lesson, number: int,
                    following: Lesson | None = None, start: int | None = None) -> Slide:
        """The slide shown during the break after lesson ``number``. In the whole-course deck
        (``start`` given) its title says when it runs and it names the next module; a lesson's
        own deck knows only that module's number (it reads no other lesson)."""
        title = self.t(pause.title) if pause.title else timing.text("break", self.lang)
        if start is not None:
            title = self.ui("break_title", title=title, start=timing.wall_clock(self.course, start),
                            end=timing.wall_clock(self.course, start + pause.minutes))
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
            notes.append(self.ui("break_notes_resume", clock=timing.wall_clock(self.course, start + pause.minutes)))
        return Slide("break", title, subtitle=subtitle, notes=notes, lesson=lesson.id)

    def course_lesson(self, lesson: Lesson, number: int) -> list[Slide]:
        """Lesson ``number``'s part of the whole-course deck: a divider, then its teaching slides —
        the day's housekeeping (notice, agenda, sources, support) is said once, at the start and
        the end of the day. A generated title ("Summary") says which module it belongs to; an
        author's own title stands as written. Reads the lesson, its quiz and ``course.yaml`` only
        (the course deck keeps it as a fragment between builds)."""
        section = self.lesson_title(lesson, number, "section")
        section.part = "module"
        body = self.lesson_body(lesson, number, standalone=False)
        for slide in body:
            for each in [slide, *slide.parts]:
                if not each.own_title:
                    each.title = self.ui("module_of", title=each.title, n=number)
        return [section] + body

    def course_back(self) -> list[Slide]:
        """The whole-course deck after its last lesson: the intervention matrix as the day's last
        activity, every lesson's sources, support, and the close (evaluation, check-out)."""
        c = self.course
        slides = []
        matrix = self.matrix()
        if matrix is not None:
            slides.append(matrix)
        keys = [k for l in c.lessons for k in self.lesson_sources(l, self.shown_quiz(l))]
        if keys:
            slides.append(self.sources_slide(keys, self.ui("sources_notes_course")))
        if c.support and c.sensitive:  # support scaffolding only for a course with a sensitive lesson
            slides.append(self.support_slide())
        for slide in slides:
            slide.part = "matrix" if slide.kind == "matrix" else "closing"
        closing = ["closing_evaluation", "closing_checkout"] + (["closing_support"] if c.support and c.sensitive else [])
        slides.append(Slide("closing", self.ui("closing"), notes=[self.ui("closing_notes")], part="closing",
                            body=[_p(self.ui(key), bullet=BULLET, space_before=0.4) for key in closing]))
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
        rows, counts, notes = [], [], [self.ui(("matrix_notes_phases" if self.course.process else "matrix_notes")
                                               + self.of_sources)]
        for row in found.rows:
            actor = self.t(row.actor.name)
            rows.append([actor] + [" ".join(MATRIX_MARKS[e.basis] for e in cell) or self.core("matrix_none")
                                   for cell in row.cells])
            counts.append([len(cell) for cell in row.cells])

        legend = " · ".join(f"{MATRIX_MARKS[b]} {self.core(f'basis_short_{b}')}" for b in found.bases)
        footer = " · ".join(x for x in (legend, self.short(list(found.sources))) if x)
        icons = [row.actor.icon for row in found.rows]
        table = TableSpec([self.core("matrix_actor")] + heads, rows, [False] * (len(heads) + 1), counts=counts,
                          icons=icons if any(icons) else None)
        # The room works with the grid; each point's sentence is the facilitator guide's (too long for notes).
        notes += [self.ui("matrix_activity"), self.ui("matrix_guide")]
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
            where = dict(n=phases.index(lesson.phase) + 1, total=len(phases),
                         phase=self.t(self.course.phase(lesson.phase).name))
            process = self.course.process_name(self.lang)  # the course's own name for it, if it has one
            subtitle.insert(0, _p(self.ui("process_phase", process=_capital(process), **where) if process else
                                  self.ui("divider_phase", **where), bold_all=True))
        notes = [self.t(lesson.summary)] if lesson.summary else []
        notes.append(self.ui("duration", n=lesson.duration))
        if kind == "section" and lesson.sensitive:
            # The day's content notice was read at its start: before a sensitive module, one line.
            subtitle.append(_p(self.ui("reminder"), space_before=0.4))
            notes.append(self.ui("reminder_notes"))
            notice = [s for s in timing.plan_module(self.course, lesson, number, 0).slots if s.activity == "notice"]
            notes += [self.timing(s.minutes) for s in notice]
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

    def lesson_body(self, lesson: Lesson, number: int, standalone: bool = True) -> list[Slide]:
        """The lesson's slides after its title. ``standalone``: a lesson deck of its own, with its
        own notice, agenda, sources and support; in the whole-course deck the day says those once."""
        c = self.course
        quiz = self.shown_quiz(lesson)
        plan = timing.plan_module(c, lesson, number, 0)
        own = lesson.notes
        slides: list[Slide] = []
        if lesson.sensitive and standalone:
            notice = self.t(c.content_notice) if c.content_notice else self.core("content_notice")
            notes = [self.ui("notice_notes")] + [self.timing(s.minutes) for s in plan.slots
                                                 if s.activity == "notice"]
            slides.append(Slide("notice", self.core("content_notice_title"), body=paragraphs(notice), notes=notes))
        if standalone:
            slides.append(self.agenda(lesson, quiz, plan, self.pause_after(lesson, number)))
        if lesson.objectives:
            n = len(lesson.objectives)
            notes = [self.t(own.objectives)] if own and own.objectives else [
                self.ui("objectives_notes", n=n) if n > 1 else self.ui("objectives_notes_one")]
            if not (own and own.objectives) and lesson.summary:
                notes.append(self.t(lesson.summary))  # what this module is about: the notes are its own
            slides.append(Slide("objectives", self.core("objectives"),
                                body=[_p(self.t(o.text), bullet=BULLET, space_before=0.3) for o in lesson.objectives],
                                notes=notes))
        if lesson.phase and c.phases:
            slides.append(self.diagram(lesson))
        for section in lesson.sections:
            # With slide points the room reads those; the body (the reader's text) is what the
            # trainer tells, in the notes.
            notes = plain_lines(self.t(section.body)) if section.slide else []
            notes += [self.t(section.notes)] if section.notes else []
            notes.append(self.timing(plan.slot_for(section).minutes))
            notes += self.notes_sources(section.sources)
            title = self.t(section.title)
            shown = section.slide or section.body
            slides.append(Slide(section.layout or "content", title, body=paragraphs(self.t(shown)),
                                footer=self.short(section.sources), notes=notes, own_title=True,
                                part=f"section:{section.id}"))
            slides += [self.figure(section, figure) for figure in section_figures(section)]
        # A fact with a figure gets a slide of its own: the number large, the fact as its caption.
        for fact in (f for f in lesson.facts if f.figure):
            slides.append(Slide("figure", self.core("facts"), figure=self.t(fact.figure),
                                body=[Paragraph(inline(self.t(fact.text)), space_before=0)],
                                footer=self.short([fact.source]), notes=[self.t(fact.text)]
                                + self.notes_sources([fact.source])))
        plain = [f for f in lesson.facts if not f.figure]
        # The key facts together when they fit one slide, else a slide per fact (one idea each).
        for group in self.by_words(plain, self.core("facts"), lambda f: self.t(f.text) + " – "
                                   + self.t(c.source(f.source).short)):
            body = [Paragraph(inline(self.t(f.text)) + [Run(f" – {self.t(c.source(f.source).short)}", italic=True)],
                              bullet=BULLET if len(group) > 1 else None, space_before=0.4) for f in group]
            keys = [f.source for f in group]
            notes = [self.t(f.text) for f in group] if len(group) < len(plain) else []
            slides.append(Slide("facts", self.core("facts"), body=body, notes=notes + self.notes_sources(keys)))
        for table in lesson.tables:
            numeric = [all(isinstance(r[i], (int, float)) for r in table.rows if i < len(r))
                       for i in range(len(table.columns))]
            spec = TableSpec([self.t(col) for col in table.columns],
                             [[cell_text(cell, self.lang) for cell in row] for row in table.rows], numeric)
            footer = " ".join(x for x in (self.t(table.note), self.short([table.source])) if x)
            slides.append(Slide("table", self.t(table.caption), table=spec, footer=footer, own_title=True,
                                notes=[self.t(table.caption)] + self.notes_sources([table.source])))
        if lesson.interventions:
            slides.append(self.interventions(lesson))
        slot = {s.activity: s for s in plan.slots if s.activity in ("discussion", "quiz")}
        if lesson.discussion:
            slides += self.discussion(lesson, slot["discussion"])
            for slide in slides:
                if slide.kind == "discussion":
                    slide.part = "discussion"
        cases = {s.vignette.id: s for s in plan.slots if s.vignette is not None}
        for vignette in lesson.vignettes:
            for slide in self.case(vignette, cases[vignette.id].minutes):
                slide.part = f"vignette:{vignette.id}"
                slides.append(slide)
        if quiz:
            for slide in self.quiz(quiz, lesson, slot.get("quiz")):
                slide.part = "quiz"
                slides.append(slide)
        if lesson.takeaways:
            notes = [self.t(own.summary)] if own and own.summary else [self.ui("summary_notes")]
            if not (own and own.summary) and lesson.objectives:
                # Close the loop: the module's objectives, to check against what the group can now do.
                notes.append(self.ui("summary_objectives"))
                notes += [f"– {self.t(o.text)}" for o in lesson.objectives]
            notes += [self.timing(s.minutes) for s in plan.slots if s.activity == "close"]
            slides.append(Slide("summary", self.core("takeaways"), part="close",
                                body=[Paragraph(inline(self.t(x)), bullet=BULLET, space_before=0.4)
                                      for x in lesson.takeaways], notes=notes))
        keys = self.lesson_sources(lesson, quiz) if standalone else []
        if keys:
            slides.append(self.sources_slide(keys, self.t(own.sources) if own and own.sources
                                             else self.ui("sources_notes")))
        if lesson.sensitive and c.support and standalone:
            slides.append(self.support_slide())
        for slide in slides:
            slide.lesson = lesson.id
            for part in slide.parts:  # a split question's halves belong where the question does
                part.lesson, part.part = lesson.id, slide.part
        return slides

    def figure(self, section, figure) -> Slide:
        """A section's figure on a slide of its own, after the section's: the picture, or a native
        chart, titled by its caption (else the section's title); its credit and source in the
        source line; its alternative text and (a chart's) numbers in the notes."""
        from generator.figures import picture
        from generator.targets.deck.figures import chart_spec

        title = self.t(figure.caption) or self.t(section.title)
        alt = self.t(figure.alt)
        notes = [self.ui("figure_notes", alt=alt)] if alt else []
        if figure.image is not None:
            found = picture(self.course, figure.image)
            visual = Visual(self.media.image(found), alt, found.width, found.height)
            kind = "picture"
        else:
            spec = chart_spec(figure.chart, self.lang)
            visual = Visual(self.media.chart(spec), alt, chart=spec)
            kind = "chart"
            for name, values in spec.series:
                notes.append(f"{name}: " + "; ".join(f"{c} {i18n.format_number(v, self.lang)}"
                                                     for c, v in zip(spec.categories, values)))
        footer = " · ".join(x for x in (self.t(figure.credit), self.short([figure.source] if figure.source else []))
                            if x)
        notes += self.notes_sources([figure.source] if figure.source else [])
        return Slide(kind, title, footer=footer, notes=notes, visual=visual, own_title=True)

    def by_words(self, items: list, title: str, text) -> list[list]:
        """``items`` together when their words (``text(item)``) fit one slide under ``title``,
        else one group per item: a list split by meaning, never a continuation."""
        from generator.targets.deck.words import budget, markdown_words

        if not items:
            return []
        if sum(markdown_words(text(x)) for x in items) + len(items) <= budget(title):
            return [items]
        return [[x] for x in items]

    def discussion(self, lesson: Lesson, slot) -> list[Slide]:
        """The discussion prompts on one slide when they fit it, else a slide per prompt, each
        with its own guidance and minutes in the notes."""
        prompts = list(enumerate(lesson.discussion, 1))
        groups = self.by_words(prompts, self.core("discussion"), lambda x: self.t(x[1].prompt))
        given = [p.minutes for p in lesson.discussion]
        minutes = (given if all(given) and sum(given) == slot.minutes
                   else timing.apportion([1] * len(prompts), slot.minutes))
        slides = []
        split = len(groups) > 1
        for group in groups:
            body, notes = [], []
            for n, prompt in group:
                body.append(Paragraph(inline(self.t(prompt.prompt)), bullet=None if split else NUMBERED,
                                      start=n, space_before=0.5))
                if prompt.guidance:
                    notes.append(labelled(self.ui("guidance"), self.t(prompt.guidance)) if split
                                 else f"{n}. {labelled(self.ui('guidance'), self.t(prompt.guidance))}")
            if not notes:
                notes.append(self.ui("discussion_notes"))
            notes.append(self.timing(sum(minutes[n - 1] for n, _ in group)))
            title = (self.ui("discussion_n", n=group[0][0], total=len(prompts)) if split
                     else self.core("discussion"))
            slides.append(Slide("discussion", title, body=body, notes=notes))
        return slides

    def case(self, vignette, minutes: int) -> list[Slide]:
        """A case: one slide with the situation and the task — the group size, the time, what
        each group produces — and one with its questions. The first slide's notes say how to run
        it and carry its minutes; the second's are the debrief."""
        low, high = 4, 6  # groups of four to six (docs/authoring.md, "Timing a session")
        produce = self.t(vignette.task) if vignette.task else self.ui("case_produce")
        # The task first: it is what the room needs to start, and it stays on the case's first slide
        # whatever the length of the situation under it.
        task = Paragraph([Run(self.ui("case_task", low=low, high=high, minutes=self.core("minutes", n=minutes),
                                      produce=produce), bold=True)], space_before=0.0)
        title = self.t(vignette.title)
        debrief = ([labelled(self.ui("debrief"), self.t(vignette.debrief))] if vignette.debrief
                   else [self.ui("vignette_notes"), self.ui("case", title=self.t(vignette.title))])
        run = [self.ui("case", title=title), self.ui("case_run_notes", low=low, high=high),
               labelled(self.ui("case_produce_label"), produce), self.timing(minutes)]
        if not vignette.questions:
            return [Slide("vignette", self.ui("case", title=title), body=[task] + paragraphs(self.t(vignette.text)),
                          notes=run + debrief, own_title=True)]
        questions = [Paragraph(inline(self.t(q)), bullet=NUMBERED, start=n, space_before=0.4)
                     for n, q in enumerate(vignette.questions, 1)]
        return [Slide("vignette", self.ui("case", title=title), body=[task] + paragraphs(self.t(vignette.text)),
                      notes=run, own_title=True),
                Slide("vignette", self.ui("case_questions", title=title), body=questions, notes=debrief,
                      own_title=True)]

    def agenda(self, lesson: Lesson, quiz: Quiz | None, plan: timing.ModulePlan,
               pause: SessionBreak | None) -> Slide:
        """The module's parts with their minutes, as the session plan times them, and the break
        after it; the notes say what the module holds (or are the author's ``notes.agenda``)."""
        asked = sum(1 for q in quiz.scored if q.in_room) if quiz else 0
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
                notes.append(self.ui("module_notes_quiz", n=asked, total=len(quiz.scored)))
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
        process = c.process_name(self.lang)  # the course's own name for its process; else the crime script
        alt = (self.ui("process_alt", process=_capital(process), n=len(phases), phases=", ".join(n for _, n in phases))
               if process else self.ui("crime_script_alt", n=len(phases), phases=", ".join(name for _, name in phases)))
        if phase:
            alt += self.ui("crime_script_here", phase=self.t(phase.name))
        if lanes:
            alt += self.ui("crime_script_lanes", lanes=", ".join(
                f"{name} ({'; '.join(titles)})" for name, titles in lanes))
        if process:
            notes = [self.ui("process_notes" if lesson else "process_course_notes", process=process)]
        else:
            notes = [self.ui("crime_script_notes" if lesson else "crime_script_course_notes")]
        notes += [f"{self.t(p.name)}: {self.t(p.description)}" for p in c.phases if p.description]
        title = (_capital(process) if process else self.ui("crime_script")) + (f": {self.t(phase.name)}" if phase else "")
        shown = word_count(title) + 3 + sum(word_count(x) for x in [n for _, n in phases] + holds)
        lane_words = sum(word_count(name) + sum(word_count(t) for t in titles) for name, titles in lanes)
        if lanes and shown + lane_words > MAX_WORDS:
            notes += [f"{name} ({'; '.join(titles)})" for name, titles in lanes]
            lanes = []
        views = []
        for perspective in c.perspectives:
            texts = [next((self.t(v.text) for v in p.views if v.perspective == perspective.id), "") for p in c.phases]
            if any(texts):
                views.append((self.t(perspective.name), texts))
        view_words = word_count(title) + 3 + sum(word_count(n) for _, n in phases) + sum(
            word_count(name) + sum(word_count(t) for t in texts) for name, texts in views)
        if views and view_words > MAX_WORDS:
            # More words than a slide holds: the phases as before, the perspectives in the notes.
            notes += [f"{name}: " + "; ".join(f"{phase} – {text}" for (_, phase), text in zip(phases, texts) if text)
                      for name, texts in views]
            views = []
        if views:
            # Both perspectives per phase (the source's own frame): they take the room of the
            # descriptions and the lesson's sections, which the notes keep.
            if lanes:
                notes += [f"{name} ({'; '.join(titles)})" for name, titles in lanes]
            lanes, holds = [], []
            alt += self.ui("crime_script_views", views=" ".join(
                f"{name}: " + "; ".join(f"{phase} – {text}" for (_, phase), text in zip(phases, texts) if text) + "."
                for name, texts in views))
        notes += self.notes_sources(["cornish-1994"] if c.source("cornish-1994") else [])
        return Slide("diagram", title, diagram=DiagramSpec(phases, highlight, lanes, caption, alt, holds, views),
                     notes=notes)

    def interventions(self, lesson: Lesson) -> Slide:
        """The lesson's intervention points by actor: each a short label and its basis on the
        slide (a room reads a few words), the full sentence, source and perspective in the notes."""
        c = self.course
        body: list[Paragraph] = []
        notes = [self.ui("interventions_notes" + self.of_sources)]
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

    def quiz(self, quiz: Quiz, lesson: Lesson, slot: "timing.Slot | None" = None) -> list[Slide]:
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
        total = len(quiz.scored)
        more = total - len(asked)
        # The quiz's first slide says what the room is asked and what the self-check quiz keeps.
        overview = (self.ui("quiz_some", quiz=name, n=len(asked), total=total, more=more) if more
                    else self.ui("quiz_every", quiz=name))
        slides = []
        # The quiz's minutes in the room, shared over the questions asked (they add up to the plan).
        minutes = timing.apportion([1] * len(asked), slot.minutes) if slot is not None and asked else []
        for k, (n, q) in enumerate(asked):
            stem = Paragraph(inline(self.t(q.room_stem)), space_before=0.0)
            answers: list[Paragraph] = []
            feedback: list[str] = []
            columns = None
            if isinstance(q, Matching):
                answers.append(self.how_to_answer("match"))
                responses = shown_responses(q)
                letter = {p.id: chr(ord("A") + i) for i, p in enumerate(responses)}
                # Side by side: the numbered items left, the lettered answers right.
                columns = ([Paragraph(inline(self.t(p.room_premise_text)), bullet=NUMBERED, start=i, space_before=0.25)
                            for i, p in enumerate(q.pairs, 1)],
                           [Paragraph(inline(self.t(p.room_response_text)), bullet=LETTERED, start=i, space_before=0.25)
                            for i, p in enumerate(responses, 1)])
                answers += columns[0] + columns[1]
                brief = ", ".join(f"{i}–{letter[p.id]}" for i, p in enumerate(q.pairs, 1))
                full = [brief]
                for i, p in enumerate(q.pairs, 1):
                    feedback.append(f"{i}–{letter[p.id]}: {self.t(p.feedback)}")
            elif isinstance(q, Ordering):
                answers.append(self.how_to_answer("order"))
                shown = shown_steps(q)
                letter = {x.id: chr(ord("A") + i) for i, x in enumerate(shown)}
                answers += [Paragraph(inline(self.t(x.room_text)), bullet=LETTERED, start=i, space_before=0.25)
                            for i, x in enumerate(shown, 1)]
                brief = ", ".join(letter[x.id] for x in q.items)
                full = [brief]
                for i, x in enumerate(q.items, 1):
                    feedback.append(f"{i}. {self.t(x.feedback)}")
            else:
                options = shown_options(q)
                if isinstance(q, MultipleResponse):
                    answers.append(self.how_to_answer("several"))
                right = []
                for i, o in enumerate(options, 1):
                    answers.append(Paragraph(inline(self.t(o.room_text)), bullet=LETTERED, start=i, space_before=0.3))
                    feedback.append(f"{chr(ord('A') + i - 1)}. {self.t(o.feedback)}")
                    if o.correct:
                        right.append((chr(ord("A") + i - 1), self.t(o.text)))
                brief = ", ".join(letter for letter, _ in right)
                full = [f"{letter}. {text}" for letter, text in right]
            several = isinstance(q, MultipleResponse) and brief.count(",") > 0
            objective = objectives.get(q.objective)
            planned = []  # whether the plan asks it in the room, and what it assesses
            if any(x.in_room for x in quiz.scored):
                planned.append(self.ui("in_room", n=self.course.session.question_minutes) if q.in_room
                               else self.ui("not_in_room"))
            if objective:
                planned.append(self.ui("objective", text=self.t(objective.text)))
            first = [overview] if n == asked[0][0] else []
            # The question alone, when it must be split: the trainer reads it out, as the quiz words it.
            read_aloud = [self.ui("read_aloud"), self.t(q.stem)] + planned
            if minutes:
                planned = planned + [self.timing(minutes[k])]  # on the slide with the answers, once
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
            if columns is not None:
                slide.body = [stem, answers[0]]
                slide.columns = columns
            # Split, the source line stands under the question: the answers' slide keeps its words for them.
            slide.parts = [
                Slide("question", title, body=[stem], footer=footer,
                      notes=first + read_aloud),
                Slide("question", self.ui("question_answers", n=n), body=answers, notes=notes, reveal=reveal),
            ]
            slides.append(slide)
        return slides

    def how_to_answer(self, key: str) -> Paragraph:
        """The line that says how to answer ("Match each number to a letter."), at body size."""
        return Paragraph([Run(self.ui(key), italic=True)], space_before=0.4)

    def sources_slide(self, keys: list[str], notes: str) -> Slide:
        """The sources, in full when they fit one slide; else by their short forms, the full
        citations in the notes (a room does not read a reference list; a reader finds it there,
        in the guide and on the site)."""
        from generator.targets.deck.words import budget, markdown_words

        sources = [s for key in dict.fromkeys(keys) if (s := self.course.source(key)) is not None]
        full = sum(markdown_words(self.t(s.citation)) for s in sources) <= budget(self.core("sources"))
        body = []
        for source in sources:
            runs = inline(self.t(source.citation if full else source.short))
            if source.url:
                runs += [Run(" "), Run(source.url, link=source.url)]
            body.append(Paragraph(runs, space_before=0.5 if full else 0.3, scale=0.85 if full else 1.0,
                                  bullet=None if full else BULLET))
        cited = [] if full else [self.ui("notes_sources")] + [f"– {c}" for c in self.citations(keys)]
        return Slide("sources", self.core("sources"), body=body, notes=[notes] + cited)

    def support_slide(self) -> Slide:
        """Where to find help: each resource's name with its contact, whole (a slide never ends
        between them); what each offers is said in the notes."""
        body = []
        notes = [self.ui("support_notes")]
        for resource in self.course.support:
            contact = []
            if resource.phone:
                contact.append(Run(self.ui("phone", n=resource.phone)))
            if resource.url:
                if contact:
                    contact.append(Run(" · "))
                contact.append(Run(resource.url, link=resource.url))
            body.append(Paragraph([Run(self.t(resource.name), bold=True)], keep_with_next=bool(contact),
                                  space_before=0.6))
            if contact:
                body.append(Paragraph(contact, space_before=0.1, scale=0.9))
            notes.append(f"{self.t(resource.name)}: {self.t(resource.description)}")
        return Slide("support", self.core("support_title"), body=body, notes=notes)


def _capital(text: str | None) -> str:
    """``text`` with a capital first letter, the rest as written (a heading, a sentence's start)."""
    return (text[:1].upper() + text[1:]) if text else ""
