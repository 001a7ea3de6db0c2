"""Render decks with LibreOffice and find words outside their shapes (the overflow proof)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

EMU_PER_PT = 12700
#: Points a word may stick out of its shape: rounding in PDF glyph boxes, italic overhang.
TOLERANCE = 2.0


def render(soffice: str, decks: list[Path], out: Path) -> dict[Path, Path]:
    """Convert ``decks`` to PDF in one LibreOffice run with a private profile; deck → pdf."""
    staging = out / "in"
    staging.mkdir(parents=True, exist_ok=True)
    names = {}
    for i, deck in enumerate(decks):
        # Decks of different languages share file names: give each a unique one.
        flat = staging / f"{i:03d}-{deck.parent.name}-{deck.name}"
        shutil.copyfile(deck, flat)
        names[deck] = flat
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(out), *map(str, names.values())],
                       check=True, capture_output=True, timeout=1200)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return {deck: out / (flat.stem + ".pdf") for deck, flat in names.items()}


def text_boxes(shapes) -> list[tuple[float, float, float, float]]:
    """(x0, top, x1, bottom) in points of every shape that holds text, groups included."""
    boxes = []
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            boxes += text_boxes(shape.shapes)
            continue
        # A native chart's labels are drawn inside its frame, like a table's cells.
        has_text = ((shape.has_text_frame and shape.text_frame.text.strip()) or getattr(shape, "has_table", False)
                    or getattr(shape, "has_chart", False))
        if has_text:
            x, y = shape.left / EMU_PER_PT, shape.top / EMU_PER_PT
            boxes.append((x, y, x + shape.width / EMU_PER_PT, y + shape.height / EMU_PER_PT))
    return boxes


def overflow(deck: Path, pdf: Path) -> list[str]:
    """Every word on the rendered ``pdf`` that lies outside all text shapes of its slide, or
    outside the page; empty when the deck has no overflow."""
    import pdfplumber

    prs = Presentation(deck)
    problems = []
    with pdfplumber.open(pdf) as doc:
        if len(doc.pages) != len(prs.slides):
            return [f"{deck.name}: {len(prs.slides)} slides but {len(doc.pages)} PDF pages"]
        for number, (slide, page) in enumerate(zip(prs.slides, doc.pages), 1):
            scale = float(page.width) / (prs.slide_width / EMU_PER_PT)
            boxes = [tuple(v * scale for v in b) for b in text_boxes(slide.shapes)]
            title = slide.shapes.title.text if slide.shapes.title is not None else "?"
            for word in page.extract_words(use_text_flow=False, keep_blank_chars=False):
                x0, top, x1, bottom = word["x0"], word["top"], word["x1"], word["bottom"]
                t = TOLERANCE
                on_page = x0 >= -t and top >= -t and x1 <= page.width + t and bottom <= page.height + t
                inside = any(x0 >= b[0] - t and top >= b[1] - t and x1 <= b[2] + t and bottom <= b[3] + t
                             for b in boxes)
                if not (on_page and inside):
                    problems.append(f"{deck.parent.name}/{deck.name} slide {number} ({title!r}): "
                                    f"{word['text']!r} at ({x0:.0f},{top:.0f})-({x1:.0f},{bottom:.0f})")
    return problems


#: Readability targets for a room (issue 15), in points and words.
MIN_SIZE = 18.0  # every word on a slide
MIN_FOOTER_SIZE = 12.0  # the source line at the foot of a slide (shape "Source")
MIN_DIAGRAM_SIZE = 16.0  # the crime-script diagram's labels (group "Crime script")
MIN_BODY_SIZE = 24.0  # the body text of a content slide (shape "Content")
#: A quiz question stays whole on its slide (issue 27): its type may go down to 20 pt for that.
MIN_QUESTION_SIZE = 20.0
MAX_WORDS = 60  # words on a slide outside tables and charts, title and source line included (not the notes)
#: Slide kinds whose "Content" shape is body text. A quiz question is one: the room reads its
#: question, its answers and (once revealed) its answer box from the back like any other slide.
CONTENT_KINDS = {"content", "objectives", "summary", "discussion", "notice", "facts", "interventions", "question"}


def _named_boxes(shapes, group: str | None = None) -> list[tuple[str, str | None, tuple[float, float, float, float]]]:
    """(shape name, name of the top group it is in, box in points) of every shape holding text."""
    out = []
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            out += _named_boxes(shape.shapes, group or shape.name)
            continue
        if ((shape.has_text_frame and shape.text_frame.text.strip()) or getattr(shape, "has_table", False)
                or getattr(shape, "has_chart", False)):
            x, y = shape.left / EMU_PER_PT, shape.top / EMU_PER_PT
            out.append((shape.name, group, (x, y, x + shape.width / EMU_PER_PT, y + shape.height / EMU_PER_PT)))
    return out


def _is_word(text: str) -> bool:
    """A word a reader reads: it holds a letter or a digit (a bullet or a dash alone is not)."""
    return any(ch.isalnum() for ch in text)


def readability(deck: Path, pdf: Path) -> list[str]:
    """Every breach of the readability targets on the rendered ``pdf``: text smaller than its
    minimum (by the shape it is in), content-slide body text under 24 pt, and slides with more
    than :data:`MAX_WORDS` words. Empty when the deck meets them all."""
    import pdfplumber

    from tests.targets.test_deck import slide_kind

    prs = Presentation(deck)
    problems = []
    with pdfplumber.open(pdf) as doc:
        for number, (slide, page) in enumerate(zip(prs.slides, doc.pages), 1):
            scale = float(page.width) / (prs.slide_width / EMU_PER_PT)
            kind = slide_kind(slide)
            shapes = [(name, group, tuple(v * scale for v in b)) for name, group, b in _named_boxes(slide.shapes)]
            where = f"{deck.parent.name}/{deck.name} slide {number} ({kind})"

            def shape_of(ch):
                cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
                inside = [(name, group, b) for name, group, b in shapes
                          if b[0] - TOLERANCE <= cx <= b[2] + TOLERANCE and b[1] - TOLERANCE <= cy <= b[3] + TOLERANCE]
                # The smallest shape holding it: a label inside a lane, a cell inside a table.
                return min(inside, key=lambda s: (s[2][2] - s[2][0]) * (s[2][3] - s[2][1]), default=None)

            small: dict[tuple[str, float], str] = {}
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                size = float(ch["size"]) / scale
                found = shape_of(ch)
                name, group = (found[0], found[1]) if found else ("?", None)
                # The slide number is the template's, for the trainer: like the source line, from 12 pt.
                least = (MIN_FOOTER_SIZE if name in ("Source", "Slide number") else MIN_DIAGRAM_SIZE
                         if group == "Crime script" else MIN_QUESTION_SIZE if name == "Content" and kind == "question"
                         else MIN_BODY_SIZE if name == "Content" and kind in CONTENT_KINDS else MIN_SIZE)
                if size < least - 0.05:
                    small.setdefault((name, round(size, 1)), "")
                    small[(name, round(size, 1))] += ch["text"]
            for (name, size), text in sorted(small.items()):
                problems.append(f"{where}: {size} pt in {name!r}: {text[:50]!r}")
            # Words in a table or a chart are read as a grid, not as text (issue 27): not counted.
            grids = [tuple(v * scale for v in (sh.left, sh.top, sh.left + sh.width, sh.top + sh.height))
                     for sh in slide.shapes if getattr(sh, "has_table", False) or getattr(sh, "has_chart", False)]
            grids = [tuple(v / EMU_PER_PT for v in g) for g in grids]
            words = [w["text"] for w in page.extract_words() if _is_word(w["text"]) and not any(
                g[0] - TOLERANCE <= (w["x0"] + w["x1"]) / 2 <= g[2] + TOLERANCE
                and g[1] - TOLERANCE <= (w["top"] + w["bottom"]) / 2 <= g[3] + TOLERANCE for g in grids)]
            if len(words) > MAX_WORDS:
                problems.append(f"{where}: {len(words)} words: {' '.join(words[:12])} …")
    return problems
