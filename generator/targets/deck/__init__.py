"""Trainer decks (kind ``pptx``): one editable PowerPoint per lesson and one for the whole course,
per language and audience.

The package: ``plan`` decides what goes on the slides, ``markdown_runs`` turns course markdown
into runs, ``measure`` measures text with real font metrics, ``builder`` writes the slides
(splitting onto continuation slides so nothing overflows), ``diagram`` draws the crime script,
``template`` picks layouts by name, and ``default.pptx`` (made by ``make_template``) is the
default template.
"""

from __future__ import annotations

from pathlib import Path

from generator import i18n
from generator.problems import CourseError, Problem
from generator.targets import Artifact, Job, Target


class DeckTarget(Target):
    kind = "pptx"
    description = "PowerPoint trainer decks: one per module and one for the course, with speaker notes"
    per_lesson = True

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
                data, slides = build_deck(course, job.lang, template)
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


def build_deck(course, lang: str, template: tuple[Path, str], lesson=None, number: int = 0) -> tuple[bytes, int]:
    """One deck as bytes, and its number of slides: the lesson's, or the whole course's."""
    from generator.targets.deck.builder import DeckWriter, finish
    from generator.targets.deck.plan import Planner, ui
    from generator.targets.deck.template import choose_all, open_template

    path, shown = template
    prs = open_template(path, shown)
    choices = choose_all(prs, shown)
    locale = i18n.locale(lang)
    colours = course.branding.colours
    writer = DeckWriter(prs, choices, lang, locale, colours.accent, colours.primary)
    planner = Planner(course, lang)
    slides = planner.lesson_deck(lesson, number) if lesson is not None else planner.course_deck()
    pages = []
    for slide in slides:
        found = writer.paginate(slide)
        for k, page in enumerate(found[1:], 2):
            page.title = (ui("continued", lang, title=slide.title) if k == 2
                          else ui("continued_n", lang, title=slide.title, n=k - 1))
        pages += found
    # Every slide title is unique (PowerPoint's accessibility checker asks it).
    seen: dict[str, int] = {}
    for page in pages:
        if page.title in seen:
            seen[page.title] += 1
            page.title = f"{page.title} ({seen[page.title]})"
        seen.setdefault(page.title, 1)
    for page in pages:
        writer.render(page)
    title = planner.t(lesson.title) if lesson is not None else planner.t(course.title)
    author = planner.t(course.branding.organisation) if course.branding.organisation else planner.t(course.title)
    return finish(prs, title, author, locale), len(pages)
