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
        has_text = (shape.has_text_frame and shape.text_frame.text.strip()) or getattr(shape, "has_table", False)
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
