"""Figures on slides: a picture slide for an image, a native PowerPoint chart for a chart.

A section's figures (``generator.figures``) each get a slide after the section's own: the picture
in the template's picture placeholder (a "Picture with Caption" layout) when it has one, else in
the content area below the title, at its own proportions; its alternative text is the picture's
description (``descr``), read aloud by screen readers. A chart is a chart part as python-pptx
writes it (``ChartPart.new``), with its data in the embedded workbook, so a trainer can edit it in
PowerPoint; nothing of it is a picture.

Slides only name what they show (``Visual.media``): the picture's media part, or the chart's part,
by a digest of its content — a lesson's rendered slides are kept between builds as a fragment,
and the same name must mean the same bytes. :class:`FigureMedia` gives the package the bytes (or
the chart) for a name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.targets.deck.template import Box

#: Prefixes of the media names of figures (``RenderedSlide.images``): an image's media part, or
#: a chart part with its workbook.
FIGURE_PREFIX = "modgen-figure-"
CHART_PREFIX = "modgen-chart-"
#: Chart type → python-pptx's chart type (clustered: series side by side).
CHART_TYPES = {"bar": "BAR_CLUSTERED", "column": "COLUMN_CLUSTERED", "line": "LINE_MARKERS", "pie": "PIE"}
#: Every text of a chart, in points: the least a room reads from the back (docs/decks.md).
ROOM_PT = 18
#: The workbook's fixed date: equal charts are equal bytes.
FIXED_TIME = dt.datetime(2000, 1, 1)


@dataclass
class ChartSpec:
    """A chart in one language: what python-pptx's chart data holds."""

    type: str  # bar, column, line, pie
    categories: list[str]
    series: list[tuple[str, list[float]]]
    axis: str = ""
    number_format: str = "#,##0"

    def key(self) -> str:
        return json.dumps([self.type, self.categories, self.series, self.axis, self.number_format], ensure_ascii=False)


@dataclass
class Visual:
    """What a picture or chart slide shows."""

    media: str  # the media name (FIGURE_PREFIX…, CHART_PREFIX…)
    alt: str
    width: int = 0  # an image's pixels, for its proportions
    height: int = 0
    chart: ChartSpec | None = None
    data: list[str] = field(default_factory=list)  # the chart's numbers as lines, for the notes


def image_name(data: bytes, ext: str) -> str:
    return f"{FIGURE_PREFIX}{hashlib.sha256(data).hexdigest()[:20]}.{ext}"


def chart_name(spec: ChartSpec) -> str:
    return f"{CHART_PREFIX}{hashlib.sha256(spec.key().encode()).hexdigest()[:20]}"


def fit_picture(box: Box, width: int, height: int) -> Box:
    """The largest box of the picture's proportions inside ``box``, centred."""
    if width <= 0 or height <= 0:
        return box
    scale = min(box.width / width, box.height / height)
    w, h = round(width * scale), round(height * scale)
    return Box(box.left + (box.width - w) // 2, box.top + (box.height - h) // 2, w, h)


# --- charts ------------------------------------------------------------------------------------


def chart_data(spec: ChartSpec):
    """python-pptx's chart data for ``spec``, whose workbook has fixed dates."""
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter

    class _FixedWorkbookWriter(CategoryWorkbookWriter):
        # python-pptx lets XlsxWriter date the workbook now: a deck would differ with every build.
        def _open_worksheet(self, xlsx_file):
            from contextlib import contextmanager

            from xlsxwriter import Workbook

            @contextmanager
            def opened():
                workbook = Workbook(xlsx_file, {"in_memory": True})
                workbook.set_properties({"created": FIXED_TIME})
                worksheet = workbook.add_worksheet()
                yield workbook, worksheet
                workbook.close()

            return opened()

    class _ChartData(CategoryChartData):
        @property
        def _workbook_writer(self):
            return _FixedWorkbookWriter(self)

    data = _ChartData(number_format=spec.number_format)
    data.categories = spec.categories
    for name, values in spec.series:
        data.add_series(name, values)
    return data


def chart_parts(spec: ChartSpec, package, partname: str):
    """The chart part (and, related from it, its workbook part) for ``spec``, named ``partname``,
    in ``package``: python-pptx's own, then styled through python-pptx's chart API — titles off
    (the slide's title says it), the value axis titled, data labels on, a legend for more than
    one series."""
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_LABEL_POSITION
    from pptx.opc.packuri import PackURI
    from pptx.parts.chart import ChartPart

    chart_type = getattr(XL_CHART_TYPE, CHART_TYPES[spec.type])
    data = chart_data(spec)
    part = ChartPart.load(PackURI(partname), "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
                          package, data.xml_bytes(chart_type))
    part.chart_workbook.update_from_xlsx_blob(data.xlsx_blob)
    chart = part.chart
    chart.has_title = False
    chart.font.size = _pt(ROOM_PT)
    several = len(spec.series) > 1 or spec.type == "pie"
    chart.has_legend = several
    if several:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = spec.number_format if spec.type != "pie" else "0%"
    labels.number_format_is_linked = False
    labels.font.size = _pt(ROOM_PT)
    if spec.type == "pie":
        labels.show_percentage, labels.show_value = True, False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
    else:
        if spec.type in ("bar", "column"):
            plot.gap_width = 60
        axis = chart.value_axis
        axis.has_major_gridlines = True
        axis.tick_labels.font.size = _pt(ROOM_PT)
        axis.tick_labels.number_format = spec.number_format
        axis.tick_labels.number_format_is_linked = False
        if spec.axis:
            axis.has_title = True
            axis.axis_title.text_frame.text = spec.axis
            axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = _pt(ROOM_PT)
        chart.category_axis.tick_labels.font.size = _pt(ROOM_PT)
        if spec.type == "bar":  # the first category on top, as it is read (and as the site draws it)
            chart.category_axis.reverse_order = True
    _unsigned_axis_ids(part._element)
    return part


def _unsigned_axis_ids(chart_space) -> None:
    """python-pptx's chart XML numbers its axes with negative ids; ECMA-376 types ``c:axId`` and
    ``c:crossAx`` as unsigned 32-bit integers (tests/targets/test_deck_ooxml.py checks every chart
    part). The same mapping for every occurrence keeps each axis paired with the one it crosses."""
    from pptx.oxml.ns import qn

    for element in chart_space.iter(qn("c:axId"), qn("c:crossAx")):
        value = int(element.get("val"))
        if value < 0:
            element.set("val", str(value & 0xFFFFFFFF))


def _pt(points: float):
    from pptx.util import Pt

    return Pt(points)


def graphic_frame(shape_id: int, name: str, rid: str, box: Box):
    """The slide's frame holding the chart of relationship ``rid`` (python-pptx's own element)."""
    from pptx.oxml.shapes.graphfrm import CT_GraphicalObjectFrame

    return CT_GraphicalObjectFrame.new_chart_graphicFrame(shape_id, name, rid, box.left, box.top, box.width,
                                                         box.height)


# --- the media of a course's figures ------------------------------------------------------------


class FigureMedia:
    """The figures of one course in one language, by media name: what the planner names and the
    package writes. Worked out when first asked (a deck without figures reads no image)."""

    def __init__(self, course, lang: str):
        self.course = course
        self.lang = lang
        self._images: dict[str, tuple[str, bytes]] | None = None
        self._charts: dict[str, ChartSpec] = {}

    def image(self, picture) -> str:
        """The media name of ``picture`` (``generator.figures.Picture``): a PNG or JPEG as it is,
        an SVG drawn as a PNG (PowerPoint needs a bitmap beside an SVG)."""
        name, ext, data = _named_bitmap(picture)
        if self._images is not None:
            self._images[name] = (ext, data)
        return name

    def chart(self, spec: ChartSpec) -> str:
        name = chart_name(spec)
        self._charts[name] = spec
        return name

    def media(self, name: str) -> tuple[str, bytes] | None:
        """(extension, bytes) of the figure image ``name``, or None when this course has none."""
        if self._images is None:
            self._images = {}
            from generator.figures import picture, section_figures

            for lesson in self.course.lessons:
                for section in lesson.sections:
                    for figure in section_figures(section):
                        if figure.image is not None:
                            self.image(picture(self.course, figure.image))
        return self._images.get(name)

    def chart_spec(self, name: str) -> ChartSpec | None:
        if name not in self._charts:
            from generator.figures import section_figures

            for lesson in self.course.lessons:
                for section in lesson.sections:
                    for figure in section_figures(section):
                        if figure.chart is not None:
                            self.chart(chart_spec(figure.chart, self.lang))
        return self._charts.get(name)



@lru_cache(maxsize=64)
def _named_bitmap(picture) -> tuple[str, str, bytes]:
    """(media name, extension, bytes) of a picture as a deck embeds it. Once per picture and
    process: every deck of a build names every picture of the course (``FigureMedia.media``), and
    drawing an SVG or hashing a photo for each would cost more than the deck."""
    if picture.format == "svg":
        data, ext = svg_png(picture.data, picture.width, picture.height), "png"
    else:
        data, ext = picture.data, picture.ext
    return image_name(data, ext), ext, data


#: The longer side an SVG figure is drawn at for a slide: sharp on a projector (a picture rarely
#: takes the whole slide), and drawing it costs a tenth of a second, not a fifth (1920).
SVG_PIXELS = 1600


def svg_png(svg: bytes, width: int, height: int) -> bytes:
    """The SVG drawing (made safe by ``generator.images.safe_svg``) as a PNG, its text in the
    deck's own fonts rather than whatever this machine has: the same bytes on every machine."""
    import resvg_py

    from generator.targets.deck.measure import MEASURING_FONT

    fonts = Path(__file__).resolve().parent / "fonts"  # Carlito, shipped with the package
    scale = SVG_PIXELS / max(width, height, 1)
    return bytes(resvg_py.svg_to_bytes(
        svg_string=svg.decode("utf-8"), width=max(1, round(width * scale)), height=max(1, round(height * scale)),
        skip_system_fonts=True, font_dirs=[str(fonts)], font_family=MEASURING_FONT,
        sans_serif_family=MEASURING_FONT, serif_family=MEASURING_FONT, monospace_family=MEASURING_FONT))


def chart_spec(chart, lang: str) -> ChartSpec:
    """The model's chart (``generator.model.Chart``) in ``lang``."""

    def label(value) -> str:
        return value if isinstance(value, str) else value.get(lang)

    values = [v for s in chart.series for v in s.values]
    # Whole numbers with thousands separated; one decimal place where the data has decimals.
    # PowerPoint shows the separators of the reader's own locale.
    number_format = "#,##0" if all(float(v).is_integer() for v in values) else "#,##0.0"
    return ChartSpec(chart.type, [label(c) for c in chart.categories],
                     [(s.name.get(lang), [float(v) for v in s.values]) for s in chart.series],
                     chart.axis.get(lang) if chart.axis else "", number_format)
