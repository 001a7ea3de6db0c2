"""Logical slides → a python-pptx presentation, with every text measured to fit its box.

Slides and notes pages are added through :class:`DeckWriter`, which keeps its own counters for
part names, relationship ids and slide ids instead of python-pptx's ``add_slide`` and
``notes_slide``: those rescan every part or relationship of the package for each new slide, which
makes a large deck quadratic. The document model stays python-pptx's, so the result is an
ordinary, valid package.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, replace
from functools import lru_cache

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TARGET_MODE as RTM
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import _Relationship
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml.ns import qn
from pptx.oxml.slide import CT_NotesSlide, CT_Slide
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.presentation import Presentation as PresentationType

from generator.targets.deck import diagram as crime_script
from generator.targets.deck.measure import (
    EMU_PER_PT, FONT_NAME, Frame, Paragraph, Run, break_long_words, count_lines, fits, indent, line_pitch,
    paginate, text_width,
)
from generator.targets.deck.plan import Slide, TableSpec
from generator.targets.deck.template import Box, Choice

#: Insets of every text box we fill (EMU): written explicitly so no application guesses them.
INSET_X, INSET_Y = 91440, 45720
#: Font sizes in points, largest first; the last is the documented minimum for that kind of text.
TITLE_SIZES = {"title": (40, 36, 32, 28, 24), "section": (36, 32, 28, 24)}
HEADING_SIZES = (32, 30, 28, 26, 24, 22, 20)
BODY_SIZES = (28, 26, 24, 22, 20)  # continuation slides when even 20 pt does not fit
SUBTITLE_SIZES = (24, 22, 20, 18, 16)
FOOTER_SIZE = 14
TABLE_SIZES = (20, 18, 16, 14)
NOTES_SIZE = 12
FIXED_TIME = dt.datetime(2000, 1, 1)


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def inner(box: Box) -> Frame:
    """The frame text can use inside ``box``, in points."""
    return Frame((box.width - 2 * INSET_X) / EMU_PER_PT, (box.height - 2 * INSET_Y) / EMU_PER_PT)


def contrast_text(fill: str) -> str:
    """Black or white, whichever contrasts more with the hex colour ``fill``."""
    from generator.targets.deck.colour import contrast

    return "000000" if contrast("000000", fill) >= contrast("FFFFFF", fill) else "FFFFFF"


# --- text XML --------------------------------------------------------------------------------


def body_pr(tx_body, anchor: str | None = None) -> None:
    """Explicit insets, word wrap, and no autofit: the layout we measured is the layout shown."""
    old = tx_body.find(_A_BODY_PR)
    attrs = {"wrap": "square", "lIns": _INSET_X, "tIns": _INSET_Y, "rIns": _INSET_X, "bIns": _INSET_Y,
             "rtlCol": "0"}
    if anchor:
        attrs["anchor"] = anchor
    elif old is not None and old.get("anchor"):
        attrs["anchor"] = old.get("anchor")
    new = etree.Element(_A_BODY_PR, attrs)
    etree.SubElement(new, _A_NO_AUTOFIT)
    if old is not None:
        tx_body.replace(old, new)
    else:
        tx_body.insert(0, new)
    if tx_body.find(_A_LST_STYLE) is None:
        new.addnext(etree.Element(_A_LST_STYLE))
    for p in tx_body.findall(_A_P):
        tx_body.remove(p)


_A_BODY_PR, _A_NO_AUTOFIT, _A_LST_STYLE = qn("a:bodyPr"), qn("a:noAutofit"), qn("a:lstStyle")
_INSET_X, _INSET_Y = str(INSET_X), str(INSET_Y)
_A_P, _A_PPR, _A_LN_SPC, _A_SPC_BEF, _A_SPC_AFT, _A_SPC_PTS = (
    qn("a:p"), qn("a:pPr"), qn("a:lnSpc"), qn("a:spcBef"), qn("a:spcAft"), qn("a:spcPts"))
_A_BU_NONE, _A_BU_FONT, _A_BU_AUTO, _A_BU_CHAR = qn("a:buNone"), qn("a:buFont"), qn("a:buAutoNum"), qn("a:buChar")
_A_R, _A_BR, _A_T, _A_RPR, _A_END = qn("a:r"), qn("a:br"), qn("a:t"), qn("a:rPr"), qn("a:endParaRPr")
_A_SOLID, _A_SRGB, _A_LATIN, _A_CS, _A_HLINK = (qn("a:solidFill"), qn("a:srgbClr"), qn("a:latin"), qn("a:cs"),
                                               qn("a:hlinkClick"))
_R_ID = qn("r:id")
#: Characters XML 1.0 cannot hold; YAML escapes ("\x0b") can put them in course text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the control characters an XML document may not contain."""
    return _NOT_XML.sub("", text)


class TextWriter:
    """Writes measured paragraphs as DrawingML, every property explicit."""

    def __init__(self, lang: str, links):
        self.lang = lang
        self.links = links  # url → rId on the current slide

    def write(self, tx_body, paragraphs: list[Paragraph], size: float, colour: str | None = None,
              align: str | None = None) -> None:
        for i, p in enumerate(paragraphs):
            self.paragraph(tx_body, p, size, first=i == 0, colour=colour, align=align)
        if not paragraphs:
            a_p = etree.SubElement(tx_body, _A_P)
            etree.SubElement(a_p, _A_END, lang=self.lang, sz=str(int(size * 100)))

    def paragraph(self, tx_body, p: Paragraph, size: float, first: bool, colour: str | None,
                  align: str | None) -> None:
        sub = etree.SubElement
        own = size * p.scale
        left, hang = indent(p, size)
        a_p = sub(tx_body, _A_P)
        ppr = sub(a_p, _A_PPR, marL=str(emu(left)), indent=str(emu(hang)), algn=p.align or align or "l")
        if p.level:
            ppr.set("lvl", str(min(p.level, 8)))
        sub(sub(ppr, _A_LN_SPC), _A_SPC_PTS, val=str(int(round(line_pitch(own) * 100))))
        before = 0 if first else int(round(p.space_before * own * 100))
        sub(sub(ppr, _A_SPC_BEF), _A_SPC_PTS, val=str(before))
        sub(sub(ppr, _A_SPC_AFT), _A_SPC_PTS, val="0")
        if p.bullet is None:
            sub(ppr, _A_BU_NONE)
        elif p.bullet.startswith("#"):
            sub(ppr, _A_BU_FONT, typeface=FONT_NAME)
            sub(ppr, _A_BU_AUTO, type=p.bullet[1:], startAt=str(p.start))
        else:
            sub(ppr, _A_BU_FONT, typeface=FONT_NAME)
            sub(ppr, _A_BU_CHAR, char=p.bullet)
        for run in p.runs:
            pieces = run.text.split("\n")
            for k, piece in enumerate(pieces):
                if k:
                    sub(a_p, _A_BR).append(self.rpr(run, own, colour))
                if piece:
                    a_r = sub(a_p, _A_R)
                    a_r.append(self.rpr(run, own, colour))
                    sub(a_r, _A_T).text = xml_text(piece)
        end = sub(a_p, _A_END, lang=self.lang, sz=str(int(round(own * 100))), dirty="0")
        sub(end, _A_LATIN, typeface=FONT_NAME)

    def rpr(self, run: Run, size: float, colour: str | None):
        sub = etree.SubElement
        rpr = etree.Element(_A_RPR, lang=self.lang, sz=str(int(round(size * 100))),
                            b="1" if run.bold else "0", i="1" if run.italic else "0", dirty="0")
        fill = run.colour or colour
        if fill and not run.link:
            sub(sub(rpr, _A_SOLID), _A_SRGB, val=fill)
        sub(rpr, _A_LATIN, typeface=FONT_NAME)
        sub(rpr, _A_CS, typeface=FONT_NAME)
        if run.link:
            sub(rpr, _A_HLINK, {_R_ID: self.links(run.link)})
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


# --- the deck -------------------------------------------------------------------------------


class DeckWriter:
    """Adds slides to ``prs`` (a template with no slides) and saves byte-stable packages."""

    def __init__(self, prs: PresentationType, choices: dict[str, Choice], lang: str, locale: str,
                 accent: str, primary: str):
        self.prs = prs
        self.choices = choices
        self.lang = lang
        self.locale = locale
        self.accent = accent.lstrip("#").upper()
        self.primary = primary.lstrip("#").upper()
        self.package = prs.part.package
        self._pres_part = prs.part
        self._sld_list = prs.slides._sldIdLst
        rels = self._pres_part.rels
        self._next_rid = 1 + max((int(r[3:]) for r in rels.keys() if r[3:].isdigit()), default=0)
        self._next_slide_id = 1 + max((int(s.get("id")) for s in self._sld_list), default=255)
        self._count = 0
        self._notes_master = prs.part.notes_master_part
        self._notes_tree = None  # placeholders of a fresh notes page, cloned once
        self._placeholders = {kind: _ph_attributes(choice) for kind, choice in choices.items()}
        self.pages = 0

    # --- low-level: parts without package-wide scans ---

    def _relate(self, source, target, reltype: str, rid: str) -> str:
        rels = source.rels
        rels._rels[rid] = _Relationship(rels._base_uri, rid, reltype, RTM.INTERNAL, target)
        return rid

    def new_slide(self, choice: Choice):
        self._count += 1
        part = SlidePart(PackURI(f"/ppt/slides/slide{self._count}.xml"), CT.PML_SLIDE, self.package,
                         copy.deepcopy(_blank("slide")))
        self._relate(part, choice.layout.part, RT.SLIDE_LAYOUT, "rId1")
        rid = self._relate(self._pres_part, part, RT.SLIDE, f"rId{self._next_rid}")
        self._next_rid += 1
        etree.SubElement(self._sld_list, qn("p:sldId"), {"id": str(self._next_slide_id), qn("r:id"): rid})
        self._next_slide_id += 1
        return part.slide

    def add_notes(self, slide, lines: list[str]) -> None:
        if not any(line.strip() for line in lines):
            return
        part = NotesSlidePart(PackURI(f"/ppt/notesSlides/notesSlide{self._count}.xml"), CT.PML_NOTES_SLIDE,
                              self.package, copy.deepcopy(_blank("notes")))
        self._relate(part, self._notes_master, RT.NOTES_MASTER, "rId1")
        self._relate(part, slide.part, RT.SLIDE, "rId2")
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        tree = part._element.find(_C_SLD).find(_SP_TREE)
        if self._notes_tree is None:
            self._notes_tree = self._notes_page(part, tree)
        template, body_index = self._notes_tree
        if body_index is None:
            return
        fresh = copy.deepcopy(template)
        tree.getparent().replace(tree, fresh)
        tx_body = fresh[body_index].find(_TX_BODY)
        sub = etree.SubElement
        size = str(NOTES_SIZE * 100)
        for line in lines:
            a_r = sub(sub(tx_body, _A_P), _A_R)
            sub(a_r, _A_RPR, lang=self.locale, sz=size, dirty="0")
            sub(a_r, _A_T).text = xml_text(line)

    def _notes_page(self, part, tree) -> tuple:
        """The shapes of an empty notes page (cloned from the notes master once) and the position
        of its body placeholder, with its text emptied."""
        part.notes_slide.clone_master_placeholders(self._notes_master.notes_master)
        template = copy.deepcopy(tree)
        for index, sp in enumerate(template):
            ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
            if sp.tag == _SP and ph is not None and ph.get("type") == "body":
                tx_body = sp.find(_TX_BODY)
                if tx_body is None:
                    tx_body = etree.SubElement(sp, _TX_BODY)
                    etree.SubElement(tx_body, qn("a:bodyPr"))
                    etree.SubElement(tx_body, qn("a:lstStyle"))
                for p in tx_body.findall(_A_P):
                    tx_body.remove(p)
                return template, index
        return template, None

    # --- pages ---

    def paginate(self, slide: Slide) -> list[Page]:
        choice = self.choices[slide.kind]
        if slide.kind in ("title", "section", "diagram"):
            return [Page(slide, slide.title, slide.subtitle, 0)]
        body_box = self.body_box(choice, slide)
        if slide.table is not None:
            return self.paginate_table(slide, body_box)
        size, pages = paginate(slide.body, inner(body_box), BODY_SIZES)
        return [Page(slide, slide.title, page, size) for page in pages] or [Page(slide, slide.title, [], size)]

    def body_box(self, choice: Choice, slide: Slide) -> Box:
        box = choice.body
        if slide.footer:
            foot = self.footer_box(choice, slide)
            box = Box(box.left, box.top, box.width, foot.top - box.top - emu(4))
        return box

    def footer_box(self, choice: Choice, slide: Slide) -> Box:
        frame = inner(choice.body)
        para = break_long_words(Paragraph([Run(slide.footer, italic=True)]), FOOTER_SIZE, frame.width)
        lines = count_lines(para, FOOTER_SIZE, frame.width)
        height = emu(lines * line_pitch(FOOTER_SIZE)) + 2 * INSET_Y + emu(2)
        box = choice.body
        return Box(box.left, box.bottom - height, box.width, height)

    def paginate_table(self, slide: Slide, box: Box) -> list[Page]:
        spec = slide.table
        for size in TABLE_SIZES:
            widths, heights = self.table_geometry(spec, size, box.width)
            if sum(heights) <= box.height:
                return [Page(slide, slide.title, [], 0, spec.rows, size, widths, heights)]
        size = TABLE_SIZES[-1]
        widths, heights = self.table_geometry(spec, size, box.width)
        head, rows = heights[0], heights[1:]
        pages, current, used = [], [], head
        for row, h in zip(spec.rows, rows):
            if current and used + h > box.height:
                pages.append(current)
                current, used = [], head
            current.append((row, h))
            used += h
        pages.append(current)
        return [Page(slide, slide.title, [], 0, [r for r, _ in pg], size, widths, [head] + [h for _, h in pg])
                for pg in pages]

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
        floor = [emu(longest_word(i) / 0.96) + margin + emu(2) for i in range(cols)]
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
            lines = max(count_lines(break_long_words(Paragraph([Run(r[i] if i < len(r) else "", bold=k == 0)]),
                                                     size, (widths[i] - margin) / EMU_PER_PT),
                                    size, (widths[i] - margin) / EMU_PER_PT) for i in range(cols))
            heights.append(emu(lines * line_pitch(size)) + 2 * INSET_Y + emu(3))
        return widths, heights

    # --- rendering ---

    def render(self, page: Page) -> None:
        slide_spec = page.slide
        kind = slide_spec.kind
        choice = self.choices[kind]
        slide = self.new_slide(choice)
        # The slide kind as the slide's (invisible) name: lets tests and tools find slides by kind.
        slide._element.find(_C_SLD).set("name", kind)
        tree = slide._element.find(_C_SLD).find(_SP_TREE)
        links: dict[str, str] = {}

        def link(url: str) -> str:
            if url not in links:
                links[url] = slide.part.relate_to(xml_text(url), RT.HYPERLINK, is_external=True)
            return links[url]

        writer = TextWriter(self.locale, link)
        title_ph, body_ph = self._placeholders[kind]
        ids = iter(range(2, 10_000))
        # Title: the layout's title placeholder, at the layout's place, measured to fit.
        size, paras = fit_title(page.title, inner(choice.title), TITLE_SIZES.get(kind, HEADING_SIZES),
                                bold=kind in ("title", "section"))
        tx = _shape(tree, next(ids), "Title", title_ph, choice.title)
        writer.write(tx, paras, size)
        # Content
        if kind in ("title", "section"):
            if body_ph is not None and page.body:
                sub_size, sub_pages = paginate(page.body, inner(choice.body), SUBTITLE_SIZES)
                tx = _shape(tree, next(ids), "Subtitle", body_ph, choice.body, anchor="t")
                writer.write(tx, sub_pages[0], sub_size)
        elif kind == "diagram":
            crime_script.draw(slide, slide_spec.diagram, choice.body, writer, self.accent, self.primary)
        elif page.table_rows is not None:
            self.draw_table(slide, page, self.body_box(choice, slide_spec), writer)
        else:
            box = self.body_box(choice, slide_spec)
            tx = _shape(tree, next(ids), "Content", body_ph, box, anchor="t")
            writer.write(tx, page.body, page.size)
        if slide_spec.footer:
            box = self.footer_box(choice, slide_spec)
            tx = _shape(tree, 9000, "Source", None, box, anchor="b")
            para = break_long_words(Paragraph([Run(slide_spec.footer, italic=True)]), FOOTER_SIZE, inner(box).width)
            writer.write(tx, [para], FOOTER_SIZE)
        self.add_notes(slide, page.slide.notes)
        self.pages += 1

    def draw_table(self, slide, page: Page, box: Box, writer: TextWriter) -> None:
        spec = page.slide.table
        rows = [spec.columns] + page.table_rows
        height = sum(page.table_heights)
        frame = slide.shapes.add_table(len(rows), len(spec.columns), box.left, box.top, box.width, height)
        frame.name = "Table"
        table = frame.table
        for i, w in enumerate(page.table_widths):
            table.columns[i].width = w
        for k, h in enumerate(page.table_heights):
            table.rows[k].height = h
        for k, row in enumerate(rows):
            for i in range(len(spec.columns)):
                cell = table.cell(k, i)
                text = row[i] if i < len(row) else ""
                tc = cell._tc
                tx = tc.get_or_add_txBody()
                for p in tx.findall(qn("a:p")):
                    tx.remove(p)
                width = (page.table_widths[i] - 2 * INSET_X) / EMU_PER_PT
                para = break_long_words(Paragraph([Run(text, bold=k == 0)]), page.table_size, width)
                if spec.numeric[i] and k:
                    para = replace(para, align="r")
                fill = self.primary if k == 0 else ("FFFFFF" if k % 2 else "E8EEF5")
                writer.write(tx, [para], page.table_size, colour=contrast_text(fill) if k == 0 else "000000")
                cell.margin_left = cell.margin_right = INSET_X
                cell.margin_top = cell.margin_bottom = INSET_Y
                tc_pr = tc.get_or_add_tcPr()
                tc_pr.set("anchor", "t")
                for old in tc_pr.findall(qn("a:solidFill")):
                    tc_pr.remove(old)
                solid = etree.SubElement(tc_pr, qn("a:solidFill"))
                etree.SubElement(solid, qn("a:srgbClr"), val=fill)


@lru_cache(maxsize=None)
def _blank(kind: str):
    """An empty slide or notes page element, parsed once (python-pptx reads its notes template
    from disk on every ``CT_NotesSlide.new()``)."""
    return CT_Slide.new() if kind == "slide" else CT_NotesSlide.new()


_C_SLD, _SP_TREE, _SP = qn("p:cSld"), qn("p:spTree"), qn("p:sp")
_NV_SP_PR, _C_NV_PR, _C_NV_SP_PR, _NV_PR, _PH = (qn("p:nvSpPr"), qn("p:cNvPr"), qn("p:cNvSpPr"), qn("p:nvPr"),
                                                 qn("p:ph"))
_SP_PR, _XFRM, _OFF, _EXT, _TX_BODY = qn("p:spPr"), qn("a:xfrm"), qn("a:off"), qn("a:ext"), qn("p:txBody")
_SP_LOCKS, _PRST_GEOM, _AV_LST, _NO_FILL = qn("a:spLocks"), qn("a:prstGeom"), qn("a:avLst"), qn("a:noFill")


def _ph_attributes(choice: Choice) -> tuple[tuple[dict, str | None], tuple[dict, str | None] | None]:
    """The ``p:ph`` attributes of the layout's title and body placeholders (to point slides at
    them) with their vertical anchor, which we write explicitly: not every application inherits
    it from the layout once a slide has its own body properties."""
    title = body = None
    for ph in choice.layout.placeholders:
        found = (dict(ph._element.ph.attrib), _anchor(ph))
        if ph.placeholder_format.idx == 0 and title is None:
            title = found
        elif choice.body_placeholder is not None and ph.placeholder_format.idx == choice.body_placeholder:
            body = found
    return title, body


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
    anchor = anchor or inherited
    sp = etree.SubElement(tree, _SP)
    nv = etree.SubElement(sp, _NV_SP_PR)
    etree.SubElement(nv, _C_NV_PR, id=str(shape_id), name=name)
    c_nv_sp_pr = etree.SubElement(nv, _C_NV_SP_PR)
    nv_pr = etree.SubElement(nv, _NV_PR)
    if ph is not None:
        etree.SubElement(c_nv_sp_pr, _SP_LOCKS, noGrp="1")
        etree.SubElement(nv_pr, _PH, ph)
    else:
        c_nv_sp_pr.set("txBox", "1")
    sp_pr = etree.SubElement(sp, _SP_PR)
    xfrm = etree.SubElement(sp_pr, _XFRM)
    etree.SubElement(xfrm, _OFF, x=str(box.left), y=str(box.top))
    etree.SubElement(xfrm, _EXT, cx=str(box.width), cy=str(box.height))
    if ph is None:
        etree.SubElement(etree.SubElement(sp_pr, _PRST_GEOM, prst="rect"), _AV_LST)
        etree.SubElement(sp_pr, _NO_FILL)
    tx = etree.SubElement(sp, _TX_BODY)
    body_pr(tx, anchor=anchor)
    return tx


def finish(prs: PresentationType, title: str, author: str, locale: str) -> bytes:
    """Fixed document properties, the course language as default, and a byte-stable zip."""
    props = prs.core_properties
    props.title = xml_text(title)[:255]
    props.author = xml_text(author)[:255]
    props.last_modified_by = "modgen"
    props.revision = 1
    props.created = props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME
    props.language = locale
    default_style = prs.part._element.find(qn("p:defaultTextStyle"))
    if default_style is not None:
        for level in default_style:
            rpr = level.find(qn("a:defRPr"))
            if rpr is not None:
                rpr.set("lang", locale)
    buf = io.BytesIO()
    package = prs.part.package
    _StableWriter.write(buf, package._rels, tuple(package.iter_parts()))
    return buf.getvalue()


class _FixedZip:
    """A zip writer giving every entry the same date, so equal decks are equal bytes."""

    def __init__(self, file):
        self.zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zip.writestr(info, blob)


class _StableWriter(PackageWriter):
    """python-pptx's package writer with fixed zip timestamps (its own uses the current time)."""

    def _write(self) -> None:
        phys = _FixedZip(self._pkg_file)
        self._write_content_types_stream(phys)
        self._write_pkg_rels(phys)
        self._write_parts(phys)
        phys.zip.close()


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 and written in the same order."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            z.writestr(fixed, src.read(info.filename))
    return out.getvalue()
