"""Authors keep control of the decks (issue 15): ``decks.text_size`` in course.yaml sets the
largest body text, and a section's ``layout`` puts its slide on another text slide's layout."""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation

from generator.build import BuildRequest, build
from tests.bad_inputs.catalogue import replace
from tests.conftest import run_modgen
from tests.targets.test_deck import slide_kind

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def body_sizes(deck: Path, title: str) -> set[float]:
    slide = next(s for s in Presentation(deck).slides if s.shapes.title.text == title)
    content = next(s for s in slide.shapes if s.name == "Content")
    return {int(r.get("sz")) / 100 for r in content._element.iter(f"{A}rPr")}


def test_text_size_sets_the_largest_body_text_and_never_goes_under_24(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    deck = "pptx/en-enforcement/01-preparation.pptx"
    build(BuildRequest(root, tmp_path / "default", formats=["pptx"], languages=["en"]))
    assert body_sizes(tmp_path / "default" / deck, "The individual") == {32}
    replace("course.yaml", "session:", "decks:\n  text_size: 24\nsession:")(root)
    build(BuildRequest(root, tmp_path / "small", formats=["pptx"], languages=["en"]))
    assert body_sizes(tmp_path / "small" / deck, "The individual") == {24}
    replace("course.yaml", "text_size: 24", "text_size: 40")(root)
    build(BuildRequest(root, tmp_path / "large", formats=["pptx"], languages=["en"]))
    assert body_sizes(tmp_path / "large" / deck, "The individual") == {40}


def test_a_text_size_under_24_is_refused_with_its_place(course_copy) -> None:
    root = course_copy("minimal")
    replace("course.yaml", "session:", "decks:\n  text_size: 18\nsession:")(root)
    result = run_modgen("validate", root)
    assert result.returncode == 1
    assert "course.yaml:" in result.stdout + result.stderr and "text_size" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_section_takes_the_layout_it_names(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    replace("modules/01-preparation.yaml", "  - id: individual\n", "  - id: individual\n    layout: facts\n")(root)
    build(BuildRequest(root, tmp_path / "out", formats=["pptx"], languages=["en"]))
    prs = Presentation(tmp_path / "out/pptx/en-enforcement/01-preparation.pptx")
    slide = next(s for s in prs.slides if s.shapes.title.text == "The individual")
    assert slide_kind(slide) == "facts"
    facts = next(s for s in prs.slides if s.shapes.title.text == "Key facts")
    assert slide.slide_layout.name == facts.slide_layout.name  # "Key Facts" when the template has it
    assert slide.notes_slide.notes_text_frame.text.strip()  # its notes stay the section's


def test_a_figure_that_is_not_a_number_of_its_fact_is_refused_at_its_place(course_copy) -> None:
    root = course_copy("minimal")
    replace("modules/01-preparation.yaml", "  - id: share\n", "  - id: share\n    figure: {nl: '80%', en: '80%'}\n")(root)
    result = run_modgen("validate", root)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "modules/01-preparation.yaml:50:" in out and "figure '80%' (nl) is not a number of the fact's text" in out


def test_a_key_figure_stands_large_above_its_fact_with_the_source_below(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    build(BuildRequest(ROOT, tmp_path / "out", formats=["pptx"], languages=["en"], audiences=["enforcement"]))
    prs = Presentation(tmp_path / "out/pptx/en-enforcement/01-introduction.pptx")
    figures = [s for s in prs.slides if slide_kind(s) == "figure"]
    assert [next(x for x in s.shapes if x.name == "Figure").text_frame.text for s in figures] == [
        "5.1 million", "32.1 million", "165,000"]
    first = figures[0]
    figure = next(x for x in first.shapes if x.name == "Figure")
    caption = next(x for x in first.shapes if x.name == "Content")
    assert figure.top + figure.height <= caption.top  # the number above its caption
    assert min(int(r.get("sz")) for r in figure._element.iter(f"{A}rPr")) >= 4000  # 40 pt or more
    assert "5.1 million web pages" in caption.text_frame.text
    assert next(x for x in first.shapes if x.name == "Source").text_frame.text.startswith("Source: CCCP (2018)")
    assert first.notes_slide.notes_text_frame.text.strip()
