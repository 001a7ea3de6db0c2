"""Printable handouts for a classroom: the facilitator guide, the paper quiz and its answer key,
and the scenario cards for group work.

The three share one base template, one print stylesheet (A4, a page per module, tables that do not
break across pages) and the paper form of each quiz (the numbers and letters the learner sees on
the quiz are the ones the trainer reads on the answer key). The guide's session plan (times that
add up to the session length, breaks included) is ``generator.session``'s, which the decks show
too. Each document is one self-contained HTML file: CSS inlined, no scripts, nothing fetched.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence
from urllib.parse import urlsplit

from generator.checks import IMAGE_KINDS, resolve_course_path
from generator.i18n import Catalog, core_text, language_name, review_facts
from generator.model import Course, InterventionPoint, Lesson, Matching, Ordering, Quiz, Section, Text
from generator.session import ModulePlan, Slot, apportion, clock, plan_module, session_minutes, session_plan  # noqa: F401
from generator.shuffle import shown_options, shown_responses, shown_steps
from generator.targets import Artifact, Job

# Jinja, markdown and markupsafe are imported where documents are rendered, not here: a build plans
# (and a build with nothing to do finishes) by importing every target, and must not pay for them
# (tests/cli/test_startup.py).
if TYPE_CHECKING:  # pragma: no cover
    from markupsafe import Markup

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STYLESHEET = HERE / "print.css"

text = Catalog("handouts")


# --- the session plan: generator.session (the decks show the same times) ------------------------

# --- quizzes on paper ----------------------------------------------------------------------------


def letter(index: int) -> str:
    """A, B, … Z, AA, AB, … for the 0-based ``index``."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


@dataclass(frozen=True)
class Choice:
    """A lettered line on paper: an option, a matching response or a step to put in order."""

    letter: str
    id: str
    text: Text
    feedback: Text | None
    correct: bool = False  # single, multiple, true/false
    position: int | None = None  # ordering: the step's place in the right order, from 1


@dataclass(frozen=True)
class Premise:
    """A numbered line in the left column of a matching question."""

    number: int
    text: Text
    letter: str  # the letter of the response that matches it
    response: Text
    feedback: Text


@dataclass(frozen=True)
class PaperQuestion:
    """A question as printed: its number, and its choices lettered in their printed order."""

    number: int
    question: Any  # one of the model's question types
    choices: list[Choice]
    premises: list[Premise] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def answer(self) -> list[str]:
        """The right answer as letters: the correct choices (choice questions), the letter for each
        premise in order (matching), or the letters in the right order (ordering)."""
        if self.kind == "matching":
            return [p.letter for p in self.premises]
        if self.kind == "ordering":
            return [c.letter for c in sorted(self.choices, key=lambda c: c.position or 0)]
        return [c.letter for c in self.choices if c.correct]


@dataclass(frozen=True)
class PaperQuiz:
    module: int
    lesson: Lesson
    quiz: Quiz
    pass_mark: int  # percent
    questions: list[PaperQuestion]

    @property
    def required(self) -> int:
        """Questions a learner must get right to pass."""
        return math.ceil(self.pass_mark * len(self.questions) / 100)


def paper_question(quiz: Quiz, question: Any, number: int) -> PaperQuestion:
    """``question`` lettered for paper, in the one shown order of every output
    (generator/shuffle.py): the quiz, its answer key, the guide and the deck always agree."""
    if isinstance(question, Matching):
        responses = shown_responses(question)
        letters = {p.id: letter(i) for i, p in enumerate(responses)}
        choices = [Choice(letters[p.id], p.id, p.response, None) for p in responses]
        premises = [Premise(i, p.premise, letters[p.id], p.response, p.feedback)
                    for i, p in enumerate(question.pairs, start=1)]
        return PaperQuestion(number, question, choices, premises)
    if isinstance(question, Ordering):
        place = {item.id: i for i, item in enumerate(question.items, start=1)}
        steps = shown_steps(question)
        return PaperQuestion(number, question, [
            Choice(letter(i), s.id, s.text, s.feedback, position=place[s.id]) for i, s in enumerate(steps)])
    options = shown_options(question)
    return PaperQuestion(number, question, [
        Choice(letter(i), o.id, o.text, o.feedback, correct=o.correct) for i, o in enumerate(options)])


def paper_quizzes(course: Course) -> list[PaperQuiz]:
    """The quiz of every module that has one, in module order, numbered and lettered for paper."""
    found = []
    for module, lesson in enumerate(course.lessons, start=1):
        quiz = course.quiz_for(lesson)
        if quiz is None or not quiz.scored:
            continue
        # Check items (scored: false) belong to the lesson page, not to the quiz on paper.
        questions = [paper_question(quiz, q, n) for n, q in enumerate(quiz.scored, start=1)]
        found.append(PaperQuiz(module, lesson, quiz, course.quiz_pass_mark(quiz), questions))
    return found


# --- rendering -----------------------------------------------------------------------------------


def css_string(value: str) -> Markup:
    """``value`` as a CSS string literal that nothing in it can end early (quotes, ``</style>``)."""
    from markupsafe import Markup

    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in value)
    return Markup(f'"{escaped}"')


def md_inline(value: Text | str | None, lang: str) -> Markup:
    """Markdown of one short paragraph (a fact, a takeaway) without its ``<p>`` wrapper."""
    from markupsafe import Markup

    from generator import html

    source = value.get(lang) if isinstance(value, Text) else (value or "")
    rendered = html.markdown_html(source)
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return Markup(rendered)


def link(url: str | None) -> Markup:
    """``url`` as a link when it is a web, mail or phone address, else as plain text: URLs in
    course.yaml are not markdown, so they do not pass the sanitiser and are checked here."""
    from markupsafe import Markup

    if not url:
        return Markup("")
    if urlsplit(url.strip()).scheme.lower() in ("http", "https", "mailto", "tel"):
        return Markup('<a href="{0}">{0}</a>').format(url.strip())
    return Markup("{0}").format(url)


def by_actor(course: Course, points: Sequence[InterventionPoint]) -> list[tuple[str, list[InterventionPoint]]]:
    """Intervention points grouped by actor, actors in the course's order."""
    order = {a.id: i for i, a in enumerate(course.actors)}
    groups: dict[str, list[InterventionPoint]] = {}
    for point in points:
        groups.setdefault(point.actor, []).append(point)
    return sorted(groups.items(), key=lambda g: (order.get(g[0], len(order)), g[0]))


_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def logo_uri(course: Course) -> str | None:
    """The organisation's logo as a ``data:`` URI, so the document stays one self-contained file.

    The path was checked when the course was loaded (inside the course, a real PNG or JPEG); it is
    checked again here because the handouts must never embed anything else.
    """
    logo = course.branding.logo
    if not logo or course.root is None or resolve_course_path(course.root, logo, IMAGE_KINDS):
        return None
    data = (course.root / logo).read_bytes()
    return f"data:{_IMAGE_TYPES[Path(logo).suffix.lower()]};base64,{base64.b64encode(data).decode('ascii')}"


class Document:
    """One handout being rendered for a job (``templates/<name>.html``; ``name`` is also the
    catalogue key of its title): one self-contained HTML document."""

    def __init__(self, job: Job, name: str):
        from markupsafe import Markup

        from generator import html
        from generator.figure_html import figure_views

        lang = job.lang
        self.job = job
        self.name = name
        self.env = html.environment(
            TEMPLATES, job.course, lang,
            label=lambda key, **values: text(key, lang, **values),
            clock=clock,
            session_minutes=session_minutes,
            stylesheet=Markup(STYLESHEET.read_text(encoding="utf-8")),
        )
        self.env.filters.update(css_string=css_string, md_inline=lambda value: md_inline(value, lang))
        from generator.governance.review import governing_review

        self.env.globals.update(link=link, by_actor=lambda points: by_actor(job.course, points),
                                core_notice=core_text("content_notice"),
                                review_facts=lambda review, version=None: review_facts(review, version, lang),
                                governing_review=lambda lesson: governing_review(job.course, lesson),
                                figures=lambda section: figure_views(job.course, section, lang, embed=True))
        audience = job.course.audience(job.audience)
        title = text(name, lang)
        # What every part shows of the document; all of it comes from the course file and the job.
        self.common = dict(
            document=name,
            document_title=title,
            footer=f"{title} · {audience.name.get(lang)}" if audience else title,
            audience=audience,
            logo=logo_uri(job.course),
            language_name=language_name(lang),
        )

    def render(self, **context: Any) -> str:
        return self.env.get_template(f"{self.name}.html").render(**self.common, **context)

    def lesson_part(self, template: str, lesson: Lesson, depends: tuple, **context: Any) -> Markup:
        """One lesson's part of the document (``templates/<template>``), kept between builds.

        The part may read that lesson, its quiz, the course file and ``context``; whatever in
        ``context`` comes from other lessons (the module's number, its start in the session) must
        be in ``depends`` (see ``Job.fragment``).
        """
        from markupsafe import Markup

        def make() -> bytes:
            return self.env.get_template(template).render(**self.common, **context).encode()
        return Markup(self.job.fragment(f"{self.name}:{template}", lesson.id, make, *depends).decode())


def write(job: Job, name: str, page: str, **extra: Any) -> Artifact:
    path = job.dir / name
    path.write_text(page, encoding="utf-8", newline="\n")
    return job.artifact(path, **extra)
