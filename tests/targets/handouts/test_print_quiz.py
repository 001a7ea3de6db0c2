"""The quiz on paper: every question, numbered and lettered, nothing that gives the answer away."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.i18n import locale
from generator.targets.handouts import text
from tests.targets.handouts.conftest import (
    assert_safe_document, build_kind, course_dirs, documents, pdf_pages, plain, print_to_pdf,
    printed_letters, question_blocks, run_together, squash, text_of,
)

KIND = "print-quiz"


@pytest.fixture(scope="module", params=course_dirs())
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("quiz") / "out"
    course, manifest = build_kind(request.param, out, KIND)
    return course, manifest, out


def quizzed(view):
    return [(lesson, view.quiz_for(lesson)) for lesson in view.lessons if view.quiz_for(lesson)]


def test_every_question_is_numbered_and_lettered(built) -> None:
    course, manifest, out = built
    assert {(e["lang"], e["audience"]) for e in manifest["artifacts"]} == {
        (lang, a.id) for lang in course.languages for a in course.audiences}
    for lang, audience, view, page, _ in documents(course, manifest, out):
        assert page.get("lang") == locale(lang)
        sections = page.xpath("//section[@data-module]")
        assert [s.get("data-module") for s in sections] == [lesson.id for lesson, _ in quizzed(view)]
        for lesson, quiz in quizzed(view):
            section = page.xpath(f"//section[@data-module='{lesson.id}']")[0]
            assert text("name", lang) in text_of(section) and text("date", lang) in text_of(section)
            blocks = question_blocks(page, lesson.id)
            assert [b.get("data-question") for b in blocks] == [q.id for q in quiz.scored]
            for number, (question, block) in enumerate(zip(quiz.scored, blocks), start=1):
                assert text_of(block.xpath(".//span[@class='n']")[0]) == f"{number}."
                assert plain(question.stem, lang) in text_of(block)
                letters = printed_letters(block)
                if question.kind in ("single", "multiple"):
                    expected = {o.id: o.text for o in question.options}
                elif question.kind == "true-false":
                    expected = {o.id: o.text for o in question.choices()}
                elif question.kind == "matching":
                    expected = {p.id: p.response for p in question.pairs}
                    premises = block.xpath(".//td[@data-premise]")
                    assert [text_of(p) for p in premises] == [plain(p.premise, lang) for p in question.pairs]
                    assert len(block.xpath(".//span[@class='blank']")) == len(question.pairs)
                else:
                    expected = {i.id: i.text for i in question.items}
                    assert len(block.xpath(".//span[@class='blank']")) == len(question.items)
                assert set(letters) == set(expected)
                assert sorted(letters.values()) == [chr(ord("A") + i) for i in range(len(expected))]
                for choice_id, shown in letters.items():
                    line = block.xpath(f".//*[@data-choice='{choice_id}']")[0]
                    assert plain(expected[choice_id], lang) in text_of(line)
                tick = "tick" if question.kind in ("single", "multiple", "true-false") else "blank"
                assert block.xpath(f".//span[contains(@class, '{tick}')]")
                if question.kind == "multiple":
                    assert not block.xpath(".//span[contains(@class, 'circle')]")


def test_letters_are_the_same_in_every_language(built) -> None:
    course, manifest, out = built
    seen: dict[tuple, dict] = {}
    for lang, audience, view, page, _ in documents(course, manifest, out):
        for lesson, quiz in quizzed(view):
            for block in question_blocks(page, lesson.id):
                letters = printed_letters(block)
                key = (audience, block.get("data-question"))
                assert seen.setdefault(key, letters) == letters


def test_no_answer_is_given_away(built) -> None:
    course, manifest, out = built
    for lang, audience, view, page, _ in documents(course, manifest, out):
        shown = text_of(page.xpath("//body")[0])
        assert not page.xpath("//*[@data-correct or @data-answer or contains(@class, 'correct')"
                              " or contains(@class, 'feedback') or contains(@class, 'explanation')]")
        assert "✓" not in shown and "✗" not in shown
        for lesson, quiz in quizzed(view):
            for question in quiz.questions:
                assert plain(question.explanation, lang) not in shown
                feedback = [f for f in _feedback(question) if len(plain(f, lang)) >= 12]
                for item in feedback:
                    assert plain(item, lang) not in shown, question.id
                if question.kind in ("matching", "ordering"):
                    block = page.xpath(f"//div[@data-question='{question.id}']")[0]
                    order = [c.get("data-choice") for c in block.xpath(".//*[@data-choice]")]
                    written = [x.id for x in (question.pairs if question.kind == "matching" else question.items)]
                    assert order != written, question.id  # printed in key order would give it away


def _feedback(question) -> list:
    if question.kind == "true-false":
        return [question.feedback_true, question.feedback_false]
    if question.kind == "matching":
        return [p.feedback for p in question.pairs]
    if question.kind == "ordering":
        return [i.feedback for i in question.items]
    return [o.feedback for o in question.options]


def test_no_letter_runs_into_its_answer(built) -> None:
    """"A" and "Near stations" are two spans: read as text (a screen reader, a copy) they must not
    become "ANear stations"; nor the kicker's parts one word."""
    course, manifest, out = built
    for lang, audience, view, page, _ in documents(course, manifest, out):
        assert run_together(page.xpath("//body")[0]) == [], (lang, audience)


def test_the_quiz_is_self_contained_and_reproducible(built, tmp_path: Path) -> None:
    course, manifest, out = built
    for *_, page, _ in documents(course, manifest, out):
        assert_safe_document(page)
    again = tmp_path / "again"
    build_kind(course.root, again, KIND)
    for entry in manifest["artifacts"]:
        assert (out / entry["path"]).read_bytes() == (again / entry["path"]).read_bytes(), entry["path"]


@pytest.mark.browser
def test_printed_quiz_gives_every_module_its_own_pages(built, tmp_path: Path) -> None:
    course, manifest, out = built
    for lang, audience, view, page, path in documents(course, manifest, out):
        if lang != view.default_language:
            continue
        pages = pdf_pages(print_to_pdf(path, tmp_path / f"{lang}-{audience}.pdf"))
        heading = squash(f"{plain(view.title, lang)} · {text('print_quiz', lang)}")
        starts = []
        for lesson, quiz in quizzed(view):
            module = view.lessons.index(lesson) + 1
            kicker = text("module_n", lang, n=module).upper() + " ·"
            found = [i for i, p in enumerate(pages) if kicker in p]
            assert len(found) == 1, kicker
            assert pages[found[0]].startswith(heading)
            assert pages[found[0]].index(kicker) < len(heading) + 40, "the module does not start its page"
            starts.append(found[0])
            # a question never breaks across pages: its stem and its last answer share a page
            for question in quiz.scored:
                block = page.xpath(f"//div[@data-question='{question.id}']")[0]
                first = text_of(block.xpath(".//div[@class='stem']/div")[0])[:40]
                last_choice = block.xpath(".//*[@data-choice]")[-1]
                last = text_of((last_choice.xpath(".//span[@class='text']") or [last_choice])[0])[:30]
                holding = [p for p in pages[found[0]:] if first in p]
                assert holding and last in holding[0], (question.id, first, last)
        assert starts == sorted(starts) and starts[0] == 0
