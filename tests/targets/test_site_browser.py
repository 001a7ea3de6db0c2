"""The self-study site in a real Chromium: quizzes by mouse and by keyboard, progress, privacy,
accessibility (axe-core), narrow screens and hostile course text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.targets.site_browser import StaticServer, browser, build, open_page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "start": "index.html",
    "notice": "notice-preparation.html",
    "lesson": "lesson-preparation.html",
    "quiz": "quiz-preparation.html",
    "summary": "summary.html",
    "sources": "sources.html",
    "support": "support.html",
}


@pytest.fixture(scope="module")
def minimal_site(tmp_path_factory) -> Path:
    return build(FIXTURES / "minimal", tmp_path_factory.mktemp("site") / "en-enforcement")


@pytest.fixture(scope="module")
def minimal_site_nl(tmp_path_factory) -> Path:
    return build(FIXTURES / "minimal", tmp_path_factory.mktemp("site") / "nl-prevention", "nl", "prevention")


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("bundled") / "en-enforcement")


@pytest.fixture
def context(browser):  # noqa: F811 - pytest fixture
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def url_of(site: Path) -> str:
    return site.as_uri() + "/"


def question(page, qid: str):
    return page.locator(f'[data-question="{qid}"]')


def choose_by_mouse(page) -> None:
    """Answer the fixture's preparation quiz correctly, by clicking."""
    question(page, "prep-q1").get_by_label("Near stations").check()
    question(page, "prep-q1").get_by_role("button", name="Check answer").click()
    question(page, "prep-q2").get_by_label("Lighting").check()
    question(page, "prep-q2").get_by_label("Guarded parking").check()
    question(page, "prep-q2").get_by_role("button", name="Check answer").click()
    question(page, "prep-q3").get_by_label("False").check()
    question(page, "prep-q3").get_by_role("button", name="Check answer").click()
    question(page, "prep-q4").get_by_label("Police").select_option(label="Patrols")
    question(page, "prep-q4").get_by_label("Municipality").select_option(label="Lighting")
    question(page, "prep-q4").get_by_role("button", name="Check answer").click()


def test_quiz_by_mouse_feedback_score_and_pass(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    q1 = question(page, "prep-q1")
    q1.get_by_label("Near schools").check()
    q1.get_by_role("button", name="Check answer").click()
    feedback = q1.locator(".feedback")
    assert feedback.get_attribute("aria-live") == "polite"
    assert "Not correct" in feedback.inner_text()
    assert "No, schools are less common." in feedback.inner_text()  # the chosen option's own feedback
    assert "The correct answer: Near stations" in feedback.inner_text()
    assert "Stations have many bicycles and little oversight." in feedback.inner_text()  # the explanation
    assert q1.locator('[data-option="b"]').get_attribute("class") == "option is-wrong"
    assert q1.locator("input").first.is_disabled()

    q2 = question(page, "prep-q2")
    q2.get_by_label("Lighting").check()
    q2.get_by_role("button", name="Check answer").click()
    text = q2.locator(".feedback").inner_text()
    assert "Not correct" in text and "Also correct, not chosen: Guarded parking" in text

    q3 = question(page, "prep-q3")
    q3.get_by_label("False").check()
    q3.get_by_role("button", name="Check answer").click()
    assert "Right, the municipality can act too." in q3.locator(".feedback").inner_text()
    assert q3.locator(".feedback-verdict").inner_text() == "Correct"
    assert page.locator("#quiz-result").is_hidden()

    q4 = question(page, "prep-q4")
    q4.get_by_label("Police").select_option(label="Patrols")
    q4.get_by_label("Municipality").select_option(label="Lighting")
    q4.get_by_role("button", name="Check answer").click()
    assert "Matched correctly" in q4.locator(".feedback").inner_text()

    result = page.locator("#quiz-result-text").inner_text()
    assert result.startswith("Your score: 2 of 4 (50%). Pass mark: 50%. Passed."), result
    assert page.locator("#quiz-status").get_attribute("role") == "status"
    watch.assert_clean()


def test_quiz_failed_below_pass_mark(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    for qid, label in (("prep-q1", "At home"), ("prep-q2", "A fine afterwards"), ("prep-q3", "True")):
        question(page, qid).get_by_label(label).check()
        question(page, qid).get_by_role("button", name="Check answer").click()
    q4 = question(page, "prep-q4")
    q4.get_by_label("Police").select_option(label="Lighting")
    q4.get_by_label("Municipality").select_option(label="Patrols")
    q4.get_by_role("button", name="Check answer").click()
    assert "Belongs with: Patrols" in q4.locator(".feedback").inner_text()
    result = page.locator("#quiz-result-text").inner_text()
    assert result.startswith("Your score: 0 of 4 (0%). Pass mark: 50%. Not passed yet."), result
    assert "is-failed" in page.locator("#quiz-result").get_attribute("class")
    watch.assert_clean()


def test_check_without_answer_asks_for_one(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    question(page, "prep-q1").get_by_role("button", name="Check answer").click()
    assert question(page, "prep-q1").locator(".feedback").inner_text() == "Choose an answer first."
    assert question(page, "prep-q1").locator("input").first.is_enabled()
    watch.assert_clean()


def test_quiz_all_correct_by_mouse_then_progress_kept_after_reload(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    question(page, "prep-q1").get_by_label("Near stations").check()
    question(page, "prep-q1").get_by_role("button", name="Check answer").click()
    question(page, "prep-q2").get_by_label("Lighting").check()  # answered, not yet checked
    page.reload()
    assert "Near stations" in question(page, "prep-q1").locator(".feedback").inner_text()
    assert question(page, "prep-q1").get_by_label("Near stations").is_checked()
    assert question(page, "prep-q2").get_by_label("Lighting").is_checked()
    assert question(page, "prep-q2").locator(".feedback").inner_text() == ""
    assert page.locator("#quiz-status").inner_text() == "1 of 4 questions answered"
    question(page, "prep-q2").get_by_label("Guarded parking").check()
    question(page, "prep-q2").get_by_role("button", name="Check answer").click()
    for qid, label in (("prep-q3", "False"),):
        question(page, qid).get_by_label(label).check()
        question(page, qid).get_by_role("button", name="Check answer").click()
    question(page, "prep-q4").get_by_label("Police").select_option(label="Patrols")
    question(page, "prep-q4").get_by_label("Municipality").select_option(label="Lighting")
    question(page, "prep-q4").get_by_role("button", name="Check answer").click()
    assert page.locator("#quiz-result-text").inner_text().startswith("Your score: 4 of 4 (100%)")
    page.reload()
    assert page.locator("#quiz-result-text").inner_text().startswith("Your score: 4 of 4 (100%)")

    start = context.new_page()
    start.goto(url_of(minimal_site) + "index.html")
    assert start.locator('[data-lesson-status="preparation"]').inner_text() == "Quiz passed (100%)"
    watch.assert_clean()
