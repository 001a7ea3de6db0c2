"""The no-overflow promise, proved the hard way: every deck rendered by LibreOffice, every word
of the PDF inside its shape and inside the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches, Pt

from generator.build import BuildRequest, build
from tests.conftest import FIXTURES, ROOT, need_executable
from tests.targets.deck_pdf import overflow, render

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def decks_of(course: Path, out: Path, **request) -> list[Path]:
    build(BuildRequest(course, out, formats=["pptx"], **request))
    decks = sorted(out.glob("pptx/*/*.pptx"))
    assert decks
    return decks


def assert_no_overflow(decks: list[Path], tmp_path: Path) -> None:
    soffice = need_executable("soffice", "libreoffice-impress")
    pdfs = render(soffice, decks, tmp_path / "pdf")
    problems = [p for deck, pdf in pdfs.items() for p in overflow(deck, pdf)]
    assert problems == [], f"{len(problems)} words outside their shapes:\n" + "\n".join(problems[:40])


def test_the_checker_sees_overflow(tmp_path: Path) -> None:
    """A control: text that does run out of its box is reported (so a pass means something)."""
    soffice = need_executable("soffice", "libreoffice-impress")
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Control"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(3), Inches(0.5))
    box.text_frame.word_wrap = True
    box.text_frame.text = "far too many words for such a small box " * 8
    box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
    deck = tmp_path / "control" / "control.pptx"
    deck.parent.mkdir()
    prs.save(deck)
    pdfs = render(soffice, [deck], tmp_path / "pdf")
    assert overflow(deck, pdfs[deck])


def test_bundled_course_decks_never_overflow(tmp_path: Path) -> None:
    assert_no_overflow(decks_of(ROOT, tmp_path / "out"), tmp_path)


def test_stress_fixture_decks_never_overflow(tmp_path: Path) -> None:
    assert_no_overflow(decks_of(FIXTURES / "stress", tmp_path / "out"), tmp_path)


def test_minimal_fixture_with_a_4_3_template_never_overflows(course_copy, tmp_path: Path) -> None:
    from tests.targets.test_deck_template import four_by_three_template, use_template

    course = course_copy("minimal")
    use_template(course, four_by_three_template(course / "org.pptx"))
    assert_no_overflow(decks_of(course, tmp_path / "out"), tmp_path)
