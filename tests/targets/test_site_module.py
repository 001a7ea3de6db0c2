"""The self-study site as a module, in a real Chromium: one question per screen with a progress bar
and a results screen, the crime-script chain and inline knowledge checks on lesson pages, course
progress in every header and ticks wherever modules are listed (issue 20)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.targets.site_browser import browser, build, open_page, show_question, to_result  # noqa: F401 (fixture)
from tests.targets.test_site_browser import axe_violations, choose_by_mouse, focused, tab_to

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def minimal_site(tmp_path_factory) -> Path:
    return build(FIXTURES / "minimal", tmp_path_factory.mktemp("site") / "en-enforcement")


@pytest.fixture(scope="module")
def bundled_nl(tmp_path_factory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("bundled") / "nl-prevention", "nl", "prevention")


@pytest.fixture(scope="module")
def bundled_en(tmp_path_factory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("bundled") / "en-enforcement", "en", "enforcement")


@pytest.fixture(params=[1280, 375], ids=["desktop", "phone"])
def context(browser, request):  # noqa: F811 - pytest fixture
    ctx = browser.new_context(viewport={"width": request.param, "height": 900})
    yield ctx
    ctx.close()


def url_of(site: Path) -> str:
    return site.as_uri() + "/"


def questions_with_visible_inputs(page) -> list[str]:
    """The questions whose answer controls a learner can see right now."""
    return page.evaluate("""() => [...document.querySelectorAll('.quiz .question')].filter(box =>
        [...box.querySelectorAll('input, select, .icon-button')].some(c => c.getClientRects().length > 0))
        .map(box => box.dataset.question)""")


def answer_wrongly(page, qid: str) -> None:
    """Check question ``qid`` of the fixture's preparation quiz with a wrong answer."""
    box = page.locator(f'[data-question="{qid}"]')
    show_question(page, qid)
    wrong = {"prep-q1": "At home", "prep-q2": "A fine afterwards", "prep-q3": "True"}
    box.get_by_label(wrong[qid]).check()
    box.locator(".check").click()


def answer_right(page, qid: str) -> None:
    """Check question ``qid`` of the fixture's preparation quiz with the right answer."""
    box = page.locator(f'[data-question="{qid}"]')
    show_question(page, qid)
    if qid == "prep-q4":
        box.get_by_label("Police").select_option(label="Patrols")
        box.get_by_label("Municipality").select_option(label="Lighting")
    else:
        for label in {"prep-q1": ["Near stations"], "prep-q2": ["Lighting", "Guarded parking"],
                      "prep-q3": ["False"]}[qid]:
            box.get_by_label(label).check()
    box.locator(".check").click()


# --- the quiz --------------------------------------------------------------------------------------


def test_a_bundled_quiz_shows_one_question_at_a_time_and_its_progress(bundled_nl: Path, context) -> None:
    page, watch = open_page(context, url_of(bundled_nl), "quiz-pre-activity.html")
    data = page.evaluate("JSON.parse(document.getElementById('modgen-data').textContent).quiz")
    total = len(data["questions"])
    bar = page.locator("#quiz-bar")
    for n, q in enumerate(data["questions"], start=1):
        assert questions_with_visible_inputs(page) == [q["id"]], n
        assert page.locator("#quiz-position").inner_text() == f"Vraag {n} van {total}"
        assert page.locator("#quiz-progress").evaluate("p => [p.value, p.max]") == [n - 1, total]
        if n == 1:
            assert page.locator("#quiz-prev").is_hidden()
        else:
            assert page.locator("#quiz-prev").inner_text() == "Vorige vraag"
        box = page.locator(f'[data-question="{q["id"]}"]')
        if q["type"] in ("single", "true-false", "multiple"):
            box.locator("input").first.check()
        elif q["type"] == "matching":
            for select in box.locator("select").all():
                select.select_option(index=1)
        box.locator(".check").click()
        assert page.locator("#quiz-progress").evaluate("p => p.value") == n
        if page.viewport_size["width"] > 640:
            assert page.locator("#quiz-count").inner_text() == f"{n} van {total} vragen beantwoord"
        # the bar stays in view while the learner scrolls through a long question and its feedback
        page.mouse.wheel(0, 600)
        assert bar.evaluate("b => b.getBoundingClientRect().top") >= 0
        assert bar.evaluate("b => b.getBoundingClientRect().bottom <= window.innerHeight")
        if n < total:
            assert page.locator("#quiz-next").inner_text() == "Volgende vraag"
            page.locator("#quiz-next").click()
    assert page.locator("#quiz-next").is_hidden()
    page.locator("#quiz-to-result").click()
    assert questions_with_visible_inputs(page) == []
    assert page.locator("#quiz-result").is_visible()
    assert page.locator("#quiz-position").inner_text() == "Resultaat"
    watch.assert_clean()


def test_the_results_screen_states_the_score_once_and_leads_to_the_wrong_answers(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    for qid, right in (("prep-q1", False), ("prep-q2", True), ("prep-q3", False), ("prep-q4", True)):
        (answer_right if right else answer_wrongly)(page, qid)
    to_result(page)

    shown = page.locator("main").inner_text()
    assert len(re.findall(r"Your score: 2 of 4", shown)) == 1, shown  # stated once, not twice
    items = page.locator("#quiz-result-list li")
    assert items.count() == 4
    outcome = {li.get_attribute("data-result"): li.get_attribute("class") for li in items.all()}
    assert outcome == {"prep-q1": "result-item is-wrong", "prep-q2": "result-item is-correct",
                       "prep-q3": "result-item is-wrong", "prep-q4": "result-item is-correct"}
    # outcome in words as well as colour
    assert page.locator('[data-result="prep-q1"]').inner_text().startswith("\u2717 Not correct")
    assert page.locator('[data-result="prep-q2"]').inner_text().startswith("\u2713 Correct")

    # a link in the list opens that question with its feedback
    page.locator('[data-result="prep-q3"] a').click()
    assert questions_with_visible_inputs(page) == ["prep-q3"]
    assert "Not correct" in page.locator('[data-question="prep-q3"] .feedback').inner_text()
    page.locator("#quiz-to-result").click()
    assert page.locator("#quiz-result").is_visible()

    # "review the questions answered wrongly" steps through those only, and back to the result
    review = page.locator("#quiz-review-wrong")
    assert review.inner_text() == "Review the questions answered wrongly (2)"
    review.click()
    assert questions_with_visible_inputs(page) == ["prep-q1"]
    assert focused(page, "e.dataset.question") == "prep-q1"
    assert page.locator("#quiz-prev").is_hidden()
    assert page.locator("#quiz-next").inner_text() == "Next wrong answer"
    page.locator("#quiz-next").click()
    assert questions_with_visible_inputs(page) == ["prep-q3"]
    assert page.locator("#quiz-next").is_hidden()
    page.locator("#quiz-prev").click()
    assert questions_with_visible_inputs(page) == ["prep-q1"]
    page.locator("#quiz-to-result").click()
    assert focused(page, "e.id") == "quiz-result-title"
    watch.assert_clean()


def test_a_returning_learner_lands_on_the_first_unanswered_question(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    answer_wrongly(page, "prep-q1")
    page.locator("#quiz-next").click()  # q2 skipped
    answer_wrongly(page, "prep-q3")
    page.reload()
    assert questions_with_visible_inputs(page) == ["prep-q2"]
    assert page.locator("#quiz-position").inner_text() == "Question 2 of 4"
    assert page.locator("#quiz-progress").evaluate("p => p.value") == 2
    # on the last question, with one still open, "Next" leads back to it
    answer_right(page, "prep-q4")
    assert page.locator("#quiz-next").inner_text() == "To the first open question"
    page.locator("#quiz-next").click()
    assert questions_with_visible_inputs(page) == ["prep-q2"]
    watch.assert_clean()


def test_all_questions_on_one_page_by_choice_and_in_print(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    every = ["prep-q1", "prep-q2", "prep-q3", "prep-q4"]
    page.emulate_media(media="print")  # a printed quiz shows every question
    assert questions_with_visible_inputs(page) == every
    page.emulate_media(media="screen")
    assert questions_with_visible_inputs(page) == ["prep-q1"]
    view = page.locator("#quiz-view")
    assert view.inner_text() == "All questions on one page"
    view.click()
    assert questions_with_visible_inputs(page) == every
    assert page.locator("#quiz-next").is_hidden() and page.locator("#quiz-position").is_hidden()
    assert view.inner_text() == "One question per screen"
    page.reload()  # the choice is kept
    assert questions_with_visible_inputs(page) == every
    choose_by_mouse(page)  # answering works the same, and the result follows the questions
    assert page.locator("#quiz-result").is_visible()
    page.locator('[data-result="prep-q1"] a').click()  # on one page the links scroll
    assert page.evaluate("location.hash") == "#q-prep-q1"
    page.locator("#quiz-view").click()
    assert questions_with_visible_inputs(page) == []  # back to one per screen: the result shows
    assert page.locator("#quiz-result").is_visible()
    watch.assert_clean()


def test_quiz_views_have_zero_axe_violations(minimal_site: Path, bundled_en: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    assert axe_violations(page) == [], "first question"
    answer_wrongly(page, "prep-q1")
    assert axe_violations(page) == [], "question with feedback"
    for qid in ("prep-q2", "prep-q3", "prep-q4"):
        answer_right(page, qid)
    to_result(page)
    assert axe_violations(page) == [], "results screen"
    page.locator("#quiz-review-wrong").click()
    assert axe_violations(page) == [], "reviewing a wrong answer"
    page.locator("#quiz-to-result").click()
    page.locator("#quiz-view").click()
    assert axe_violations(page) == [], "all on one page"
    watch.assert_clean()
    for name in ("index.html", "summary.html", "lesson-pre-activity.html"):
        page, watch = open_page(context, url_of(bundled_en), name)
        assert axe_violations(page) == [], name
        watch.assert_clean()


def contrast_of(page, selector: str) -> float:
    """WCAG contrast of the text of ``selector`` against the first opaque background behind it."""
    return page.evaluate("""sel => {
        const el = document.querySelector(sel);
        const rgb = s => s.match(/[\\d.]+/g).map(Number);
        const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
        let node = el, bg = null;
        while (node && !bg) { const c = rgb(getComputedStyle(node).backgroundColor); if (c.length < 4 || c[3] > 0) bg = c; node = node.parentElement; }
        const style = getComputedStyle(el);
        let opacity = 1; for (let n = el; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
        const fg = rgb(style.color).slice(0, 3).map((v, i) => v * opacity + bg[i] * (1 - opacity));
        const [a, b] = [lum(fg), lum(bg.slice(0, 3))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
    }""", selector)


def test_an_answered_option_stays_readable_and_says_its_state_in_words(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    answer_wrongly(page, "prep-q1")  # chose c, which is wrong; a (right) is marked as missed
    for option in ("b", "a", "c"):
        ratio = contrast_of(page, f'[data-question="prep-q1"] [data-option="{option}"] .option-text')
        assert ratio >= 4.5, (option, ratio)
    assert page.locator('[data-question="prep-q1"] [data-option="c"] .mark').inner_text() == "(\u2717 Not correct)"
    assert page.locator('[data-question="prep-q1"] [data-option="a"] .mark').inner_text() == "(The correct answer)"
    watch.assert_clean()


def test_a_quiz_can_be_completed_by_keyboard_alone(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-activity.html")
    # Move a step up by keyboard: which one can move depends on the shown order (generator/shuffle.py).
    before = page.eval_on_selector_all(".order-item", "i => i.map(x => x.dataset.item)")
    tab_to(page, '[data-move="up"]:not([disabled])')
    page.keyboard.press("Enter")
    assert page.eval_on_selector_all(".order-item", "i => i.map(x => x.dataset.item)") != before
    tab_to(page, ".check")
    page.keyboard.press("Enter")
    tab_to(page, "#quiz-to-result")
    page.keyboard.press("Enter")
    assert focused(page, "e.id") == "quiz-result-title"
    assert page.locator("#quiz-result-text").is_visible()
    watch.assert_clean()


# --- lessons: the crime script and knowledge checks ------------------------------------------------------


def test_every_bundled_lesson_page_carries_the_crime_script_and_a_knowledge_check(bundled_nl: Path, context) -> None:
    from generator.loader.load import load_course

    course = load_course(ROOT).course
    phase_names = [p.name.get("nl") for p in course.phases]
    for lesson in course.lessons:
        page, watch = open_page(context, url_of(bundled_nl), f"lesson-{lesson.id}.html")
        chain = page.locator("nav.phase-chain li")
        assert [re.sub(r"\s+", " ", t).strip() for t in chain.locator(".phase-name").all_inner_texts()] == phase_names
        assert chain.locator("a").count() == len(phase_names)  # every phase a link to its module
        current = page.locator('nav.phase-chain [aria-current="step"]')
        if lesson.phase:
            assert current.count() == 1, lesson.id
            assert current.locator(".phase-name").inner_text() == course.phase(lesson.phase).name.get("nl")
            assert current.evaluate("a => getComputedStyle(a).backgroundColor") != \
                chain.locator("a").first.evaluate("a => getComputedStyle(a).backgroundColor") or \
                lesson.phase == course.phases[0].id
        else:
            assert current.count() == 0
        checks = page.locator("[data-check] .question")
        assert checks.count() >= 1, lesson.id
        assert checks.first.locator(".question-number").inner_text() == "Even checken (telt niet mee)"
        watch.assert_clean()
        page.close()


def test_an_inline_check_gives_feedback_is_kept_and_does_not_count(bundled_en: Path, context) -> None:
    root = url_of(bundled_en)
    page, watch = open_page(context, root, "lesson-pre-activity.html")
    check = page.locator("[data-check]").first
    qid = check.get_attribute("data-check")
    sections = page.locator(".lesson-section").count()
    # it sits between the sections, not after all of them
    position = page.evaluate("""qid => { const c = document.querySelector(`[data-check="${qid}"]`);
        return [...document.querySelectorAll('.lesson-section')].filter(s =>
            s.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING).length; }""", qid)
    assert 0 < position < sections
    check.locator("input").first.check()
    check.locator(".check").click()
    assert check.locator(".feedback-verdict").is_visible()
    assert axe_violations(page) == [], "lesson with an answered check"
    page.reload()
    assert page.locator(f'[data-check="{qid}"] .feedback-verdict').is_visible()  # kept
    quiz, _ = open_page(context, root, "quiz-pre-activity.html")
    assert quiz.locator("#quiz-progress").evaluate("p => p.value") == 0  # the quiz starts fresh
    summary, _ = open_page(context, root, "summary.html")
    assert summary.locator('[data-quiz-score="pre-activity"]').inner_text() == "Not taken yet"
    watch.assert_clean()


# --- course progress ----------------------------------------------------------------------------------


def test_course_progress_in_the_header_ticks_and_certificate_conditions(minimal_site: Path, context) -> None:
    root = url_of(minimal_site)
    summary, watch = open_page(context, root, "summary.html")
    conditions = summary.locator(".conditions li")
    assert conditions.count() == 2
    assert "view the module and pass its quiz (at least 50%)" in conditions.first.inner_text()
    assert summary.locator("#course-progress-text").inner_text() == "0 of 2 modules completed"
    assert summary.locator("#certificate-pending").is_visible()  # the conditions show from the start

    page, _ = open_page(context, root, "lesson-preparation.html")
    assert page.locator("#course-progress-text").inner_text() == "0 of 2 modules completed"
    page.goto(root + "quiz-preparation.html")
    choose_by_mouse(page)
    assert page.locator("#course-progress-text").inner_text() == "1 of 2 modules completed"  # live, on the quiz page
    assert page.locator("#course-progress-bar").evaluate("p => [p.value, p.max]") == [1, 2]

    start, _ = open_page(context, root, "index.html")
    done = start.locator('.module-card [data-module-done="preparation"]')
    assert "is-done" in done.get_attribute("class") and done.text_content() == "\u2713 (completed)"
    assert start.locator('.module-card [data-module-done="activity"]').text_content() == "\u25cb (not completed yet)"
    lesson, _ = open_page(context, root, "lesson-activity.html")
    nav = lesson.locator(".module-nav")
    assert "(1/2)" in nav.locator("summary").inner_text()
    assert nav.locator('[data-module-done="preparation"]').text_content().endswith("(completed)")
    assert nav.locator('[aria-current="page"]').text_content() == "The theft"
    summary.reload()
    assert summary.locator('.conditions [data-module-done="preparation"]').inner_text().endswith("(completed)")
    watch.assert_clean()


@pytest.mark.parametrize("name", ["index.html", "lesson-pre-activity.html", "quiz-pre-activity.html", "summary.html"])
def test_the_header_is_compact_on_a_phone(bundled_nl: Path, browser, name: str) -> None:  # noqa: F811
    ctx = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page, watch = open_page(ctx, url_of(bundled_nl), name)
        height = page.locator(".site-header").bounding_box()["height"]
        assert height <= 96, height
        assert page.locator("#course-progress").is_visible()
        watch.assert_clean()
    finally:
        ctx.close()
