"""The facilitator guide, the site's sources page and the decks' title slide notes show the course
version, the owner and the review dates, in Dutch and in English. Read from the built files."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html
from pptx import Presentation

from generator.build import BuildRequest, build

FIXTURES = Path(__file__).resolve().parent / "fixtures"
V1 = FIXTURES / "v1"

EXPECTED = {
    "en": {
        "course": [("Version", "0.1"), ("Owner", "Course team"), ("Last reviewed", "15 January 2026"),
                   ("Next review", "15 January 2027"), ("Status", "Approved"), ("Approved by", "Training board")],
        "preparation": [("Owner", "Prevention desk"), ("Last reviewed", "1 February 2026"),
                        ("Next review", "31 December 2026"), ("Status", "Approved"),
                        ("Approved by", "Training board")],
    },
    "nl": {
        "course": [("Versie", "0.1"), ("Eigenaar", "Course team"), ("Laatst herzien", "15 januari 2026"),
                   ("Volgende herziening", "15 januari 2027"), ("Status", "Goedgekeurd"),
                   ("Goedgekeurd door", "Training board")],
        "preparation": [("Eigenaar", "Prevention desk"), ("Laatst herzien", "1 februari 2026"),
                        ("Volgende herziening", "31 december 2026"), ("Status", "Goedgekeurd"),
                        ("Goedgekeurd door", "Training board")],
    },
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("governance") / "out"
    build(BuildRequest(V1, out, formats=["facilitator-guide", "site", "pptx"], audiences=["enforcement"]))
    return out


def without_version(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [row for row in rows if row[1] != "0.1"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_facilitator_guide_shows_version_owner_and_review_dates(out: Path, lang: str) -> None:
    page = lxml_html.parse(str(out / "facilitator-guide" / f"{lang}-enforcement" / "facilitator-guide.html"))
    title_rows = [(tr.findtext("th"), tr.findtext("td")) for tr in page.xpath("//section[@class='title-page']//tr")]
    version = EXPECTED[lang]["course"][0]
    assert version in title_rows
    assert [row for row in title_rows if row in EXPECTED[lang]["course"]] == EXPECTED[lang]["course"]

    def module_line(lesson: str) -> list[str]:
        spans = page.xpath(f"//section[@data-module='{lesson}']/p[contains(@class, 'review')]/span")
        return [span.text_content() for span in spans]

    assert module_line("preparation") == [f"{k}: {v}" for k, v in EXPECTED[lang]["preparation"]]
    # A lesson without a review of its own shows the course's, which governs it.
    assert module_line("activity") == [f"{k}: {v}" for k, v in without_version(EXPECTED[lang]["course"])]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_sites_sources_page_shows_version_owner_and_review_dates(out: Path, lang: str) -> None:
    page = lxml_html.parse(str(out / "site" / f"{lang}-enforcement" / "sources.html"))
    about = page.xpath("//section[@id='about']")[0]
    assert about.findtext("h2") == {"en": "About this course", "nl": "Over deze training"}[lang]
    terms = [dt.text_content() for dt in about.xpath(".//dt")]
    values = [dd.text_content() for dd in about.xpath(".//dd")]
    assert list(zip(terms, values)) == EXPECTED[lang]["course"]
    modules = about.xpath(".//li[@data-lesson]")
    assert [li.get("data-lesson") for li in modules] == ["preparation"]  # activity has no review of its own
    assert [s.text_content() for s in modules[0].xpath(".//span")] == [
        f"{k}: {v}" for k, v in EXPECTED[lang]["preparation"]]


def notes(path: Path) -> list[str]:
    return Presentation(str(path)).slides[0].notes_slide.notes_text_frame.text.splitlines()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_title_slide_notes_carry_version_owner_and_review_dates(out: Path, lang: str) -> None:
    decks = out / "pptx" / f"{lang}-enforcement"
    course_lines = [f"{k}: {v}" for k, v in EXPECTED[lang]["course"]]
    assert notes(decks / "course.pptx")[-len(course_lines):] == course_lines
    lesson_lines = [f"{k}: {v}" for k, v in [EXPECTED[lang]["course"][0], *EXPECTED[lang]["preparation"]]]
    assert notes(decks / "01-preparation.pptx")[-len(lesson_lines):] == lesson_lines
    assert notes(decks / "02-activity.pptx")[-len(course_lines):] == course_lines
