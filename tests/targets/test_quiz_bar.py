"""The bar that stays in view on a quiz page never covers the question a learner is on.

Measured, not assumed: in Chromium at a laptop's 1366×768, a phone's 375×812 and a laptop at 200 %
zoom (its 1366×768 screen as 683×384 CSS pixels), through every state a learner reaches — the
first question, "Next question" after each check, "Previous question", the results, "Review the
ones I got wrong" and its "Next wrong answer", "Try again" — the current question's stem (its
bounding box) lies wholly below the bar's and on the screen. On a phone, "Next question" is on the
screen after every check, however long the feedback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.targets.site_browser import browser, build, open_page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

SCREENS = {
    "laptop": dict(viewport={"width": 1366, "height": 768}),
    "phone": dict(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, device_scale_factor=3),
    "zoom-200": dict(viewport={"width": 683, "height": 384}, device_scale_factor=2),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("quiz-bar") / "en-enforcement")


def quiz_with_true_false(site: Path) -> str:
    """The first quiz page holding a true/false question (its statement is what a phone hid)."""
    import json
    import re

    for page in sorted(site.glob("quiz-*.html")):
        data = json.loads(re.search(r'id="modgen-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.S).group(1))
        if any(q["type"] == "true-false" for q in data["quiz"]["questions"]):
            return page.name
    raise AssertionError("no quiz with a true/false question")


def stem_clear(page, state: str, on_screen: bool = True) -> None:
    """The current question's stem lies wholly below the sticky bar and (``on_screen``) starts on
    the screen: where the page takes the learner, they see the question."""
    measured = page.evaluate("""() => {
      const bar = document.getElementById('quiz-bar').getBoundingClientRect();
      const box = document.querySelector('.quiz .question.is-current');
      if (!box) { return null; }
      const stem = box.querySelector('legend').getBoundingClientRect();
      return {bar: [bar.top, bar.bottom], stem: [stem.top, stem.bottom], height: window.innerHeight};
    }""")
    assert measured is not None, f"{state}: no current question"
    bar_top, bar_bottom = measured["bar"]
    top, bottom = measured["stem"]
    assert top >= bar_bottom - 0.5, f"{state}: the stem ({top:.0f}–{bottom:.0f}) is under the bar ({bar_top:.0f}–{bar_bottom:.0f})"
    assert not on_screen or top < measured["height"], f"{state}: the stem starts below the screen ({top:.0f} ≥ {measured['height']})"


def answer_current(page) -> None:
    """Answer the question on the screen (the first choice, whatever it is) and check it."""
    box = page.locator(".quiz .question.is-current")
    kind = box.get_attribute("data-type")
    if kind in ("single", "multiple", "true-false"):
        box.locator("input").first.check()
    elif kind == "matching":
        for select in box.locator("select").all():
            select.select_option(index=1)
    box.locator("button.check").click()


def in_view(page, selector: str) -> bool:
    return page.evaluate("""(sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    }""", selector)


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_the_bar_never_covers_the_current_question(site: Path, browser, screen: str) -> None:  # noqa: F811
    context = browser.new_context(**SCREENS[screen])
    try:
        name = quiz_with_true_false(site)
        page, watch = open_page(context, site.as_uri() + "/", name)
        # As the page opens, the introduction comes first (at 200 % the question may be below it).
        stem_clear(page, "first question", on_screen=False)
        total = page.locator(".quiz .question").count()
        for n in range(1, total + 1):
            answer_current(page)
            if screen == "phone" and n < total:
                assert in_view(page, "#quiz-next"), f"question {n}: 'Next question' is off the screen after the check"
            if n < total:
                page.locator("#quiz-next").click()
                stem_clear(page, f"question {n + 1} after 'Next question'")
        page.locator("#quiz-prev").click()
        stem_clear(page, "after 'Previous question'")
        page.locator("#quiz-to-result").click()
        review = page.locator("#quiz-review-wrong")
        if review.is_visible():
            review.click()
            stem_clear(page, "review of the wrong answers")
            while page.locator("#quiz-next").is_visible():
                page.locator("#quiz-next").click()
                stem_clear(page, "next wrong answer")
        page.locator("#quiz-try-again").scroll_into_view_if_needed()
        page.locator("#quiz-try-again").click()
        stem_clear(page, "after 'Try again'")
        watch.assert_clean()
    finally:
        context.close()
