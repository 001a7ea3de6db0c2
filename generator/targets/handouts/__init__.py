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
from generator.i18n import LANGUAGE_NAMES, Catalog, core_text, review_facts
from generator.model import Course, InterventionPoint, Lesson, Matching, Ordering, Quiz, Section, Text, TrueFalse
from generator.session import ModulePlan, Slot, apportion, clock, plan_module, session_minutes, session_plan  # noqa: F401
from generator.shuffle import stable_shuffle
from generator.targets import Artifact, Job

# Jinja, markdown and markupsafe are imported where documents are rendered, not here: a build plans
# (and a build with nothing to do finishes) by importing every target, and must not pay for them
# (tests/cli/test_startup.py).
if TYPE_CHECKING:  # pragma: no cover
    from markupsafe import Markup

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STYLESHEET = HERE / "print.css"

text = Catalog("handouts", {
    # document names
    "facilitator_guide": {"nl": "Handleiding voor de trainer", "en": "Facilitator guide"},
    "print_quiz": {"nl": "Toets op papier", "en": "Paper quiz"},
    "answer_key": {"nl": "Antwoordsleutel", "en": "Answer key"},
    "scenario_cards": {"nl": "Casuskaarten", "en": "Scenario cards"},
    "page": {"nl": "Pagina", "en": "Page"},
    # title page
    "audience": {"nl": "Doelgroep", "en": "Audience"},
    "language": {"nl": "Taal", "en": "Language"},
    "version": {"nl": "Versie", "en": "Version"},
    "session_length": {"nl": "Duur van de sessie", "en": "Session length"},
    "modules_count": {"nl": "Modules", "en": "Modules"},
    "hours_minutes": {"nl": "{h} uur {m} min. ({total} min.)", "en": "{h} h {m} min ({total} min)"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
    "for_trainers": {"nl": "Alleen voor de trainer — niet uitdelen aan deelnemers.",
                     "en": "For the trainer only — do not hand out to participants."},
    # session plan
    "session_plan": {"nl": "Sessieplan", "en": "Session plan"},
    "session_plan_intro": {
        "nl": "Tijden lopen vanaf het begin van de sessie (0:00), pauzes meegerekend.",
        "en": "Times run from the start of the session (0:00), breaks included.",
    },
    "session_plan_group": {
        "nl": "Gepland voor een groep van {n} deelnemers.",
        "en": "Planned for a group of {n} participants.",
    },
    "start": {"nl": "Start", "en": "Start"},
    "end": {"nl": "Einde", "en": "End"},
    "duration": {"nl": "Duur", "en": "Duration"},
    "part": {"nl": "Onderdeel", "en": "Part"},
    "total": {"nl": "Totaal", "en": "Total"},
    "module_n": {"nl": "Module {n}", "en": "Module {n}"},
    "plan_scaled": {
        "nl": "De geplande minuten van de onderdelen ({planned} min.) passen niet in de duur van de module "
              "({duration} min.); de tijden zijn naar verhouding aangepast.",
        "en": "The parts' planned minutes ({planned} min) do not fit the module's duration ({duration} min); "
              "the times have been scaled to fit.",
    },
    "sensitive": {"nl": "Inhoudswaarschuwing", "en": "Content notice"},
    # wellbeing note
    "wellbeing": {"nl": "Zorg voor jezelf en de groep", "en": "Looking after yourself and the group"},
    "wellbeing_intro": {
        "nl": "Dit onderwerp kan deelnemers én trainers raken, ook wie er dagelijks mee werkt. Lees deze "
              "pagina voordat je de sessie geeft.",
        "en": "This subject can affect participants and trainers alike, including people who work with it "
              "every day. Read this page before you run the session.",
    },
    "wellbeing_notice_title": {"nl": "Inhoudswaarschuwing", "en": "Content notice"},
    "wellbeing_notice": {
        "nl": "Lees aan het begin van elke module met een inhoudswaarschuwing deze tekst voor of laat hem zien:",
        "en": "At the start of each module with a content notice, read out or show this text:",
    },
    "wellbeing_sensitive_modules": {"nl": "Modules met een inhoudswaarschuwing: {modules}.",
                                    "en": "Modules with a content notice: {modules}."},
    "wellbeing_breaks_title": {"nl": "Pauzes", "en": "Breaks"},
    "wellbeing_breaks": {
        "nl": "Plan een korte pauze na elke module met een inhoudswaarschuwing, en las er een in zodra de "
              "groep daar behoefte aan heeft. Zeg aan het begin dat iedereen op elk moment even de ruimte "
              "mag verlaten.",
        "en": "Plan a short break after each module with a content notice, and add one whenever the group "
              "needs it. Say at the start that anyone may step out of the room at any time.",
    },
    "wellbeing_breaks_planned": {
        "nl": "Pauzes in het sessieplan: {n}, samen {minutes} minuten. Las er een extra in zodra de groep "
              "daar behoefte aan heeft. Zeg aan het begin dat iedereen op elk moment even de ruimte mag verlaten.",
        "en": "Breaks in the session plan: {n}, {minutes} minutes in all. Add one whenever the group needs it. "
              "Say at the start that anyone may step out of the room at any time.",
    },
    "wellbeing_opt_out_title": {"nl": "Niet meedoen aan een gesprek", "en": "Opting out of discussion"},
    "wellbeing_opt_out": {
        "nl": "Deelnemers mogen een bespreking of casus overslaan zonder uitleg. Vraag niet naar eigen "
              "ervaringen en stuur een gesprek bij dat over details van misbruik gaat: de training gaat "
              "over het proces en de aangrijpingspunten.",
        "en": "Participants may sit out a discussion or case without explaining why. Do not ask about "
              "personal experiences, and steer away from any conversation about details of abuse: the "
              "training is about the process and the intervention points.",
    },
    "wellbeing_peer_title": {"nl": "Collegiale steun", "en": "Peer support"},
    "wellbeing_peer": {
        "nl": "Geef de sessie bij voorkeur met een collega. Sluit af met een korte check-in met de groep, "
              "en bespreek de sessie na met een collega, je leidinggevende of een vertrouwenspersoon — ook "
              "als het goed ging. Ken je eigen grenzen en neem ze serieus.",
        "en": "Run the session with a colleague where you can. Close with a short check-in with the group, "
              "and debrief afterwards with a colleague, your supervisor or a confidential adviser — even "
              "when it went well. Know your own limits and take them seriously.",
    },
    "wellbeing_support_title": {"nl": "Waar je steun vindt", "en": "Where to find support"},
    "wellbeing_support": {
        "nl": "Noem deze adressen aan het eind van elke gevoelige module en aan het eind van de sessie:",
        "en": "Mention these at the end of each sensitive module and at the end of the session:",
    },
    # module pages
    "phase": {"nl": "Fase", "en": "Phase"},
    "time": {"nl": "Tijd", "en": "Time"},
    "what_to_say": {"nl": "Wat je zegt", "en": "What to say"},
    "content": {"nl": "Inhoud voor deelnemers", "en": "Content for participants"},
    "sources_used": {"nl": "Bronnen", "en": "Sources"},
    "guidance": {"nl": "Begeleiding", "en": "Guidance"},
    "questions": {"nl": "Vragen", "en": "Questions"},
    "debrief": {"nl": "Wat een goede bespreking oplevert", "en": "What a good discussion reaches"},
    "basis": {"nl": "Basis", "en": "Basis"},
    "read_notice": {"nl": "Lees voor aan het begin van de module:", "en": "Read out at the start of the module:"},
    "quiz_key": {"nl": "Antwoordsleutel van de toets", "en": "Quiz answer key"},
    "quiz_in_room": {"nl": "Vragen voor de groep: {numbers} ({n} van de {total}); de andere zijn voor de zelftoets.",
                     "en": "Questions for the room: {numbers} ({n} of {total}); the others are for the self-check quiz."},
    "no_quiz": {"nl": "Deze module heeft geen toets.", "en": "This module has no quiz."},
    "support_reminder": {"nl": "Sluit af met waar deelnemers steun vinden (zie het begin van deze handleiding).",
                         "en": "Close with where participants find support (see the start of this guide)."},
    # quiz on paper
    "name": {"nl": "Naam", "en": "Name"},
    "date": {"nl": "Datum", "en": "Date"},
    "quiz_intro": {
        "nl": "Beantwoord de vragen zelfstandig. Bij elke vraag staat hoe je antwoordt.",
        "en": "Answer the questions on your own. Each question says how to answer.",
    },
    "how_single": {"nl": "Kruis één antwoord aan.", "en": "Tick one answer."},
    "how_multiple": {"nl": "Kruis alle juiste antwoorden aan.", "en": "Tick every correct answer."},
    "how_true_false": {"nl": "Kruis juist of onjuist aan.", "en": "Tick true or false."},
    "how_matching": {"nl": "Schrijf bij elk nummer de letter van het antwoord dat erbij hoort.",
                     "en": "Next to each number, write the letter of the answer that belongs to it."},
    "how_ordering": {"nl": "Nummer de stappen in de goede volgorde, van 1 tot en met {n}.",
                     "en": "Number the steps in the right order, from 1 to {n}."},
    "question_n": {"nl": "Vraag {n}", "en": "Question {n}"},
    "questions_count": {"nl": "{n} vragen", "en": "{n} questions"},
    "question_count_one": {"nl": "1 vraag", "en": "1 question"},
    # scenario cards
    "case_n": {"nl": "Casus {n} van {total}", "en": "Case {n} of {total}"},
    "cards_count": {"nl": "{n} casussen", "en": "{n} cases"},
    "card_count_one": {"nl": "1 casus", "en": "1 case"},
    "discuss_in_group": {
        "nl": "Bespreek de vragen in je groep. Je mag een gesprek altijd overslaan, zonder uitleg.",
        "en": "Discuss the questions in your group. You may always sit out a discussion, without saying why.",
    },
    # answer key
    "answer": {"nl": "Antwoord", "en": "Answer"},
    "correct": {"nl": "juist", "en": "correct"},
    "incorrect": {"nl": "onjuist", "en": "incorrect"},
    "feedback": {"nl": "Feedback", "en": "Feedback"},
    "option": {"nl": "Optie", "en": "Option"},
    "explanation": {"nl": "Toelichting", "en": "Explanation"},
    "objective": {"nl": "Leerdoel", "en": "Objective"},
    "position": {"nl": "Plaats", "en": "Position"},
    "matches": {"nl": "Hoort bij", "en": "Matches"},
    "pass_mark": {"nl": "Cesuur", "en": "Pass mark"},
    "pass_mark_detail": {"nl": "{percent}% — minstens {required} van de {total} vragen goed.",
                         "en": "{percent}% — at least {required} of {total} questions right."},
    "scoring": {
        "nl": "Tel een vraag alleen als goed wanneer het hele antwoord klopt.",
        "en": "Count a question as right only when the whole answer is right.",
    },
    "type_single": {"nl": "één antwoord", "en": "single choice"},
    "type_multiple": {"nl": "meerdere antwoorden", "en": "multiple response"},
    "type_true-false": {"nl": "juist/onjuist", "en": "true/false"},
    "type_matching": {"nl": "koppelen", "en": "matching"},
    "type_ordering": {"nl": "volgorde", "en": "ordering"},
})


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


def _mixed(items: Sequence[Any], *seed: str) -> list[Any]:
    """``stable_shuffle``, and never the written order: on paper, responses or steps printed in
    the order of the key (1–A, 2–B) would give the answer away, even with only two of them."""
    mixed = stable_shuffle(items, *seed)
    if len(mixed) >= 2 and [m.id for m in mixed] == [i.id for i in items]:
        mixed = mixed[1:] + mixed[:1]
    return mixed


def paper_question(quiz: Quiz, question: Any, number: int) -> PaperQuestion:
    """``question`` lettered for paper; options, responses and steps mixed by ``stable_shuffle``
    seeded with the quiz and question ids, so the quiz and its answer key always agree."""
    seed = (quiz.id, question.id)
    if isinstance(question, TrueFalse):  # true before false, as every paper test prints it
        options = question.choices()
        return PaperQuestion(number, question, [
            Choice(letter(i), o.id, o.text, o.feedback, correct=o.correct) for i, o in enumerate(options)])
    if isinstance(question, Matching):
        responses = _mixed(question.pairs, *seed)
        letters = {p.id: letter(i) for i, p in enumerate(responses)}
        choices = [Choice(letters[p.id], p.id, p.response, None) for p in responses]
        premises = [Premise(i, p.premise, letters[p.id], p.response, p.feedback)
                    for i, p in enumerate(question.pairs, start=1)]
        return PaperQuestion(number, question, choices, premises)
    if isinstance(question, Ordering):
        place = {item.id: i for i, item in enumerate(question.items, start=1)}
        steps = _mixed(question.items, *seed)
        return PaperQuestion(number, question, [
            Choice(letter(i), s.id, s.text, s.feedback, position=place[s.id]) for i, s in enumerate(steps)])
    options = stable_shuffle(question.options, *seed)
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
                                governing_review=lambda lesson: governing_review(job.course, lesson))
        audience = job.course.audience(job.audience)
        title = text(name, lang)
        # What every part shows of the document; all of it comes from the course file and the job.
        self.common = dict(
            document=name,
            document_title=title,
            footer=f"{title} · {audience.name.get(lang)}" if audience else title,
            audience=audience,
            logo=logo_uri(job.course),
            language_name=LANGUAGE_NAMES[lang][lang] if lang in LANGUAGE_NAMES else lang,
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
