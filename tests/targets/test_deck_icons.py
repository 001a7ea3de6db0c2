"""Actors' icons on the intervention-point slides (issue 15): each actor's heading has the actor's
icon as its bullet (a picture bullet, so it moves with the text wherever the heading falls), from
the shipped set; LibreOffice draws it beside the name."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from generator import icons
from generator.build import BuildRequest, build
from generator.loader.load import load_course
from tests.conftest import ROOT
from tests.targets.test_deck import slide_kind


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("icons") / "out"
    build(BuildRequest(ROOT, out, formats=["pptx"], languages=["nl"]))
    return sorted(p for p in out.glob("pptx/*/*.pptx") if p.name != "course.pptx")


def headings(slide) -> list[tuple[str, str | None]]:
    """(text, icon image bytes or None) of each bold heading paragraph of the slide's content."""
    content = next(s for s in slide.shapes if s.name == "Content")
    found = []
    for p in content.text_frame.paragraphs:
        blips = p._p.xpath("./a:pPr/a:buBlip/a:blip")
        runs = p.runs
        if runs and runs[0].font.bold:
            blob = slide.part.related_part(blips[0].get(qn("r:embed"))).blob if blips else None
            found.append((p.text, blob))
    return found


def test_every_actor_heading_on_an_interventions_slide_has_its_icon(decks: list[Path]) -> None:
    course = load_course(ROOT).course
    by_name = {a.name.get("nl"): a for a in course.actors}
    seen = 0
    for deck in decks:
        for slide in Presentation(deck).slides:
            if slide_kind(slide) != "interventions":
                continue
            for text, blob in headings(slide):
                actor = by_name[text]
                assert blob == icons.png(actor.icon), f"{deck.name}: {text}"
                seen += 1
    assert seen >= 16  # both audiences' decks, every phased and concluding lesson


@pytest.mark.libreoffice
def test_libreoffice_draws_each_icon_just_left_of_its_actor_s_name(decks: list[Path], tmp_path: Path) -> None:
    import pdfplumber

    from tests.conftest import need_executable
    from tests.targets.deck_pdf import render

    soffice = need_executable("soffice", "libreoffice-impress")
    deck = next(d for d in decks if d.parent.name == "nl-prevention" and "pre-activity" in d.name)
    prs = Presentation(deck)
    number, slide = next((n, s) for n, s in enumerate(prs.slides, 1) if slide_kind(s) == "interventions")
    names = [text for text, _ in headings(slide)]
    pdf = render(soffice, [deck], tmp_path)[deck]
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[number - 1]
        images = sorted(page.images, key=lambda im: im["top"])
        assert len(images) == len(names) >= 2
        words = page.extract_words()
        for name, image in zip(names, images):
            word = next(w for w in words if w["text"] == name.split()[0] and abs(w["top"] - image["top"]) < 15)
            assert 0 < word["x0"] - image["x1"] < 30 and image["width"] > 12
