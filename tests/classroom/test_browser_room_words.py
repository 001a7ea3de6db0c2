"""The room's own words end to end in Chromium: a trainer's projector, the trainer's console and
three phones (320 px) on the real server — a scale at the start, open answers on a discussion
step (one refused by the word filter, one shown, one hidden), an anonymous question moderated and
upvoted, a timer, a participant removed and the door locked, the scale again at the end."""

from __future__ import annotations

import re

import pytest

from tests.classroom.conftest import room_course
from tests.classroom.test_browser import PHONE, PROJECTOR, heading, join, open_view
from tests.targets.site_browser import browser  # noqa: F401 (fixture)
from tests.targets.test_site_browser import axe_violations

pytestmark = pytest.mark.browser


def section(page, kind: str) -> None:
    page.locator(f"#step section[data-kind='{kind}']").wait_for(timeout=10000)


def test_the_room_types_votes_and_rates_with_the_trainer_in_charge(browser, server_of, tmp_path) -> None:  # noqa: F811
    course = room_course(tmp_path / "course")
    server = server_of(course, "--lang", "en", "--audience", "enforcement")
    trainer, trainer_watch = open_view(browser, server.trainer, server.root, PROJECTOR)
    console, console_watch = open_view(browser, server.trainer + "/console", server.root, {"width": 900, "height": 900})
    code = trainer.locator("#session-code").inner_text()
    phones = [open_view(browser, server.participants, server.root, PHONE) for _ in range(3)]

    # A nickname with a word of the course's list is refused; the others join.
    first = phones[0][0]
    first.fill("#code", code)
    first.fill("#nickname", "De Boef")
    first.click("button[type=submit]")
    assert "That nickname cannot be used" in first.locator("[role=alert]").inner_text()
    for (page, _), nickname in zip(phones, ["Anna", "Ben", ""]):
        join(page, code, nickname)
    trainer.locator("#joined", has_text="3 participants").wait_for(timeout=10000)
    console.locator("#people li", has_text="Ben").wait_for(timeout=10000)

    # The scale at the start: 2, 2, 3.
    trainer.keyboard.press("PageDown")
    heading(trainer, "Poll (start)")
    for (page, _), point in zip(phones, ["2", "2", "3"]):
        section(page, "scale")
        page.click(f"label[for=choice-{point}]")
        page.click("form.answer button[type=submit]")
        page.locator("#step .received").wait_for(timeout=10000)
    trainer.locator("#answered", has_text="3 of 3 have answered").wait_for(timeout=10000)
    trainer.keyboard.press("PageDown")  # reveals first
    trainer.locator(".mean", has_text="Average: 2.3").wait_for(timeout=10000)
    assert axe_violations(phones[0][0]) == [] and axe_violations(console) == []

    # The discussion: three open answers; the filter refuses one on the phone itself.
    trainer.keyboard.press("PageDown")
    heading(trainer, "Discussion")
    texts = ["Near the station", "near the station", "what a shit idea"]
    for (page, _), words in zip(phones, texts):
        section(page, "discussion")
        page.fill("form.words input", words)
        page.click("form.words button[type=submit]")
    phones[2][0].locator("#status", has_text="That cannot go on the screen").wait_for(timeout=10000)
    for page, _ in phones[:2]:
        page.locator("#status", has_text="The trainer chooses what appears").wait_for(timeout=10000)
    console.locator("#held-words li").nth(1).wait_for(timeout=10000)
    assert console.locator("#held-words li").count() == 2  # the refused one never reached the trainer
    assert "station" not in trainer.locator("#step").inner_text().split("?")[-1]  # held: not projected
    assert axe_violations(phones[0][0]) == [] and axe_violations(console) == []
    console.locator("#held-words li").nth(0).locator("button", has_text="Show").click()
    trainer.locator(".words-shown li", has_text="Near the station").wait_for(timeout=10000)
    console.locator("#held-words li").nth(1).locator("button", has_text="Show").click()
    console.locator("button", has_text="As a word cloud").click()
    trainer.locator(".cloud li.size-2").wait_for(timeout=10000)  # the same answer twice: one term, larger
    console.locator("#held-words li").nth(0).locator("button", has_text="Hide").click()
    console.locator("button", has_text="As a list").click()
    trainer.locator(".words-shown li").first.wait_for(timeout=10000)
    assert trainer.locator(".words-shown li").all_inner_texts() == ["near the station"]
    for page, _ in phones:  # the phones never show the room's texts
        assert "near the station" not in page.locator("#step").inner_text().lower()

    # A timer for the discussion, on the projector and the phones.
    console.locator("button[data-moderate=timer][data-id='60']").click()
    trainer.locator("#timer .time", has_text=re.compile(r"^[01]:[0-5]\d$")).wait_for(timeout=10000)
    phones[0][0].locator("#timer .time", has_text=re.compile(r"^[01]:[0-5]\d$")).wait_for(timeout=10000)

    # An anonymous question: held, shown, upvoted from another phone, on the projector by votes.
    ben = phones[1][0]
    ben.fill("#ask-text", "Who do I call first?")
    ben.click("form.ask-form button[type=submit]")
    ben.locator("#status", has_text="Your question has been sent").wait_for(timeout=10000)
    item = console.locator("#room-questions li", has_text="Who do I call first?")
    item.wait_for(timeout=10000)
    assert phones[0][0].locator("#room-questions li").count() == 0  # held: nobody sees it yet
    item.locator("button", has_text="Show").click()
    anna = phones[0][0]
    anna.locator("#room-questions li", has_text="Who do I call first?").wait_for(timeout=10000)
    anna.locator("#room-questions button[data-upvote]").click()
    anna.locator("#room-questions button[aria-pressed=true]").wait_for(timeout=10000)
    assert "(1 votes)" in anna.locator("#room-questions li").inner_text()
    assert axe_violations(anna) == []
    console.locator("button", has_text="Questions on the screen").click()
    heading(trainer, "Questions from the room")
    assert "Who do I call first?" in trainer.locator(".room-questions-list").inner_text()
    assert "Ben" not in trainer.locator("#step").inner_text()
    console.locator("button", has_text="Back to the step").click()
    heading(trainer, "Discussion")

    # Ben is removed and the door locked: his page says so, a newcomer cannot join.
    console.locator("#people li", has_text="Ben").locator("button", has_text="Remove").click()
    ben.locator("#status", has_text="The trainer has removed you").wait_for(timeout=10000)
    console.locator("button", has_text="Close joining").click()
    console.locator("button", has_text="Open joining").wait_for(timeout=10000)
    latecomer, late_watch = open_view(browser, server.participants, server.root, PHONE)
    latecomer.fill("#code", code)
    latecomer.click("button[type=submit]")
    assert "Joining is closed." in latecomer.locator("[role=alert]").inner_text()

    # On to the scale at the end (PageDown reveals each question first): 4 and 5 now.
    for _ in range(20):
        trainer.keyboard.press("PageDown")
        trainer.wait_for_timeout(150)
        if trainer.locator("#step h1", has_text="Poll (end)").count():
            break
    heading(trainer, "Poll (end)")
    for (page, _), point in zip([phones[0], phones[2]], ["4", "5"]):
        section(page, "scale")
        page.click(f"label[for=choice-{point}]")
        page.click("form.answer button[type=submit]")
        page.locator("#step .received").wait_for(timeout=10000)
    trainer.locator("#answered", has_text="2 of 2 have answered").wait_for(timeout=10000)
    trainer.keyboard.press("PageDown")
    # Ben's answers went with him: the start's average is now of Anna's 2 and the third phone's 3.
    trainer.locator(".mean", has_text="Average: 2.5 at the start, 4.5 now").wait_for(timeout=10000)

    for watch in [trainer_watch, console_watch] + [w for _, w in phones] + [late_watch]:
        watch.errors = [e for e in watch.errors if "status of 40" not in e]  # the refusals asked for
        watch.assert_clean()
    for page in [trainer, console, latecomer] + [p for p, _ in phones]:
        page.context.close()
    code_, _, err = server.stop()
    assert code_ == 0 and "Traceback" not in err, err


def test_after_ctrl_c_the_phones_stop_and_the_trainer_sees_the_channel_down(browser, server_of) -> None:  # noqa: F811
    from tests.conftest import FIXTURES

    server = server_of(FIXTURES / "minimal", "--lang", "en")
    trainer, _ = open_view(browser, server.trainer, server.root, PROJECTOR)
    phone, _ = open_view(browser, server.participants, server.root, PHONE)
    join(phone, trainer.locator("#session-code").inner_text())
    assert trainer.locator("#channel").is_hidden()
    code, _, err = server.stop()
    assert code == 0, err
    phone.locator("#status", has_text="The trainer has ended the session.").wait_for(timeout=10000)
    assert "stopped" in phone.evaluate("document.body.className")  # no more retries
    trainer.locator("#channel", has_text="The session has stopped").wait_for(timeout=10000)
    phone.context.close()
    trainer.context.close()
