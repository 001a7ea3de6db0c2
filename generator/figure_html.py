"""A section's figures as the HTML outputs show them: the site (and the SCORM and cmi5 packages,
which are its pages) and the facilitator guide.

:func:`figure_views` gives each target what its template needs for a ``<figure>``: an image's file
(the site copies it in under ``figures/``, named by its content; the guide, one self-contained
file, embeds it as a ``data:`` address), its pixel size (the page reserves the room before it
loads) and alternative text; or a chart as inline SVG (``generator.chart_svg``) with its numbers
as a table; and the caption, credit and source line.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from generator.figures import picture, section_figures
from generator.model import Course, Figure, Section


@dataclass
class FigureView:
    id: str
    kind: str  # image or chart
    alt: str
    caption: str
    credit: str
    source: str  # the source's short form
    src: str = ""  # an image's address: its file in the site, or a data: address
    file: str = ""  # an image's file in the site (``figures/…``), "" when embedded
    data: bytes = b""
    width: int = 0
    height: int = 0
    svg: str = ""  # a chart's drawing (Markup)
    table: dict = field(default_factory=dict)  # a chart's numbers (chart_svg.chart_table)


def image_file(data: bytes, ext: str) -> str:
    """An image's file in the site: named by its content, so a changed picture is a new file
    (no browser or LMS shows a cached old one) and the same picture is one file."""
    return f"figures/{hashlib.sha256(data).hexdigest()[:20]}.{ext}"


def figure_views(course: Course, section: Section, lang: str, *, embed: bool = False,
                 palette: list[str] | None = None) -> list[FigureView]:
    """The figures of ``section`` in ``lang``; with ``embed``, images as ``data:`` addresses."""
    views = []
    for figure in section_figures(section):
        views.append(figure_view(course, figure, lang, embed=embed, palette=palette))
    return views


def figure_view(course: Course, figure: Figure, lang: str, *, embed: bool = False,
                palette: list[str] | None = None) -> FigureView:
    def t(value) -> str:
        return value.get(lang) if value is not None else ""

    source = course.source(figure.source) if figure.source else None
    view = FigureView(figure.id, figure.kind, t(figure.alt), t(figure.caption), t(figure.credit),
                      t(source.short) if source is not None else "")
    if figure.image is not None:
        found = picture(course, figure.image)
        view.width, view.height, view.data = found.width, found.height, found.data
        if embed:
            view.src = f"data:{found.content_type};base64,{base64.b64encode(found.data).decode('ascii')}"
        else:
            view.file = view.src = image_file(found.data, found.ext)
    else:
        from generator.chart_svg import chart_svg, chart_table, colours

        colour = course.branding.colours
        view.svg = chart_svg(figure.chart, lang, view.caption or view.alt, view.alt if view.caption else "",
                             f"chart-{figure.id}", palette or colours(colour.primary, colour.accent))
        view.table = chart_table(figure.chart, lang)
    return view


def course_images(course: Course) -> dict[str, bytes]:
    """Every image file the site of ``course`` holds: its file name → bytes."""
    files = {}
    for lesson in course.lessons:
        for section in lesson.sections:
            for figure in section_figures(section):
                if figure.image is not None:
                    found = picture(course, figure.image)
                    files[image_file(found.data, found.ext)] = found.data
    return files
