"""The intervention matrix (issue 15): who can act in which crime-script phase, built once from
the model and shown on a course deck's slide, on the site's home page and in the facilitator guide."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from generator.build import BuildRequest, build
from generator.loader.load import load_course
from generator.matrix import intervention_matrix
from tests.conftest import ROOT
from tests.targets.test_deck import slide_kind


@pytest.fixture(scope="module")
def whole():
    return load_course(ROOT).course


@pytest.fixture(scope="module")
def prevention(whole):
    return whole.for_audience("prevention")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("matrix") / "out"
    build(BuildRequest(ROOT, out, formats=["pptx", "site", "facilitator-guide"], languages=["en"],
                       audiences=["prevention"]))
    return out


def test_every_point_of_the_course_is_in_its_actor_s_row_and_its_phase_s_column(whole) -> None:
    for course in (whole, whole.for_audience("enforcement"), whole.for_audience("prevention")):
        matrix = intervention_matrix(course)
        assert [p.id for p in matrix.phases] == ["preparation", "pre-activity", "activity", "post-activity"]
        # Every actor of the course, in its order, in every audience's build: the whole course's message.
        assert [r.actor.id for r in matrix.rows] == [a.id for a in whole.actors]
        columns = [p.id for p in matrix.phases] + ["across"]
        placed = {(e.point.id, r.actor.id, columns[i]) for r in matrix.rows for i, c in enumerate(r.cells) for e in c}
        expected = {(p.id, p.actor, l.phase or "across") for l in whole.lessons for p in l.interventions}
        assert placed == expected and len(expected) == sum(len(l.interventions) for l in whole.lessons)
    # the conclusions have no phase: their points are in the last column, "across the phases"
    matrix = intervention_matrix(whole)
    assert matrix.across and all(e.lesson == "conclusions" for r in matrix.rows for e in r.cells[-1])
    assert set(matrix.bases) <= {"finding", "implication", "derived"} and matrix.bases


def test_an_audience_s_build_knows_which_points_its_own_pages_show(whole) -> None:
    for audience in ("enforcement", "prevention"):
        entries = [e for r in intervention_matrix(whole.for_audience(audience)).rows for c in r.cells for e in c]
        assert {e.point.id for e in entries if e.shown} == {p.id for l in whole.lessons for p in l.interventions
                                                            if audience in p.audiences}
        assert any(not e.shown for e in entries)
    assert all(e.shown for r in intervention_matrix(whole).rows for c in r.cells for e in c)


def test_a_course_without_a_phase_less_point_has_no_across_column(whole) -> None:
    lessons = [l for l in whole.lessons if l.phase]
    matrix = intervention_matrix(whole.model_copy(update={"lessons": lessons}))
    assert not matrix.across and all(len(r.cells) == 4 for r in matrix.rows)
    assert [r.actor.id for r in matrix.rows] == [a.id for a in whole.actors if a.id != "child-protection"]


def test_the_course_deck_shows_it_on_one_slide_as_a_native_table_of_marks(built: Path, whole) -> None:
    prs = Presentation(built / "pptx/en-prevention/course.pptx")
    slides = [s for s in prs.slides if slide_kind(s) == "matrix"]
    assert len(slides) == 1  # the whole course on one slide
    table = next(s for s in slides[0].shapes if getattr(s, "has_table", False) and s.has_table).table
    head = [c.text for c in table.rows[0].cells]
    assert head == ["Actor", "Preparation", "Pre-activity", "Activity", "Post-activity", "Across the phases"]
    rows = list(table.rows)[1:]
    assert [row.cells[0].text for row in rows] == [a.name.get("en") for a in whole.actors]
    marks = {"finding": "\u25cf", "implication": "\u25d0", "derived": "\u25cb"}
    matrix = intervention_matrix(whole)
    for row, expected in zip(rows, matrix.rows):
        for cell, entries in zip(list(row.cells)[1:], expected.cells):
            # a mark per point, by its basis; an empty cell says so with a dash
            assert cell.text == (" ".join(marks[e.basis] for e in entries) or "\u2013")
    # cells are shaded by how many points they hold: the police's three in preparation darker than one
    fills = [[c._tc.tcPr.find(qn("a:solidFill"))[0].get("val") for c in row.cells] for row in rows]
    assert fills[0][1] != fills[1][1] and fills[5][1] == "FFFFFF"
    source = next(s for s in slides[0].shapes if s.name == "Source").text_frame.text
    assert "\u25d0 implication" in source and "\u25cb derived" in source and "Van der Bruggen & Blokland" in source
    notes = slides[0].notes_slide.notes_text_frame.text
    # The room works with the grid; each point's full sentence is the facilitator guide's, not the notes'.
    assert "Helplines such as Stop it Now offer an alternative" not in notes
    assert "facilitator guide" in notes and len(notes.split()) < 300


def test_the_site_home_page_has_it_as_a_table_with_scoped_headers_in_a_scroll_region(built: Path) -> None:
    page = lxml_html.fromstring((built / "site/en-prevention/index.html").read_bytes())
    table = page.xpath("//table[@class='matrix']")[0]
    region = table.getparent()
    assert region.get("role") == "region" and region.get("tabindex") == "0" and region.get("aria-labelledby")
    assert [th.get("scope") for th in table.xpath("./thead//th")] == ["col"] * 6
    assert all(th.get("scope") == "row" for th in table.xpath("./tbody//th"))
    links = {a.text_content(): a.get("href") for a in table.xpath(".//a")}
    assert links["Another place to talk"].endswith(".html")
    # another audience's point is in the grid, named but not linked: this site's pages do not hold it
    assert "Prioritise higher-ranked members" in table.text_content() and "Prioritise higher-ranked members" not in links
    assert "Across the phases" in table.xpath("./thead")[0].text_content()
    assert [a.get("title") for a in table.xpath(".//abbr")][:1] in (["implication"], ["derived"], ["finding"])


def test_the_facilitator_guide_has_it_after_the_session_plan(built: Path) -> None:
    text = (built / "facilitator-guide/en-prevention/facilitator-guide.html").read_text(encoding="utf-8")
    page = lxml_html.fromstring(text)
    assert page.xpath("//*[@id='session-plan']") and page.xpath("//*[@id='intervention-matrix']//table[@class='matrix']")
    assert text.index('id="session-plan"') < text.index('id="intervention-matrix"')
    assert "Another place to talk" in page.xpath("//*[@id='intervention-matrix']")[0].text_content()


def _icon_headers(headers, course) -> None:
    """Each header holds its actor's icon — decorative, since the name beside it says it all — and
    then the actor's name as its text."""
    from generator import icons

    by_name = {a.name.get("en"): a for a in course.actors}
    assert headers
    for header in headers:
        name = " ".join(header.text_content().split())
        actor = by_name[name]  # the name is the header's whole text: the icon adds none
        assert actor.icon, actor.id
        svgs = header.xpath(".//svg")
        assert len(svgs) == 1, name
        svg = svgs[0]
        assert svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"
        assert svg.get("stroke") == "currentColor" and svg.get("class") == "icon"
        expected = lxml_html.fragment_fromstring(icons.svg(actor.icon))
        assert [p.get("d") for p in svg.iter("path")] == [p.get("d") for p in expected.iter("path")], name
        # the icon comes before the name
        assert " ".join(header.xpath("string(.//svg/following::text()[normalize-space()][1])").split()) == name


def test_the_site_shows_each_actor_s_icon_before_its_name(built: Path, prevention) -> None:
    page = lxml_html.fromstring((built / "site/en-prevention/index.html").read_bytes())
    rows = page.xpath("//table[@class='matrix']/tbody/tr/th[@scope='row']")
    assert len(rows) == len(intervention_matrix(prevention).rows)
    _icon_headers(rows, prevention)
    for lesson in built.glob("site/en-prevention/lesson-*.html"):  # the points by actor on each lesson page
        headings = lxml_html.fromstring(lesson.read_bytes()).xpath("//h3[@class='actor']")
        if headings:
            _icon_headers(headings, prevention)


def test_the_facilitator_guide_shows_each_actor_s_icon_before_its_name(built: Path, prevention) -> None:
    page = lxml_html.fromstring((built / "facilitator-guide/en-prevention/facilitator-guide.html").read_bytes())
    rows = page.xpath("//*[@id='intervention-matrix']//table[@class='matrix']/tbody/tr/th[@scope='row']")
    assert len(rows) == len(intervention_matrix(prevention).rows)
    _icon_headers(rows, prevention)
    _icon_headers(page.xpath("//div[contains(@class, 'actor')]/h4"), prevention)


def test_an_actor_without_an_icon_is_named_alone(tmp_path: Path) -> None:
    """The icon is optional: the minimal fixture's actors have none, and their headers hold no svg."""
    from tests.conftest import FIXTURES

    out = tmp_path / "out"
    build(BuildRequest(FIXTURES / "minimal", out, formats=["site", "facilitator-guide"], languages=["en"]))
    named = []
    for path in list(out.glob("site/*/*.html")) + list(out.glob("facilitator-guide/*/*.html")):
        page = lxml_html.fromstring(path.read_bytes())
        named += [" ".join(h.text_content().split())
                  for h in page.xpath("//h3[@class='actor'] | //div[contains(@class, 'actor')]/h4")]
        assert not page.xpath("//svg[@class='icon']"), path
    assert set(named) == {"Police", "Municipality"}


def _matrix_slide(path: Path):
    prs = Presentation(path)
    number, slide = next((n, s) for n, s in enumerate(prs.slides, 1) if slide_kind(s) == "matrix")
    return prs, number, slide


def test_each_actor_s_row_on_the_slide_starts_with_its_icon_marked_decorative(built: Path, whole) -> None:
    from generator import icons

    _, _, slide = _matrix_slide(built / "pptx/en-prevention/course.pptx")
    frame = next(s for s in slide.shapes if getattr(s, "has_table", False) and s.has_table)
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == len(whole.actors) and all(a.icon for a in whole.actors)
    top = frame.top + list(frame.table.rows)[0].height
    for actor, row, picture in zip(whole.actors, list(frame.table.rows)[1:], pictures):
        assert picture.image.blob == icons.png(actor.icon)  # the actor's own icon, from the shipped set
        # in its row, in the first cell's left margin, the text moved past it
        assert top <= picture.top and picture.top + picture.height <= top + row.height
        cell = row.cells[0]
        assert frame.left <= picture.left and picture.left + picture.width <= frame.left + cell.margin_left
        c_nv = picture._element.xpath("./p:nvPicPr/p:cNvPr")[0]
        assert c_nv.get("descr") == "" and c_nv.xpath(".//*[local-name()='decorative']/@val") == ["1"]
        top += row.height
    # one media part per icon, however many slides show it
    assert len({p.image.sha1 for p in pictures}) == len({a.icon for a in whole.actors})


@pytest.mark.libreoffice
def test_libreoffice_draws_the_icons_on_the_rendered_slide(built: Path, whole, tmp_path: Path) -> None:
    import pdfplumber

    from tests.conftest import need_executable
    from tests.targets.deck_pdf import render

    soffice = need_executable("soffice", "libreoffice-impress")
    deck = built / "pptx/en-prevention/course.pptx"
    prs, number, slide = _matrix_slide(deck)
    pdf = render(soffice, [deck], tmp_path)[deck]
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[number - 1]
        scale = float(page.width) / (prs.slide_width / 12700)
        images = sorted(page.images, key=lambda im: im["top"])
        assert len(images) == len(whole.actors)
        words = page.extract_words()
        for actor, image in zip(whole.actors, images):
            first = actor.name.get("en").split()[0]
            # the actor's name starts just right of its icon, on the same line
            word = min((w for w in words if w["text"] == first and abs(w["top"] - image["top"]) < 20 * scale),
                       key=lambda w: w["x0"])
            assert 0 < word["x0"] - image["x1"] < 20 * scale and image["width"] > 10 * scale
