"""The course model: the contract between loading and rendering.

The loader turns YAML into these objects and checks them; every output target reads only these
objects, never YAML. Structure (ids, correct answers, order) exists once; only the words are
per-language (:class:`Text`), so translations cannot drift apart.
"""

import datetime
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Iterator, Literal, Union

from generator import limits
from pydantic import (
    BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator, model_validator,
)

if TYPE_CHECKING:  # pragma: no cover
    from generator.loader.yaml_source import SourceMap
    from generator.problems import Problem

Id = Annotated[
    str,
    Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=80,
          description="lower-case letters, digits, '-', '_' and '.'; stable across builds"),
]
Lang = Annotated[str, Field(pattern=r"^[a-z]{2,3}$", description="ISO 639-1 language code, e.g. nl or en")]


def _no_items() -> list:
    """An empty list as a default. (Not ``default_factory=list``: pydantic inspects the factory's
    signature, which for a builtin means parsing its text signature — 18 of them cost more
    start-up time than building a model class.)"""
    return []


# Text lives in a module of its own so that the interface catalogues (generator.i18n) can make one
# without importing the model: the model asks i18n for true/false, never the other way round.
from generator.text import ANY_LANGUAGE, Text  # noqa: E402  (re-exported: the model's texts)


class Node(BaseModel):
    """Base of every model object: strict fields, and a memory of where it was written."""

    # Validators are built when a file is first validated: only the three file models
    # (course, lesson, quiz) need one, the nested models are validated as part of them.
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=False, defer_build=True)
    # Where the object stands, set by the loader after validation. Plain instance attributes, not
    # pydantic private attributes: those cost a dict per object and a call per validated object
    # (a tenth of the load time of a large course); model_copy carries these along with the fields.
    _source: ClassVar["SourceMap | None"] = None
    _loc: ClassVar[tuple] = ()

    def locate(self, source: "SourceMap", loc: tuple) -> None:
        """Record where this object stands (set by the loader after validation)."""
        object.__setattr__(self, "_source", source)
        object.__setattr__(self, "_loc", loc)

    def problem(self, message: str, field: str | int | tuple | None = None, hint: str | None = None,
                *, at_value: bool = False) -> "Problem":
        """A problem pointing at this object, or at one of its fields (its key; with ``at_value``,
        its value: a date that has passed is wrong in the value, not in the key)."""
        from generator.problems import Problem

        if self._source is None:
            return Problem("<course>", 1, 1, message, hint)
        loc = self._loc
        if field is not None:
            loc = loc + (field if isinstance(field, tuple) else (field,))
        pos = self._source.locate(loc, prefer_key=field is not None and not at_value)
        return Problem(self._source.path, pos.line, pos.column, message, hint)


AudienceIds = Annotated[
    list[Id] | None,
    Field(description="audience ids this item is for; omitted means every audience"),
]


class ForAudiences(Node):
    audiences: AudienceIds = None

    def is_for(self, audience: str | None) -> bool:
        return audience is None or self.audiences is None or audience in self.audiences


# --- review (governance) ---------------------------------------------------------------------

ReviewStatus = Literal["draft", "approved"]


class Review(Node):
    """Who owns a lesson (or the course), when it was last checked against its sources, when it
    must be checked again, and whether it is approved for use: training material in policing is a
    controlled document. ``modgen validate`` warns once ``next_review`` has passed;
    ``modgen build --release`` refuses drafts and overdue lessons."""

    owner: str | None = Field(default=None, max_length=200,
                              description="who keeps this up to date: a person, team or role")
    reviewed: datetime.date | None = Field(default=None, description="last checked against the sources (YYYY-MM-DD)")
    next_review: datetime.date | None = Field(default=None, description="check again by (YYYY-MM-DD)")
    status: ReviewStatus = Field(default="draft", description="'approved' once approved for use")
    approved_by: str | None = Field(default=None, max_length=200, description="who approved this version")

    @field_validator("reviewed", "next_review", mode="before")
    @classmethod
    def _calendar_date(cls, value: Any) -> Any:
        # pydantic would read a number as seconds since 1970: `reviewed: 2026` must not become 1970-01-01.
        if value is None or isinstance(value, datetime.date):
            return value
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            # pydantic's own words ("month value is outside expected range of 1-12") say less.
            raise ValueError(f"{value.strip()!r} is not a date in the calendar (YYYY-MM-DD: year, month 01-12, "
                             "day of that month)") from None


# --- course.yaml -----------------------------------------------------------------------------


class Source(Node):
    """A citable reference. Course text cites it by ``key``."""

    key: Id
    citation: Text = Field(description="full reference as it appears in a source list")
    short: Text = Field(description="short form for slides, e.g. 'Van der Bruggen & Blokland'")
    url: str | None = None


class SupportResource(Node):
    """Where learners find help or can report; shown at the end of sensitive modules."""

    id: Id
    name: Text
    description: Text
    phone: str | None = None
    url: str | None = None
    wellbeing: bool = Field(default=False, description=(
        "support for the learners themselves — a professional affected by the material (employee "
        "assistance, a confidential counsellor, peer support); listed first on the support page"))


class Colours(Node):
    primary: str = Field(default="#1F3A5F", pattern=r"^#[0-9A-Fa-f]{6}$")
    accent: str = Field(default="#C8102E", pattern=r"^#[0-9A-Fa-f]{6}$")


class Branding(Node):
    template: str | None = Field(default=None, description="path to a .pptx/.potx inside the course")
    logo: str | None = Field(default=None, description="path to a PNG/JPEG/SVG logo inside the course")
    colours: Colours = Field(default_factory=Colours)
    organisation: Text | None = None


class Decks(Node):
    """How the trainer decks are made."""

    quiz: Literal["reveal", "questions", "none", "classroom"] = Field(
        default="reveal",
        description="reveal: one slide per question, the answer shown on a click; questions: the question "
                    "slides without the answers (they are in the notes); none: no quiz slides; classroom: one "
                    "slide that sends the room to the live session of 'modgen classroom'")
    questions: Literal["in-room", "all"] = Field(
        default="in-room",
        description="in-room: the question slides are the questions the session asks in the room (in_room: "
                    "true), when the quiz marks any, else every question; all: every question of the quiz. "
                    "The printable quiz and the site always hold every question")
    text_size: int = Field(default=32, ge=24, le=44, description=(
        "the largest body text on slides, in points (24-44); text that does not fit goes down to "
        "24 pt, then continues on the next slide, never smaller"))


class Moodle(Node):
    """How the Moodle XML export is written (GIFT always writes ordering as matching)."""

    ordering: Literal["ordering", "matching"] = Field(
        default="ordering",
        description="ordering (default): ordering questions as Moodle's ordering type, part of Moodle from "
                    "4.4 (before: the qtype_ordering plugin); matching: each step matched to its position "
                    "('Step 1', ...), for Moodle 4.3 and older without the plugin, whose Moodle XML import "
                    "otherwise saves nothing (docs/lms.md)")


class SiteSettings(Node):
    """How the self-study site presents a lesson."""

    steps: bool = Field(default=False, description=(
        "show a lesson in steps: its parts (what 'On this page' lists) one after another, each opened by "
        "a 'Continue' button at the end of the one before (like a continue block); false: the whole "
        "lesson on one page"))


class Audience(Node):
    id: Id
    name: Text
    description: Text | None = None


class PhaseView(Node):
    """What a phase looks like from one perspective, in a few words: a cell of the crime-script
    figure (e.g. the individual member: 'Registers, looks around, meets members')."""

    perspective: Id
    text: Text


class Phase(Node):
    """One step of the crime script (Cornish, 1994)."""

    id: Id
    name: Text
    description: Text | None = None
    views: list[PhaseView] = Field(default_factory=_no_items, description=(
        "the phase from each perspective in a few words (about five): the crime-script figure shows "
        "them per phase, a row per perspective"))


class Perspective(Node):
    """A point of view from which each phase is described, e.g. individual member vs organisation."""

    id: Id
    name: Text


def _icon_names(schema: dict) -> None:
    """Offers the icon names for completion in an editor. Read when a schema is written, not at
    import: the checks report an unknown name at its line (checks._icons)."""
    from generator.icons import NAMES

    schema["anyOf"] = [{"enum": list(NAMES), "type": "string"}, {"type": "null"}]


class Actor(Node):
    """Who can act at an intervention point: police, probation, therapists, platforms, …"""

    id: Id
    name: Text
    icon: str | None = Field(default=None, description="an icon from modgen's set (generator/icons), e.g. shield",
                             json_schema_extra=_icon_names)


class SessionBreak(Node):
    """A break in a classroom session, after a module."""

    after: Id = Field(description="the id of the module the break follows")
    minutes: int = Field(ge=1, le=240)
    title: Text | None = Field(default=None, description="e.g. 'Lunch'; default: 'Break'")
    notes: Text | None = Field(default=None, description="what the trainer says when announcing it")


class Session(Node):
    """How the course runs in a room: group size, breaks and the minutes of the generated parts."""

    group_size: int = Field(default=12, ge=1, le=1000, description=(
        "participants in the room; sets the minimum minutes per question of discussions and cases "
        "(docs/authoring.md)"))
    breaks: list[SessionBreak] = Field(default_factory=_no_items)
    break_after_sensitive: int | None = Field(default=None, ge=1, le=240, description=(
        "minutes of a break after every sensitive module that has no break listed in 'breaks' "
        "(the last module excepted: the session ends there)"))
    notice_minutes: int = Field(default=1, ge=0, le=30, description=(
        "minutes for reading the content notice at the start of each sensitive module"))
    question_minutes: int = Field(default=2, ge=1, le=30, description=(
        "minutes per quiz question asked in the room ('in_room: true')"))
    notes: Text | None = Field(default=None, description="what the trainer says about the day (agenda slide)")
    start: str | None = Field(default=None, pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description=(
        "the clock time the session starts, HH:MM (quote it: start: \"09:00\"); the agenda, the break "
        "slides and the run sheet then give clock times instead of times from the start"))

    @field_validator("start", mode="before")
    @classmethod
    def _clock_time(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted 09:30 as a sexagesimal number (570): take it as the time meant.
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            return f"{value // 60:02d}:{value % 60:02d}"
        if isinstance(value, str) and re.fullmatch(r"\d:[0-5]\d", value.strip()):
            return "0" + value.strip()
        return value

    def start_minutes(self) -> int | None:
        """``start`` as minutes after midnight, None when the session has no start time."""
        if self.start is None:
            return None
        hours, minutes = self.start.split(":")
        return int(hours) * 60 + int(minutes)


ITEM_RULES = ("longest-key", "key-position", "truth-value", "stem-clue", "negative-stem", "all-none-above",
              "short-distractor", "scored-check")
ItemRule = Literal["longest-key", "key-position", "truth-value", "stem-clue", "negative-stem", "all-none-above",
                   "short-distractor", "scored-check"]


class ClassroomSettings(Node):
    """How ``modgen classroom`` treats what the room types (docs/classroom.md)."""

    blocked_words: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]] = (
        Field(default_factory=list, max_length=2000, description=(
            "words and phrases refused in nicknames, open answers and questions, besides the built-in "
            "list of insults: names of local people, words your room should not see")))


class ItemWriting(Node):
    """The item-writing rules ``validate`` applies to the quizzes (generator/checks_items.py;
    docs/authoring.md, "Writing good questions")."""

    skip: dict[ItemRule, Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]] = Field(
        default_factory=dict, description=(
            "rules switched off for this course, each with the reason: {short-distractor: the options are "
            "names of organisations}"))


class CourseFile(Node):
    """What ``course.yaml`` holds."""

    id: Id
    title: Text
    subtitle: Text | None = None
    description: Text | None = None
    version: str = Field(description="quote it: version: \"1.0\"")
    languages: list[Lang] = Field(min_length=1, description=(
        "the course's languages; the first is its own: a plain text (not {nl: …, en: …}) is in it"))
    in_progress: list[Lang] = Field(default_factory=_no_items, description=(
        "languages of 'languages' still being translated: 'modgen translate export' works for them at "
        "once; builds make every complete language and say what these lack; 'build --release' refuses "
        "them until complete. Remove a language from here when its translation is reviewed"))
    audiences: list[Audience] = Field(default_factory=_no_items)
    phases: list[Phase] = Field(default_factory=_no_items, description=(
        "the phases of the process the course follows, in order (optional: a course without phases has no "
        "phase chain, no crime script)"))
    process: Text | None = Field(default=None, description=(
        "what the phases are phases of, as it reads inside a sentence: 'the phishing attack', "
        "{nl: het criminele proces, en: the criminal process}; the outputs say it where a course without it "
        "is framed as 'the crime script' (Cornish, 1994)"))
    perspectives: list[Perspective] = Field(default_factory=_no_items)
    actors: list[Actor] = Field(default_factory=_no_items)
    sources: list[Source] = Field(default_factory=_no_items)
    support: list[SupportResource] = Field(default_factory=_no_items)
    branding: Branding = Field(default_factory=Branding)
    decks: Decks = Field(default_factory=Decks)
    site: SiteSettings = Field(default_factory=SiteSettings, description="the self-study site: lessons in steps")
    moodle: Moodle = Field(default_factory=Moodle, description="the Moodle XML export (see docs/lms.md)")
    pass_mark: int = Field(default=70, ge=0, le=100, description="percent; quizzes may set their own")
    passing: Literal["every-quiz", "course-score"] = Field(default="every-quiz", description=(
        "when the course is passed — the certificate, SCORM 1.2, SCORM 2004 and cmi5 apply the same rule: "
        "every-quiz: every module's quiz passed (each at its own pass mark); course-score: every quiz "
        "taken and the score over all quizzes at least the course's pass_mark"))
    content_notice: Text | None = Field(default=None, description="replaces the built-in content notice")
    self_study_notice: Text | None = Field(default=None, description=(
        "the content notice as the self-study site gives it, to one reader working alone (no group "
        "discussion to sit out); default: content_notice"))
    review: Review | None = Field(default=None, description="owner, review dates and approval of the course")
    session: Session = Field(default_factory=Session, description="the classroom session: group size, breaks")
    item_writing: ItemWriting = Field(default_factory=ItemWriting, description=(
        "the quiz item-writing rules: which are switched off, and why"))
    classroom: ClassroomSettings = Field(default_factory=ClassroomSettings, description=(
        "the live classroom session (modgen classroom): the course's own blocked words"))


# --- modules/*.yaml --------------------------------------------------------------------------

Bloom = Literal["remember", "understand", "apply", "analyse", "evaluate", "create"]


class Objective(Node):
    id: Id
    text: Text
    bloom: Bloom


# --- figures: pictures and charts -------------------------------------------------------------

#: A chart's label: a Text, or a plain string that is the same in every language (a forum's name,
#: a year), which needs no translation.
Label = Union[str, Text]


def _number(value: Any) -> Any:
    # YAML reads `3,400` or `"3400"` as text: say so once, rather than pydantic's two union errors.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number without quotes or thousands separators, got {value!r}")
    return value


Number = Annotated[Union[int, float], BeforeValidator(_number),
                   Field(description="a number (no quotes, no thousands separator)")]
ChartType = Literal["bar", "column", "line", "pie"]


class ChartSeries(Node):
    """One row of a chart's data: a name (the legend) and a number per category."""

    name: Text
    values: list[Number] = Field(min_length=1, max_length=limits.MAX_CHART_POINTS)


class Chart(Node):
    """A chart drawn from numbers in the course: a native chart in the decks, an SVG chart with its
    data as a table on the site and in print."""

    type: ChartType = Field(description="bar (horizontal bars), column (vertical bars), line or pie")
    categories: list[Label] = Field(min_length=1, max_length=limits.MAX_CHART_POINTS, description=(
        "the labels along the axis (or of the pie's slices), in order"))
    series: list[ChartSeries] = Field(min_length=1, max_length=limits.MAX_CHART_SERIES, description=(
        "one or more named rows of numbers, as many numbers as categories; a pie has one"))
    axis: Text | None = Field(default=None, description="what the numbers count, e.g. 'members'")


class Figure(ForAudiences):
    """A picture or a chart in a section: shown in every output, after the section's text.

    Exactly one of ``image`` and ``chart``. An image is a PNG, JPEG or SVG file inside the course
    folder (its kind read from its bytes, its size bounded; an SVG may hold no script and no
    references to other files). ``alt`` says what the picture shows for a reader who cannot see it.
    """

    id: Id
    image: str | None = Field(default=None, max_length=500, description=(
        "path of a PNG, JPEG or SVG file inside the course folder, e.g. images/hierarchy.png"))
    chart: Chart | None = None
    alt: Text | None = Field(default=None, description=(
        "what the picture shows, for readers who cannot see it (required for an image; for a chart "
        "its data table is the text alternative, alt adds the one-line message)"))
    caption: Text | None = Field(default=None, description="the line under the figure")
    credit: Text | None = Field(default=None, description="maker and licence of a picture, e.g. 'Photo: … (CC BY 4.0)'")
    source: Id | None = Field(default=None, description="the course source the figure's data comes from")

    @model_validator(mode="after")
    def _one_kind(self) -> "Figure":
        if (self.image is None) == (self.chart is None):
            raise ValueError("a figure has either 'image: path' or 'chart:', not both and not neither")
        if self.image is not None and self.alt is None:
            raise ValueError("an image needs 'alt': what it shows, for readers who cannot see it")
        return self

    @property
    def kind(self) -> str:
        return "image" if self.image is not None else "chart"


#: Slide kinds whose layout a section may take (``Section.layout``): the text slides.
SectionLayout = Literal["content", "facts", "summary", "discussion", "objectives"]


class Section(ForAudiences):
    id: Id
    title: Text
    body: Text = Field(description="markdown")
    perspective: Id | None = None
    layout: SectionLayout | None = Field(default=None, description=(
        "the slide layout for this section: 'content' (the default), or the layout of the key-facts, "
        "summary or discussion slides (an organisation template may style those its own way)"))
    slide: Text | None = Field(default=None, description=(
        "what the slide shows (markdown): a few short points, or one statement. With it the slide shows "
        "these points and the body goes to the speaker notes (the site still reads the body); without it "
        "the slide shows the body, which must then fit one slide"))
    notes: Text | None = Field(default=None, description="facilitator notes: what to say, ask, watch for")
    minutes: int | None = Field(default=None, ge=1, le=600)
    sources: list[Id] = Field(default_factory=_no_items)
    figures: list[Figure] = Field(default_factory=_no_items, description=(
        "pictures and charts shown after the section's text; a markdown image in the body "
        "(![alt](images/x.png)) becomes one too"))


class KeyFact(ForAudiences):
    id: Id
    text: Text
    source: Id
    figure: Text | None = Field(default=None, description=(
        "the fact's number as a slide shows it large, e.g. '165,000'; its digits must be in the "
        "text (the source's number, never a new one)"))


Cell = Union[int, float, Text]


class Table(ForAudiences):
    id: Id
    caption: Text
    columns: list[Text] = Field(min_length=1)
    rows: list[list[Cell]] = Field(min_length=1)
    source: Id
    note: Text | None = None


Basis = Literal["finding", "implication", "derived"]


class InterventionPoint(Node):
    id: Id
    text: Text
    label: Text | None = Field(default=None, description=(
        "a few words for slides and the intervention matrix, e.g. 'Follow the online identity'; "
        "the full text goes to the speaker notes"))
    actor: Id
    audiences: list[Id] = Field(min_length=1)
    basis: Basis = Field(description="finding of the study, implication stated by it, or derived by the course")
    source: Id | None = Field(default=None, description="required unless basis is 'derived'")
    perspective: Id | None = None

    def is_for(self, audience: str | None) -> bool:
        return audience is None or audience in self.audiences


class DiscussionPrompt(ForAudiences):
    id: Id
    prompt: Text
    guidance: Text | None = Field(default=None, description="for the facilitator: where a good discussion goes")
    reflection: Text | None = Field(default=None, description=(
        "for a learner on their own (the self-study site): points to think over, in markdown; the "
        "site shows this, never the facilitator's guidance"))
    minutes: int | None = Field(default=None, ge=1, le=600, description="minutes in the room for this prompt")


class Scale(ForAudiences):
    """A statement the room rates on a scale in the live session (``modgen classroom``), e.g. how
    confident they are to do something; asked at the start, the end, or both, and then compared."""

    id: Id
    statement: Text
    low: Text = Field(description="what the lowest point means, e.g. 'not at all'")
    high: Text = Field(description="what the highest point means, e.g. 'completely'")
    points: int = Field(default=5, ge=2, le=10, description="points on the scale, 1 to this")
    ask: Literal["start", "end", "both"] = Field(default="both", description=(
        "start: after the welcome; end: before the summary; both: at the start and again at the end, "
        "the end's answers shown beside the start's"))


class Vignette(ForAudiences):
    """A short fictional, non-graphic case for applying the intervention points."""

    id: Id
    title: Text
    text: Text
    questions: list[Text] = Field(default_factory=_no_items)
    task: Text | None = Field(default=None, description=(
        "what each group produces, e.g. 'one advice to the public prosecutor'; the case slide gives it with "
        "the time and the group size (default: one answer per question)"))
    debrief: Text | None = Field(default=None, description="for the facilitator: what a good discussion reaches")
    reflection: Text | None = Field(default=None, description=(
        "for a learner on their own (the self-study site): what to take from the case, in markdown; "
        "the site shows this, never the facilitator's debrief"))
    minutes: int | None = Field(default=None, ge=1, le=600,
                                description="minutes for the case: group work and the debrief in the room")


class SlideNotes(Node):
    """An author's own speaker notes for the slides the generator makes; they replace the notes it
    writes from the model."""

    objectives: Text | None = None
    agenda: Text | None = None
    summary: Text | None = None
    sources: Text | None = None


class Lesson(ForAudiences):
    """One module: a file in ``modules/``."""

    id: Id
    title: Text
    phase: Id | None = Field(default=None, description="crime-script phase id; omit for intro/conclusion")
    duration: int = Field(ge=1, le=1440, description="minutes")
    durations: dict[Id, Annotated[int, Field(ge=1, le=1440)]] | None = Field(default=None, description=(
        "minutes per audience, where the audiences' parts of the module differ in length "
        "(e.g. a case for one audience only); an audience not listed takes 'duration'"))
    sensitive: bool = False
    summary: Text | None = None
    objectives: list[Objective] = Field(default_factory=_no_items)
    sections: list[Section] = Field(default_factory=_no_items)
    facts: list[KeyFact] = Field(default_factory=_no_items)
    tables: list[Table] = Field(default_factory=_no_items)
    interventions: list[InterventionPoint] = Field(default_factory=_no_items)
    discussion: list[DiscussionPrompt] = Field(default_factory=_no_items)
    vignettes: list[Vignette] = Field(default_factory=_no_items)
    scales: list[Scale] = Field(default_factory=_no_items, description=(
        "statements the room rates in the live classroom session, before and after"))
    takeaways: list[Text] = Field(default_factory=_no_items)
    quiz: Id | None = None
    review: Review | None = Field(default=None, description="owner, review dates and approval of this lesson")
    notes: SlideNotes | None = Field(default=None, description=(
        "speaker notes for the objectives, agenda, summary and sources slides (default: written from the lesson)"))


# --- quizzes/*.yaml --------------------------------------------------------------------------


_ROOM = ("a short version for the room: what the slide and the classroom show, where the full text is "
         "too long to read from the back of a room (the self-check quiz and the LMS keep the full text)")


class Option(Node):
    id: Id
    text: Text
    room: Text | None = Field(default=None, description=_ROOM)
    correct: bool = False
    feedback: Text

    @property
    def room_text(self) -> Text:
        """The option as the room sees it: its room version, else its text."""
        return self.room or self.text


class QuestionBase(ForAudiences):
    id: Id
    objective: Id
    stem: Text
    explanation: Text
    source: Id
    check: bool | Id = Field(
        default=False,
        description="also ask it inline on the lesson page, as a knowledge check that is not scored: "
                    "true places it among the sections, a section id places it after that section")
    in_room: bool = Field(default=False, description=(
        "asked in the room during the session; the others are left to the self-check quiz"))
    room: Text | None = Field(default=None, description="the question: " + _ROOM)
    scored: bool = Field(default=True, description=(
        "false: a check item, asked only inline on the lesson page as a knowledge check (where 'check' "
        "places it; among the sections when 'check' is not set) — not part of the quiz, its score, the LMS "
        "question banks (QTI, Moodle, GIFT, SCORM, cmi5) or the printed quiz"))
    kind: ClassVar[str]

    @property
    def check_at(self) -> bool | str:
        """Where the lesson page asks this question inline: a section id, True (spread among the
        sections) or False (not inline). A check item is always asked inline."""
        if not self.scored and self.check is False:
            return True
        return self.check

    @property
    def room_stem(self) -> Text:
        """The question as the room sees it: its room version, else its stem."""
        return self.room or self.stem


class SingleChoice(QuestionBase):
    type: Literal["single"]
    kind: ClassVar[str] = "single"
    options: list[Option] = Field(min_length=2)


class MultipleResponse(QuestionBase):
    type: Literal["multiple"]
    kind: ClassVar[str] = "multiple"
    options: list[Option] = Field(min_length=2)


class TrueFalse(QuestionBase):
    type: Literal["true-false"]
    kind: ClassVar[str] = "true-false"
    answer: bool
    feedback_true: Text = Field(description="feedback for a learner who answers 'true'")
    feedback_false: Text = Field(description="feedback for a learner who answers 'false'")

    def choices(self) -> list[Option]:
        """The two answers as options, so exports can treat true/false like single choice."""
        from generator.i18n import core_text

        return [
            Option(id="true", text=core_text("true"), correct=self.answer, feedback=self.feedback_true),
            Option(id="false", text=core_text("false"), correct=not self.answer, feedback=self.feedback_false),
        ]


class Pair(Node):
    id: Id
    premise: Text
    response: Text
    room_premise: Text | None = Field(default=None, description="the premise: " + _ROOM)
    room_response: Text | None = Field(default=None, description="the response: " + _ROOM)
    feedback: Text

    @property
    def room_premise_text(self) -> Text:
        return self.room_premise or self.premise

    @property
    def room_response_text(self) -> Text:
        return self.room_response or self.response


class Matching(QuestionBase):
    type: Literal["matching"]
    kind: ClassVar[str] = "matching"
    pairs: list[Pair] = Field(min_length=2)


class OrderItem(Node):
    id: Id
    text: Text
    room: Text | None = Field(default=None, description=_ROOM)
    feedback: Text

    @property
    def room_text(self) -> Text:
        return self.room or self.text


class Ordering(QuestionBase):
    """Items are written in the correct order; outputs shuffle them."""

    type: Literal["ordering"]
    kind: ClassVar[str] = "ordering"
    items: list[OrderItem] = Field(min_length=2)


Question = Annotated[
    Union[SingleChoice, MultipleResponse, TrueFalse, Matching, Ordering],
    Field(discriminator="type"),
]
QUESTION_TYPES = ("single", "multiple", "true-false", "matching", "ordering")


class Quiz(Node):
    """A self-check quiz bank: a file in ``quizzes/``."""

    id: Id
    lesson: Id
    title: Text | None = None
    pass_mark: int | None = Field(default=None, ge=0, le=100, description="percent; default: the course's")
    questions: list[Question] = Field(min_length=1, max_length=limits.MAX_QUESTIONS_PER_QUIZ)

    @property
    def scored(self) -> list:
        """The questions of the quiz itself: every question but the check items (``scored: false``),
        which only the lesson page asks. What every output that shows, scores or exports the quiz
        reads."""
        return [q for q in self.questions if q.scored]


# --- glossary.yaml ---------------------------------------------------------------------------


class Term(Node):
    """One concept of the course's term base: its words in each language, and words not to use."""

    id: Id
    term: dict[Lang, str | list[str]] = Field(
        min_length=1, description="the term in each language; a list gives accepted variants, the first preferred")
    forbidden: dict[Lang, list[str]] = Field(
        default_factory=dict, description=(
            "variants not to use, per language, e.g. a term the guidelines reject; a variant ending in '*' "
            "forbids every word that begins with it (adjectives, compounds: 'kinderporno*')"))
    exact_case: bool = Field(
        default=False, description="write the term in the glossary's case (a capital only to start a sentence)")
    allowed_in: list[str] = Field(
        default_factory=_no_items,
        description="ids of texts where a forbidden variant may stand (a terminology note that explains it)")
    note: Text | None = Field(default=None, description="for translators: what the term means, why the choice")

    def forms(self, lang: str) -> list[str]:
        """The accepted words in ``lang``, the preferred first."""
        value = self.term.get(lang, [])
        return [value] if isinstance(value, str) else list(value)


class Glossary(Node):
    """What ``glossary.yaml`` holds: the course's term base."""

    terms: list[Term] = Field(min_length=1)


# --- the whole course ------------------------------------------------------------------------


class Course(CourseFile):
    """A loaded, checked course: ``course.yaml`` plus its lessons and quizzes, in order."""

    lessons: list[Lesson] = Field(default_factory=_no_items)
    quizzes: list[Quiz] = Field(default_factory=_no_items)
    root: Path | None = None
    # Set on a course narrowed by ``for_audience`` (plain instance attributes, like ``Node._loc``):
    # the course it was narrowed from and the audience, for the one view that shows the whole
    # course in every audience's build (the intervention matrix, ``generator.matrix``).
    _whole: ClassVar["Course | None"] = None
    _narrowed_for: ClassVar[str | None] = None

    @property
    def whole(self) -> "Course":
        """The course with every audience's items (itself unless narrowed by ``for_audience``)."""
        return self._whole if self._whole is not None else self

    @property
    def narrowed_for(self) -> str | None:
        """The audience this course was narrowed to, None for the whole course."""
        return self._narrowed_for

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def process_name(self, lang: str) -> str | None:
        """The course's name for its process in ``lang``, None for a crime-script course."""
        return self.process.get(lang) if self.process is not None else None

    @property
    def sensitive(self) -> bool:
        """Whether a lesson is ``sensitive``: only then do the outputs carry the scaffolding for a
        subject that may affect people (content notices, the support page and slides, the guide's
        wellbeing section)."""
        return any(lesson.sensitive for lesson in self.lessons)

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((x for x in self.lessons if x.id == lesson_id), None)

    def quiz_for(self, lesson: Lesson) -> Quiz | None:
        return next((q for q in self.quizzes if q.id == lesson.quiz), None) if lesson.quiz else None

    def quiz_pass_mark(self, quiz: Quiz) -> int:
        return quiz.pass_mark if quiz.pass_mark is not None else self.pass_mark

    def source(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.key == key), None)

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def phase(self, phase_id: str | None) -> Phase | None:
        return next((p for p in self.phases if p.id == phase_id), None)

    def perspective(self, perspective_id: str | None) -> Perspective | None:
        return next((p for p in self.perspectives if p.id == perspective_id), None)

    def audience(self, audience_id: str | None) -> Audience | None:
        return next((a for a in self.audiences if a.id == audience_id), None)

    def for_audience(self, audience: str | None) -> "Course":
        """The course as one audience sees it: items for other audiences left out.

        ``None`` keeps everything (a build for all audiences together).
        """
        if audience is None:
            return self
        lessons = [_with_duration(_select(lesson, audience), audience)
                   for lesson in self.lessons if lesson.is_for(audience)]
        kept_quizzes = {lesson.quiz for lesson in lessons}
        quizzes = [_select(q, audience) for q in self.quizzes if q.id in kept_quizzes]
        narrowed = self.model_copy(update={"lessons": lessons, "quizzes": quizzes})
        object.__setattr__(narrowed, "_whole", self.whole)
        object.__setattr__(narrowed, "_narrowed_for", audience)
        return narrowed


def _with_duration(lesson: Lesson, audience: str) -> Lesson:
    """``lesson`` with the duration it has for ``audience``."""
    minutes = (lesson.durations or {}).get(audience)
    if minutes is None or minutes == lesson.duration:
        return lesson
    return lesson.model_copy(update={"duration": minutes})


def _select(node: Node, audience: str) -> Any:
    """A copy of ``node`` whose lists keep only the items for ``audience``."""
    update = {}
    for name in type(node).model_fields:
        value = getattr(node, name)
        if isinstance(value, list) and value and isinstance(value[0], Node):
            kept = [_select(v, audience) for v in value if not hasattr(v, "is_for") or v.is_for(audience)]
            update[name] = kept
    return node.model_copy(update=update) if update else node


def walk(node: Any, loc: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every model object, list and text under ``node`` with its path, depth first.

    Leaves that are neither (ids, numbers, flags) are not visited. An explicit stack rather than
    nested generators: every value used to pass up through one generator per level.
    """
    stack: list[tuple[tuple, Any]] = [(loc, node)]
    pop, push = stack.pop, stack.append
    while stack:
        loc, node = pop()
        yield loc, node
        if isinstance(node, list):
            for i in range(len(node) - 1, -1, -1):
                item = node[i]
                if isinstance(item, (BaseModel, list)):
                    push((loc + (i,), item))
        elif isinstance(node, BaseModel) and not isinstance(node, Text):
            for name in reversed(_branches(type(node))):
                value = getattr(node, name)
                if value is not None:
                    push((loc + (name,), value))


def texts(node: "Node") -> list[tuple["Node", tuple, Text]]:
    """Every text under ``node``, with the model object that holds it and the path from there to
    the text (``("columns", 2)``), in the order :func:`walk` visits them."""
    found: list[tuple[Node, tuple, Text]] = []

    def visit(owner: Node, field: tuple, value: Any) -> None:
        if isinstance(value, Text):
            found.append((owner, field, value))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, (BaseModel, list)):
                    visit(owner, field + (i,), item)
        elif isinstance(value, Node):
            for name in _branches(type(value)):
                child = getattr(value, name)
                if child is not None:
                    visit(value, (name,), child)

    visit(node, (), node)
    return found


def nodes(node: "Node", loc: tuple = ()) -> list[tuple[tuple, "Node"]]:
    """Every model object under ``node``, itself included, with its path, in :func:`walk` order.
    Texts and other leaves are not entered (they hold no model objects)."""
    found: list[tuple[tuple, Node]] = []

    def visit(loc: tuple, value: Any) -> None:
        if isinstance(value, Node):
            found.append((loc, value))
            for name in _node_branches(type(value)):
                child = getattr(value, name)
                if child is not None:
                    visit(loc + (name,), child)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, (Node, list)):
                    visit(loc + (i,), item)

    visit(loc, node)
    return found


def _branches(cls: type) -> tuple[str, ...]:
    """The fields of ``cls`` that can hold model objects or texts (directly or in lists)."""
    names = _BRANCHES.get(cls)
    if names is None:
        names = _BRANCHES[cls] = _fields_holding(cls, BaseModel)
    return names


def _node_branches(cls: type) -> tuple[str, ...]:
    """The fields of ``cls`` that can hold model objects other than texts."""
    names = _NODE_BRANCHES.get(cls)
    if names is None:
        names = _NODE_BRANCHES[cls] = _fields_holding(cls, Node)
    return names


def _fields_holding(cls: type, kind: type) -> tuple[str, ...]:
    # A course's lessons and quizzes are trees of their own, located in their own files.
    skip = ("lessons", "quizzes", "root") if issubclass(cls, Course) else ()
    return tuple(name for name, info in cls.model_fields.items()
                 if name not in skip and _holds(info.annotation, kind))


def _holds(annotation: Any, kind: type) -> bool:
    import typing

    if isinstance(annotation, type):
        return issubclass(annotation, kind)
    return any(_holds(arg, kind) for arg in typing.get_args(annotation))


_BRANCHES: dict[type, tuple[str, ...]] = {}
_NODE_BRANCHES: dict[type, tuple[str, ...]] = {}
