"""Shared helpers for the handout tests: build a course, read the HTML back, print it to PDF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import lxml.html
import pdfplumber
import pytest

from generator import icons
from generator.build import BuildRequest, build
from generator.html import markdown_html
from generator.loader.load import load_course
from generator.model import Course, Text
from tests.conftest import FIXTURES, ROOT, need_executable

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--no-pdf-header-footer"]


def bundled_ready() -> bool:
    return (ROOT / "modules").is_dir() and any((ROOT / "modules").glob("*.yaml"))


def course_dirs() -> list:
    """The fixture course, and the bundled course once its lessons are on main."""
    return [
        pytest.param(FIXTURES / "minimal", id="minimal"),
        pytest.param(ROOT, id="bundled", marks=pytest.mark.skipif(
            not bundled_ready(), reason="the bundled course has no lessons yet (modules/ is empty)")),
    ]


def build_kind(course_dir: Path, out: Path, kind: str) -> tuple[Course, dict]:
    result = build(BuildRequest(course_dir=course_dir, out=out, formats=[kind]))
    return load_course(course_dir).course, result.manifest


def documents(course: Course, manifest: dict, out: Path):
    """(lang, audience, narrowed course, parsed page, path) for every artifact of the manifest."""
    for entry in manifest["artifacts"]:
        path = out / entry["path"]
        page = lxml.html.fromstring(path.read_bytes())
        yield entry["lang"], entry["audience"], course.for_audience(entry["audience"]), page, path


def squash(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def plain(value: Text | str, lang: str) -> str:
    """What a reader sees of a piece of course markdown: its text, whitespace squashed."""
    source = value.get(lang) if isinstance(value, Text) else value
    html = markdown_html(source)
    if not html.strip():
        return ""
    return squash(lxml.html.fragment_fromstring(html, create_parent="div").text_content())


def text_of(element) -> str:
    return squash(element.text_content())


def _shape(element) -> tuple:
    return (element.tag, sorted(element.attrib.items()), [_shape(child) for child in element])


#: The inline SVG a handout may hold: modgen's own icons, exactly as ``icons.svg`` gives them.
ICON_SHAPES = [_shape(lxml.html.fragment_fromstring(icons.svg(name))) for name in icons.NAMES]


def assert_safe_document(page) -> None:
    """No scripts, no event handlers, nothing fetched, only harmless link schemes; no SVG but
    modgen's icons and the charts it draws (shapes and text only)."""
    assert not page.xpath("//script | //iframe | //object | //embed | //link | //base | //form")
    for svg in page.xpath("//svg"):
        if "chart" in (svg.get("class") or "").split():
            assert not svg.xpath(".//script | .//foreignobject | .//a | .//image | .//*[@href] | .//style")
            continue
        assert _shape(svg) in ICON_SHAPES, lxml.html.tostring(svg)[:200]
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name.lower() in ("src", "srcset"):  # only an embedded logo or figure (an SVG made safe)
                assert element.tag == "img" and re.match(r"^data:image/(png|jpeg|svg\+xml);base64,", value), value
    for href in page.xpath("//a/@href"):
        assert re.match(r"^(https?:|mailto:|tel:|#)", href), href
    style = "".join(page.xpath("//style/text()"))
    assert "@import" not in style and "url(" not in style


def print_to_pdf(html_file: Path, pdf: Path) -> Path:
    """``html_file`` printed by headless Chromium, as a trainer's browser would."""
    chromium = need_executable("chromium", "chromium")
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--print-to-pdf={pdf}", html_file.as_uri()],
                   check=True, capture_output=True, timeout=180)
    assert pdf.exists() and pdf.stat().st_size > 0
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    """The text of every page, whitespace squashed."""
    with pdfplumber.open(pdf) as document:
        return [squash(page.extract_text() or "") for page in document.pages]


def printed_letters(question_block) -> dict[str, str]:
    """choice id → the letter printed beside it, read from what a learner sees."""
    letters = {}
    for choice in question_block.xpath(".//*[@data-choice]"):
        if choice.tag == "li":
            shown = choice.xpath(".//span[@class='letter']")[0]
        else:  # matching: the letter sits in the cell before the response
            shown = choice.getprevious().xpath(".//span[@class='letter']")[0]
        assert text_of(shown) == choice.get("data-letter")
        letters[choice.get("data-choice")] = text_of(shown)
    return letters


def question_blocks(page, module_id: str) -> list:
    return page.xpath(f"//section[@data-module='{module_id}']//div[@data-question]")


#: Elements that flow within a line: text on either side of their edges runs on unless something
#: (a space, punctuation) separates it.
INLINE = {"span", "small", "strong", "em", "b", "i", "a", "code", "sup", "sub", "abbr", "time", "mark"}


def run_together(element) -> list[str]:
    """Every place in ``element``'s text content where an inline element's edge joins two letters
    or digits with nothing between them — "Inleiding" + "<span>Inhoudswaarschuwing</span>" reads
    "InleidingInhoudswaarschuwing" to a screen reader, in a copied text and in a search. Block
    elements (cells, paragraphs) are read apart, so only inline edges count. Each find is shown
    as the words on both sides: ``"Inleiding|Inhoudswaarschuwing"``."""
    edge = object()
    flat: list = []

    def walk(node) -> None:
        flat.append(node.text or "")
        for child in node:
            if not isinstance(child.tag, str):  # comments
                flat.append(child.tail or "")
                continue
            inline = child.tag in INLINE
            if not inline:
                flat.append(" ")
            flat.append(edge if inline else "")
            walk(child)
            flat.append(edge if inline else " ")
            flat.append(child.tail or "")

    walk(element)
    found = []
    text, edges = "", []
    for piece in flat:
        if piece is edge:
            edges.append(len(text))
        else:
            text += piece
    for at in sorted(set(edges)):
        if 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum():
            left = re.findall(r"\S+$", text[:at])[0]
            right = re.findall(r"^\S+", text[at:])[0]
            found.append(f"{left}|{right}")
    return found
