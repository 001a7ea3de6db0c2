"""Shared helpers for the handout tests: build a course, read the HTML back, print it to PDF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import lxml.html
import pdfplumber
import pytest

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


def assert_safe_document(page) -> None:
    """No scripts, no event handlers, nothing fetched, only harmless link schemes."""
    assert not page.xpath("//script | //iframe | //object | //embed | //link | //svg | //base | //form")
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name.lower() in ("src", "srcset"):  # only an embedded logo
                assert element.tag == "img" and re.match(r"^data:image/(png|jpeg);base64,", value), value
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
