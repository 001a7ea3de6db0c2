"""Trainer decks (kind ``pptx``): one editable PowerPoint per lesson and one for the whole course,
per language and audience.

The package: ``plan`` decides what goes on the slides, ``markdown_runs`` turns course markdown
into runs, ``measure`` measures text with real font metrics, ``builder`` writes the slides
(splitting onto continuation slides so nothing overflows), ``diagram`` draws the crime script,
``template`` picks layouts by name, ``package`` puts the rendered slides into the template's
package, and ``default.pptx`` (made by ``make_template``) is the default template.

The whole-course deck holds every lesson, so it is rebuilt whenever one changes; it takes each
lesson's rendered slides from the build's fragment store (``Job.fragment``), so only the edited
lesson's slides are rendered again.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Callable

from generator import i18n
from generator.problems import CourseError, Problem
from generator.targets import Artifact, Job, Target


class DeckTarget(Target):
    kind = "pptx"
    description = "PowerPoint trainer decks: one per module and one for the course, with speaker notes"
    # generator.html and lxml.html: for the few texts with markdown structure (links, nested lists).
    renders_with = ("generator.targets.deck.builder", "generator.targets.deck.package", "generator.targets.deck.plan",
                    "generator.targets.deck.template", "generator.images", "generator.html", "lxml.html")
    per_lesson = True

    def prepare(self, course) -> None:
        open_in_advance(course)

    def build(self, job: Job) -> list[Artifact]:
        from generator.targets.deck.measure import FontMissing
        from generator.targets.deck.template import TemplateError

        course = job.course
        template = template_path(course)
        artifacts = []
        try:
            for number, lesson in enumerate(course.lessons, 1):
                if not job.wants_lesson(lesson.id):
                    continue
                path = job.dir / f"{number:02d}-{lesson.id}.pptx"
                data, slides = build_deck(course, job.lang, template, lesson=lesson, number=number)
                path.write_bytes(data)
                artifacts.append(job.artifact(path, lesson=lesson.id, slides=slides))
            if job.wants_course():
                path = job.dir / "course.pptx"
                data, slides = build_deck(course, job.lang, template, fragment=job.fragment)
                path.write_bytes(data)
                artifacts.append(job.artifact(path, lesson=None, slides=slides))
        except TemplateError as exc:
            raise CourseError([Problem(exc.path, 1, 1, exc.message)]) from None
        except FontMissing as exc:
            raise CourseError([Problem("(fonts)", 1, 1, str(exc))]) from None
        return artifacts


def template_path(course) -> tuple[Path, str]:
    """The template file and the name to show in messages: the course's, or the default."""
    from generator.targets.deck.template import DEFAULT_TEMPLATE

    if course.branding.template and course.root is not None:
        return course.root / course.branding.template, course.branding.template
    return DEFAULT_TEMPLATE, DEFAULT_TEMPLATE.name


def build_deck(course, lang: str, template: tuple[Path, str], lesson=None, number: int = 0,
               fragment: Callable[..., bytes] | None = None) -> tuple[bytes, int]:
    """One deck as bytes, and its number of slides: lesson ``number``'s, or the whole course's.

    ``fragment`` is ``Job.fragment`` (None: nothing is kept between builds); the whole-course deck
    takes each lesson's rendered slides from it.
    """
    deck = _Deck(course, lang, template)
    planner = deck.planner
    add = deck.package.add_all
    if lesson is not None:
        pages = deck.pages(planner.lesson_deck(lesson, number))
        add(deck.render(pages, unique_titles([p.title for p in pages], {})))
        title = planner.t(lesson.title)
    else:
        seen: dict[str, int] = {}
        for slides, each, n in course_deck_parts(course, planner):
            if each is not None and fragment is not None:
                deck.course_lesson(each, n, seen, fragment)
                continue
            pages = deck.pages(slides if each is None else planner.course_lesson(each, n))
            add(deck.render(pages, unique_titles([p.title for p in pages], seen)))
        title = planner.t(course.title)
    author = planner.t(course.branding.organisation) if course.branding.organisation else planner.t(course.title)
    return deck.package.save(title, author, deck.locale), deck.package.slides


def course_deck_parts(course, planner):
    """The whole-course deck in order, as ``(slides, None, 0)`` for its own slides (the front, each
    break, the back) and ``(None, lesson, number)`` for each lesson's part. ``build_deck`` renders
    these, ``deck_pages`` paginates them: one order for both."""
    from generator.session import session_plan

    yield planner.course_front(), None, 0
    plan = session_plan(course)
    for n, each in enumerate(course.lessons, 1):
        yield None, each, n
        pause = plan[n - 1].pause
        if pause is not None:
            # Not part of the lesson's fragment: it names the next module and the session's clock.
            yield [planner.break_slide(pause, each, n, course.lessons[n], pause.start)], None, 0
    yield planner.course_back(), None, 0


def deck_pages(course, lang: str) -> dict[str, list[tuple[object, str]]]:
    """Every deck a build makes of ``course`` (already narrowed to an audience) in ``lang``, as
    its physical slides, paginated and titled as ``build_deck`` renders them: file name → [(page,
    title)]. Nothing is rendered; ``modgen diff`` compares these to say which slides changed."""
    deck = _Deck(course, lang, template_path(course))
    planner = deck.planner
    decks: dict[str, list[tuple[object, str]]] = {}
    for number, lesson in enumerate(course.lessons, 1):
        pages = deck.pages(planner.lesson_deck(lesson, number))
        decks[f"{number:02d}-{lesson.id}.pptx"] = list(zip(pages, unique_titles([p.title for p in pages], {})))
    seen: dict[str, int] = {}
    whole: list[tuple[object, str]] = []
    for slides, each, n in course_deck_parts(course, planner):
        pages = deck.pages(slides if each is None else planner.course_lesson(each, n))
        whole += zip(pages, unique_titles([p.title for p in pages], seen))
    decks["course.pptx"] = whole
    return decks


def course_slide_numbers(course, lang: str) -> dict[tuple[str | None, str], list[int]]:
    """The numbers of the whole-course deck's slides by the part of the session they serve —
    (lesson id or None for the day's own slides, ``Slide.part``) → slide numbers — as
    ``build_deck`` makes the deck (for the facilitator guide's run sheet)."""
    deck = _Deck(course, lang, template_path(course))
    planner = deck.planner
    numbers: dict[tuple[str | None, str], list[int]] = {}
    n = 0
    for slides, each, number in course_deck_parts(course, planner):
        for page in deck.pages(slides if each is None else planner.course_lesson(each, number)):
            n += 1
            part = page.slide.part or "present"
            lesson = page.slide.lesson if part not in ("opening", "matrix", "closing") else None
            numbers.setdefault((lesson, "break" if page.slide.kind == "break" else part), []).append(n)
    return numbers


def unique_titles(titles: list[str], seen: dict[str, int]) -> list[str]:
    """The titles with repeats numbered — every slide title unique, as PowerPoint's accessibility
    checker asks — counting from ``seen`` (title → times used so far), which is updated."""
    out = []
    for title in titles:
        if title in seen:
            seen[title] += 1
            title = f"{title} ({seen[title]})"
        seen.setdefault(title, 1)
        out.append(title)
    return out


class _Deck:
    """What building one deck needs: the template's package, its layouts, the planner, the writer."""

    def __init__(self, course, lang: str, template: tuple[Path, str]):
        from generator.images import read_logo
        from generator.targets.deck.builder import DeckWriter
        from generator.targets.deck.package import DeckPackage
        from generator.targets.deck.plan import Planner
        from generator.targets.deck.template import open_template

        path, shown = template
        digest = _digest(path)
        prs = _SPARES.pop(digest, None) or open_template(path, shown)
        choices, placeholders, layouts, notes, members = _prepared(digest, path, shown)
        self.lang = lang
        self.locale = i18n.locale(lang)
        colours = course.branding.colours
        from generator.targets.deck.figures import FigureMedia

        self.figures = FigureMedia(course, lang)
        self.planner = Planner(course, lang, self.figures)
        logo = read_logo(course)
        # The logo's alternative text names the organisation (slides are read aloud too).
        logo_text = self.planner.t(course.branding.organisation) if course.branding.organisation else "Logo"
        self.writer = DeckWriter(prs, choices, lang, self.locale, colours.accent, colours.primary, placeholders,
                                 logo=logo, logo_text=logo_text, notes=notes)
        self.writer.use_text_size(course.decks.text_size)
        self.package = DeckPackage(prs, layouts, logo, members, self.figures)

    def pages(self, slides) -> list:
        """The physical slides of ``slides``: long ones continue on slides titled so."""
        from generator.targets.deck.plan import ui

        pages = []
        for slide in slides:
            found = self.writer.paginate(slide)
            # A slide may become parts (a question, then its answers): each continues on its own.
            count: dict[int, int] = {}
            for page in found:
                part = page.slide
                k = count[id(part)] = count.get(id(part), 0) + 1
                if k > 1:
                    page.title = (ui("continued", self.lang, title=part.title) if k == 2
                                  else ui("continued_n", self.lang, title=part.title, n=k - 1))
                    # The notes (and their minutes) are the first slide's; a continuation says it is one.
                    page.notes = [ui("continued_notes", self.lang)]
            pages += found
        return pages

    def render(self, pages, titles: list[str]) -> list:
        rendered = []
        for page, title in zip(pages, titles):
            page.title = title
            rendered.append(self.writer.render(page))
        return rendered

    def course_lesson(self, lesson, number: int, seen: dict[str, int], fragment: Callable[..., bytes]) -> None:
        """Adds lesson ``number``'s slides to the whole-course deck, from its fragment — the same
        slides as rendering them here (``build_deck`` without a store does).

        A fragment is rendered with the lesson's titles made unique among themselves and records
        the titles before and after. It fits this deck when numbering the titles against the deck
        so far (``seen``) gives the same; otherwise — a title repeats one of an earlier lesson —
        the lesson is rendered with the numbered titles, in a fragment that depends on them.

        The relationships of the lesson's slides and notes pages name the slides' places in the
        deck, so they are not in that fragment: they are deflated in a second one, which also
        depends on where the lesson's first slide is. An edit that moves no slide of the other
        lessons then deflates only the edited lesson's; one that moves them deflates theirs again.
        """
        from generator.targets.deck.package import FRAGMENT_FORMAT, decode, decode_members, encode, encode_members

        def make(final: list[str] | None = None) -> bytes:
            pages = self.pages(self.planner.course_lesson(lesson, number))
            titles = [p.title for p in pages]
            final = final if final is not None else unique_titles(titles, {})
            return encode(self.render(pages, final), titles=titles, final=final)

        # The lesson number is in the fragment's key already (the lesson order is), but not when
        # the audience's course leaves lessons out: state it. The format keeps fragments of another
        # encoding (or zlib) from being read as this one.
        depends: tuple = (FRAGMENT_FORMAT, number)
        slides, found = decode(fragment("course-deck", lesson.id, make, *depends))
        final = unique_titles(found["titles"], seen)
        if final != found["final"]:
            depends = (FRAGMENT_FORMAT, number, final)
            slides, found = decode(fragment("course-deck", lesson.id, lambda: make(final), *depends))
        package = self.package
        first = package.slides + 1
        mark = package.add_all(slides)
        rels = fragment("course-deck-rels", lesson.id, lambda: encode_members(package.rels_since(mark)), *depends, first)
        package.reuse(decode_members(rels))


#: Templates opened ahead of time (template digest → its presentation, untouched): each is taken
#: by the next deck built from that template, in this process or one forked from it. Opening
#: one costs ~15 ms of every deck; a process that forks builds opens them while it is idle.
_SPARES: dict[str, object] = {}


def open_in_advance(course) -> None:
    """Open ``course``'s deck template now, for the next deck built here or in a process forked
    from here (``DeckTarget.prepare``)."""
    from generator.targets.deck.template import TemplateError, open_template

    path, shown = template_path(course)
    digest = _digest(path)
    if digest and digest not in _SPARES:
        try:
            _SPARES[digest] = open_template(path, shown)
        except TemplateError:
            return  # the build that uses it reports the problem
    while len(_SPARES) > 4:
        del _SPARES[next(iter(_SPARES))]


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # open_template reports it


@lru_cache(maxsize=8)
def _prepared(digest: str, path: Path, shown: str) -> tuple[dict, dict, dict, tuple, dict]:
    """The template's layout for every slide kind, the placeholders slides point at, the layouts'
    part names, the empty notes page (see ``builder.notes_page``) and the template's parts deflated
    (``package.template_members``): worked out once per template and process, for every deck
    built from it."""
    from generator.targets.deck.package import template_members
    from generator.targets.deck.template import open_template

    prs = open_template(path, shown)
    return (*_analysed(digest, prs, shown), template_members(prs))


def _analysed(digest: str, prs, shown: str) -> tuple[dict, dict, dict, tuple]:
    """The layouts, placeholders, layout part names and notes page of ``_prepared``.

    Working them out goes through python-pptx's placeholder inheritance and cloning: ~0.1 s, more
    than a small deck, paid by every worker of every build (each is a fresh process). So they are
    kept in the user's cache (``user_cache``, like compiled page templates), as plain data under
    the template's digest and the generator's fingerprint: a changed template or generator never
    finds an old entry. An entry that cannot be read is worked out again.
    """
    from lxml import etree

    from generator import user_cache
    from generator.cache import generator_fingerprint
    from generator.targets.deck.builder import notes_page, ph_attributes
    from generator.targets.deck.template import Box, Choice, choose_all

    folder = user_cache.folder("deck-templates")
    name = hashlib.sha256(f"{generator_fingerprint()}\n{digest}".encode()).hexdigest() + ".json"
    if folder is not None and user_cache.private(folder):
        try:
            kept = json.loads((folder / name).read_text(encoding="utf-8"))
            choices = {kind: Choice(kind, None, Box(*c["title"]), Box(*c["body"]), c["body_placeholder"])
                       for kind, c in kept["choices"].items()}
            placeholders = {kind: tuple(tuple(ph) if ph is not None else None for ph in found)
                            for kind, found in kept["placeholders"].items()}
            notes_xml, body_index = kept["notes"]
            return choices, placeholders, kept["layouts"], (etree.fromstring(notes_xml.encode()), body_index)
        except Exception:  # whatever is wrong with a kept entry, working it out again is right
            pass
    choices = choose_all(prs, shown)
    placeholders = {kind: ph_attributes(choice) for kind, choice in choices.items()}
    layouts = {kind: str(choice.layout.part.partname) for kind, choice in choices.items()}
    notes = notes_page(prs)
    if folder is not None and user_cache.private(folder, create=True):
        kept = {"choices": {kind: {"title": _box(c.title), "body": _box(c.body), "body_placeholder": c.body_placeholder}
                            for kind, c in choices.items()},
                "placeholders": placeholders, "layouts": layouts,
                "notes": [etree.tostring(notes[0], encoding="unicode"), notes[1]]}
        user_cache.write(folder / name, json.dumps(kept, ensure_ascii=False).encode())
    return choices, placeholders, layouts, notes


def _box(box) -> list[int]:
    return [box.left, box.top, box.width, box.height]
