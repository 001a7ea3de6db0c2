"""The crime-script diagram, drawn with editable shapes: phases as chevrons in order, the
lesson's phase highlighted, and a lane per perspective (individual member, organisation) that
lists the lesson's sections from that point of view. All shapes sit in one group carrying the
alt text, so a screen reader announces the diagram once, in words.
"""

from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn

from generator.targets.deck.measure import EMU_PER_PT, Frame, Paragraph, Run, break_long_words, fits

IN = 914400
LABEL_SIZES = (20, 18, 16, 14, 12)
CELL_SIZES = (20, 18, 16, 14, 12, 11)
CAPTION_SIZES = (20, 18, 16, 14)
LIGHT = "E8EEF5"
NOTCH = 0.3  # depth of a chevron's point, as a fraction of its height
LANE = "F3F5F8"


def _fill(shape, colour: str, line: str | None = None) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(colour)
    if line:
        shape.line.color.rgb = RGBColor.from_string(line)
        shape.line.width = 12700
    else:
        shape.line.fill.background()


def _text(shape, paragraphs: list[Paragraph], sizes, writer, colour: str, insets: tuple[int, int, int, int],
          align: str = "ctr", anchor: str = "ctr", geometry: tuple[int, int] = (0, 0)) -> None:
    """Write ``paragraphs`` at the largest size that fits inside ``shape`` minus ``insets``.

    ``geometry`` is what the preset shape's own text rectangle leaves out on the left and right
    (a chevron keeps text out of its notches), so we measure the width the renderer will use.
    """
    from generator.targets.deck.builder import body_pr

    left, top, right, bottom = insets
    width = shape.width - left - right - geometry[0] - geometry[1]
    frame = Frame(width / EMU_PER_PT, (shape.height - top - bottom) / EMU_PER_PT)
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
    tx = shape._element.get_or_add_txBody()
    body_pr(tx, anchor=anchor)
    pr = tx.find(qn("a:bodyPr"))
    pr.set("lIns", str(left)), pr.set("tIns", str(top)), pr.set("rIns", str(right)), pr.set("bIns", str(bottom))
    writer.write(tx, paras, chosen, colour=colour, align=align)


def _caption_height(text: str, width: int) -> int:
    """Room for the phase description under the diagram: up to three lines at the largest size."""
    from generator.targets.deck.measure import count_lines, line_pitch

    size = CAPTION_SIZES[0]
    lines = min(3, count_lines(Paragraph([Run(text, italic=True)]), size, (width - 2 * 91440) / EMU_PER_PT))
    return int(lines * line_pitch(size) * EMU_PER_PT) + 2 * 45720 + 12700


def draw(slide, spec, box, writer, accent: str, primary: str):
    from generator.targets.deck.builder import body_pr, contrast_text, xml_text

    # Shapes are drawn on the slide and grouped at the end: a group recomputes its extents on
    # every shape added to it, which made each diagram quadratic in its shapes.
    shapes = slide.shapes
    first = len(shapes._spTree)
    n = len(spec.phases)
    lanes = spec.lanes
    label_w = int(2.4 * IN) if lanes else 0
    gap = int(0.12 * IN)
    x0 = box.left + (label_w + gap if lanes else 0)
    width = box.left + box.width - x0
    chevron_h = int(1.1 * IN) if lanes else int(1.5 * IN)
    caption_h = _caption_height(spec.caption, box.width) if spec.caption else 0
    top = box.top + (0 if lanes else (box.height - chevron_h - caption_h) // 3)
    col_w = width // n
    notch = int(chevron_h * NOTCH)
    for i, (phase_id, name) in enumerate(spec.phases):
        shape = shapes.add_shape(MSO_SHAPE.PENTAGON if i == 0 else MSO_SHAPE.CHEVRON,
                                 x0 + i * col_w, top, col_w - gap // 2, chevron_h)
        shape.adjustments[0] = NOTCH
        shape.name = f"Phase {i + 1}"
        here = phase_id == spec.highlight
        fill = accent if here else LIGHT
        _fill(shape, fill)
        # Preset text rectangles: a chevron keeps text between its notches (h/2 on each side), the
        # first phase's "home plate" keeps it left of the middle of its point (h/4).
        geometry = (notch, notch) if i else (0, notch // 2)
        _text(shape, [Paragraph([Run(name, bold=here)], space_before=0)], LABEL_SIZES, writer,
              contrast_text(fill), (45720, 45720, 45720, 45720), geometry=geometry)
    y = top + chevron_h + int(0.25 * IN)
    if lanes:  # lanes share the height left under the chevrons and above the caption
        below = caption_h + int(0.1 * IN) if caption_h else 0
        room = box.top + box.height - y - below - len(lanes) * int(0.15 * IN)
        lane_h = max(int(0.8 * IN), min(int(2.0 * IN), room // len(lanes)))
    for name, titles in lanes:
        label = shapes.add_shape(MSO_SHAPE.RECTANGLE, box.left, y, label_w, lane_h)
        label.name = f"Lane {name}"
        _fill(label, primary)
        _text(label, [Paragraph([Run(name, bold=True)], space_before=0)], LABEL_SIZES, writer,
              contrast_text(primary), (91440, 45720, 91440, 45720))
        band = shapes.add_shape(MSO_SHAPE.RECTANGLE, x0, y, width - gap // 2, lane_h)
        band.name = f"Lane band {name}"
        _fill(band, LANE)
        body_pr(band._element.get_or_add_txBody())
        column = next((i for i, (pid, _) in enumerate(spec.phases) if pid == spec.highlight), None)
        if column is not None:
            cell = shapes.add_shape(MSO_SHAPE.RECTANGLE, x0 + column * col_w + gap // 2, y + gap // 2,
                                    col_w - 2 * gap, lane_h - gap)
            cell.name = f"Sections {name}"
            _fill(cell, "FFFFFF", line=accent)
            _text(cell, [Paragraph([Run(t)], space_before=0.15) for t in titles], CELL_SIZES, writer,
                  "000000", (91440, 45720, 91440, 45720), align="l", anchor="t")
        y += lane_h + int(0.15 * IN)
    if spec.caption:
        y = y + int(0.1 * IN) if lanes else top + chevron_h + int(0.4 * IN)
        height = min(box.top + box.height - y, caption_h)
        if height > int(0.3 * IN):
            caption = shapes.add_textbox(box.left, y, box.width, height)
            caption.name = "Phase description"
            _text(caption, [Paragraph([Run(spec.caption, italic=True)], space_before=0)], CAPTION_SIZES, writer,
                  "000000", (91440, 45720, 91440, 45720), align="l", anchor="t")
    drawn = [shapes._shape_factory(element) for element in list(shapes._spTree)[first:]]
    group = shapes.add_group_shape(drawn)
    group.name = "Crime script"
    c_nv_pr = group._element.find(f"{qn('p:nvGrpSpPr')}/{qn('p:cNvPr')}")
    c_nv_pr.set("descr", xml_text(spec.alt))
    return group

