"""The crime-script diagram, drawn with editable shapes across the whole slide: phases as chevrons
in order, their names in one size at which every name fits whole (never broken inside a word), the
lesson's phase highlighted. When the course's phases say what they are from each perspective
(``Phase.views``), a row per perspective (individual member, forum organisation) with a card per
phase; else under each phase a card with what it holds, and a lane per perspective that lists the
lesson's sections from that point of view when the slide has room for their words. Text is never
under 16 pt (read from a room). All shapes sit in one group carrying the alt text, so a screen
reader announces the diagram once, in words.
"""

from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import qn

from generator.targets.deck.measure import BREAK, EMU_PER_PT, Frame, Paragraph, Run, break_long_words, fits
from generator.targets.deck.drawing import contrast_text, text_body, xml_text
from generator.targets.deck.template import Box

IN = 914400
LABEL_SIZES = (28, 26, 24, 22, 20, 18, 16)
CELL_SIZES = (24, 22, 20, 18, 16)
HOLDS_SIZES = (28, 26, 24, 22, 20, 18, 16)
LIGHT = "E8EEF5"
NOTCH = 0.3  # depth of a chevron's point, as a fraction of its height
LANE = "F3F5F8"


def _shape(group, canvas, name: str, geometry: str, box: Box, fill: str, line: str | None = None,
           adjust: float | None = None):
    """Append a preset shape filled with ``fill`` (outlined in ``line``, else no outline) to
    ``group``: the XML python-pptx's ``add_shape`` writes, with its theme style reference."""
    sub = etree.SubElement
    sp = sub(group, _SP)
    nv = sub(sp, _NV_SP_PR)
    sub(nv, _C_NV_PR, id=str(canvas.shape_id()), name=name)
    sub(nv, _C_NV_SP_PR)
    sub(nv, _NV_PR)
    sp_pr = sub(sp, _SP_PR)
    _xfrm(sp_pr, box)
    av_lst = sub(sub(sp_pr, _PRST_GEOM, prst=geometry), _AV_LST)
    if adjust is not None:
        sub(av_lst, _GD, name="adj", fmla=f"val {int(round(adjust * 100000))}")
    sub(sub(sp_pr, _SOLID), _SRGB, val=fill)
    if line:
        sub(sub(sub(sp_pr, _LN, w="12700"), _SOLID), _SRGB, val=line)
    else:
        sub(sub(sp_pr, _LN), _NO_FILL)
    style = sub(sp, _STYLE)
    for tag, idx, colour in _STYLE_REFS:
        sub(sub(style, tag, idx=idx), _SCHEME_CLR, val=colour)
    return sp


def _text_box(group, canvas, name: str, box: Box):
    """Append an unfilled rectangle for text (what ``add_textbox`` writes)."""
    sub = etree.SubElement
    sp = sub(group, _SP)
    nv = sub(sp, _NV_SP_PR)
    sub(nv, _C_NV_PR, id=str(canvas.shape_id()), name=name)
    sub(nv, _C_NV_SP_PR, txBox="1")
    sub(nv, _NV_PR)
    sp_pr = sub(sp, _SP_PR)
    _xfrm(sp_pr, box)
    sub(sub(sp_pr, _PRST_GEOM, prst="rect"), _AV_LST)
    sub(sp_pr, _NO_FILL)
    return sp


def _xfrm(parent, box: Box, child: bool = False) -> None:
    sub = etree.SubElement
    xfrm = sub(parent, _XFRM)
    sub(xfrm, _OFF, x=str(box.left), y=str(box.top))
    sub(xfrm, _EXT, cx=str(box.width), cy=str(box.height))
    if child:  # a group: its children are placed in slide coordinates
        sub(xfrm, _CH_OFF, x=str(box.left), y=str(box.top))
        sub(xfrm, _CH_EXT, cx=str(box.width), cy=str(box.height))


_SP, _NV_SP_PR, _C_NV_PR, _C_NV_SP_PR, _NV_PR = qn("p:sp"), qn("p:nvSpPr"), qn("p:cNvPr"), qn("p:cNvSpPr"), qn("p:nvPr")
_SP_PR, _XFRM, _OFF, _EXT, _CH_OFF, _CH_EXT = (qn("p:spPr"), qn("a:xfrm"), qn("a:off"), qn("a:ext"), qn("a:chOff"),
                                               qn("a:chExt"))
_PRST_GEOM, _AV_LST, _GD, _SOLID, _SRGB, _LN, _NO_FILL = (qn("a:prstGeom"), qn("a:avLst"), qn("a:gd"),
                                                          qn("a:solidFill"), qn("a:srgbClr"), qn("a:ln"),
                                                          qn("a:noFill"))
_STYLE, _SCHEME_CLR = qn("p:style"), qn("a:schemeClr")
_STYLE_REFS = ((qn("a:lnRef"), "1", "accent1"), (qn("a:fillRef"), "3", "accent1"),
               (qn("a:effectRef"), "2", "accent1"), (qn("a:fontRef"), "minor", "lt1"))
_GRP_SP, _NV_GRP_SP_PR, _C_NV_GRP_SP_PR, _GRP_SP_PR = (qn("p:grpSp"), qn("p:nvGrpSpPr"), qn("p:cNvGrpSpPr"),
                                                       qn("p:grpSpPr"))


def _text(sp, box: Box, paragraphs: list[Paragraph], sizes, writer, colour: str,
          insets: tuple[int, int, int, int], align: str = "ctr", anchor: str = "ctr",
          geometry: tuple[int, int] = (0, 0)) -> None:
    """Write ``paragraphs`` at the largest size that fits inside ``box`` minus ``insets``.

    ``geometry`` is what the preset shape's own text rectangle leaves out on the left and right
    (a chevron keeps text out of its notches), so we measure the width the renderer will use.
    """

    left, top, right, bottom = insets
    width = box.width - left - right - geometry[0] - geometry[1]
    frame = Frame(width / EMU_PER_PT, (box.height - top - bottom) / EMU_PER_PT)
    chosen, paras = sizes[-1], None
    # Whole words at any size first; only then words broken inside (a very long word).
    for breaking in (False, True):
        for size in sizes:
            prepared = [break_long_words(p, size, frame.width) for p in paragraphs] if breaking else paragraphs
            if fits(prepared, size, frame):
                chosen, paras = size, prepared
                break
        if paras is not None:
            break
    if paras is None:  # cut trailing paragraphs at the smallest size rather than overflow
        paras = [break_long_words(p, chosen, frame.width) for p in paragraphs]
        while len(paras) > 1 and not fits(paras + [Paragraph([Run("…")])], chosen, frame):
            paras.pop()
        if len(paras) < len(paragraphs):
            paras.append(Paragraph([Run("…")], space_before=0.1))
        # A single paragraph too long even at the smallest size loses its end, never overflows.
        while not fits(paras, chosen, frame) and len(paras[-1].text.split(" ")) > 1:
            last = paras[-1]
            words = last.text.rstrip(" …").split(" ")[:-1]
            paras[-1] = Paragraph([Run(" ".join(words) + " …", bold=last.runs[0].bold, italic=last.runs[0].italic)],
                                  space_before=last.space_before)
        # A single word longer than the box holds at the smallest size loses its last letters.
        while not fits(paras, chosen, frame) and len(paras[-1].text.replace(BREAK, "")) > 2:
            last = paras[-1]
            cut = last.text.replace(BREAK, "").rstrip("…")[:-2] + "…"
            paras[-1] = break_long_words(Paragraph([Run(cut, bold=last.runs[0].bold, italic=last.runs[0].italic)],
                                                   space_before=last.space_before), chosen, frame.width)
    tx = text_body(sp, anchor=anchor, insets=insets)
    writer.write(tx, paras, chosen, colour=colour, align=align)


#: Phase names on the chevrons when the figure shows the perspectives: one size for every phase,
#: never under 24 pt while whole words fit; below that only for many phases (still whole words).
VIEW_LABEL_SIZES = (32, 30, 28, 26, 24, 22, 20, 18, 16)
VIEW_SIZES = (24, 22, 20, 18, 16)
_PAD = (91440, 45720, 91440, 45720)


def _frame(box: Box, insets: tuple[int, int, int, int], geometry: tuple[int, int] = (0, 0)) -> Frame:
    left, top, right, bottom = insets
    return Frame((box.width - left - right - geometry[0] - geometry[1]) / EMU_PER_PT,
                 (box.height - top - bottom) / EMU_PER_PT)


def _one_size(texts: list[tuple[list[Paragraph], Frame]], sizes) -> tuple[float, ...]:
    """The largest of ``sizes`` at which every text fits its frame with whole words, as a one-size
    tuple for ``_text`` (which then keeps it); the smallest when none does."""
    for size in sizes:
        if all(fits(paras, size, frame) for paras, frame in texts):
            return (size,)
    return (sizes[-1],)


def _chevrons(group, canvas, spec, left: int, top: int, col_w: int, chevron_h: int, writer,
              accent: str, sizes: tuple[float, ...] = VIEW_LABEL_SIZES) -> list[Box]:
    """The phases as chevrons from ``left``, a column of ``col_w`` each, their names in one size —
    the largest at which every name fits whole; many phases make narrow chevrons, whose points
    then get shallower before a name would break."""

    gap = int(0.12 * IN)
    for depth in (NOTCH, 0.18, 0.1, 0.04):
        notch = int(chevron_h * depth)
        chevrons = []
        for i, (phase_id, name) in enumerate(spec.phases):
            at = Box(left + i * col_w, top, col_w - gap // 2, chevron_h)
            # Preset text rectangles: a chevron keeps text between its notches, the first phase's
            # "home plate" left of the middle of its point.
            geometry = (notch, notch) if i else (0, notch // 2)
            chevrons.append((at, geometry, [Paragraph([Run(name, bold=True)], space_before=0)]))
        texts = [(paras, _frame(at, (45720,) * 4, geo)) for at, geo, paras in chevrons]
        label_size = _one_size(texts, sizes)
        if all(fits(paras, label_size[0], frame) for paras, frame in texts):
            break
    boxes = []
    for i, ((phase_id, _), (at, geometry, paras)) in enumerate(zip(spec.phases, chevrons)):
        fill = accent if phase_id == spec.highlight else LIGHT
        shape = _shape(group, canvas, f"Phase {i + 1}", "chevron" if i else "homePlate", at, fill, adjust=depth)
        _text(shape, at, paras, label_size, writer, contrast_text(fill), (45720,) * 4, geometry=geometry)
        boxes.append(at)
    return boxes


def _names_fit(spec, col_w: int, chevron_h: int) -> bool:
    """Whether every phase name fits whole in chevrons ``col_w`` wide (at the least size and the
    shallowest points ``_chevrons`` tries)."""
    gap = int(0.12 * IN)
    notch = int(chevron_h * 0.04)
    return all(fits([Paragraph([Run(name, bold=True)], space_before=0)], LABEL_SIZES[-1],
                    _frame(Box(0, 0, col_w - gap // 2, chevron_h), (45720,) * 4, (notch, notch)))
               for _, name in spec.phases)


def _draw_views(group, canvas, spec, box: Box, writer, accent: str, primary: str) -> list[Box]:
    """Both perspectives per phase: the phases as chevrons, their names in one size; under them a
    row per perspective (its name, then a card per phase saying what the phase is from that point
    of view), the lesson's phase in the accent colour and outlined. Words are never broken: the
    texts take the largest size at which all of them fit whole."""

    n = len(spec.phases)
    gap = int(0.12 * IN)
    col_w = box.width // n
    chevron_h = int(1.15 * IN)
    boxes = _chevrons(group, canvas, spec, box.left, box.top, col_w, chevron_h, writer, accent)
    y = box.top + chevron_h + gap
    head_h = int(0.45 * IN)
    rows = len(spec.views)
    card_h = max(int(0.9 * IN), (box.top + box.height - y - rows * (head_h + gap)) // rows)
    cards = []
    for row, (name, texts) in enumerate(spec.views):
        at = Box(box.left, y, box.width, head_h)
        heading = _text_box(group, canvas, f"Perspective {name}", at)
        _text(heading, at, [Paragraph([Run(name, bold=True, colour=primary)], space_before=0)], (20, 18), writer,
              primary, (45720, 0, 45720, 0), align="l", anchor="b")
        boxes.append(at)
        y += head_h
        for i, ((phase_id, _), text) in enumerate(zip(spec.phases, texts)):
            at = Box(box.left + i * col_w, y, col_w - gap, card_h)
            cards.append((row, i, phase_id, at, [Paragraph([Run(text)], space_before=0)] if text else []))
        y += card_h + gap
    card_size = _one_size([(paras, _frame(at, _PAD)) for *_, at, paras in cards if paras], VIEW_SIZES)
    for row, i, phase_id, at, paras in cards:
        here = phase_id == spec.highlight
        card = _shape(group, canvas, f"View {row + 1}.{i + 1}", "rect", at, "FFFFFF" if here else LANE,
                      line=accent if here else None)
        if here:  # the lesson's phase: a heavier outline than a hairline, seen from the back
            card.find(f"{_SP_PR}/{_LN}").set("w", "38100")
        if paras:
            _text(card, at, paras, card_size, writer, "000000", _PAD, align="l", anchor="t")
        boxes.append(at)
    return boxes


def draw(canvas, spec, box: Box, writer, accent: str, primary: str) -> None:
    """Append the crime script of ``spec`` inside ``box`` to the slide on ``canvas``, filling it."""

    # One group carrying the alt text, so a screen reader announces the diagram once, in words;
    # its id and extent are written when its shapes are made (the id follows theirs).
    group = etree.SubElement(canvas.tree, _GRP_SP)
    if spec.views:
        _finish(group, canvas, spec, _draw_views(group, canvas, spec, box, writer, accent, primary), xml_text)
        return
    n = len(spec.phases)
    lanes = spec.lanes
    holds = spec.holds if any(spec.holds) else []
    if lanes and not _names_fit(spec, (box.width - int(2.32 * IN)) // n, int(1.25 * IN)):
        lanes = []  # the lanes' label column would break a phase's name: the names first (the alt text has the lanes)
    label_w = int(2.2 * IN) if lanes else 0
    gap = int(0.12 * IN)
    x0 = box.left + (label_w + gap if lanes else 0)
    width = box.left + box.width - x0
    col_w = width // n
    chevron_h = int(1.25 * IN) if lanes or holds else min(int(1.6 * IN), box.height)
    # Without lanes the cards take the height under the chevrons; with lanes, what lanes leave.
    lane_room = int(2.2 * IN) * len(lanes) if lanes else 0
    holds_h = max(int(1.0 * IN), box.height - chevron_h - gap - lane_room) if holds else 0
    top = box.top if lanes or holds else box.top + (box.height - chevron_h) // 3
    notch = int(chevron_h * NOTCH)
    boxes = []
    boxes += _chevrons(group, canvas, spec, x0, top, col_w, chevron_h, writer, accent, LABEL_SIZES)
    for i, (phase_id, name) in enumerate(spec.phases):
        here = phase_id == spec.highlight
        if holds and holds[i]:
            at = Box(x0 + i * col_w, top + chevron_h + gap, col_w - gap, holds_h)
            card = _shape(group, canvas, f"Holds {i + 1}", "rect", at, "FFFFFF" if here else LANE,
                          line=accent if here else None)
            if here:  # the lesson's phase: a heavier outline than a hairline, seen from the back
                card.find(f"{_SP_PR}/{_LN}").set("w", "38100")
            _text(card, at, [Paragraph([Run(holds[i], bold=here)], space_before=0)], HOLDS_SIZES, writer,
                  "000000", (91440, 91440, 91440, 91440), align="l", anchor="t")
            boxes.append(at)
    y = top + chevron_h + gap + (holds_h + gap if holds else int(0.15 * IN))
    if lanes:  # lanes share the height left under the chevrons and cards
        room = box.top + box.height - y - (len(lanes) - 1) * gap
        lane_h = max(int(0.8 * IN), room // len(lanes))
    for name, titles in lanes:
        at = Box(box.left, y, label_w, lane_h)
        label = _shape(group, canvas, f"Lane {name}", "rect", at, primary)
        _text(label, at, [Paragraph([Run(name, bold=True)], space_before=0)], LABEL_SIZES, writer,
              contrast_text(primary), (91440, 45720, 91440, 45720))
        boxes.append(at)
        at = Box(x0, y, width - gap // 2, lane_h)
        # No text body: an empty one (no paragraph) is invalid DrawingML, and the band holds no text.
        _shape(group, canvas, f"Lane band {name}", "rect", at, LANE)
        boxes.append(at)
        column = next((i for i, (pid, _) in enumerate(spec.phases) if pid == spec.highlight), None)
        if column is not None:
            # The lesson's sections span from the highlighted phase to the slide's edge: room for 16 pt.
            at = Box(x0 + column * col_w + gap // 2, y + gap // 2, width - column * col_w - gap, lane_h - gap)
            cell = _shape(group, canvas, f"Sections {name}", "rect", at, "FFFFFF", line=accent)
            _text(cell, at, [Paragraph([Run(t)], space_before=0.15) for t in titles], CELL_SIZES, writer,
                  "000000", (91440, 45720, 91440, 45720), align="l", anchor="t")
            boxes.append(at)
        y += lane_h + gap
    _finish(group, canvas, spec, boxes, xml_text)


def _finish(group, canvas, spec, boxes: list[Box], xml_text) -> None:
    """The group's head (its id and the alt text) and its extent: the boxes of its shapes."""
    left, top = min(b.left for b in boxes), min(b.top for b in boxes)
    extent = Box(left, top, max(b.left + b.width for b in boxes) - left, max(b.bottom for b in boxes) - top)
    head = etree.SubElement(group, _NV_GRP_SP_PR)
    etree.SubElement(head, _C_NV_PR, id=str(canvas.shape_id()), name="Crime script", descr=xml_text(spec.alt))
    etree.SubElement(head, _C_NV_GRP_SP_PR)
    etree.SubElement(head, _NV_PR)
    properties = etree.SubElement(group, _GRP_SP_PR)
    _xfrm(properties, extent, child=True)
    group.insert(0, properties)
    group.insert(0, head)
