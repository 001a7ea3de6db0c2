"""Scenario cards: every module's case studies and their questions as cards for the groups."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.i18n import locale
from generator.targets import REGISTRY, load_target
from generator.targets.handouts import text
from tests.targets.handouts.conftest import (
    assert_safe_document, build_kind, course_dirs, documents, pdf_pages, plain, print_to_pdf, squash, text_of,
)

KIND = "scenario-cards"


@pytest.fixture(scope="module", params=course_dirs())
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("cards") / "out"
    course, manifest = build_kind(request.param, out, KIND)
    return course, manifest, out


def with_cases(view):
    return [lesson for lesson in view.lessons if lesson.vignettes]


def test_registered_like_the_other_handouts() -> None:
    assert REGISTRY[KIND] == "generator.targets.handouts.scenario_cards:ScenarioCards"
    target = load_target(KIND)
    assert target.per_audience and "A4" in target.description
    from tests.conftest import run_modgen

    assert "scenario-cards" in run_modgen("formats", check=True).stdout


def test_every_case_and_question_is_on_a_card(built) -> None:
    course, manifest, out = built
    assert {(e["lang"], e["audience"]) for e in manifest["artifacts"]} == {
        (lang, a.id) for lang in course.languages for a in course.audiences}
    for entry in manifest["artifacts"]:
        assert entry["path"].endswith("/scenario-cards.html")
    for lang, audience, view, page, _ in documents(course, manifest, out):
        assert page.get("lang") == locale(lang)
        sections = page.xpath("//section[@data-module]")
        assert [s.get("data-module") for s in sections] == [lesson.id for lesson in with_cases(view)]
        for lesson in with_cases(view):
            section = page.xpath(f"//section[@data-module='{lesson.id}']")[0]
            assert plain(lesson.title, lang) in text_of(section.xpath(".//h2")[0])
            cards = section.xpath(".//article[@data-vignette]")
            assert [c.get("data-vignette") for c in cards] == [v.id for v in lesson.vignettes]
            for n, (vignette, card) in enumerate(zip(lesson.vignettes, cards), start=1):
                shown = text_of(card)
                assert text("case_n", lang, n=n, total=len(lesson.vignettes)) in shown
                assert text_of(card.xpath(".//h3")[0]) == plain(vignette.title, lang)
                assert plain(vignette.text, lang) in shown
                items = card.xpath(".//ol[@class='card-questions']/li")
                assert [text_of(li) for li in items] == [plain(q, lang) for q in vignette.questions]
                assert text("discuss_in_group", lang) in shown
                if vignette.debrief:  # the debrief is the trainer's: never on the groups' cards
                    assert plain(vignette.debrief, lang) not in text_of(page)


def test_dutch_cards_speak_dutch(built) -> None:
    course, manifest, out = built
    for lang, _, view, page, _ in documents(course, manifest, out):
        if lang == "nl":
            assert "Casus 1 van" in text_of(page) and "Bespreek de vragen in je groep." in text_of(page)
            assert "Case 1 of" not in text_of(page)


def test_the_cards_are_self_contained_and_reproducible(built, tmp_path: Path) -> None:
    course, manifest, out = built
    for *_, page, _ in documents(course, manifest, out):
        assert_safe_document(page)
    again = tmp_path / "again"
    build_kind(course.root, again, KIND)
    for entry in manifest["artifacts"]:
        assert (out / entry["path"]).read_bytes() == (again / entry["path"]).read_bytes(), entry["path"]


def test_no_cases_no_cards(course_copy, tmp_path: Path) -> None:
    course_dir = course_copy("minimal")
    path = course_dir / "modules" / "01-preparation.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["vignettes"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, manifest = build_kind(course_dir, tmp_path / "out", KIND)
    assert manifest["artifacts"] == []


@pytest.mark.browser
def test_printed_cards_are_a4_two_to_a_page_and_never_split(course_copy, tmp_path: Path) -> None:
    """Three cases in one module and one in the next: two cards to a page, the modules flowing on
    (issue 27: a module's single card does not take a page of its own); no card is cut in two."""
    course_dir = course_copy("minimal")
    path = course_dir / "modules" / "01-preparation.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    first = data["vignettes"][0]
    for n in (2, 3):
        data["vignettes"].append({**first, "id": f"station-{n}",
                                  "title": {"nl": f"Het station {n}", "en": f"The station {n}"},
                                  "questions": first["questions"] + [{"nl": f"Laatste vraag {n}?",
                                                                      "en": f"Last question {n}?"}]})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    other = course_dir / "modules" / "02-activity.yaml"
    data = yaml.safe_load(other.read_text(encoding="utf-8"))
    data["vignettes"] = [{"id": "market", "title": {"nl": "De markt", "en": "The market"},
                          "text": {"nl": "Op de markt staan veel fietsen.", "en": "Many bicycles stand at the market."},
                          "questions": [{"nl": "Wie let op?", "en": "Who keeps watch?"}]}]
    other.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    course, manifest = build_kind(course_dir, out, KIND)
    entry = next(e for e in manifest["artifacts"] if e["lang"] == "en" and e["audience"] == "enforcement")
    assert entry["cards"] == 4 and entry["modules"] == 2
    pdf = print_to_pdf(out / entry["path"], tmp_path / "cards.pdf")
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        assert all(abs(p.width - 595) < 2 and abs(p.height - 842) < 2 for p in document.pages)  # A4
    pages = pdf_pages(pdf)
    assert len(pages) == 2, pages

    def page_of(words: str) -> int:
        found = [i for i, p in enumerate(pages) if squash(words) in p]
        assert len(found) == 1, (words, found)
        return found[0]

    # Each card whole on one page: its kicker, its title and its last question together.
    assert page_of("CASE 1 OF 3") == 0
    assert page_of("CASE 2 OF 3") == page_of("The station 2") == page_of("Last question 2?") == 0
    assert page_of("CASE 3 OF 3") == page_of("The station 3") == page_of("Last question 3?") == 1
    assert page_of("The market") == page_of("Who keeps watch?") == 1
    assert pages[0].startswith("Bicycle theft as a crime script") and "MODULE 2" in pages[1]
    # Each card says the task: the group size, the time where the case gives it, what to produce.
    assert squash("Task: groups of 4–6") in pages[0]
