"""The real server driven by Chromium: a trainer and three participants at once, each in a
browser context of their own (their own cookies), the participants on 320 px wide phones."""

from __future__ import annotations

import pytest

from tests.classroom.conftest import make_session
from tests.conftest import FIXTURES
from tests.targets.site_browser import Watch, browser  # noqa: F401 (fixture)
from tests.targets.test_site_browser import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
PROJECTOR = {"width": 1280, "height": 720}


def open_view(browser, url: str, root: str, viewport: dict):  # noqa: F811
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    watch = Watch(root).attach(page)
    page.goto(url)
    return page, watch


def join(page, code: str, nickname: str = "") -> None:
    page.fill("#code", code)
    if nickname:
        page.fill("#nickname", nickname)
    page.click("button[type=submit]")
    page.wait_for_url("**/play")
    page.locator("#step .waiting").wait_for()


def heading(page, text: str) -> None:
    page.locator("#step h1", has_text=text).wait_for(timeout=10000)


def test_trainer_and_three_participants(browser, server_of) -> None:  # noqa: F811
    server = server_of(FIXTURES / "minimal", "--lang", "en")
    trainer, trainer_watch = open_view(browser, server.trainer, server.root, PROJECTOR)
    code = trainer.locator("#session-code").inner_text()
    assert code.isdigit() and len(code) == 6
    phones = [open_view(browser, server.participants, server.root, PHONE) for _ in range(3)]

    # Join by code: a wrong code first, then the right one; one participant gives a nickname.
    first = phones[0][0]
    first.fill("#code", "000000" if code != "000000" else "111111")
    first.click("button[type=submit]")
    assert "That code is not right" in first.locator("[role=alert]").inner_text()
    for (page, _), nickname in zip(phones, ["Anna", "", ""]):
        join(page, code, nickname)
    trainer.locator("#joined", has_text="3 participants").wait_for(timeout=10000)
    assert trainer.locator(".nicknames li").all_inner_texts() == ["Anna"]

    # To question 1 with the keyboard: discussion, case, question.
    for title in ("Discussion", "Case: The station", "Question 1"):
        trainer.keyboard.press("ArrowRight")
        heading(trainer, title)
        for page, _ in phones:
            heading(page, title)
    step = make_session(lang="en").steps[3]
    letters = [c.letter for c in step.choices]
    correct = next(c.letter for c in step.choices if c.correct)

    # Answer: A, A, B (by clicking the label, as a thumb does).
    ids = {c.letter: c.id for c in step.choices}
    for (page, _), letter in zip(phones, ["A", "A", "B"]):
        page.click(f"label[for=choice-{ids[letter]}]")
        page.click("form.answer button[type=submit]")
        page.locator("#step .received").wait_for(timeout=10000)
        assert page.locator("#status").inner_text() == \
            "Your answer has been received. Wait for the trainer to show the answer."
    trainer.locator("#answered", has_text="3 of 3 have answered").wait_for(timeout=10000)

    # A reload keeps the answer (the cookie), and offers no second go.
    third = phones[2][0]
    third.reload()
    assert third.locator("form.answer").count() == 0
    assert "(Your answer)" in third.locator("li.picked").inner_text() and "B" in third.locator("li.picked").inner_text()

    # Space reveals: the distribution is the room's answers, the explanation shows everywhere.
    trainer.keyboard.press(" ")
    trainer.locator("table.distribution").wait_for(timeout=10000)
    counts = {row.locator(".letter").inner_text(): int(row.locator(".count").inner_text())
              for row in trainer.locator("table.distribution tbody tr").all()}
    assert counts == {letters[0]: 2, letters[1]: 1, letters[2]: 0}
    assert trainer.locator("tr.correct .letter").inner_text() == correct
    assert trainer.locator("table.distribution .total").inner_text() == "3"
    assert "Stations have many bicycles and little oversight." in trainer.locator(".explanation").inner_text()
    for (page, _), letter in zip(phones, ["A", "A", "B"]):
        page.locator("#step .explanation").wait_for(timeout=10000)
        verdict = page.locator(".verdict").inner_text()
        assert verdict == ("Right" if letter == correct else "Not quite")
        assert page.locator("li.correct .letter").inner_text() == correct

    # Space again: the next question (multiple response); a reload there shows the form again.
    trainer.keyboard.press(" ")
    heading(trainer, "Question 2")
    for page, _ in phones:
        heading(page, "Question 2")
    first.locator("input[type=checkbox]").nth(0).check()
    first.locator("input[type=checkbox]").nth(1).check()
    first.click("form.answer button[type=submit]")
    first.locator("#step .received").wait_for(timeout=10000)
    assert first.locator("li.picked").count() == 2
    phones[1][0].reload()
    assert phones[1][0].locator("form.answer input[type=checkbox]").count() == 3
    trainer.locator("#answered", has_text="1 of 3 have answered").wait_for(timeout=10000)

    # Back: question 1 is as it was left, revealed, with its counts.
    trainer.keyboard.press("ArrowLeft")
    heading(trainer, "Question 1")
    assert trainer.locator("table.distribution tbody tr").nth(0).locator(".count").inner_text() == "2"
    heading(third, "Question 1")
    assert third.locator(".verdict").inner_text() in ("Right", "Not quite")

    # The buttons do what the keys do.
    trainer.click("button[data-action=forward]")
    heading(trainer, "Question 2")

    # Participants cannot reach the trainer's actions, with or without a guess at the token.
    for page, _ in phones:
        assert page.evaluate("fetch('/trainer/guess/next', {method: 'POST'}).then(r => r.status)") == 403
        assert page.evaluate(f"fetch('/trainer/{code}/reveal', {{method: 'POST'}}).then(r => r.status)") == 403
        assert page.evaluate("fetch('/trainer/guess').then(r => r.status)") == 403
    stranger = browser.new_context()
    assert stranger.request.post(server.root + "/trainer/guess/next").status == 403
    assert stranger.request.get(server.root + "/trainer/").status == 404
    stranger.close()
    heading(trainer, "Question 2")  # nothing moved

    # To the end (→ reveals each question first, as a clicker does): the summary counts what the
    # room answered.
    for _ in range(12):
        trainer.keyboard.press("ArrowRight")
        trainer.wait_for_timeout(100)
        if trainer.locator("#step h1", has_text="Summary").count():
            break
    heading(trainer, "Summary")
    rows = trainer.locator("table.summary-table tbody tr")
    assert rows.count() == 4
    first_row = rows.nth(0).locator("td").all_inner_texts()
    right = sum(1 for letter in ["A", "A", "B"] if letter == correct)
    assert first_row == ["3", f"{round(100 * right / 3)}%"]
    assert rows.nth(3).locator("td").all_inner_texts() == ["0", "0%"]  # the matching question: nobody answered it
    for page, _ in phones:
        heading(page, "Summary")
        assert "Thank you for taking part." in page.locator("#step").inner_text()

    for watch in [trainer_watch] + [w for _, w in phones]:
        watch.errors = [e for e in watch.errors if "status of 403" not in e]  # the 403s asked for above
        watch.assert_clean()
    for page, _ in phones + [(trainer, None)]:
        page.context.close()
    code_, _, err = server.stop()
    assert code_ == 0 and "Traceback" not in err, err


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_axe_on_every_view_at_320_px(browser, server_of, lang: str) -> None:  # noqa: F811
    """Zero axe violations on the phone (join, waiting, question, answered, revealed, group
    question, case, summary) and on the projector view."""
    server = server_of(FIXTURES / "minimal", "--lang", lang)
    trainer, trainer_watch = open_view(browser, server.trainer, server.root, PROJECTOR)
    phone, watch = open_view(browser, server.participants, server.root, PHONE)
    seen = []

    def check(page, name: str) -> None:
        assert axe_violations(page) == [], (lang, name)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], (lang, name, "scrolls sideways", width)
        seen.append(name)

    check(phone, "join")
    phone.fill("#code", "000000" if trainer.locator("#session-code").inner_text() != "000000" else "111111")
    phone.click("button[type=submit]")
    check(phone, "join with error")
    join(phone, trainer.locator("#session-code").inner_text(), "Anna")
    check(phone, "waiting")
    check(trainer, "trainer start")
    steps = make_session(lang=lang).steps
    for step in steps[1:]:
        trainer.keyboard.press("ArrowRight")
        trainer.locator(f"#step section[data-index='{step.index}']").wait_for(timeout=10000)
        phone.locator(f"#step section[data-index='{step.index}']").wait_for(timeout=10000)
        check(phone, step.kind)
        if step.kind == "matching":  # a letter for every premise
            for select in phone.locator("select[name=choice]").all():
                select.select_option(index=1)
            phone.click("form.answer button[type=submit]")
            phone.locator("#step .received").wait_for(timeout=10000)
            check(phone, "matching answered")
            check(trainer, "trainer matching")
        if step.kind == "question":
            phone.locator("input[name=choice]").first.check()
            phone.click("form.answer button[type=submit]")
            phone.locator("#step .received").wait_for(timeout=10000)
            check(phone, "answered")
            check(trainer, "trainer question")
        if step.revealable:
            trainer.keyboard.press("r")
            trainer.locator("#step section[data-revealed='yes']").wait_for(timeout=10000)
            phone.locator("#step section[data-revealed='yes']").wait_for(timeout=10000)
            check(phone, f"{step.kind} revealed")
            check(trainer, f"trainer {step.kind} revealed")
    check(trainer, "trainer summary")
    assert "summary" in seen and "matching revealed" in seen
    watch.errors = [e for e in watch.errors if "status of 403" not in e]  # the wrong code, asked for
    watch.assert_clean()
    trainer_watch.assert_clean()
    trainer.context.close()
    phone.context.close()
    assert server.stop()[0] == 0
