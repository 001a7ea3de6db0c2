"""The intervention matrix (issue 15): who can act in which crime-script phase, built once from
the model and shown on a course deck's slide, on the site's home page and in the facilitator guide."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html
from pptx import Presentation

from generator.build import BuildRequest, build
from generator.loader.load import load_course
from generator.matrix import intervention_matrix
from tests.conftest import ROOT
from tests.targets.test_deck import slide_kind


@pytest.fixture(scope="module")
def prevention():
    return load_course(ROOT).course.for_audience("prevention")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("matrix") / "out"
    build(BuildRequest(ROOT, out, formats=["pptx", "site", "facilitator-guide"], languages=["en"],
                       audiences=["prevention"]))
    return out


def test_every_point_of_a_phased_lesson_is_in_its_actor_s_row_and_its_phase_s_column(prevention) -> None:
    matrix = intervention_matrix(prevention)
    assert [p.id for p in matrix.phases] == ["preparation", "pre-activity", "activity", "post-activity"]
    order = [a.id for a in prevention.actors]
    rows = [r.actor.id for r in matrix.rows]
    assert rows == sorted(rows, key=order.index)  # the course's order
    placed = {(e.point.id, r.actor.id, matrix.phases[i].id) for r in matrix.rows for i, c in enumerate(r.cells)
              for e in c}
    expected = {(p.id, p.actor, l.phase) for l in prevention.lessons if l.phase for p in l.interventions}
    assert placed == expected and expected
    # the conclusions have no phase: their points are on their own slides, not in the grid
    assert not any(e.lesson == "conclusions" for r in matrix.rows for c in r.cells for e in c)
    assert set(matrix.bases) <= {"finding", "implication", "derived"} and matrix.bases


def test_the_course_deck_shows_it_as_a_native_table_with_a_legend(built: Path, prevention) -> None:
    prs = Presentation(built / "pptx/en-prevention/course.pptx")
    slides = [s for s in prs.slides if slide_kind(s) == "matrix"]
    assert len(slides) == 1  # the whole course on one slide
    table = next(s for s in slides[0].shapes if getattr(s, "has_table", False) and s.has_table).table
    head = [c.text for c in table.rows[0].cells]
    assert head == ["Actor", "Preparation", "Pre-activity", "Activity", "Post-activity"]
    actors = [row.cells[0].text for row in list(table.rows)[1:]]
    assert actors == [r.actor.name.get("en") for r in intervention_matrix(prevention).rows]
    cells = " ".join(c.text.replace("\u200b", "") for row in table.rows for c in row.cells)
    assert "Another place to talk (D)" in cells and "A counter-message at the threshold (I)" in cells
    source = next(s for s in slides[0].shapes if s.name == "Source").text_frame.text
    assert "I = implication" in source and "D = derived" in source and "Van der Bruggen & Blokland" in source
    notes = slides[0].notes_slide.notes_text_frame.text
    assert "Helplines such as Stop it Now offer an alternative" in notes  # the full sentence for the trainer


def test_the_site_home_page_has_it_as_a_table_with_scoped_headers_in_a_scroll_region(built: Path) -> None:
    page = lxml_html.fromstring((built / "site/en-prevention/index.html").read_bytes())
    table = page.xpath("//table[@class='matrix']")[0]
    region = table.getparent()
    assert region.get("role") == "region" and region.get("tabindex") == "0" and region.get("aria-labelledby")
    assert [th.get("scope") for th in table.xpath("./thead//th")] == ["col"] * 5
    assert all(th.get("scope") == "row" for th in table.xpath("./tbody//th"))
    links = {a.text_content(): a.get("href") for a in table.xpath(".//a")}
    assert links["Another place to talk"].endswith(".html")
    assert [a.get("title") for a in table.xpath(".//abbr")][:1] in (["implication"], ["derived"], ["finding"])


def test_the_facilitator_guide_has_it_after_the_session_plan(built: Path) -> None:
    text = (built / "facilitator-guide/en-prevention/facilitator-guide.html").read_text(encoding="utf-8")
    page = lxml_html.fromstring(text)
    assert page.xpath("//*[@id='session-plan']") and page.xpath("//*[@id='intervention-matrix']//table[@class='matrix']")
    assert text.index('id="session-plan"') < text.index('id="intervention-matrix"')
    assert "Another place to talk" in page.xpath("//*[@id='intervention-matrix']")[0].text_content()
