"""The self-study site in a real Chromium: quizzes by mouse and by keyboard, progress, privacy,
accessibility (axe-core), narrow screens and hostile course text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.targets.site_browser import (  # noqa: F401 (fixture)
    StaticServer, browser, build, open_page, show_question, to_result,
)

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
    """Question ``qid``, brought into view (one question shows at a time)."""
    show_question(page, qid)
    return page.locator(f'[data-question="{qid}"]')


def stored(page, qid: str):
    """Question ``qid`` wherever it is, shown or not (to read what it kept)."""
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
    assert q3.locator(".feedback-verdict").inner_text() == "\u2713 Correct"
    assert page.locator("#quiz-result").is_hidden()

    q4 = question(page, "prep-q4")
    q4.get_by_label("Police").select_option(label="Patrols")
    q4.get_by_label("Municipality").select_option(label="Lighting")
    q4.get_by_role("button", name="Check answer").click()
    assert "Matched correctly" in q4.locator(".feedback").inner_text()

    to_result(page)
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
    to_result(page)
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
    # back on the first question not yet checked, with the one before kept
    assert page.locator('[data-question="prep-q2"]').is_visible()
    assert page.locator('[data-question="prep-q1"]').is_hidden()
    assert "Near stations" in stored(page, "prep-q1").locator(".feedback").text_content()
    assert stored(page, "prep-q1").get_by_label("Near stations").is_checked()
    assert question(page, "prep-q2").get_by_label("Lighting").is_checked()
    assert question(page, "prep-q2").locator(".feedback").inner_text() == ""
    assert page.locator("#quiz-count").inner_text() == "1 of 4 questions answered"
    question(page, "prep-q2").get_by_label("Guarded parking").check()
    question(page, "prep-q2").get_by_role("button", name="Check answer").click()
    for qid, label in (("prep-q3", "False"),):
        question(page, qid).get_by_label(label).check()
        question(page, qid).get_by_role("button", name="Check answer").click()
    question(page, "prep-q4").get_by_label("Police").select_option(label="Patrols")
    question(page, "prep-q4").get_by_label("Municipality").select_option(label="Lighting")
    question(page, "prep-q4").get_by_role("button", name="Check answer").click()
    to_result(page)
    assert page.locator("#quiz-result-text").inner_text().startswith("Your score: 4 of 4 (100%)")
    page.reload()  # a finished quiz opens on its results
    assert page.locator("#quiz-result").is_visible()
    assert page.locator("#quiz-result-text").inner_text().startswith("Your score: 4 of 4 (100%)")

    start = context.new_page()
    start.goto(url_of(minimal_site) + "index.html")
    assert start.locator('[data-lesson-status="preparation"]').inner_text() == "Quiz passed (100%)"
    assert start.locator("#start-course").inner_text() == "Start the course"  # no module viewed yet
    start.goto(url_of(minimal_site) + "lesson-preparation.html")
    start.goto(url_of(minimal_site) + "index.html")
    assert start.locator("#start-course").inner_text() == "Continue where you left off"
    assert start.locator("#start-course").get_attribute("href") == "lesson-activity.html"
    watch.assert_clean()


# --- keyboard only ----------------------------------------------------------------------------------


def tab_to(page, selector: str, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab until the focused element matches ``selector`` (what a keyboard user does)."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {selector}")


def focused(page, script: str):
    return page.evaluate(f"(() => {{ const e = document.activeElement; return {script}; }})()")


def next_by_keyboard(page, qid: str) -> None:
    """Tab to "Next question", press Enter: the next question shows and takes the focus."""
    tab_to(page, "#quiz-next")
    page.keyboard.press("Enter")
    assert focused(page, "e.dataset.question") == qid
    assert page.locator(f'[data-question="{qid}"]').is_visible()


def test_quiz_by_keyboard_only(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    # Single choice: Tab into the group, Space selects, arrow keys move the choice.
    tab_to(page, '[data-question="prep-q1"] input')
    page.keyboard.press("Space")
    for _ in range(3):
        if page.evaluate("document.querySelector('[data-question=prep-q1] input:checked').value") == "a":
            break
        page.keyboard.press("ArrowDown")
    assert question(page, "prep-q1").get_by_label("Near stations").is_checked()
    tab_to(page, '[data-question="prep-q1"] .check')
    page.keyboard.press("Enter")
    assert stored(page, "prep-q1").locator(".feedback-verdict").inner_text() == "\u2713 Correct"
    assert focused(page, "e.classList.contains('check') && e.getAttribute('aria-disabled')") == "true"
    next_by_keyboard(page, "prep-q2")

    # Multiple response: Tab through the boxes, Space ticks the right ones.
    for _ in range(3):
        page.keyboard.press("Tab")
        if focused(page, "e.value") in ("a", "b"):
            page.keyboard.press("Space")
    tab_to(page, '[data-question="prep-q2"] .check')
    page.keyboard.press("Space")
    assert stored(page, "prep-q2").locator(".feedback-verdict").inner_text() == "\u2713 Correct"
    next_by_keyboard(page, "prep-q3")

    # True/false with the arrow keys.
    tab_to(page, '[data-question="prep-q3"] input')
    page.keyboard.press("ArrowDown")
    assert stored(page, "prep-q3").get_by_label("False").is_checked()
    tab_to(page, '[data-question="prep-q3"] .check')
    page.keyboard.press("Enter")
    next_by_keyboard(page, "prep-q4")

    # Matching: arrow keys change a focused select.
    for premise, response in (("police", "police"), ("municipality", "municipality")):
        tab_to(page, f'[data-premise="{premise}"]')
        for _ in range(4):
            if focused(page, "e.value") == response:
                break
            page.keyboard.press("ArrowDown")
        assert focused(page, "e.value") == response
    tab_to(page, '[data-question="prep-q4"] .check')
    page.keyboard.press("Enter")
    assert stored(page, "prep-q4").locator(".feedback-verdict").inner_text() == "\u2713 Correct"
    assert "Passed." in page.locator("#quiz-status").inner_text()  # announced in the status region
    tab_to(page, "#quiz-to-result")
    page.keyboard.press("Enter")
    assert focused(page, "e.id") == "quiz-result-title"  # the results screen takes the focus
    assert page.locator("#quiz-result-text").inner_text().startswith("Your score: 4 of 4 (100%). Pass mark: 50%. Passed.")
    assert page.locator("#quiz-status").inner_text() == ""  # and says the score once, there
    watch.assert_clean()


def test_ordering_by_keyboard_only(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-activity.html")
    correct = ["choose", "open", "leave"]
    order = lambda: page.eval_on_selector_all(".order-item", "items => items.map(i => i.dataset.item)")  # noqa: E731
    assert order() != correct
    for target, item in enumerate(correct):
        while order().index(item) > target:
            if not focused(page, f"e.closest('[data-item=\"{item}\"]') && e.dataset.move === 'up'"):
                tab_to(page, f'[data-item="{item}"] [data-move="up"]:not([disabled])')
            page.keyboard.press("Enter")
            # focus stays with the moved item, and the move is announced
            assert focused(page, "e.closest('.order-item').dataset.item") == item
    assert order() == correct
    announcer = page.locator("[data-announcer]")
    assert re.match(r".+ is now in position \d of 3\.", announcer.inner_text())
    tab_to(page, ".check")
    page.keyboard.press("Enter")
    assert page.locator(".feedback-verdict").inner_text() == "\u2713 Correct"
    assert "This comes first." in page.locator(".feedback").inner_text()
    assert page.locator("#quiz-result-text").inner_text().startswith("Your score: 1 of 1 (100%)")
    watch.assert_clean()


# --- attempts, reset, summary ---------------------------------------------------------------------------


def option_order(page, qid: str) -> list[str]:
    return page.eval_on_selector_all(f'[data-question="{qid}"] [data-option]', "els => els.map(e => e.dataset.option)")


def test_try_again_reshuffles_and_clears(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    assert page.locator("#quiz-try-again").is_hidden()
    for _ in range(3):
        choose_by_mouse(page)
        assert page.locator("#quiz-try-again").is_visible()
        before = {qid: option_order(page, qid) for qid in ("prep-q1", "prep-q2")}
        page.locator("#quiz-try-again").click()
        after = {qid: option_order(page, qid) for qid in ("prep-q1", "prep-q2")}
        for qid in before:
            assert sorted(after[qid]) == sorted(before[qid])
            assert after[qid] != before[qid], (qid, before[qid], after[qid])
        assert page.locator("#quiz-result").is_hidden()
        assert page.locator(".feedback-verdict").count() == 0
        assert page.locator("input:checked").count() == 0
        assert page.locator("#quiz-status").inner_text() == "The quiz has been reset. The answers are in a new order."
        assert page.locator('[data-question="prep-q1"]').is_visible()  # a new attempt starts at the first question
    page.reload()  # the new order is kept across a reload
    assert option_order(page, "prep-q1") == after["prep-q1"]
    watch.assert_clean()


def test_reset_quiz_and_reset_all(minimal_site: Path, context) -> None:
    page, watch = open_page(context, url_of(minimal_site), "quiz-preparation.html")
    choose_by_mouse(page)
    # The quiz is passed: clearing it (its tick, the certificate) is asked first; "Cancel" keeps it.
    page.locator("#quiz-reset").click()
    assert page.locator("#quiz-reset-confirm").is_visible()
    assert page.locator(".feedback-verdict").count() > 0
    page.get_by_role("button", name="Cancel").click()
    assert page.locator("#quiz-reset-confirm").is_hidden() and page.locator(".feedback-verdict").count() > 0
    page.locator("#quiz-reset").click()
    page.get_by_role("button", name="Yes, clear the quiz").click()
    assert page.locator(".feedback-verdict").count() == 0
    page.reload()
    assert page.locator(".feedback-verdict").count() == 0 and page.locator("#quiz-result").is_hidden()
    choose_by_mouse(page)

    summary, watch2 = open_page(context, url_of(minimal_site), "summary.html")
    assert summary.locator('[data-quiz-score="preparation"]').inner_text().startswith("Quiz passed (100%)")
    summary.get_by_role("button", name="Reset all progress").click()
    summary.get_by_role("button", name="Cancel").click()
    assert summary.locator('[data-quiz-score="preparation"]').inner_text().startswith("Quiz passed")
    summary.get_by_role("button", name="Reset all progress").click()
    summary.get_by_role("button", name="Yes, reset everything").click()
    assert summary.locator("#reset-status").inner_text() == "Your progress has been reset."
    assert summary.locator('[data-quiz-score="preparation"]').inner_text() == "Not taken yet"
    summary.reload()
    assert summary.locator('[data-quiz-score="preparation"]').inner_text() == "Not taken yet"
    page.reload()
    assert page.locator(".feedback-verdict").count() == 0
    watch.assert_clean()
    watch2.assert_clean()


def solve_ordering(page, correct: list[str]) -> None:
    """Put an ordering question's items in ``correct`` order with the "move up" buttons (by mouse)."""
    order = lambda: page.eval_on_selector_all(".order-item", "items => items.map(i => i.dataset.item)")  # noqa: E731
    for target, item in enumerate(correct):
        while order().index(item) > target:
            page.locator(f'[data-item="{item}"] [data-move="up"]').click()
    assert order() == correct


def test_certificate_after_every_lesson_and_quiz(minimal_site: Path, context) -> None:
    root = url_of(minimal_site)
    summary, watch = open_page(context, root, "summary.html")
    assert summary.locator("#certificate").is_hidden()
    page = context.new_page()
    for name in ("lesson-preparation.html", "lesson-activity.html", "quiz-preparation.html"):
        page.goto(root + name)
    choose_by_mouse(page)
    page.goto(root + "quiz-activity.html")
    solve_ordering(page, ["choose", "open", "leave"])
    page.locator(".check").click()
    summary.reload()
    assert summary.locator("#certificate").is_visible()
    assert summary.locator("#certificate-score").inner_text() == "Total score: 5 of 5 (100%)"
    summary.get_by_label("Your name for the certificate").fill("A. Learner")
    assert summary.locator("#certificate-name").inner_text() == "A. Learner"
    summary.reload()
    assert summary.locator("#certificate-name").inner_text() == "A. Learner"
    assert summary.locator('[data-viewed="activity"]').inner_text() == "Yes"
    assert axe_violations(summary) == []  # the certificate state is a page type of its own
    summary.get_by_role("button", name="Reset all progress").click()
    assert axe_violations(summary) == []  # ... and so is the open confirmation
    watch.assert_clean()


# --- accessibility, privacy, small screens ------------------------------------------------------------


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # preload: axe would fetch the stylesheets itself, which file:// forbids (its console errors, not ours)
    results = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


def answer_everything(page) -> None:
    """Check every question on a quiz page with whatever is selected first, so all feedback shows,
    going from question to question as a learner does; end on the results screen."""
    for box in page.locator(".question").all():
        show_question(page, box.get_attribute("data-question"))
        kind = box.get_attribute("data-type")
        if kind in ("single", "true-false", "multiple"):
            box.locator("input").first.check()
        elif kind == "matching":
            for select in box.locator("select").all():
                select.select_option(index=1)
        box.locator(".check").click()
    to_result(page)


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_zero_violations_fixture(minimal_site: Path, minimal_site_nl: Path, context, kind: str) -> None:
    for site in (minimal_site, minimal_site_nl):
        page, watch = open_page(context, url_of(site), PAGE_TYPES[kind])
        assert axe_violations(page) == [], (site.name, kind)
        if kind == "quiz":
            answer_everything(page)
            assert page.locator("#quiz-result").is_visible()
            assert axe_violations(page) == [], (site.name, "quiz with feedback")
        watch.assert_clean()


def bundled_pages(site: Path) -> dict[str, str]:
    pages = {"start": "index.html", "summary": "summary.html", "sources": "sources.html", "support": "support.html"}
    for prefix in ("notice", "lesson", "quiz"):
        found = sorted(site.glob(f"{prefix}-*.html"))
        if found:
            pages[prefix] = found[0].name
    return pages


def test_axe_zero_violations_bundled_course(bundled_site: Path, context) -> None:
    pages = {name: file for name, file in bundled_pages(bundled_site).items()}
    pages.update({p.stem: p.name for p in bundled_site.glob("lesson-*.html")})
    for kind, name in pages.items():
        page, watch = open_page(context, url_of(bundled_site), name)
        assert axe_violations(page) == [], name
        if kind == "quiz":
            answer_everything(page)
            assert axe_violations(page) == [], name + " with feedback"
        watch.assert_clean()
        page.close()


def test_actor_icons_show_in_the_matrix_in_the_colour_of_their_text(bundled_site: Path, context) -> None:
    """At 1280 px each row header of the home page's matrix shows its actor's icon, about 1.25 times
    the text's size, before the name and drawn in the text's colour — also in forced colours
    (Windows high contrast), where the browser picks the colours."""
    page, watch = open_page(context, url_of(bundled_site), "index.html")
    headers = page.locator("table.matrix tbody th[scope=row]")
    assert headers.count() >= 2
    for forced in ("none", "active"):
        page.emulate_media(forced_colors=forced)
        for i in range(headers.count()):
            header = headers.nth(i)
            icon = header.locator("svg.icon")
            assert icon.count() == 1 and icon.is_visible()
            box, name = icon.bounding_box(), header.locator(".actor-name").bounding_box()
            font = float(header.evaluate("e => getComputedStyle(e).fontSize")[:-2])
            assert box is not None and 1.15 * font <= box["width"] == box["height"] <= 1.35 * font, (box, font)
            assert box["x"] == name["x"] and box["width"] < name["width"]  # first, the name after it
            colour = header.evaluate("e => getComputedStyle(e).color")
            assert icon.evaluate("e => getComputedStyle(e).stroke") == colour, forced
    page.emulate_media(forced_colors="none")
    assert axe_violations(page) == []
    watch.assert_clean()


def every_page(site: Path) -> list[str]:
    return sorted(p.name for p in site.glob("*.html"))


@pytest.mark.parametrize("served", ["file", "http"])
def test_no_request_leaves_the_site_folder(minimal_site: Path, bundled_site: Path, browser, served: str) -> None:  # noqa: F811
    for site in (minimal_site, bundled_site):
        context = browser.new_context()
        if served == "file":
            root, server = url_of(site), None
        else:  # the site in a subfolder of the server, as on an intranet: /favicon.ico would be outside
            server = StaticServer(site.parent).__enter__()
            root = server.url + site.name + "/"
        try:
            for name in every_page(site):
                page, watch = open_page(context, root, name)  # the watch sees every request of the page
                if name.startswith("quiz-"):
                    answer_everything(page)
                    page.locator("#quiz-try-again").click()
                watch.assert_clean()
                page.close()
            if server is not None:
                assert f"/{site.name}/assets/site.js" in server.paths
                outside = [p for p in server.paths if not p.startswith(f"/{site.name}/")]
                assert outside == [], outside
        finally:
            context.close()
            if server is not None:
                server.__exit__(None, None, None)


@pytest.mark.parametrize("width", [375, 320])
def test_no_horizontal_scrolling_on_a_phone(minimal_site: Path, bundled_site: Path, browser, width: int) -> None:  # noqa: F811
    """375 px is a phone; 320 px is a 1280-px screen at 400% zoom (WCAG 1.4.10 reflow)."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        for site in (minimal_site, bundled_site):
            for name in every_page(site):
                page, watch = open_page(context, url_of(site), name)
                if name.startswith("quiz-"):
                    answer_everything(page)
                sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
                assert sizes[0] <= sizes[1], (site.name, name, sizes)
                watch.assert_clean()
                page.close()
    finally:
        context.close()


# --- hostile course text --------------------------------------------------------------------------------

PAYLOAD = ('</script><script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=1;alert(1)">'
           '<svg onload=alert(1)>{{ 7*7 }}')


def poisoned_course(course_copy) -> Path:
    """The minimal course with script payloads in every kind of text the site shows."""
    import yaml

    root = course_copy("minimal")

    def poison(path: Path, edit) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def course(d: dict) -> None:
        d["title"]["en"] = "Course " + PAYLOAD
        d["phases"][0]["name"]["en"] = "Phase " + PAYLOAD
        d["sources"][0]["citation"]["en"] = PAYLOAD
        d["sources"][0]["url"] = "javascript:alert(1)"
        d["support"][0]["name"]["en"] = PAYLOAD
        d["support"][0]["url"] = "javascript:alert(1)"
        d["content_notice"] = {"nl": "x", "en": PAYLOAD + "\n\n[link](javascript:alert(1))"}

    def lesson(d: dict) -> None:
        d["title"]["en"] = "Lesson " + PAYLOAD
        d["sections"][0]["body"]["en"] = PAYLOAD + "\n\n[click](javascript:alert(1))"
        d["tables"][0]["rows"][0][0]["en"] = PAYLOAD
        d["interventions"][0]["text"]["en"] = PAYLOAD
        d["vignettes"][0]["text"]["en"] = PAYLOAD

    def quiz(d: dict) -> None:
        q = d["questions"][0]
        q["stem"]["en"] = PAYLOAD
        q["explanation"]["en"] = PAYLOAD
        for option in q["options"]:
            option["text"]["en"] = option["text"]["en"] + PAYLOAD
            option["feedback"]["en"] = PAYLOAD
        d["questions"][3]["pairs"][0]["premise"]["en"] = PAYLOAD

    poison(root / "course.yaml", course)
    poison(root / "modules" / "01-preparation.yaml", lesson)
    poison(root / "quizzes" / "01-preparation.yaml", quiz)
    return root


def test_script_payloads_in_course_text_stay_text(course_copy, tmp_path: Path, context) -> None:
    site = build(poisoned_course(course_copy), tmp_path / "site")
    for name in every_page(site):
        page, watch = open_page(context, url_of(site), name)
        if name.startswith("quiz-"):
            answer_everything(page)
        assert page.evaluate("window.__pwned") is None, name
        assert page.locator("main img, main svg[onload], a[href^='javascript']").count() == 0, name
        watch.assert_clean()  # no dialog, no console error, no request (not even img src=x)
        page.close()
    page, _ = open_page(context, url_of(site), "quiz-preparation.html")  # answered above: feedback restored
    assert PAYLOAD in page.locator('[data-question="prep-q1"] legend').inner_text()
    assert PAYLOAD in page.locator('[data-question="prep-q1"] .feedback').inner_text()
    lesson, _ = open_page(context, url_of(site), "lesson-preparation.html")
    assert "<script>" in lesson.locator("h1").inner_text()
    assert "{{ 7*7 }}" in lesson.locator("h1").inner_text()


# --- print and the LMS hook ---------------------------------------------------------------------------


def test_lesson_prints_as_a_handout_and_summary_as_a_certificate(minimal_site: Path, context, tmp_path: Path) -> None:
    import pdfplumber

    page, watch = open_page(context, url_of(minimal_site), "lesson-preparation.html")
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".pager", ".quiz-cta", ".skip-link", ".site-footer"):
        assert page.locator(hidden).first.is_hidden(), hidden
    pdf = tmp_path / "lesson.pdf"
    page.pdf(path=str(pdf), format="A4")
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(p.extract_text() or "" for p in doc.pages)
    assert "Preparation" in text and "Targeted patrols at busy parking places." in text
    assert "My progress" not in text and "Take this module" not in text

    summary, _ = open_page(context, url_of(minimal_site), "summary.html")
    summary.emulate_media(media="print")
    assert summary.locator(".progress-table").is_hidden() and summary.locator("h1").is_hidden()
    watch.assert_clean()


ADAPTER = """
window.__reports = [];
window.modgenProgress = {
  restore: function () { return window.name ? window.name : null; },
  report: function (event) { window.__reports.push(JSON.parse(JSON.stringify(event))); window.name = event.suspend; }
};
"""


def test_lms_hook_reports_progress_and_restores_it(tmp_path: Path, browser) -> None:  # noqa: F811
    from generator.loader.load import load_course
    from generator.targets.site import build_site

    course = load_course(FIXTURES / "minimal").course.for_audience("enforcement")
    site = tmp_path / "site"
    build_site(course, "en", "enforcement", site, extra_scripts=("assets/adapter.js",))
    (site / "assets" / "adapter.js").write_text(ADAPTER, encoding="utf-8")
    html = (site / "quiz-activity.html").read_text(encoding="utf-8")
    assert html.index('src="assets/adapter.js"') < html.index('src="assets/site.js"')

    context = browser.new_context()
    try:
        page, watch = open_page(context, url_of(site), "quiz-activity.html")
        solve_ordering(page, ["choose", "open", "leave"])
        page.locator(".check").click()
        last = page.evaluate("window.__reports[window.__reports.length - 1]")
        assert last["lesson"] == "activity" and last["quiz"] == "activity"
        assert (last["score"], last["max"], last["passed"]) == (1, 1, True)
        assert last["totals"] == {"score": 1, "max": 5, "lessons": 2, "lessonsVisited": 0, "quizzes": 2,
                                  "quizzesPassed": 1, "quizzesFinished": 1, "passed": False, "finished": False,
                                  "completed": False}
        # The adapter's restore() wins over localStorage: clear storage, reload, progress is still there.
        page.evaluate("localStorage.clear()")
        page.reload()
        assert page.locator("#quiz-result-text").inner_text().startswith("Your score: 1 of 1 (100%)")
        watch.assert_clean()
    finally:
        context.close()


def answer_correctly(page) -> int:
    """Answer every question on a quiz page correctly, by mouse, from the quiz's own data."""
    data = page.evaluate("JSON.parse(document.getElementById('modgen-data').textContent).quiz")
    for q in data["questions"]:
        box = question(page, q["id"])
        if q["type"] in ("single", "true-false", "multiple"):
            for option in q["options"]:
                if option["correct"]:
                    box.locator(f'[data-option="{option["id"]}"] input').check()
        elif q["type"] == "matching":
            for pair in q["pairs"]:
                box.locator(f'[data-premise="{pair["id"]}"]').select_option(value=pair["id"])
        else:
            order = lambda: box.locator(".order-item").evaluate_all("i => i.map(x => x.dataset.item)")  # noqa: E731
            for target, item in enumerate(x["id"] for x in q["items"]):
                while order().index(item) > target:
                    box.locator(f'[data-item="{item}"] [data-move="up"]').click()
        box.locator(".check").click()
        assert box.locator(".feedback-verdict").inner_text() == "\u2713 Correct", q["id"]
    return len(data["questions"])


def test_every_bundled_quiz_can_be_passed(bundled_site: Path, context) -> None:
    quizzes = sorted(bundled_site.glob("quiz-*.html"))
    for quiz in quizzes:
        page, watch = open_page(context, url_of(bundled_site), quiz.name)
        n = answer_correctly(page)
        assert page.locator("#quiz-result-text").inner_text().startswith(f"Your score: {n} of {n} (100%)"), quiz.name
        watch.assert_clean()
        page.close()
    summary, _ = open_page(context, url_of(bundled_site), "summary.html")
    for lesson in sorted(bundled_site.glob("lesson-*.html")):
        summary.goto(url_of(bundled_site) + lesson.name)
    summary.goto(url_of(bundled_site) + "summary.html")
    assert summary.locator("#certificate").is_visible() == bool(quizzes)


def test_the_logo_loads_is_accessible_and_fits_a_phone(course_copy, tmp_path: Path, browser) -> None:  # noqa: F811
    """The logo is an image of the site itself (allowed by its CSP), with alt text, and a wide logo
    does not make a 320-px screen scroll sideways."""
    from tests.targets.test_deck_logo import with_logo

    course = course_copy("minimal")
    with_logo(course, (1600, 200))  # wider than a phone
    site = build(course, tmp_path / "site")
    for width in (1280, 320):
        context = browser.new_context(viewport={"width": width, "height": 800})
        try:
            page, watch = open_page(context, url_of(site), "index.html")
            logo = page.locator("img.site-logo")
            assert logo.get_attribute("alt") == "Police Academy"
            assert logo.evaluate("img => img.complete && img.naturalWidth") == 1600
            # the image itself, inside its white tile's padding
            w, h = logo.evaluate("img => { const s = getComputedStyle(img); const px = v => parseFloat(v);"
                                 " return [img.clientWidth - px(s.paddingLeft) - px(s.paddingRight),"
                                 " img.clientHeight - px(s.paddingTop) - px(s.paddingBottom)]; }")
            assert h > 10 and abs(w / h - 8) < 0.5, (width, w, h)  # in proportion, however narrow the screen
            sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert sizes[0] <= sizes[1], (width, sizes)
            assert axe_violations(page) == []
            watch.assert_clean()
        finally:
            context.close()
