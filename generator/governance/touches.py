"""Which outputs each change of a diff touches: the decks down to the slide, the site's pages, and
the exports.

Decks and site pages are not guessed: both courses are planned into their slides (as ``modgen
build`` paginates them, continuation slides included) and rendered into their site pages, per
language and audience, and the two sides compared. A change is then attributed to the changed
slides and pages of its lesson that show its text (or, when none shows it — a changed correct
answer, a duration — to its lesson's changed slides and pages that no other change explains).
The other outputs follow from what each target reads: a target that states the lesson fields it
reads (``Target.lesson_fields``) is touched by a lesson change only through those fields.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

from generator import targets
from generator.governance.diff import Change, CourseDiff
from generator.model import Course

#: Outputs compared for real (decks, site pages); the others are listed by what they read.
COMPARED = ("pptx", "site")
#: Packages that hold the site (``site_files``): touched exactly when the site is.
HOLD_THE_SITE = ("scorm12", "scorm2004", "cmi5")


@dataclass(frozen=True)
class SlideView:
    """One physical slide as a reviewer compares it: its number, kind, title, lesson and all its text."""

    number: int
    kind: str
    title: str
    lesson: str | None
    text: str

    @property
    def signature(self) -> tuple:
        return (self.kind, self.lesson, self.title)


@dataclass
class DeckChange:
    """How one deck differs: slide numbers on the new side (changed, added) and the old (removed)."""

    folder: str  # pptx/<lang>-<audience>
    lang: str
    file: str  # 01-preparation.pptx, course.pptx
    changed: list[int] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)  # numbers in the old deck
    #: new slide number (or -old number for a removed slide) → the slide, for attribution
    slides: dict[int, tuple[SlideView | None, SlideView | None]] = field(default_factory=dict, repr=False)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.file}"

    def as_json(self) -> dict:
        return {"deck": self.path, "lang": self.lang, "changed": self.changed, "added": self.added,
                "removed": self.removed}


@dataclass
class PageChange:
    folder: str  # site/<lang>-<audience>
    lang: str
    page: str
    change: str  # changed, added, removed
    lesson: str | None
    old_text: str = field(default="", repr=False)
    new_text: str = field(default="", repr=False)

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.page}"

    def as_json(self) -> dict:
        return {"page": self.path, "lang": self.lang, "change": self.change}


def attach(diff: CourseDiff) -> CourseDiff:
    """Fill in ``diff.decks``, ``diff.pages`` and every change's ``touches``."""
    if not diff.changes:
        return diff
    old, new = diff.old, diff.new
    for lang in diff.languages:
        for audience in _audiences(old, new):
            folder = f"{lang}-{audience}" if audience else lang
            diff.decks += compare_decks(_view(old, audience, lang), _view(new, audience, lang), lang, f"pptx/{folder}")
            diff.pages += compare_sites(_view(old, audience, lang), _view(new, audience, lang), lang, audience,
                                        f"site/{folder}")
    _attribute(diff)
    return diff


def _audiences(old: Course, new: Course) -> list[str | None]:
    ids = list(dict.fromkeys([a.id for a in new.audiences] + [a.id for a in old.audiences]))
    return ids or [None]


def _view(course: Course, audience: str | None, lang: str) -> Course | None:
    """``course`` as a build for ``audience`` in ``lang`` sees it; None when it has neither."""
    if lang not in course.languages or (audience is not None and course.audience(audience) is None):
        return None
    return course.for_audience(audience)


# --- decks ---------------------------------------------------------------------------------------


def deck_slides(course: Course, lang: str) -> dict[str, list[SlideView]]:
    """Every deck ``modgen build`` makes of ``course`` in ``lang`` (file name → its slides), paginated
    as the build paginates them."""
    from generator.targets.deck import deck_pages

    return {name: [_view_of(page, title, n) for n, (page, title) in enumerate(pages, 1)]
            for name, pages in deck_pages(course, lang).items()}


def _view_of(page, title: str, number: int) -> SlideView:
    slide = page.slide
    parts = [title] + [_runs(p) for p in page.body]  # title and section slides: the subtitle
    if page.table_rows:
        parts += [" | ".join(slide.table.columns)] + [" | ".join(row) for row in page.table_rows]
    if slide.diagram is not None:
        parts.append(slide.diagram.alt)
    if slide.visual is not None:  # a picture's media name is its content's digest; a chart's, its data's
        parts += [slide.visual.media, slide.visual.alt]
    parts += [slide.footer] + list(slide.notes)
    return SlideView(number, slide.kind, title, slide.lesson, "\n".join(x for x in parts if x))


def _runs(paragraph) -> str:
    return "".join(run.text for run in paragraph.runs)


def compare_decks(old: Course | None, new: Course | None, lang: str, folder: str) -> list[DeckChange]:
    before = deck_slides(old, lang) if old is not None else {}
    after = deck_slides(new, lang) if new is not None else {}
    found = []
    # Lesson decks are named by number and id: a lesson that moved is the same deck for a reviewer.
    by_lesson_old = {name.split("-", 1)[1] if name != "course.pptx" else name: name for name in before}
    for name in [*after, *[n for n in before if _deck_key(n) not in {_deck_key(x) for x in after}]]:
        old_name = by_lesson_old.get(_deck_key(name))
        change = _compare_slides(before.get(old_name, []) if old_name else [], after.get(name, []))
        change.folder, change.lang, change.file = folder, lang, name
        if change.changed or change.added or change.removed:
            found.append(change)
    return found


def _deck_key(name: str) -> str:
    return name if name == "course.pptx" else name.split("-", 1)[1]


def _compare_slides(old: list[SlideView], new: list[SlideView]) -> DeckChange:
    change = DeckChange("", "", "")
    matcher = difflib.SequenceMatcher(None, [s.signature for s in old], [s.signature for s in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(zip(old[i1:i2], new[j1:j2]))
        if op == "equal" or op == "replace":
            for a, b in pairs:
                if op == "replace" or a.text != b.text:
                    change.changed.append(b.number)
                    change.slides[b.number] = (a, b)
        if op in ("insert", "replace"):
            for b in new[j1 + len(pairs) if op == "replace" else j1:j2]:
                change.added.append(b.number)
                change.slides[b.number] = (None, b)
        if op in ("delete", "replace"):
            for a in old[i1 + len(pairs) if op == "replace" else i1:i2]:
                change.removed.append(a.number)
                change.slides[-a.number] = (a, None)
    return change


# --- the site ------------------------------------------------------------------------------------


_PAGE_LESSON = re.compile(r"^(?:lesson|quiz|notice)-(.+)\.html$")


def compare_sites(old: Course | None, new: Course | None, lang: str, audience: str | None,
                  folder: str) -> list[PageChange]:
    """The pages of the two sites (courses narrowed to ``audience`` already) that differ."""
    from generator.targets.site import site_files

    before = {k: v for k, v in site_files(old, lang, audience).items() if k.endswith(".html")} if old else {}
    after = {k: v for k, v in site_files(new, lang, audience).items() if k.endswith(".html")} if new else {}
    found = []
    for page in sorted(set(before) | set(after)):
        a, b = before.get(page), after.get(page)
        if a == b:
            continue
        match = _PAGE_LESSON.match(page)
        kind = "changed" if a is not None and b is not None else "added" if a is None else "removed"
        found.append(PageChange(folder, lang, page, kind, match.group(1) if match else None,
                                _page_text(a), _page_text(b)))
    return found


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _page_text(data: bytes | None) -> str:
    if not data:
        return ""
    return _normal(html.unescape(_TAG.sub(" ", data.decode("utf-8"))))


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


# --- attribution ---------------------------------------------------------------------------------


_MARKDOWN = re.compile(r"[*_`#>\[\]]|\]\([^)]*\)|^\s*[-+]\s+|^\s*\d+\.\s+", re.MULTILINE)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _probe(text: str | None, lang: str) -> str:
    """A stretch of ``text`` as it appears once rendered in ``lang``: markdown marks gone, the first
    words; a date as the outputs write it."""
    if not text:
        return ""
    if _ISO_DATE.match(text):
        import datetime

        from generator.i18n import format_date

        return _normal(format_date(datetime.date.fromisoformat(text), lang))
    words = _normal(_MARKDOWN.sub(" ", text)).split(" ")
    return " ".join(words[:8])


def _shows(haystack: str, change: Change, side: str, lang: str) -> bool:
    value = change.new if side == "new" else change.old
    if value and (change.field or "").endswith("review.status"):
        from generator.i18n import core

        value = core(f"status_{value}", lang)  # shown as the outputs name it: Goedgekeurd, Approved
    if value in ("true", "false"):
        return False  # a flag shows as a mark ("(correct)"), not as its value
    probe = _probe(value, lang)
    if probe and len(probe) < 4:  # a number: as a number of its own, not inside 12500
        return re.search(rf"(?<![\w.,]){re.escape(probe)}(?![\w]|[.,]\d)", haystack) is not None
    return bool(probe) and probe in haystack


def _attribute(diff: CourseDiff) -> None:
    kinds = targets.kinds()
    narrowed = {kind: targets.load_target(kind).lesson_fields for kind in kinds}
    claimed_slides: set[tuple[str, int]] = set()
    claimed_pages: set[str] = set()
    per_change: dict[int, dict[str, list[str]]] = {}
    for change in diff.changes:
        found: dict[str, list[str]] = {}
        slides = _slides_for(diff, change)
        for deck, numbers in slides.items():
            claimed_slides.update((deck, n) for n in numbers)
        pages = _pages_for(diff, change)
        claimed_pages.update(pages)
        per_change[id(change)] = {"pptx": _deck_lines(slides), "site": sorted(pages)}
        found.update(per_change[id(change)])
        change.touches = found
    # Changes no slide or page shows by text (a correct answer, a duration) get what of their
    # lesson changed and no other change explains.
    for change in diff.changes:
        found = change.touches
        for lang in diff.languages:  # each language on its own: a value shows differently in each
            if change.lang not in (None, lang):
                continue
            if not any(_folder_lang(entry["deck"]) == lang for entry in found["pptx"]):
                slides = _unclaimed_slides(diff, change, claimed_slides, lang)
                found["pptx"] = sorted(found["pptx"] + _deck_lines(slides), key=lambda e: e["deck"])
            if not any(_folder_lang(page) == lang for page in found["site"]):
                found["site"] = sorted(found["site"] + [
                    p.path for p in diff.pages if p.lang == lang and _in_scope(p.lesson, p.lang, change)
                    and p.path not in claimed_pages])
        for kind in kinds:
            if kind in COMPARED:
                continue
            if kind in HOLD_THE_SITE:
                touched = bool(found["site"])
            else:
                touched = _reads(narrowed[kind], change)
            if touched:
                found[kind] = []
        change.touches = {k: v for k, v in found.items() if k not in COMPARED or v}


def _folder_lang(path: str) -> str:
    """``pptx/nl-enforcement/x.pptx`` → ``nl``."""
    return path.split("/")[1].split("-")[0]


def _in_scope(lesson: str | None, lang: str, change: Change) -> bool:
    return (change.lang is None or change.lang == lang) and (change.lesson is None or lesson == change.lesson)


def _slides_for(diff: CourseDiff, change: Change) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    # A lesson added or removed as a whole: every slide of it.
    whole = change.field is None and len(change.path) == 1 and change.path[0].kind == "lesson"
    for deck in diff.decks:
        if change.lang is not None and deck.lang != change.lang:
            continue
        for key, (a, b) in deck.slides.items():
            slide = b or a
            # The course deck's own slides (title, agenda, sources) may show any lesson's text.
            if change.lesson is not None and slide.lesson not in (None, change.lesson):
                continue
            if (whole and slide.lesson is not None) or (b is not None and _shows(_normal(b.text), change, "new", deck.lang)) or (
                    a is not None and _shows(_normal(a.text), change, "old", deck.lang)):
                found.setdefault(deck.path, []).append(key)
    return found


def _unclaimed_slides(diff: CourseDiff, change: Change, claimed: set[tuple[str, int]],
                      lang: str) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for deck in diff.decks:
        if deck.lang != lang:
            continue
        for key, (a, b) in deck.slides.items():
            slide = b or a
            if change.lesson is not None and slide.lesson != change.lesson:
                continue
            if (deck.path, key) not in claimed:
                found.setdefault(deck.path, []).append(key)
    return found


def _pages_for(diff: CourseDiff, change: Change) -> set[str]:
    return {p.path for p in diff.pages if (change.lang is None or p.lang == change.lang)
            and (_shows(p.new_text, change, "new", p.lang) or _shows(p.old_text, change, "old", p.lang))
            and (change.lesson is None or p.lesson in (None, change.lesson))}


def _deck_lines(slides: dict[str, list[int]]) -> list[dict]:
    """``{"deck": "pptx/en-enforcement/01-preparation.pptx", "slides": [7, 8], "old_slides": [9]}``:
    slide numbers in the new deck, and of removed slides in the old one."""
    entries = []
    for deck in sorted(slides):
        numbers = set(slides[deck])
        entries.append({"deck": deck, "slides": sorted(n for n in numbers if n > 0),
                        "old_slides": sorted(-n for n in numbers if n < 0)})
    return entries


def _reads(fields: tuple[str, ...] | None, change: Change) -> bool:
    """Whether a target that reads ``fields`` of each lesson (None: all of it) shows ``change``."""
    if fields is None or change.lesson is None:
        return True
    if change.path and change.path[0].kind == "quiz":
        return True  # every target reads the quizzes
    if len(change.path) == 1 and change.field is None:
        return True  # a lesson added or removed
    if len(change.path) > 1:
        name = _LESSON_FIELD[change.path[1].kind]
    else:
        name = (change.field or "").split(".")[0].split("[")[0].removesuffix(" order")
    return name in fields


#: The lesson field that holds each kind of object in a lesson.
_LESSON_FIELD = {"objective": "objectives", "section": "sections", "fact": "facts", "table": "tables",
                 "intervention point": "interventions", "discussion prompt": "discussion", "vignette": "vignettes"}
