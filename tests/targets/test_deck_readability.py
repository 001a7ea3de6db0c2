"""Decks that read from the back of a room (issue 15), measured the hard way: every bundled deck —
all languages and audiences — rendered by LibreOffice, its PDF read with pdfplumber. Every word is
at least 18 pt (the source line at least 12 pt, the crime-script diagram at least 16 pt), the body
text of content slides at least 24 pt, no slide carries more than 60 words, and nothing overflows."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches, Pt

from generator.build import BuildRequest, build
from tests.conftest import ROOT, need_executable
from tests.targets.deck_pdf import overflow, readability, render

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


@pytest.fixture(scope="module")
def bundled_pdfs(tmp_path_factory) -> dict[Path, Path]:
    soffice = need_executable("soffice", "libreoffice-impress")
    tmp = tmp_path_factory.mktemp("readable")
    build(BuildRequest(ROOT, tmp / "out", formats=["pptx"]))
    decks = sorted((tmp / "out").glob("pptx/*/*.pptx"))
    assert len({d.parent.name for d in decks}) == 4  # two languages × two audiences
    return render(soffice, decks, tmp / "pdf")


def test_the_measure_sees_small_type_and_crowded_slides(tmp_path: Path) -> None:
    """A control: a slide with 14 pt body text and 80 words is reported on both counts."""
    soffice = need_executable("soffice", "libreoffice-impress")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Control"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(11), Inches(4))
    box.name = "Content"
    box.text_frame.word_wrap = True
    box.text_frame.text = "a slide crowded with words set far too small to read " * 8
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    deck = tmp_path / "control" / "control.pptx"
    deck.parent.mkdir()
    prs.save(deck)
    problems = readability(deck, render(soffice, [deck], tmp_path / "pdf")[deck])
    assert any("14.0 pt in 'Content'" in p for p in problems), problems
    assert any("words:" in p for p in problems), problems


def test_bundled_decks_read_from_the_back_of_the_room(bundled_pdfs: dict[Path, Path]) -> None:
    problems = [p for deck, pdf in bundled_pdfs.items() for p in readability(deck, pdf)]
    assert problems == [], f"{len(problems)} breaches:\n" + "\n".join(problems[:60])


def test_bundled_decks_never_overflow(bundled_pdfs: dict[Path, Path]) -> None:
    problems = [p for deck, pdf in bundled_pdfs.items() for p in overflow(deck, pdf)]
    assert problems == [], f"{len(problems)} words outside their shapes:\n" + "\n".join(problems[:40])
