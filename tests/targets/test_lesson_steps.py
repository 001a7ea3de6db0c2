"""A lesson in parts: the part in view marked in "On this page" with its position, and with
``site: {steps: true}`` the parts opened one by one by "Continue"; the sidebar usable on a laptop."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.targets.site_browser import browser, build, open_page  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def stepped(tmp_path_factory) -> Path:
    """The bundled course's English site for enforcement, with its lessons in steps."""
    import shutil

    root = tmp_path_factory.mktemp("steps") / "course"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "output", "tests",
                                                              "generator", "docs", "bench"))
    text = (root / "course.yaml").read_text(encoding="utf-8")
    (root / "course.yaml").write_text(text + "\nsite:\n  steps: true\n", encoding="utf-8")
    return build(root, root.parent / "site")


@pytest.fixture(scope="module")
def whole(tmp_path_factory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("whole") / "site")


def visible_parts(page) -> list[str]:
    return page.eval_on_selector_all(".lesson-body > section h2[id]",
                                     "hs => hs.filter(h => h.offsetParent !== null).map(h => h.id)")


def test_the_parts_open_one_by_one(stepped: Path, browser) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page, watch = open_page(context, stepped.as_uri() + "/", "lesson-pre-activity.html")
        total = page.locator(".toc li").count()
        assert visible_parts(page) == ["objectives"]
        button = page.locator(".step-continue button")
        assert button.is_visible() and f"(2 of {total})" in button.inner_text()
        button.click()
        shown = visible_parts(page)
        assert len(shown) == 2
        assert page.evaluate("document.activeElement.id") == shown[1]  # the keyboard follows
        assert page.locator(f'.toc a[href="#{shown[1]}"]').get_attribute("aria-current") == "location"
        assert page.locator("#lesson-position").inner_text() == f"(part 2 of {total})"
        # Remembered: the next visit opens as far as the learner got.
        page.reload()
        assert len(visible_parts(page)) == 2
        # A link in "On this page" to a part not yet open opens the parts up to it.
        last = page.locator(".toc a").last
        last.click()
        assert len(visible_parts(page)) == total and not page.locator(".step-continue").count()
        watch.assert_clean()
    finally:
        context.close()


def test_without_steps_the_part_in_view_is_marked(whole: Path, browser) -> None:  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page, watch = open_page(context, whole.as_uri() + "/", "lesson-pre-activity.html")
        parts = visible_parts(page)
        assert len(parts) == page.locator(".toc li").count() and not page.locator(".step-continue").count()
        target = parts[3]
        page.evaluate("id => document.getElementById(id).scrollIntoView({block: 'start'})", target)
        page.wait_for_function("id => document.querySelector('.toc a[href=\"#' + id + '\"]')"
                               ".getAttribute('aria-current') === 'location'", arg=target)
        assert page.locator("#lesson-position").inner_text() == f"(part 4 of {len(parts)})"
        # The sidebar on a 1366×768 laptop: the module list is on the screen, not below it.
        modules = page.locator(".module-nav summary").bounding_box()
        assert modules is not None and modules["y"] + modules["height"] <= 768
        watch.assert_clean()
    finally:
        context.close()


def test_the_content_notice_is_read_once(whole: Path, browser) -> None:  # noqa: F811
    """The notice before a sensitive module is the course's: once read on a notice page, links to
    sensitive modules go straight to them and their pages fold their copy away."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        page, watch = open_page(context, whole.as_uri() + "/", "index.html")
        sensitive = page.locator('.module-card a[href^="notice-"]')
        assert sensitive.count() >= 2
        first, second = sensitive.nth(0).get_attribute("href"), sensitive.nth(1).get_attribute("href")
        page.goto(whole.as_uri() + "/" + first)
        page.locator(".notice-page .button-primary").click()
        assert page.locator(".lesson-body > .notice").is_hidden()
        page.goto(whole.as_uri() + "/index.html")
        lesson = second.replace("notice-", "lesson-")
        assert page.locator(f'.module-card a[href="{lesson}"]').count() == 1
        page.goto(whole.as_uri() + "/" + lesson)
        assert page.locator(".lesson-body > .notice").is_hidden()
        watch.assert_clean()
    finally:
        context.close()


def test_the_new_views_have_no_axe_violations(stepped: Path, browser) -> None:  # noqa: F811
    """A lesson in steps (its Continue button), a passed quiz asking before it is cleared, the
    support page with the learner's own support first."""
    from tests.targets.test_site_browser import axe_violations

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        root = stepped.as_uri() + "/"
        page, watch = open_page(context, root, "lesson-pre-activity.html")
        page.locator(".step-continue button").click()
        assert axe_violations(page) == []
        page.goto(root + "quiz-introduction.html")
        # Pass the quiz by its own data (the right options), then ask to clear it.
        data = page.evaluate("JSON.parse(document.getElementById('modgen-data').textContent)")
        page.locator("#quiz-view").click()  # all questions on one page
        for q in data["quiz"]["questions"]:
            box = page.locator(f'[data-question="{q["id"]}"]')
            if q["type"] in ("single", "multiple", "true-false"):
                for o in q["options"]:
                    if o["correct"]:
                        box.locator(f'[data-option="{o["id"]}"] input').check()
            elif q["type"] == "matching":
                for p in q["pairs"]:
                    box.locator(f'[data-premise="{p["id"]}"]').select_option(value=p["id"])
            box.locator(".check").click()  # an ordering question as shown: perhaps wrong
        page.locator("#quiz-reset").click()
        assert page.locator("#quiz-reset-confirm").is_visible()  # passed: asked first
        assert axe_violations(page) == []
        page.goto(root + "support.html")
        assert axe_violations(page) == []
        watch.assert_clean()
    finally:
        context.close()
