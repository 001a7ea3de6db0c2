"""Logical slides → slide parts, with every text measured to fit its box.

:class:`DeckWriter` splits logical slides into pages (continuation slides, so nothing overflows)
and writes each page as plain lxml elements — not python-pptx's element classes, whose Python
proxy per element cost more than the XML itself — serialised at once into a
:class:`~generator.targets.deck.package.RenderedSlide` (slide XML, notes XML, hyperlinks). No
object of a slide outlives its rendering, so a deck's memory grows with its bytes only, and a
lesson's rendered slides can be kept between builds as a fragment. ``package`` puts them into the
template's python-pptx package and saves it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from lxml import etree
from pptx.oxml.ns import qn
from pptx.oxml.slide import CT_NotesSlide, CT_Slide
from pptx.presentation import Presentation as PresentationType

from generator.targets.deck import diagram as crime_script
from generator.targets.deck import figures
from generator.targets.deck.colour import tint
from generator.targets.deck.drawing import (  # noqa: F401  (text_body, contrast_text: the writers' shared primitives)
    INSET_X, INSET_Y, _A_BODY_PR, _A_LST_STYLE, _A_NO_AUTOFIT, _TX_BODY, _copy, contrast_text, text_body, xml_text,
)
from generator.targets.deck.measure import (
    EMU_PER_PT, FONT_NAME, MAX_WORDS, Frame, Paragraph, Run, break_long_words, count_lines, fits, group_by_words,
    WIDTH_SLACK, indent, line_pitch, paginate, shown_words, text_height, text_width, word_count,
)
from generator.images import Logo
from generator.targets.deck.package import RenderedSlide, icon_part, logo_part
from generator.targets.deck.plan import Slide, TableSpec
from generator.targets.deck.template import Box, Choice

#: Font sizes in points, largest first; the last is the documented minimum for that kind of text.
TITLE_SIZES = {"title": (40, 36, 32, 28, 24), "section": (36, 32, 28, 24), "break": (36, 32, 28, 24)}
HEADING_SIZES = (32, 30, 28, 26, 24, 22, 20)
BODY_SIZES = (32, 30, 28, 26, 24)  # continuation slides when even 24 pt does not fit
SUBTITLE_SIZES = (28, 26, 24, 22, 20, 18)
FOOTER_SIZE = 14
TABLE_SIZES = (24, 22, 20, 18)
#: A quiz question stays whole on its slide: under the body sizes its type may go this far down.
QUESTION_SIZES = (22, 20)
QUESTION_LEAST = 20
#: A key figure (kind "figure"): a number read across the room.
FIGURE_SIZES = (96, 88, 80, 72, 64, 56, 48, 40)
NOTES_SIZE = 12
#: A quiz question's answer (its letters), shown on a click: its sizes, and at most this share of
#: the content area.
REVEAL_SIZES = (32, 30, 28, 26, 24)
REVEAL_SHARE = 0.3
REVEAL_FILL = "FFFFFF"
#: python-pptx's default table style ("Medium Style 2 – Accent 1"), as ``add_table`` writes it.
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"
TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def icon_room(size: float) -> int:
    """The room (EMU) an icon before a table cell's text takes at ``size`` pt: a square of the
    text's size and a third of it as a gap."""
    return emu(size * 4 / 3)


def inner(box: Box) -> Frame:
    """The frame text can use inside ``box``, in points."""
    return Frame((box.width - 2 * INSET_X) / EMU_PER_PT, (box.height - 2 * INSET_Y) / EMU_PER_PT)


# --- text XML --------------------------------------------------------------------------------


_A_P, _A_PPR, _A_LN_SPC, _A_SPC_BEF, _A_SPC_AFT, _A_SPC_PTS = (
    qn("a:p"), qn("a:pPr"), qn("a:lnSpc"), qn("a:spcBef"), qn("a:spcAft"), qn("a:spcPts"))
_A_BU_NONE, _A_BU_FONT, _A_BU_AUTO, _A_BU_CHAR = qn("a:buNone"), qn("a:buFont"), qn("a:buAutoNum"), qn("a:buChar")
_A_BU_SZ_PCT, _A_BU_BLIP = qn("a:buSzPct"), qn("a:buBlip")
#: The stand-in relationship id of an icon bullet until the slide's relationships are counted.
ICON_EMBED = "icon:"
_A_R, _A_BR, _A_T, _A_RPR, _A_END = qn("a:r"), qn("a:br"), qn("a:t"), qn("a:rPr"), qn("a:endParaRPr")
_A_SOLID, _A_SRGB, _A_LATIN, _A_CS, _A_HLINK = (qn("a:solidFill"), qn("a:srgbClr"), qn("a:latin"), qn("a:cs"),
                                               qn("a:hlinkClick"))
_R_ID = qn("r:id")


class TextWriter:
    """Writes measured paragraphs as DrawingML, every property explicit.

    A deck's paragraphs and runs share a handful of formats: the paragraph, run and end-of-
    paragraph properties are built once per format and copied (one C call instead of a dozen
    element and attribute calls each), which is most of the cost of writing text.
    """

    def __init__(self, lang: str):
        self.lang = lang
        self.links = None  # url → rId on the slide being written (``Canvas.link``)
        self._made: dict[tuple, etree._Element] = {}

    def write(self, tx_body, paragraphs: list[Paragraph], size: float, colour: str | None = None,
              align: str | None = None) -> None:
        for i, p in enumerate(paragraphs):
            self.paragraph(tx_body, p, size, first=i == 0, colour=colour, align=align)
        if not paragraphs:
            a_p = etree.SubElement(tx_body, _A_P)
            # No size when there is none to give (an empty box, measured at 0): ECMA-376 allows
            # 1-4000 pt, and PowerPoint repairs a file with sz="0".
            sized = {"sz": str(int(size * 100))} if size >= 1 else {}
            etree.SubElement(a_p, _A_END, lang=self.lang, **sized)

    def paragraph(self, tx_body, p: Paragraph, size: float, first: bool, colour: str | None,
                  align: str | None) -> None:
        sub = etree.SubElement
        own = size * p.scale
        a_p = sub(tx_body, _A_P)
        a_p.append(self._ppr(p, size, first, p.align or align or "l"))
        for run in p.runs:
            pieces = run.text.split("\n")
            for k, piece in enumerate(pieces):
                if k:
                    sub(a_p, _A_BR).append(self.rpr(run, own, colour))
                if piece:
                    a_r = sub(a_p, _A_R)
                    a_r.append(self.rpr(run, own, colour))
                    sub(a_r, _A_T).text = xml_text(piece)
        a_p.append(self._end(own))

    def _ppr(self, p: Paragraph, size: float, first: bool, align: str):
        key = ("pPr", size, p.scale, p.level, p.bullet, p.start, 0 if first else p.space_before, align, p.icon)
        made = self._made.get(key)
        if made is None:
            sub = etree.SubElement
            own = size * p.scale
            left, hang = indent(p, size)
            made = etree.Element(_A_PPR, marL=str(emu(left)), indent=str(emu(hang)), algn=align)
            if p.level:
                made.set("lvl", str(min(p.level, 8)))
            sub(sub(made, _A_LN_SPC), _A_SPC_PTS, val=str(int(round(line_pitch(own) * 100))))
            before = 0 if first else int(round(p.space_before * own * 100))
            sub(sub(made, _A_SPC_BEF), _A_SPC_PTS, val=str(before))
            sub(sub(made, _A_SPC_AFT), _A_SPC_PTS, val="0")
            if p.icon is not None:
                # A picture bullet. Its relationship id is only known once the slide's links are
                # (images come after them): ``DeckWriter.render`` sets it (see ``ICON_EMBED``).
                sub(made, _A_BU_SZ_PCT, val="100000")
                sub(sub(made, _A_BU_BLIP), _A_BLIP, {_R_EMBED: ICON_EMBED + p.icon})
            elif p.bullet is None:
                sub(made, _A_BU_NONE)
            elif p.bullet.startswith("#"):
                sub(made, _A_BU_FONT, typeface=FONT_NAME)
                sub(made, _A_BU_AUTO, type=p.bullet[1:], startAt=str(p.start))
            else:
                sub(made, _A_BU_FONT, typeface=FONT_NAME)
                sub(made, _A_BU_CHAR, char=p.bullet)
            self._made[key] = made
        return _copy(made)

    def _end(self, size: float):
        key = ("end", size)
        made = self._made.get(key)
        if made is None:
            made = etree.Element(_A_END, lang=self.lang, sz=str(int(round(size * 100))), dirty="0")
            etree.SubElement(made, _A_LATIN, typeface=FONT_NAME)
            self._made[key] = made
        return _copy(made)

    def rpr(self, run: Run, size: float, colour: str | None):
        """Run properties (links are the slide's own, so added to the copy)."""
        fill = run.colour or colour
        key = ("rPr", size, run.bold, run.italic, None if run.link else fill)
        made = self._made.get(key)
        if made is None:
            sub = etree.SubElement
            made = etree.Element(_A_RPR, lang=self.lang, sz=str(int(round(size * 100))),
                                 b="1" if run.bold else "0", i="1" if run.italic else "0", dirty="0")
            if key[4]:
                sub(sub(made, _A_SOLID), _A_SRGB, val=fill)
            sub(made, _A_LATIN, typeface=FONT_NAME)
            sub(made, _A_CS, typeface=FONT_NAME)
            self._made[key] = made
        rpr = _copy(made)
        if run.link:
            etree.SubElement(rpr, _A_HLINK, {_R_ID: self.links(run.link)})
        return rpr


# --- fitting -------------------------------------------------------------------------------


def fit_title(text: str, frame: Frame, sizes: tuple[float, ...], bold: bool = False) -> tuple[float, list[Paragraph]]:
    """The title at the largest size that fits; at the smallest, long words wrap and, for
    absurdly long titles only, the end is cut with an ellipsis (never overflow)."""
    para = Paragraph([Run(text, bold=bold)], space_before=0)
    for size in sizes:
        if fits([para], size, frame):
            return size, [para]
    for size in sizes:
        broken = break_long_words(para, size, frame.width)
        if fits([broken], size, frame):
            return size, [broken]
    size = sizes[-1]
    para = break_long_words(para, size, frame.width)
    words = para.runs[0].text.split(" ")
    while len(words) > 1 and not fits([para], size, frame):
        words = words[:-1]
        para = Paragraph([Run(" ".join(words) + " …", bold=bold)], space_before=0)
    return size, [para]


def transposed(spec: TableSpec) -> TableSpec | None:
    """``spec`` turned a quarter: a wide table with few rows read as a tall one (the first column's
    labels become the heading row). None for a table that is not wider than it is tall, or whose
    cells carry counts or icons (the matrix keeps its shape)."""
    if spec.counts is not None or spec.icons is not None or len(spec.columns) <= len(spec.rows) + 1:
        return None
    heading = [spec.columns[0]] + [row[0] if row else "" for row in spec.rows]
    rows = [[spec.columns[i]] + [row[i] if i < len(row) else "" for row in spec.rows]
            for i in range(1, len(spec.columns))]
    numeric = [False] + [all(_NUMBER.fullmatch(row[j]) for row in rows) for j in range(1, len(heading))]
    return TableSpec(heading, rows, numeric)


_NUMBER = re.compile(r"[\d\s.,%+\u2013\u2212-]+")


def _columns(spec: TableSpec, keep: list[int]) -> TableSpec:
    """``spec`` with only the columns ``keep`` (the first, the row labels, among them)."""
    return TableSpec([spec.columns[i] for i in keep], [[row[i] if i < len(row) else "" for i in keep] for row in spec.rows],
                     [spec.numeric[i] for i in keep],
                     counts=[[row[i - 1] for i in keep[1:]] for row in spec.counts] if spec.counts is not None else None,
                     icons=spec.icons)


@dataclass
class Page:
    """One physical slide."""

    slide: Slide
    title: str
    body: list[Paragraph]
    size: float
    table_rows: list[list[str]] | None = None
    table_size: float = 0
    table_widths: list[int] | None = None
    table_heights: list[int] | None = None
    reveal: bool = False  # the slide's answer box is on this page (its last)
    notes: list[str] | None = None  # the page's own notes (a continuation's); None: the slide's


# --- slides ---------------------------------------------------------------------------------


class Canvas:
    """One slide being written: its shape tree, the next shape id, and its hyperlinks (the slide's
    relationships ``rId2``… in order of first use; ``rId1`` is the layout)."""

    def __init__(self, blank, kind: str):
        self.root = _copy(blank)
        c_sld = self.root.find(_C_SLD)
        # The slide kind as the slide's (invisible) name: lets tests and tools find slides by kind.
        c_sld.set("name", kind)
        self.tree = c_sld.find(_SP_TREE)
        self.links: list[str] = []
        self.icons: list[tuple[str, Box]] = []  # (icon name, where): pictures drawn after the text
        self._next_id = 2

    def shape_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def link(self, url: str) -> str:
        url = xml_text(url)
        if url not in self.links:
            self.links.append(url)
        return f"rId{self.links.index(url) + 2}"

    def xml(self) -> bytes:
        return etree.tostring(self.root, encoding="UTF-8", standalone=True)


class DeckWriter:
    """Paginates logical slides for the template's layouts and renders pages as slide parts."""

    def __init__(self, prs: PresentationType, choices: dict[str, Choice], lang: str, locale: str,
                 accent: str, primary: str, placeholders: dict[str, tuple] | None = None,
                 logo: Logo | None = None, logo_text: str = "Logo", notes: tuple | None = None):
        self.choices = choices
        self.logo = logo
        self.logo_text = logo_text
        self._slide_size = (prs.slide_width, prs.slide_height)
        self.lang = lang
        self.locale = locale
        self.accent = accent.lstrip("#").upper()
        self.primary = primary.lstrip("#").upper()
        self._placeholders = placeholders or {kind: ph_attributes(choice) for kind, choice in choices.items()}
        self._blank = _plain(_blank_slide())
        # ``notes``: the template's ``notes_page``, when the caller keeps it for every deck.
        self._notes, self._notes_body = notes if notes is not None else notes_page(prs)
        self._notes_rpr = etree.Element(_A_RPR, lang=locale, sz=str(NOTES_SIZE * 100), dirty="0")
        self._text = TextWriter(locale)
        self.body_sizes = BODY_SIZES

    def use_text_size(self, largest: int) -> None:
        """Body text from ``largest`` points (the course's ``decks.text_size``) down to the least
        size of :data:`BODY_SIZES`, in steps of 2 pt."""
        least = BODY_SIZES[-1]
        self.body_sizes = tuple(range(max(largest, least), least - 1, -2)) or (least,)

    # --- pages ---

    def paginate(self, slide: Slide) -> list[Page]:
        choice = self.choices[slide.kind]
        if slide.kind in ("title", "section", "break", "diagram") or slide.visual is not None:
            return [Page(slide, slide.title, slide.subtitle, 0)]
        body_box = self.body_box(choice, slide)
        if slide.table is not None:
            return self.paginate_table(slide, body_box)
        frame = inner(body_box)
        if slide.kind == "question" and (slide.parts or slide.columns):  # a whole question, not one of its parts
            # A question is one slide, its stem and every option: the room answers what it sees whole.
            # Its type may go down to QUESTION_LEAST; a question with more words than a slide holds,
            # or too long even then, becomes the question alone, then its answers (``Slide.parts``) —
            # its room versions (``room:``) are what keeps it whole, and ``validate`` says so.
            words = sum(shown_words(p) for p in slide.body + [q for c in slide.columns or () for q in c])
            sizes = tuple(x for x in self.body_sizes + QUESTION_SIZES if x >= QUESTION_LEAST)
            sizes = tuple(sorted(set(sizes), reverse=True))
            for size in sizes if words <= self.word_budget(slide) else ():
                if self.question_fits(slide, body_box, size):
                    page = Page(slide, slide.title, slide.body, size)
                    page.reveal = bool(slide.reveal)
                    return [page]
            if slide.parts:
                return [page for part in slide.parts for page in self.paginate(part)]
        groups = group_by_words(slide.body, self.word_budget(slide), numbers=slide.kind == "question")
        # One size for every slide the text takes: the largest at which each group fits.
        sizes = self.body_sizes
        size = min(paginate(group, frame, sizes)[0] for group in groups) if slide.body else sizes[0]
        pages = [page for group in groups for page in paginate(group, frame, (size,))[1]]
        found = [Page(slide, slide.title, page, size) for page in pages] or [Page(slide, slide.title, [], size)]
        found[-1].reveal = bool(slide.reveal)
        return found

    def question_fits(self, slide: Slide, box: Box, size: float) -> bool:
        """Whether the question (and its two columns, for matching) fits ``box`` at ``size``."""
        frame = inner(box)
        if slide.columns is None:
            return fits(slide.body, size, frame)
        head = text_height(slide.body, size, frame.width)
        left, right = self.column_frames(box, slide)
        tallest = max(text_height(col, size, inner(b).width) for col, b in zip(slide.columns, (left, right)))
        return emu(head) + 2 * INSET_Y + emu(tallest) + 2 * INSET_Y <= box.height

    @staticmethod
    def column_frames(box: Box, slide: Slide) -> tuple[Box, Box]:
        """Two columns side by side in ``box`` (their tops are set when drawn), each as wide as its
        longest line asks, within a third and two thirds of the width: short answers beside long
        items leave the items the room."""
        gap = emu(18)
        natural = [max((text_width(p.text, 10) for p in column), default=1.0) or 1.0 for column in slide.columns]
        share = min(max(natural[0] / sum(natural), 1 / 3), 2 / 3)
        left = int((box.width - gap) * share)
        return (Box(box.left, box.top, left, box.height),
                Box(box.left + left + gap, box.top, box.width - gap - left, box.height))

    def one_slide(self, slide: Slide, frame: Frame) -> bool:
        """Whether ``slide``'s body goes on one slide: within its words and, at body size, its frame.
        A quiz question's letters and numbers are counted: every option has one (on other slides
        the odd numbered list is within the margin of ``word_budget``)."""
        if sum(shown_words(p) for p in slide.body) > self.word_budget(slide):
            return False
        return len(paginate(slide.body, frame, self.body_sizes)[1]) == 1

    @staticmethod
    def word_budget(slide: Slide) -> int:
        """The words the body of one of ``slide``'s pages may hold: the slide's most, less its
        title's (with room for "(continued 2)" and a repeat's number), its source line's and its
        answer box's, and a few words' margin: a word that wraps at its hyphen reads as two."""
        revealed = sum(word_count(p.text) for p in slide.reveal)
        return MAX_WORDS - word_count(slide.title) - 3 - word_count(slide.footer) - revealed - 3

    def content_box(self, choice: Choice, slide: Slide) -> Box:
        """The layout's content area above the source line (and below a key figure)."""
        box = choice.body
        if slide.footer:
            foot = self.footer_box(choice, slide)
            box = Box(box.left, box.top, box.width, foot.top - box.top - emu(4))
        if slide.figure:  # the figure takes the top of the content area, its caption the rest
            band = self.figure_box(choice)
            box = Box(box.left, band.bottom + emu(6), box.width, box.bottom - band.bottom - emu(6))
        return box

    @staticmethod
    def figure_box(choice: Choice) -> Box:
        """Where a key figure stands: the top two fifths of the content area, at most 2 in high."""
        box = choice.body
        return Box(box.left, box.top, box.width, min(box.height * 2 // 5, 1828800))

    def body_box(self, choice: Choice, slide: Slide) -> Box:
        """Where the body goes: the content area, above the answer box when the slide has one."""
        box = self.content_box(choice, slide)
        reveal = self.reveal_layout(choice, slide)
        if reveal is not None:
            box = Box(box.left, box.top, box.width, reveal[0].top - box.top - emu(6))
        return box

    def reveal_layout(self, choice: Choice, slide: Slide) -> tuple[Box, float, list[Paragraph]] | None:
        """The answer box at the foot of the content area, its size and its measured text: the
        answer at the largest size that keeps the box within REVEAL_SHARE of the area; None when
        the slide reveals nothing."""
        if not slide.reveal:
            return None
        area = self.content_box(choice, slide)
        width = inner(area).width

        def height_of(paras: list[Paragraph], size: float) -> int:
            return emu(text_height(paras, size, width)) + 2 * INSET_Y + emu(4)

        for size in REVEAL_SIZES:
            broken = [break_long_words(p, size, width) for p in slide.reveal]
            height = height_of(broken, size)
            if height <= area.height * REVEAL_SHARE:
                return Box(area.left, area.bottom - height, area.width, height), size, broken
        # A layout too small for the answer within the share: it takes what it needs.
        size = REVEAL_SIZES[-1]
        broken = [break_long_words(p, size, width) for p in slide.reveal]
        height = min(height_of(broken, size), area.height // 2)
        return Box(area.left, area.bottom - height, area.width, height), size, broken

    def footer_box(self, choice: Choice, slide: Slide) -> Box:
        frame = inner(choice.body)
        para = break_long_words(Paragraph([Run(slide.footer, italic=True)]), FOOTER_SIZE, frame.width)
        lines = count_lines(para, FOOTER_SIZE, frame.width)
        height = emu(lines * line_pitch(FOOTER_SIZE)) + 2 * INSET_Y + emu(2)
        box = choice.body
        return Box(box.left, box.bottom - height, box.width, height)

    def paginate_table(self, slide: Slide, box: Box) -> list[Page]:
        """The table on as few slides as its words and height allow, its heading row on each; rows
        are never split, and the slides share one size and one set of column widths."""
        spec = slide.table
        # A table is one slide: its words are read as a grid, not as text (the word limit is the
        # text's). Type goes down to the tables' floor; a table too wide for it is shown turned
        # (a column per row) when that fits, else split by columns, each slide repeating the row
        # labels. Rows are split only when even one column's worth does not fit.
        for candidate in (spec, transposed(spec)):
            if candidate is None:
                continue
            for size in TABLE_SIZES:
                widths, heights = self.table_geometry(candidate, size, box.width)
                if sum(heights) <= box.height and self.words_fit(candidate, size, box.width):
                    one = replace(slide, table=candidate) if candidate is not spec else slide
                    return [Page(one, slide.title, [], 0, candidate.rows, size, widths, heights)]
        by_columns = self.split_columns(slide, box)
        if by_columns is not None:
            return by_columns
        budget = 10_000
        row_words = [sum(word_count(str(cell)) for cell in row) for row in spec.rows]
        size = TABLE_SIZES[-1]
        for candidate in TABLE_SIZES:  # the largest size at which every row fits under the heading
            widths, heights = self.table_geometry(spec, candidate, box.width)
            if heights[0] + max(heights[1:]) <= box.height:
                size = candidate
                break
        widths, heights = self.table_geometry(spec, size, box.width)
        head, rows = heights[0], heights[1:]
        groups = max(2, -(-sum(row_words) // max(budget, 1)))
        target = sum(row_words) / groups  # rows shared evenly over the slides the words need
        pages, current, used, words = [], [], head, 0
        for row, h, n in zip(spec.rows, rows, row_words):
            if current and (used + h > box.height or words + n > budget or words + n / 2 > target):
                pages.append(current)
                current, used, words = [], head, 0
            current.append((row, h))
            used += h
            words += n
        pages.append(current)
        return [Page(slide, slide.title, [], 0, [r for r, _ in pg], size, widths, [head] + [h for _, h in pg])
                for pg in pages]

    def split_columns(self, slide: Slide, box: Box) -> list[Page] | None:
        """The table over as few slides as its columns need at the tables' least size, each with
        the row labels (the first column) and as many further columns as fit; None when even one
        further column does not fit beside the labels."""
        spec = slide.table
        size = TABLE_SIZES[-1]
        groups: list[list[int]] = [[]]
        for i in range(1, len(spec.columns)):
            trial = [0] + groups[-1] + [i]
            part = _columns(spec, trial)
            widths, heights = self.table_geometry(part, size, box.width)
            if sum(heights) <= box.height and self.words_fit(part, size, box.width):
                groups[-1].append(i)
            elif groups[-1]:
                groups.append([i])
            else:
                return None
        if len(groups) < 2:
            return None
        pages = []
        for group in groups:
            part = _columns(spec, [0] + group)
            widths, heights = self.table_geometry(part, size, box.width)
            if sum(heights) > box.height:
                return None
            pages.append(Page(replace(slide, table=part), slide.title, [], 0, part.rows, size, widths, heights))
        return pages

    def words_fit(self, spec: TableSpec, size: float, total: int) -> bool:
        """Whether every column can be as wide as its longest word at ``size``: a narrower table
        breaks words ("Preparatio-n"), which a smaller size avoids while one is left."""
        margin = 2 * INSET_X + emu(2)
        rows = [spec.columns] + spec.rows
        return (icon_room(size) if spec.icons else 0) + sum(emu(max((text_width(w, size, bold=True) for r in rows for w in (r[i] if i < len(r) else "").split()),
                           default=0) / (WIDTH_SLACK * 0.98)) + margin for i in range(len(spec.columns))) <= total

    def table_geometry(self, spec: TableSpec, size: float, total: int) -> tuple[list[int], list[int]]:
        """Column widths (EMU, summing to ``total``) and row heights (EMU) at ``size``."""
        margin = 2 * INSET_X
        cols = len(spec.columns)
        rows = [spec.columns] + spec.rows

        def natural(i: int) -> float:
            return max(text_width(r[i] if i < len(r) else "", size, bold=(k == 0)) for k, r in enumerate(rows))

        def longest_word(i: int) -> float:
            return max((text_width(w, size, bold=True) for r in rows for w in (r[i] if i < len(r) else "").split()),
                       default=0)

        nat = [emu(natural(i) / 0.96) + margin + emu(2) for i in range(cols)]
        # As wide as break_long_words needs to leave the longest word whole.
        floor = [emu(longest_word(i) / (WIDTH_SLACK * 0.98)) + margin + emu(2) for i in range(cols)]
        room = [icon_room(size) if i == 0 and spec.icons else 0 for i in range(cols)]
        nat = [n + r for n, r in zip(nat, room)]
        floor = [f + r for f, r in zip(floor, room)]
        if sum(nat) <= total:
            widths = [int(n * total / sum(nat)) for n in nat]
        else:
            spare = total - sum(floor)
            extra = [n - f for n, f in zip(nat, floor)]
            widths = [f + int(spare * e / sum(extra)) if sum(extra) and spare > 0 else int(total / cols)
                      for f, e in zip(floor, extra)]
        widths[-1] = total - sum(widths[:-1])
        heights = []
        for k, r in enumerate(rows):
            text = [(widths[i] - margin - (room[i] if k else 0)) / EMU_PER_PT for i in range(cols)]
            lines = max(count_lines(break_long_words(Paragraph([Run(r[i] if i < len(r) else "", bold=k == 0)]),
                                                     size, text[i]), size, text[i]) for i in range(cols))
            heights.append(emu(lines * line_pitch(size)) + 2 * INSET_Y + emu(3))
        return widths, heights

    # --- rendering ---

    def render(self, page: Page) -> RenderedSlide:
        """The page as slide XML, with its notes page and hyperlinks."""
        slide_spec = page.slide
        kind = slide_spec.kind
        choice = self.choices[kind]
        canvas = Canvas(self._blank, kind)
        writer = self._text
        writer.links = canvas.link
        title_ph, body_ph, number_ph = self._placeholders[kind]
        # Title: the layout's title placeholder, at the layout's place, measured to fit.
        size, paras = fit_title(page.title, inner(choice.title), TITLE_SIZES.get(kind, HEADING_SIZES),
                                bold=kind in ("title", "section", "break"))
        writer.write(_shape(canvas.tree, canvas.shape_id(), "Title", title_ph, choice.title), paras, size)
        # Content
        if kind in ("title", "section", "break"):
            if body_ph is not None and page.body:
                sub_size, sub_pages = paginate(page.body, inner(choice.body), SUBTITLE_SIZES)
                tx = _shape(canvas.tree, canvas.shape_id(), "Subtitle", body_ph, choice.body, anchor="t")
                writer.write(tx, sub_pages[0], sub_size)
        elif kind == "diagram":
            crime_script.draw(canvas, slide_spec.diagram, choice.body, writer, self.accent, self.primary)
        elif page.table_rows is not None:
            self.draw_table(canvas, page, self.body_box(choice, slide_spec), writer)
        else:
            if slide_spec.figure:
                band = self.figure_box(choice)
                figure = Paragraph([Run(slide_spec.figure, bold=True, colour=self.accent)], space_before=0)
                fig_size, fig_paras = fit_title(slide_spec.figure, inner(band), FIGURE_SIZES, bold=True)
                fig_paras = [replace(p, runs=[replace(r, colour=self.accent) for r in p.runs]) for p in fig_paras]
                tx = _shape(canvas.tree, canvas.shape_id(), "Figure", None, band, anchor="b")
                writer.write(tx, fig_paras or [figure], fig_size)
            box = self.body_box(choice, slide_spec)
            if slide_spec.columns is not None and page.body is slide_spec.body:
                # The stem across the top, the two columns under it, side by side.
                head = emu(text_height(page.body, page.size, inner(box).width)) + 2 * INSET_Y
                tx = _shape(canvas.tree, canvas.shape_id(), "Content", body_ph, Box(box.left, box.top, box.width, head),
                            anchor="t")
                writer.write(tx, page.body, page.size)
                for column, frame in zip(slide_spec.columns, self.column_frames(box, slide_spec)):
                    below = Box(frame.left, box.top + head, frame.width, box.height - head)
                    tx = _shape(canvas.tree, canvas.shape_id(), "Content", None, below, anchor="t")
                    writer.write(tx, column, page.size)
            else:
                tx = _shape(canvas.tree, canvas.shape_id(), "Content", body_ph, box, anchor="t")
                writer.write(tx, page.body, page.size)
        if page.reveal:
            self.draw_answer(canvas, choice, slide_spec, writer)
        if slide_spec.footer:
            box = self.footer_box(choice, slide_spec)
            tx = _shape(canvas.tree, 9000, "Source", None, box, anchor="b")
            para = break_long_words(Paragraph([Run(slide_spec.footer, italic=True)]), FOOTER_SIZE, inner(box).width)
            writer.write(tx, [para], FOOTER_SIZE)
        writer.links = None
        if kind != "title" and number_ph is not None:
            # The slide's number, from the layout's placeholder: a field that the application fills.
            canvas.tree.append(_slide_number(canvas.shape_id(), number_ph[0], self.locale))
        images = []
        if kind == "title" and self.logo is not None and (box := self.logo_box(choice)) is not None:
            # After the text: the image's relationship comes after every hyperlink's.
            rid = f"rId{len(canvas.links) + 2}"
            canvas.tree.append(_picture(canvas.shape_id(), self.logo_text, rid, box))
            images.append(logo_part(self.logo))
        if slide_spec.visual is not None:
            # A section's figure: the picture at its proportions, or a native chart (deck.figures).
            visual = slide_spec.visual
            rid = f"rId{len(canvas.links) + 2 + len(images)}"
            box = self.content_box(choice, slide_spec)
            if visual.chart is None:
                box = figures.fit_picture(box, visual.width, visual.height)
                canvas.tree.append(_picture(canvas.shape_id(), visual.alt, rid, box, name="Picture"))
            else:
                frame = figures.graphic_frame(canvas.shape_id(), "Chart", rid, box)
                if visual.alt:
                    frame.find(f"{qn('p:nvGraphicFramePr')}/{qn('p:cNvPr')}").set("descr", xml_text(visual.alt))
                canvas.tree.append(frame)
            images.append(visual.media)
        for blip in canvas.tree.iter(_A_BLIP):
            embed = blip.get(_R_EMBED, "")
            if embed.startswith(ICON_EMBED):
                part = icon_part(embed[len(ICON_EMBED):])
                if part not in images:
                    images.append(part)
                blip.set(_R_EMBED, f"rId{len(canvas.links) + 2 + images.index(part)}")
        for icon, box in canvas.icons:
            # Decorative: the actor's name stands beside it. One relationship per icon, however often shown.
            part = icon_part(icon)
            if part not in images:
                images.append(part)
            rid = f"rId{len(canvas.links) + 2 + images.index(part)}"
            canvas.tree.append(_picture(canvas.shape_id(), "", rid, box, name=f"Icon {icon}", decorative=True))
        notes = page.notes if page.notes is not None else slide_spec.notes
        return RenderedSlide.of(kind, canvas.xml(), canvas.links, self.notes(notes), images)

    def draw_answer(self, canvas: Canvas, choice: Choice, slide: Slide, writer: TextWriter) -> None:
        """The answer box, hidden until the presenter clicks: a native entrance animation, so it
        works in an offline PowerPoint. Applications that do not play animations (LibreOffice's
        PDF export, a printout) show the slide as it ends: with the answer."""
        box, size, paras = self.reveal_layout(choice, slide)
        shape_id = canvas.shape_id()
        tx = _shape(canvas.tree, shape_id, "Answer", None, box, anchor="ctr")
        sp_pr = tx.getparent().find(_SP_PR)
        sp_pr.remove(sp_pr.find(_NO_FILL))
        etree.SubElement(etree.SubElement(sp_pr, _A_SOLID), _A_SRGB, val=REVEAL_FILL)
        line = etree.SubElement(sp_pr, _A_LN, w=str(emu(2)))
        etree.SubElement(etree.SubElement(line, _A_SOLID), _A_SRGB, val=self.primary)
        writer.write(tx, paras, size, colour=contrast_text(REVEAL_FILL))
        canvas.root.append(click_to_show(shape_id))

    def logo_box(self, choice: Choice) -> Box | None:
        """Where the logo goes on a title slide: in the larger free band above the title or below the
        subtitle, right-aligned with the title, at most 0.9 in high and 3 in wide; None when the
        layout leaves no band of at least 0.35 in (the logo is then left off rather than overlap)."""
        margin, tallest, widest, least = 228600, 822960, 2743200, 320040  # 0.25, 0.9, 3, 0.35 in
        _, slide_height = self._slide_size
        lowest = max(choice.title.top + choice.title.height,
                     choice.body.top + choice.body.height if choice.body is not None else 0)
        above, below = choice.title.top, slide_height - lowest
        band = max(above, below)
        height = min(tallest, band - 2 * margin)
        if height < least:
            return None
        width = round(height * self.logo.width / self.logo.height)
        if width > widest:
            width, height = widest, round(widest * self.logo.height / self.logo.width)
        right = choice.title.left + choice.title.width
        top = (above - height) // 2 if above >= below else lowest + (below - height) // 2
        return Box(right - width, top, width, height)

    def notes(self, lines: list[str]) -> bytes | None:
        """The notes page holding ``lines``, or None when there is nothing to say."""
        if not any(line.strip() for line in lines):
            return None
        root = _copy(self._notes)
        if self._notes_body is not None:
            tx_body = root.find(_C_SLD).find(_SP_TREE)[self._notes_body].find(_TX_BODY)
            sub = etree.SubElement
            for line in lines:
                a_r = sub(sub(tx_body, _A_P), _A_R)
                a_r.append(_copy(self._notes_rpr))
                sub(a_r, _A_T).text = xml_text(line)
        return etree.tostring(root, encoding="UTF-8", standalone=True)

    def draw_table(self, canvas: Canvas, page: Page, box: Box, writer: TextWriter) -> None:
        """A native table (what ``add_table`` writes, with our widths, heights, text and fills)."""
        sub = etree.SubElement
        spec = page.slide.table
        rows = [spec.columns] + page.table_rows
        frame = sub(canvas.tree, _P_GRAPHIC_FRAME)
        nv = sub(frame, _P_NV_GRAPHIC_FRAME_PR)
        sub(nv, _C_NV_PR, id=str(canvas.shape_id()), name="Table")
        sub(sub(nv, _P_C_NV_GRAPHIC_FRAME_PR), _A_GRAPHIC_FRAME_LOCKS, noGrp="1")
        sub(nv, _NV_PR)
        xfrm = sub(frame, _P_XFRM)
        sub(xfrm, _OFF, x=str(box.left), y=str(box.top))
        sub(xfrm, _EXT, cx=str(box.width), cy=str(sum(page.table_heights)))
        tbl = sub(sub(sub(frame, _A_GRAPHIC), _A_GRAPHIC_DATA, uri=TABLE_URI), _A_TBL)
        sub(sub(tbl, _A_TBL_PR, firstRow="1", bandRow="1"), _A_TABLE_STYLE_ID).text = TABLE_STYLE
        grid = sub(tbl, _A_TBL_GRID)
        for w in page.table_widths:
            sub(grid, _A_GRID_COL, w=str(w))
        counts = None
        if spec.counts is not None:
            # The page's rows are a run of the spec's: find their counts by position.
            at = next((n for n, r in enumerate(spec.rows) if r is page.table_rows[0]), 0) if page.table_rows else 0
            counts = spec.counts[at:at + len(page.table_rows)]
        icons = None
        if spec.icons is not None:
            at = next((n for n, r in enumerate(spec.rows) if r is page.table_rows[0]), 0) if page.table_rows else 0
            icons = spec.icons[at:at + len(page.table_rows)]
        top = box.top
        for k, (row, height) in enumerate(zip(rows, page.table_heights)):
            tr = sub(tbl, _A_TR, h=str(height))
            icon = icons[k - 1] if icons is not None and k else None
            if icon is not None:
                # The icon stands in the cell's left margin, on its first line; the text starts after it.
                side = emu(page.table_size)
                pitch = emu(line_pitch(page.table_size))
                canvas.icons.append((icon, Box(box.left + INSET_X, top + INSET_Y + (pitch - side) // 2, side, side)))
            top += height
            band = self.primary if k == 0 else ("FFFFFF" if k % 2 else "E8EEF5")
            for i in range(len(spec.columns)):
                fill = band
                if counts is not None and k and i:
                    # A heat map: the more a cell holds, the stronger its tint of the primary colour.
                    fill = tint(self.primary, min(counts[k - 1][i - 1], 3) * 0.12) if counts[k - 1][i - 1] else "FFFFFF"
                colour = contrast_text(fill)
                text = row[i] if i < len(row) else ""
                tc = sub(tr, _A_TC)
                tx = sub(tc, _A_TX_BODY)
                sub(tx, _A_BODY_PR)
                sub(tx, _A_LST_STYLE)
                width = (page.table_widths[i] - 2 * INSET_X - (icon_room(page.table_size) if icon and i == 0 else 0)) / EMU_PER_PT
                para = break_long_words(Paragraph([Run(text, bold=k == 0)]), page.table_size, width)
                if spec.numeric[i] and k:
                    para = replace(para, align="r")
                writer.write(tx, [para], page.table_size, colour=colour)
                left = str(INSET_X + icon_room(page.table_size)) if icon is not None and i == 0 else _INSET_X
                tc_pr = sub(tc, _A_TC_PR, marL=left, marR=_INSET_X, marT=_INSET_Y, marB=_INSET_Y, anchor="t")
                sub(sub(tc_pr, _A_SOLID), _A_SRGB, val=fill)


_PLAIN = etree.XMLParser(resolve_entities=False)
_A_LN = qn("a:ln")

#: PowerPoint's "Appear" entrance effect on the next click, for one shape (``{spid}``): the slide's
#: main sequence holds one click group that sets the shape visible. This is the XML PowerPoint
#: itself writes for Animations → Appear → On Click.
_CLICK_TO_SHOW = """<p:timing xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:tnLst><p:par>
<p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot"><p:childTnLst>
<p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq"><p:childTnLst>
<p:par><p:cTn id="3" fill="hold"><p:stCondLst><p:cond delay="indefinite"/></p:stCondLst><p:childTnLst>
<p:par><p:cTn id="4" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>
<p:par><p:cTn id="5" presetID="1" presetClass="entr" presetSubtype="0" fill="hold" grpId="0" nodeType="clickEffect">
<p:stCondLst><p:cond delay="0"/></p:stCondLst><p:childTnLst>
<p:set><p:cBhvr><p:cTn id="6" dur="1" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst></p:cTn>
<p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl><p:attrNameLst><p:attrName>style.visibility</p:attrName></p:attrNameLst>
</p:cBhvr><p:to><p:strVal val="visible"/></p:to></p:set>
</p:childTnLst></p:cTn></p:par>
</p:childTnLst></p:cTn></p:par>
</p:childTnLst></p:cTn></p:par>
</p:childTnLst></p:cTn>
<p:prevCondLst><p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:prevCondLst>
<p:nextCondLst><p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond></p:nextCondLst>
</p:seq></p:childTnLst></p:cTn></p:par></p:tnLst>
<p:bldLst><p:bldP spid="{spid}" grpId="0" animBg="1"/></p:bldLst></p:timing>"""


def click_to_show(shape_id: int):
    """``p:timing`` that shows shape ``shape_id`` on the presenter's next click."""
    xml = re.sub(r">\s+<", "><", _CLICK_TO_SHOW.replace("{spid}", str(shape_id)))
    return etree.fromstring(xml, _PLAIN)


def _plain(element):
    """``element`` (a python-pptx element) as a plain lxml tree: elements made under it are then
    plain too, with no Python proxy class each."""
    return etree.fromstring(etree.tostring(element), _PLAIN)


@lru_cache(maxsize=1)
def _blank_slide():
    return CT_Slide.new()


def notes_page(prs: PresentationType):
    """An empty notes page (the notes master's placeholders, cloned as PowerPoint does) as a plain
    tree, and the position of its body placeholder in the shape tree (None: it has none), whose
    text is emptied. The tree is copied for each notes page, never changed."""
    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.opc.packuri import PackURI
    from pptx.parts.slide import NotesSlidePart

    master = prs.part.notes_master_part
    # A part outside the package (nothing relates to it, so it is never saved): python-pptx's own
    # cloning of the master's placeholders, done once per deck.
    scratch = NotesSlidePart(PackURI("/ppt/notesSlides/notesSlide0.xml"), CT.PML_NOTES_SLIDE, master.package,
                             CT_NotesSlide.new())
    scratch.notes_slide.clone_master_placeholders(master.notes_master)
    root = _plain(scratch._element)
    for index, sp in enumerate(root.find(_C_SLD).find(_SP_TREE)):
        ph = sp.find(f"{_NV_SP_PR}/{_NV_PR}/{_PH}")
        if sp.tag == _SP and ph is not None and ph.get("type") == "body":
            tx_body = sp.find(_TX_BODY)
            if tx_body is None:
                tx_body = etree.SubElement(sp, _TX_BODY)
                etree.SubElement(tx_body, _A_BODY_PR)
                etree.SubElement(tx_body, _A_LST_STYLE)
            for p in tx_body.findall(_A_P):
                tx_body.remove(p)
            return root, index
    return root, None


_C_SLD, _SP_TREE, _SP = qn("p:cSld"), qn("p:spTree"), qn("p:sp")
_NV_SP_PR, _C_NV_PR, _C_NV_SP_PR, _NV_PR, _PH = (qn("p:nvSpPr"), qn("p:cNvPr"), qn("p:cNvSpPr"), qn("p:nvPr"),
                                                 qn("p:ph"))
_SP_PR, _XFRM, _OFF, _EXT = qn("p:spPr"), qn("a:xfrm"), qn("a:off"), qn("a:ext")
_SP_LOCKS, _PRST_GEOM, _AV_LST, _NO_FILL = qn("a:spLocks"), qn("a:prstGeom"), qn("a:avLst"), qn("a:noFill")
_P_GRAPHIC_FRAME, _P_NV_GRAPHIC_FRAME_PR, _P_C_NV_GRAPHIC_FRAME_PR, _A_GRAPHIC_FRAME_LOCKS = (
    qn("p:graphicFrame"), qn("p:nvGraphicFramePr"), qn("p:cNvGraphicFramePr"), qn("a:graphicFrameLocks"))
_P_XFRM, _A_GRAPHIC, _A_GRAPHIC_DATA, _A_TBL, _A_TBL_PR, _A_TABLE_STYLE_ID = (
    qn("p:xfrm"), qn("a:graphic"), qn("a:graphicData"), qn("a:tbl"), qn("a:tblPr"), qn("a:tableStyleId"))
_A_TBL_GRID, _A_GRID_COL, _A_TR, _A_TC, _A_TX_BODY, _A_TC_PR = (
    qn("a:tblGrid"), qn("a:gridCol"), qn("a:tr"), qn("a:tc"), qn("a:txBody"), qn("a:tcPr"))
_INSET_X, _INSET_Y = str(INSET_X), str(INSET_Y)


def ph_attributes(choice: Choice) -> tuple:
    """The ``p:ph`` attributes of the layout's title, body and slide-number placeholders (to point
    slides at them; None where the layout has none) with their vertical anchor, which we write explicitly: not every application inherits
    it from the layout once a slide has its own body properties."""
    title = body = number = None
    for ph in choice.layout.placeholders:
        found = (dict(ph._element.ph.attrib), _anchor(ph))
        if ph.placeholder_format.idx == 0 and title is None:
            title = found
        elif choice.body_placeholder is not None and ph.placeholder_format.idx == choice.body_placeholder:
            body = found
        elif ph._element.ph.get("type") == "sldNum" and number is None:
            number = found
    return title, body, number


def _anchor(placeholder) -> str | None:
    """The anchor a layout placeholder has, or inherits from the master."""
    for shape in (placeholder, getattr(placeholder, "_base_placeholder", None)):
        if shape is None:
            continue
        pr = shape._element.find(f"{_TX_BODY}/{qn('a:bodyPr')}")
        if pr is not None and pr.get("anchor"):
            return pr.get("anchor")
    return None


def _shape(tree, shape_id: int, name: str, placeholder: tuple[dict, str | None] | None, box: Box,
           anchor: str | None = None):
    """Append a text shape — a placeholder inheriting from the layout, or a text box — placed at
    ``box``; returns its empty ``p:txBody`` with explicit body properties."""
    ph, inherited = placeholder if placeholder is not None else (None, None)
    sp = _copy(_empty_shape(shape_id, name, tuple(ph.items()) if ph is not None else None, box,
                                anchor or inherited))
    tree.append(sp)
    return sp[-1]


@lru_cache(maxsize=256)
def _empty_shape(shape_id: int, name: str, ph: tuple | None, box: Box, anchor: str | None):
    """An empty text shape, made once per place and copied: a deck has few distinct ones."""
    sub = etree.SubElement
    sp = etree.Element(_SP)
    nv = sub(sp, _NV_SP_PR)
    sub(nv, _C_NV_PR, id=str(shape_id), name=name)
    c_nv_sp_pr = sub(nv, _C_NV_SP_PR)
    nv_pr = sub(nv, _NV_PR)
    if ph is not None:
        sub(c_nv_sp_pr, _SP_LOCKS, noGrp="1")
        sub(nv_pr, _PH, dict(ph))
    else:
        c_nv_sp_pr.set("txBox", "1")
    sp_pr = sub(sp, _SP_PR)
    xfrm = sub(sp_pr, _XFRM)
    sub(xfrm, _OFF, x=str(box.left), y=str(box.top))
    sub(xfrm, _EXT, cx=str(box.width), cy=str(box.height))
    if ph is None:
        sub(sub(sp_pr, _PRST_GEOM, prst="rect"), _AV_LST)
        sub(sp_pr, _NO_FILL)
    text_body(sp, anchor=anchor)
    return sp


_SLIDE_NUMBER_FIELD = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"


def _slide_number(shape_id: int, ph: dict, locale: str):
    """A slide-number placeholder: no position or size of its own (the layout's), and a
    ``slidenum`` field whose text the application writes for each slide. Made once per layout and
    language and copied: every slide has one."""
    sp = _copy(_slide_number_shape(tuple(ph.items()), locale))
    sp[0][0].set("id", str(shape_id))
    return sp


@lru_cache(maxsize=64)
def _slide_number_shape(ph: tuple, locale: str):
    sub = etree.SubElement
    ph = dict(ph)
    shape_id = 0
    sp = etree.Element(_SP)
    nv = sub(sp, _NV_SP_PR)
    sub(nv, _C_NV_PR, id=str(shape_id), name="Slide number")
    sub(sub(nv, _C_NV_SP_PR), _SP_LOCKS, noGrp="1")
    sub(sub(nv, _NV_PR), _PH, dict(ph))
    sub(sp, _SP_PR)
    tx = sub(sp, _TX_BODY)
    sub(sub(tx, _A_BODY_PR), _A_NO_AUTOFIT)
    sub(tx, _A_LST_STYLE)
    fld = sub(sub(tx, _A_P), qn("a:fld"), id=_SLIDE_NUMBER_FIELD, type="slidenum")
    sub(fld, _A_RPR, lang=locale)
    sub(fld, _A_T).text = "\u2039#\u203a"
    return sp


_P_PIC, _P_NV_PIC_PR, _P_C_NV_PIC_PR, _A_PIC_LOCKS = qn("p:pic"), qn("p:nvPicPr"), qn("p:cNvPicPr"), qn("a:picLocks")
_P_BLIP_FILL, _A_BLIP, _A_STRETCH, _A_FILL_RECT = qn("p:blipFill"), qn("a:blip"), qn("a:stretch"), qn("a:fillRect")
_R_EMBED = qn("r:embed")


#: PowerPoint's "Mark as decorative" (Office 2019+): screen readers skip the picture, and the
#: accessibility checker does not ask for alternative text.
_DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def _picture(shape_id: int, description: str, rid: str, box: Box, name: str = "Logo", decorative: bool = False):
    """A picture shape showing the image of relationship ``rid``, its alternative text ``description``
    (or marked decorative)."""
    pic = etree.Element(_P_PIC)
    nv = etree.SubElement(pic, _P_NV_PIC_PR)
    c_nv = etree.SubElement(nv, _C_NV_PR, id=str(shape_id), name=name, descr=xml_text(description))
    if decorative:
        ext = etree.SubElement(etree.SubElement(c_nv, qn("a:extLst")), qn("a:ext"), uri=_DECORATIVE_URI)
        etree.SubElement(ext, f"{{{_ADEC}}}decorative", nsmap={"adec": _ADEC}, val="1")
    etree.SubElement(etree.SubElement(nv, _P_C_NV_PIC_PR), _A_PIC_LOCKS, noChangeAspect="1")
    etree.SubElement(nv, _NV_PR)
    fill = etree.SubElement(pic, _P_BLIP_FILL)
    etree.SubElement(fill, _A_BLIP, {_R_EMBED: rid})
    etree.SubElement(etree.SubElement(fill, _A_STRETCH), _A_FILL_RECT)
    sp_pr = etree.SubElement(pic, _SP_PR)
    xfrm = etree.SubElement(sp_pr, _XFRM)
    etree.SubElement(xfrm, _OFF, x=str(box.left), y=str(box.top))
    etree.SubElement(xfrm, _EXT, cx=str(box.width), cy=str(box.height))
    etree.SubElement(etree.SubElement(sp_pr, _PRST_GEOM, prst="rect"), _AV_LST)
    return pic
