"""Screenshots of the bundled course's self-study site for docs/site.md, made in Chromium.

    python docs/site_images.py        # needs Chromium (/usr/bin/chromium) and playwright

Builds the Dutch prevention site, plays a learner (a lesson viewed, a knowledge check and a quiz
answered, one question wrong) and writes ``docs/img/site-*.png`` at desktop (1280 px) and phone
(375 px) widths.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.loader.load import load_course  # noqa: E402
from generator.targets.site import build_site  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def answer(page, box, right: bool) -> None:
    """Answer the question in ``box`` rightly, or with its first wrong option, and check it."""
    data = page.evaluate("JSON.parse(document.getElementById('modgen-data').textContent)")
    qid = box.get_attribute("data-question")
    q = next(x for x in (data.get("quiz") or {}).get("questions", []) + data.get("checks", []) if x["id"] == qid)
    if q["type"] in ("single", "true-false", "multiple"):
        chosen = [o for o in q["options"] if o["correct"]] if right else [next(o for o in q["options"] if not o["correct"])]
        for option in chosen:
            box.locator(f'[data-option="{option["id"]}"] input').check()
    elif q["type"] == "matching":
        ids = [pair["id"] for pair in q["pairs"]]
        for pair, value in zip(ids, ids if right else ids[1:] + ids[:1]):
            box.locator(f'[data-premise="{pair}"]').select_option(value=value)
    box.locator(".check").click()


def main() -> None:
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs" / "img"
    course = load_course(ROOT).course
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        site = Path(tmp) / "nl-prevention"
        build_site(course.for_audience("prevention"), "nl", "prevention", site)
        root = site.as_uri() + "/"
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        desktop = browser.new_context(viewport={"width": 1280, "height": 860})
        page = desktop.new_page()
        page.goto(root + "lesson-introduction.html")
        page.goto(root + "quiz-introduction.html")
        for i, box in enumerate(page.locator(".quiz .question").all()):
            answer(page, box, right=i != 2)
            if page.locator("#quiz-next").is_visible():
                page.locator("#quiz-next").click()
        page.goto(root + "lesson-pre-activity.html")
        page.screenshot(path=str(out / "site-lesson.png"))
        check = page.locator("[data-check] .question").first
        answer(page, check, right=True)
        page.locator("[data-check]").first.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -120)")
        page.screenshot(path=str(out / "site-check.png"))
        page.evaluate("document.querySelectorAll('#reflection ~ ol details, .reflection details').forEach(d => d.open = true)")
        page.locator("#reflection").scroll_into_view_if_needed()
        page.evaluate("document.getElementById('reflection').scrollIntoView({block: 'start'})")
        page.screenshot(path=str(out / "site-reflection.png"))
        page.goto(root + "support.html")
        page.screenshot(path=str(out / "site-support.png"))
        page.goto(root + "quiz-pre-activity.html")
        first = page.locator(".quiz .question").first
        answer(page, first, right=False)
        page.screenshot(path=str(out / "site-quiz.png"))
        page.goto(root + "quiz-introduction.html")  # finished: opens on its results
        page.screenshot(path=str(out / "site-result.png"))
        page.goto(root + "index.html")
        page.screenshot(path=str(out / "site-start.png"))

        phone = browser.new_context(viewport={"width": 375, "height": 740}, device_scale_factor=1, storage_state=desktop.storage_state())
        page = phone.new_page()
        page.goto(root + "lesson-pre-activity.html")
        page.screenshot(path=str(out / "site-phone.png"))
        page.goto(root + "quiz-pre-activity.html")
        page.screenshot(path=str(out / "site-quiz-phone.png"))
        page.goto(root + "quiz-post-activity.html")
        answer(page, page.locator(".quiz .question.is-current"), right=False)
        page.screenshot(path=str(out / "site-quiz-phone-checked.png"))
        browser.close()
    for name in sorted(out.glob("site-*.png")):
        print(name.relative_to(ROOT))


if __name__ == "__main__":
    main()
