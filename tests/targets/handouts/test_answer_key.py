"""The answer key: the print quiz's numbers and letters, the bank's answers, feedback, pass marks."""

from __future__ import annotations

import math
from pathlib import Path

import lxml.html
import pytest

from generator.i18n import locale
from generator.targets.handouts import text
from tests.targets.handouts.conftest import (
    assert_safe_document, build_kind, course_dirs, documents, pdf_pages, plain, print_to_pdf,
    printed_letters, question_blocks, text_of,
)

KIND = "answer-key"


@pytest.fixture(scope="module", params=course_dirs())
def built(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("key")
    course, manifest = build_kind(request.param, root / "key", KIND)
    _, quiz_manifest = build_kind(request.param, root / "quiz", "print-quiz")
    return course, manifest, root / "key", quiz_manifest, root / "quiz"


def quizzed(view):
    return [(lesson, view.quiz_for(lesson)) for lesson in view.lessons if view.quiz_for(lesson)]


def printed_quiz(quiz_manifest: dict, out: Path, lang: str, audience: str):
    entry = next(e for e in quiz_manifest["artifacts"] if (e["lang"], e["audience"]) == (lang, audience))
    return lxml.html.fromstring((out / entry["path"]).read_bytes())


def test_key_matches_the_printed_quiz_and_the_bank(built) -> None:
    course, manifest, out, quiz_manifest, quiz_out = built
    assert {(e["lang"], e["audience"]) for e in manifest["artifacts"]} == {
        (lang, a.id) for lang in course.languages for a in course.audiences}
    checked = set()
    for lang, audience, view, page, _ in documents(course, manifest, out):
        assert page.get("lang") == locale(lang)
        paper = printed_quiz(quiz_manifest, quiz_out, lang, audience)
        for lesson, quiz in quizzed(view):
            keys = question_blocks(page, lesson.id)
            printed = question_blocks(paper, lesson.id)
            assert [k.get("data-question") for k in keys] == [q.id for q in quiz.scored]
            for number, (question, key, sheet) in enumerate(zip(quiz.scored, keys, printed), start=1):
                assert text_of(key.xpath(".//span[@class='n']")[0]) == f"{number}."
                assert text_of(sheet.xpath(".//span[@class='n']")[0]) == f"{number}."
                letters = printed_letters(sheet)  # choice id → letter, as the learner sees it
                answer = key.xpath(".//span[@class='letters']")[0].get("data-answer").split()
                rows = key.xpath(".//table[contains(@class, 'key-table')]/tbody/tr")
                shown = text_of(key)
                if question.kind in ("single", "multiple", "true-false"):
                    options = question.choices() if question.kind == "true-false" else question.options
                    right = sorted(letters[o.id] for o in options if o.correct)
                    assert answer == right, question.id
                    assert [r.get("data-letter") for r in rows] == sorted(letters.values())
                    for option in options:
                        row = next(r for r in rows if r.get("data-letter") == letters[option.id])
                        assert row.get("data-correct") == ("true" if option.correct else "false")
                        assert plain(option.text, lang) in text_of(row)
                        assert plain(option.feedback, lang) in text_of(row)
                elif question.kind == "matching":
                    assert answer == [letters[p.id] for p in question.pairs], question.id
                    for number_, pair in enumerate(question.pairs, start=1):
                        row = next(r for r in rows if r.get("data-premise") == str(number_))
                        assert row.get("data-letter") == letters[pair.id]
                        assert plain(pair.response, lang) in text_of(row)
                        assert plain(pair.feedback, lang) in text_of(row)
                else:
                    assert answer == [letters[i.id] for i in question.items], question.id
                    for position, item in enumerate(question.items, start=1):
                        row = next(r for r in rows if r.get("data-letter") == letters[item.id])
                        assert row.get("data-position") == str(position)
                        assert plain(item.feedback, lang) in text_of(row)
                assert plain(question.explanation, lang) in shown
                checked.add(question.kind)
            section = page.xpath(f"//section[@data-module='{lesson.id}']")[0]
            mark = view.quiz_pass_mark(quiz)
            required = math.ceil(mark * len(quiz.scored) / 100)
            assert text("pass_mark_detail", lang, percent=mark, required=required,
                        total=len(quiz.scored)) in text_of(section.xpath(".//div[contains(@class, 'pass')]")[0])
    if course.id == "bike-theft":
        assert checked == {"single", "multiple", "true-false", "matching", "ordering"}


def test_the_key_is_self_contained_and_reproducible(built, tmp_path: Path) -> None:
    course, manifest, out, *_ = built
    for *_, page, _ in documents(course, manifest, out):
        assert_safe_document(page)
        assert text("for_trainers", page.get("lang")[:2]) in text_of(page)
    again = tmp_path / "again"
    build_kind(course.root, again, KIND)
    for entry in manifest["artifacts"]:
        assert (out / entry["path"]).read_bytes() == (again / entry["path"]).read_bytes(), entry["path"]


@pytest.mark.browser
def test_printed_key_starts_every_module_on_a_new_page(built, tmp_path: Path) -> None:
    course, manifest, out, *_ = built
    for lang, audience, view, page, path in documents(course, manifest, out):
        if lang != view.default_language:
            continue
        pages = pdf_pages(print_to_pdf(path, tmp_path / f"{lang}-{audience}.pdf"))
        assert pages[0].startswith(text("answer_key", lang).upper())
        starts = []
        for lesson, quiz in quizzed(view):
            kicker = text("module_n", lang, n=view.lessons.index(lesson) + 1).upper() + " ·"
            found = [i for i, p in enumerate(pages) if p.startswith(kicker)]
            assert len(found) == 1 and not any(kicker in p for p in pages[:found[0]]), kicker
            starts.append(found[0])
        assert starts == sorted(starts) and starts[0] == 1
        assert pages[-1].endswith(f"{len(pages)} / {len(pages)}")
