"""Deck templates: organisation templates, broken ones, ``modgen template check``, contrast."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree
from pptx import Presentation
from pptx.util import Inches

from generator.targets.deck.colour import contrast
from generator.targets.deck.make_template import COLOURS
from generator.targets.deck.template import DEFAULT_TEMPLATE, LAYOUTS
from tests.conftest import run_modgen

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def four_by_three_template(path: Path) -> Path:
    """An organisation template laid out unlike ours: 4:3, python-pptx's stock layouts, the title
    of 'Title and Content' moved to the bottom and its body squeezed to the right half, plus an
    own 'Quiz Question' layout with the body on the left."""
    prs = Presentation()  # 4:3, 10 × 7.5 in
    layouts = {l.name: l for l in prs.slide_layouts}
    content = layouts["Title and Content"]
    for ph in content.placeholders:
        if ph.placeholder_format.idx == 0:
            ph.left, ph.top, ph.width, ph.height = Inches(0.5), Inches(6.2), Inches(9), Inches(1.0)
        elif ph.placeholder_format.idx == 1:
            ph.left, ph.top, ph.width, ph.height = Inches(4.5), Inches(0.5), Inches(5), Inches(5.5)
    quiz = layouts["Two Content"]
    quiz.name = "Quiz Question"
    prs.save(path)
    return path


def use_template(course: Path, template: Path) -> None:
    data = yaml.safe_load((course / "course.yaml").read_text())
    data.setdefault("branding", {})["template"] = template.relative_to(course).as_posix()
    (course / "course.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_a_differently_laid_out_template_builds(course_copy, tmp_path: Path) -> None:
    course = course_copy("minimal")
    (course / "branding").mkdir()
    template = four_by_three_template(course / "branding" / "org.pptx")
    use_template(course, template)
    out = tmp_path / "out"
    result = run_modgen("build", course, "-o", out, "--format", "pptx", "--lang", "en")
    assert result.returncode == 0, result.stderr
    prs = Presentation(out / "pptx/en-enforcement/01-preparation.pptx")
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(7.5))
    by_kind = {}
    for slide in prs.slides:
        by_kind.setdefault(slide._element.find(
            "{http://schemas.openxmlformats.org/presentationml/2006/main}cSld").get("name"), slide)
    content = by_kind["content"]
    assert content.slide_layout.name == "Title and Content"
    title = content.shapes.title
    assert (title.left, title.top) == (Inches(0.5), Inches(6.2))  # where the organisation put it
    body = next(s for s in content.placeholders if s.placeholder_format.idx == 1)
    assert (body.left, body.top, body.width) == (Inches(4.5), Inches(0.5), Inches(5))
    assert by_kind["question"].slide_layout.name == "Quiz Question"
    assert by_kind["diagram"].slide_layout.name == "Title Only"
    for slide in prs.slides:  # everything inside the 4:3 slide
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height


def test_a_template_missing_a_needed_layout_names_it(course_copy, tmp_path: Path) -> None:
    course = course_copy("minimal")
    prs = Presentation()
    for layout in [l for l in prs.slide_layouts if l.name not in ("Title Slide", "Title Only", "Blank")]:
        prs.slide_layouts.remove(layout)
    prs.save(course / "org.pptx")
    use_template(course, course / "org.pptx")
    out = tmp_path / "out"
    result = run_modgen("build", course, "-o", out, "--format", "pptx")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("org.pptx:1:1: the template can't serve ")
    assert ("content slides: no layout named 'Title and Content', and none with a title and one content "
            "placeholder") in result.stderr
    assert "agenda slides: no layout named 'Agenda' or 'Title and Content'" in result.stderr
    assert not out.exists()  # no half-written output


def test_a_file_that_is_not_a_template_is_an_error_not_a_crash(course_copy, tmp_path: Path) -> None:
    course = course_copy("minimal")
    (course / "org.pptx").write_text("this is not a zip file")
    use_template(course, course / "org.pptx")
    result = run_modgen("build", course, "-o", tmp_path / "out", "--format", "pptx")
    assert result.returncode == 1  # the loader's own check may catch it first; either way a message
    assert "org.pptx" in result.stderr and "Traceback" not in result.stderr
    with zipfile.ZipFile(course / "org.pptx", "w") as z:  # a zip, but a Word document
        z.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.openxmlformats-'
                                          'officedocument.wordprocessingml.document.main+xml"/></Types>')
    result = run_modgen("build", course, "-o", tmp_path / "out", "--format", "pptx")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "org.pptx:1:1: not a PowerPoint template: it holds no presentation" in result.stderr


def test_a_potx_template_is_accepted(course_copy, tmp_path: Path) -> None:
    course = course_copy("minimal")
    data = io.BytesIO()
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as src, zipfile.ZipFile(data, "w") as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            dst.writestr(info, blob)
    (course / "org.potx").write_bytes(data.getvalue())
    use_template(course, course / "org.potx")
    result = run_modgen("build", course, "-o", tmp_path / "out", "--format", "pptx", "--lang", "nl",
                        "--audience", "prevention")
    assert result.returncode == 0, result.stderr
    assert len(Presentation(tmp_path / "out/pptx/nl-prevention/course.pptx").slides) > 10


def test_template_check_lists_layouts_and_kinds(tmp_path: Path) -> None:
    result = run_modgen("template", "check", DEFAULT_TEMPLATE)
    assert result.returncode == 0, result.stderr
    assert "(16:9)" in result.stdout
    assert "  Quiz Question" in result.stdout
    for kind in LAYOUTS:
        assert f"  {kind:<14} '" in result.stdout
    path = tmp_path / "stock.pptx"
    prs = Presentation()
    prs.slide_layouts.remove(next(l for l in prs.slide_layouts if l.name == "Title Only"))
    prs.slide_layouts.remove(next(l for l in prs.slide_layouts if l.name == "Title and Content"))
    prs.save(path)
    result = run_modgen("template", "check", path)
    assert result.returncode == 1
    assert "not 16:9" in result.stdout
    assert ("table          CAN'T SERVE: no layout named 'Table' or 'Title Only' or 'Title and Content', and none "
            "with a title and nothing under it") in result.stdout
    assert "title          'Title Slide' (own layout)" in result.stdout
    assert f"{path}:1:1: the template can't serve every slide kind" in result.stderr


def test_template_check_on_a_broken_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.potx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    result = run_modgen("template", "check", bad)
    assert result.returncode == 1
    assert result.stderr.strip() == f"{bad}:1:1: not a PowerPoint template: the file is not a zip archive " \
                                    "(save it from PowerPoint as .pptx or .potx)"
    word = tmp_path / "letter.pptx"
    with zipfile.ZipFile(word, "w") as z:
        z.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.openxmlformats-'
                                          'officedocument.wordprocessingml.document.main+xml"/></Types>')
    result = run_modgen("template", "check", word)
    assert result.returncode == 1
    assert "it holds no presentation" in result.stderr


def _theme_colours() -> dict[str, str]:
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as z:
        theme = etree.fromstring(z.read("ppt/theme/theme1.xml"))
    scheme = theme.find(f".//{A}clrScheme")
    return {etree.QName(c).localname: c.find(f"{A}srgbClr").get("val") for c in scheme}


@pytest.mark.parametrize("text, background", [
    ("dk2", "lt1"),  # titles on white slides
    ("dk1", "lt1"),  # body text on white slides
    ("dk1", "lt2"),  # body text on tinted slides (content notice, discussion, quiz)
    ("dk2", "lt2"),  # titles on tinted slides
    ("lt1", "dk2"),  # text on the dark title and section slides
    ("hlink", "lt1"),  # links
    ("lt1", "accent2"),  # the highlighted phase of the crime script
])
def test_default_theme_meets_wcag_aa_contrast(text: str, background: str) -> None:
    colours = _theme_colours()
    assert colours == COLOURS
    assert contrast(colours[text], colours[background]) >= 4.5


def test_default_template_is_what_make_template_makes(tmp_path: Path) -> None:
    from generator.targets.deck.make_template import make

    assert make(tmp_path / "default.pptx") == DEFAULT_TEMPLATE.read_bytes()


#: The default template's layouts as a Dutch PowerPoint names them (and the organisation's own
#: layouts given Dutch names too): no layout carries a name modgen asks for.
DUTCH = {"Title Slide": "Titeldia", "Title and Content": "Titel en object", "Section Header": "Sectiekop",
         "Title Only": "Alleen titel", "Blank": "Leeg", "Content Notice": "Inhoudswaarschuwing",
         "Discussion": "Bespreking", "Quiz Question": "Quizvraag", "Quiz Answer": "Quizantwoord",
         "Crime Script": "Misdaadscript"}


def test_a_template_with_dutch_layout_names_builds_by_placeholder_roles(course_copy, tmp_path: Path) -> None:
    course = course_copy("minimal")
    prs = Presentation(DEFAULT_TEMPLATE)
    for layout in prs.slide_layouts:
        layout.name = DUTCH[layout.name]
    prs.save(course / "org.pptx")
    use_template(course, course / "org.pptx")
    out = tmp_path / "out"
    result = run_modgen("build", course, "-o", out, "--format", "pptx", "--lang", "nl")
    assert result.returncode == 0, result.stderr
    deck = Presentation(out / "pptx/nl-enforcement/course.pptx")
    layout = {}
    for slide in deck.slides:
        kind = slide._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}cSld").get("name")
        layout.setdefault(kind, slide.slide_layout.name)
    assert layout["title"] == "Titeldia"
    assert layout["section"] == layout["break"] == "Sectiekop"
    assert layout["content"] == layout["objectives"] == layout["question"] == "Titel en object"
    assert layout["table"] == layout["diagram"] == layout["matrix"] == "Alleen titel"
    check = run_modgen("template", "check", course / "org.pptx")
    assert check.returncode == 0, check.stderr
    assert "  content        'Titel en object' (matched by its placeholders)" in check.stdout
    assert "  title          'Titeldia' (matched by its placeholders)" in check.stdout
