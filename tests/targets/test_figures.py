"""Figures in every output (issue 28): a course with a picture, an SVG drawing, a markdown image and
a chart builds; the picture is in the site (copied in, with its alt text), in a deck slide (a picture
part LibreOffice draws), in the facilitator guide and in the SCORM package; the chart is a native
chart part python-pptx reads back, and an SVG with its numbers as a table on the site (axe 0)."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_modgen

LESSON = "modules/01-preparation.yaml"
#: The picture's colour: a magenta nothing else in a deck or page has, so a render can be searched for it.
MAGENTA = (230, 0, 200)
CATEGORIES = ["Station", "Shopping centre", "School"]
VALUES = [12500, 3400, 980]


def picture_png(width: int = 320, height: int = 180) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), MAGENTA).save(out, format="PNG")
    return out.getvalue()


ROUTE_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"><rect x="10" y="60" width="120" '
             b'height="80" fill="#1F3A5F"/><text x="70" y="108" font-size="20" text-anchor="middle" '
             b'fill="#fff">Station</text></svg>')

FIGURES = """    figures:
      - id: thefts
        caption: {nl: Diefstallen per plek, en: Thefts by place}
        alt: {nl: Het station telt de meeste diefstallen, en: The station has the most thefts}
        source: example-study
        chart:
          type: column
          axis: {nl: diefstallen, en: thefts}
          categories: [{nl: Station, en: Station}, {nl: Winkelcentrum, en: Shopping centre}, School]
          series:
            - name: {nl: Diefstallen, en: Thefts}
              values: [12500, 3400, 980]
      - id: route
        image: images/route.svg
        alt: {nl: Van station naar stalling, en: From the station to the bicycle park}
        caption: {nl: De route, en: The route}
        credit: {nl: "Tekening: voorbeeld (CC0)", en: "Drawing: example (CC0)"}
"""


def make_course(root: Path) -> Path:
    """The minimal fixture with a markdown image (a magenta PNG), an SVG drawing and a chart."""
    (root / "images").mkdir()
    (root / "images" / "park.png").write_bytes(picture_png())
    (root / "images" / "route.svg").write_bytes(ROUTE_SVG)
    lesson = root / LESSON
    text = lesson.read_text(encoding="utf-8")
    text = text.replace("        - winkelcentra\n",
                        "        - winkelcentra\n\n        ![Een fietsenstalling](images/park.png)\n")
    text = text.replace("        - shopping centres\n",
                        "        - shopping centres\n\n        ![A bicycle park](images/park.png)\n")
    text = text.replace("    sources: [example-study]\n    body:", "    sources: [example-study]\n" + FIGURES + "    body:", 1)
    lesson.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("course") / "course"
    shutil.copytree(FIXTURES / "minimal", root)
    make_course(root)
    out = root.parent / "out"
    result = run_modgen("build", root, "-o", out, "--lang", "en", "--audience", "enforcement", "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def test_site_shows_the_picture_copied_in_with_its_alt_text(built: Path) -> None:
    site = built / "site" / "en-enforcement"
    page = (site / "lesson-preparation.html").read_text(encoding="utf-8")
    img = re.search(r'<img src="(figures/[0-9a-f]{20}\.png)" alt="A bicycle park" width="320" height="180" '
                    r'loading="lazy" decoding="async">', page)
    assert img, page
    assert (site / img.group(1)).read_bytes() == picture_png()
    # The markdown of the body shows no empty paragraph where the image stood.
    assert "<p></p>" not in page and "![" not in page
    svg = re.search(r'<img src="(figures/[0-9a-f]{20}\.svg)" alt="From the station to the bicycle park"', page)
    assert svg and b"<script" not in (site / svg.group(1)).read_bytes()
    assert "Drawing: example (CC0)" in page


def test_site_chart_is_svg_with_its_numbers_as_a_table(built: Path) -> None:
    page = (built / "site" / "en-enforcement" / "lesson-preparation.html").read_text(encoding="utf-8")
    figure = page[page.index('id="figure-thefts"'):]
    figure = figure[:figure.index("</figure>")]
    assert re.search(r'<svg class="chart chart-column"[^>]* role="img" aria-labelledby="chart-thefts-title '
                     r'chart-thefts-desc"', figure)
    assert '<title id="chart-thefts-title">Thefts by place</title>' in figure
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="num">([^<]*)</td></tr>', figure)
    assert rows == [("Station", "12,500"), ("Shopping centre", "3,400"), ("School", "980")]


def deck(built: Path) -> Path:
    return built / "pptx" / "en-enforcement" / "01-preparation.pptx"


def test_deck_chart_is_native_and_reads_back(built: Path) -> None:
    from pptx import Presentation
    from pptx.enum.chart import XL_CHART_TYPE

    charts = [shape.chart for slide in Presentation(str(deck(built))).slides for shape in slide.shapes
              if shape.has_chart]
    assert len(charts) == 1
    chart = charts[0]
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert list(chart.plots[0].categories) == CATEGORIES
    assert [list(s.values) for s in chart.series] == [[float(v) for v in VALUES]]
    assert [s.name for s in chart.series] == ["Thefts"]
    # The data is in the embedded workbook, so PowerPoint can edit the chart.
    with zipfile.ZipFile(deck(built)) as z:
        workbooks = [n for n in z.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        assert len(workbooks) == 1
        with zipfile.ZipFile(io.BytesIO(z.read(workbooks[0]))) as book:
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
            assert all(f"<v>{v}</v>" in sheet for v in VALUES)


def test_deck_pictures_carry_their_alt_text(built: Path) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    found = {}
    for slide in Presentation(str(deck(built))).slides:
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE and shape.name == "Picture":
                found[shape._element.xpath("./p:nvPicPr/p:cNvPr/@descr")[0]] = shape.image
    assert set(found) == {"A bicycle park", "From the station to the bicycle park"}
    assert found["A bicycle park"].blob == picture_png()
    assert found["From the station to the bicycle park"].content_type == "image/png"  # the SVG, drawn


def test_decks_are_the_same_bytes_every_build(built: Path, tmp_path: Path) -> None:
    root = built.parent / "course"
    again = tmp_path / "again"
    result = run_modgen("build", root, "-o", again, "--lang", "en", "--audience", "enforcement", "--format", "pptx",
                        "--quiet")
    assert result.returncode == 0, result.stderr
    assert (again / "pptx" / "en-enforcement" / "01-preparation.pptx").read_bytes() == deck(built).read_bytes()


def test_libreoffice_draws_the_picture(built: Path, tmp_path: Path) -> None:
    from pptx import Presentation

    from tests.conftest import need_executable
    from tests.targets.deck_pdf import render

    soffice = need_executable("soffice", "libreoffice-impress")
    pdftoppm = need_executable("pdftoppm", "poppler-utils")
    import subprocess

    from PIL import Image

    slides = Presentation(str(deck(built))).slides
    number = next(i for i, s in enumerate(slides, 1)
                  if any(sh.name == "Picture" and "bicycle park" in sh._element.xpath("string(.//p:cNvPr/@descr)")
                         for sh in s.shapes))
    pdf = render(soffice, [deck(built)], tmp_path)[deck(built)]
    subprocess.run([pdftoppm, "-png", "-r", "30", "-f", str(number), "-l", str(number), str(pdf), str(tmp_path / "p")],
                   check=True, capture_output=True, timeout=120)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    raw = image.tobytes()
    pixels = (raw[i:i + 3] for i in range(0, len(raw), 3))
    magenta = sum(1 for p in pixels if abs(p[0] - MAGENTA[0]) < 30 and p[1] < 40 and abs(p[2] - MAGENTA[2]) < 30)
    assert magenta > image.width * image.height * 0.1  # the picture fills a good part of the slide


def test_facilitator_guide_embeds_the_picture_and_the_chart(built: Path) -> None:
    import base64

    guide = (built / "facilitator-guide" / "en-enforcement" / "facilitator-guide.html").read_text(encoding="utf-8")
    data = base64.b64encode(picture_png()).decode()
    assert f'<img src="data:image/png;base64,{data}" alt="A bicycle park" width="320" height="180">' in guide
    assert 'class="chart chart-column"' in guide and "12,500" in guide


@pytest.mark.parametrize("kind", ["scorm12", "scorm2004", "cmi5"])
def test_lms_packages_carry_the_picture(built: Path, kind: str) -> None:
    package = next((built / kind / "en-enforcement").glob("*.zip"))
    with zipfile.ZipFile(package) as z:
        pictures = [n for n in z.namelist() if n.startswith("figures/") and n.endswith(".png")]
        assert len(pictures) == 1 and z.read(pictures[0]) == picture_png()
        page = z.read("lesson-preparation.html").decode()
        assert f'src="{pictures[0]}" alt="A bicycle park"' in page
        if kind.startswith("scorm"):
            assert f'href="{pictures[0]}"' in z.read("imsmanifest.xml").decode()


@pytest.mark.browser
def test_site_with_figures_has_no_axe_violations(built: Path, browser) -> None:  # noqa: F811
    from tests.targets.site_browser import open_page
    from tests.targets.test_site_browser import axe_violations

    site = built / "site" / "en-enforcement"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page, watch = open_page(context, site.resolve().as_uri() + "/", "lesson-preparation.html")
        page.locator("#figure-thefts summary").click()  # the numbers, opened
        assert page.locator("#figure-thefts table").is_visible()
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        assert axe_violations(page) == []
        watch.assert_clean()
    finally:
        context.close()


from tests.targets.site_browser import browser  # noqa: E402,F401 (fixture)


def test_the_classroom_shows_the_figures_on_the_projector(built: Path) -> None:
    """``modgen classroom --figures``: a step per picture or chart after the start screen; the
    picture is served from the session's own assets, the phones say to look at the screen."""
    from generator.classroom.app import create_app
    from generator.classroom.serve import choose
    from generator.classroom.session import Session
    from generator.loader.load import load_course
    from tests.classroom.conftest import client

    course, lesson, lang, audience = choose(load_course(built.parent / "course").course, "preparation", "en",
                                            "enforcement")
    assert not any(s.kind == "figure" for s in Session(course, lesson, lang, audience).steps)
    session = Session(course, lesson, lang, audience, figures=True)
    assert [s.kind for s in session.steps[:4]] == ["start", "figure", "figure", "figure"]
    app = create_app(session, participant_url="http://testserver/", allowed_hosts={"testserver"})
    c = client(app)
    shown = [c.post(f"/trainer/{session.trainer_token}/next").json()["html"] for _ in range(3)]
    picture = re.search(r'<img src="(/assets/figure-[0-9a-f]{20}\.png)" alt="A bicycle park"', shown[0])
    assert picture, shown[0]
    assert c.get(picture.group(1)).content == picture_png()
    assert '<svg class="chart chart-column"' in shown[1] and "Thefts by place" in shown[1]
    assert "The route" in shown[2]


def test_a_template_with_a_picture_layout_gets_the_picture_in_its_placeholder(built: Path, tmp_path: Path) -> None:
    """PowerPoint's own "Picture with Caption" layout: the picture slide uses it, the picture inside
    its picture placeholder's box (at the picture's proportions), the caption as the slide's title."""
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER

    from generator.loader.load import load_course
    from generator.targets.deck import build_deck, template_path

    root = tmp_path / "course"
    shutil.copytree(built.parent / "course", root)
    Presentation().save(str(root / "org.pptx"))  # python-pptx's default: PowerPoint's standard layouts
    text = (root / "course.yaml").read_text(encoding="utf-8")
    (root / "course.yaml").write_text(text.replace("pass_mark: 60\n", "pass_mark: 60\nbranding:\n  template: org.pptx\n"),
                                      encoding="utf-8")
    course = load_course(root).course.for_audience("enforcement")
    data, _ = build_deck(course, "en", template_path(course), lesson=course.lessons[0], number=1)
    deck = Presentation(io.BytesIO(data))
    pictures = [(slide, shape) for slide in deck.slides for shape in slide.shapes if shape.name == "Picture"]
    assert len(pictures) == 2
    for slide, shape in pictures:
        assert slide.slide_layout.name == "Picture with Caption"
        holder = next(p for p in slide.slide_layout.placeholders if p.placeholder_format.type == PP_PLACEHOLDER.PICTURE)
        assert holder.left <= shape.left and shape.left + shape.width <= holder.left + holder.width + 1
        assert holder.top <= shape.top and shape.top + shape.height <= holder.top + holder.height + 1
    assert pictures[1][0].shapes.title.text == "The route"


def test_translators_get_the_alt_texts_captions_and_chart_labels(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.xlf"
    result = run_modgen("translate", "export", built.parent / "course", "--to", "en", "-o", out)
    assert result.returncode == 0, result.stderr
    xliff = out.read_text(encoding="utf-8")
    prefix = "lesson:preparation:sections:individual:figures"
    for unit in ("route:alt", "route:caption", "route:credit", "thefts:caption", "thefts:chart:axis",
                 "thefts:chart:series:0:name", "thefts:chart:categories:0"):
        assert f'id="{prefix}:{unit}"' in xliff, unit
    assert "Van station naar stalling" in xliff and "From the station to the bicycle park" in xliff


def test_diff_reports_a_picture_replaced_under_the_same_name(built: Path, tmp_path: Path) -> None:
    import json

    old = built.parent / "course"
    new = tmp_path / "new"
    shutil.copytree(old, new)
    (new / "images" / "park.png").write_bytes(picture_png(320, 200))
    result = run_modgen("diff", old, new, "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    image = [c for c in changes if c["field"] == "image"]
    assert len(image) == 1 and image[0]["path"][-1] == ["figure", "individual-image-1"]
    assert image[0]["old"] != image[0]["new"] and image[0]["new"].startswith("images/park.png (")
    assert any(d["deck"].endswith("01-preparation.pptx") for d in image[0]["touches"]["pptx"])
