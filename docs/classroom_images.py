"""Screenshots of a real classroom session for docs/classroom.md.

    python docs/classroom_images.py        # needs Chromium (/usr/bin/chromium)

Starts ``modgen classroom`` on the bundled course (English, the pre-activity lesson), joins three
participants in Chromium, has them answer a discussion prompt in a few words, answers the first question and reveals it, and writes
``docs/img/classroom-*.png``: the trainer's start, discussion (with the room's answers shown) and
revealed views (1280 × 720), the trainer's console, and a phone's discussion, question and revealed
views (360 px wide).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img"
LESSON = "pre-activity"


def main() -> None:
    from playwright.sync_api import sync_playwright

    proc = subprocess.Popen([sys.executable, "-m", "generator", "classroom", "--lesson", LESSON, "--lang", "en",
                             "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        trainer_url = proc.stdout.readline().split(" ", 1)[1].strip()
        participants_url = proc.stdout.readline().split(" ", 1)[1].strip()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            trainer = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
            trainer.goto(trainer_url)
            code = trainer.locator("#session-code").inner_text()
            phones = []
            for nickname, pick in [("Sam", 2), ("Noor", 2), ("", 0)]:
                phone = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
                phone.goto(participants_url)
                phone.fill("#code", code)
                phone.fill("#nickname", nickname)
                phone.click("button[type=submit]")
                phone.locator("#step .waiting").wait_for()
                phones.append((phone, pick))
            trainer.locator("#joined", has_text="3 participants").wait_for()
            trainer.screenshot(path=str(OUT / "classroom-trainer-start.png"))
            # A discussion step: two phones answer in a few words, the trainer shows them from the console.
            while trainer.locator("#step section[data-kind=discussion]").count() == 0:
                trainer.keyboard.press("ArrowRight")
                trainer.wait_for_timeout(150)
            console = browser.new_context(viewport={"width": 800, "height": 760}).new_page()
            console.goto(trainer_url + "/console")
            for (phone, _), words in zip(phones, ["The private sections", "Who may post what", "Status"]):
                phone.locator("form.words").wait_for()
                phone.fill("form.words input", words)
                phone.click("form.words button[type=submit]")
            phones[0][0].locator("#status", has_text="Received").wait_for()
            phones[0][0].screenshot(path=str(OUT / "classroom-phone-discussion.png"))
            console.locator("#held-words li").nth(2).wait_for()
            for n in (0, 1):
                console.locator("#held-words li").nth(n).locator("button", has_text="Show").click()
                console.locator("#held-words li.shown").nth(n).wait_for()
            console.screenshot(path=str(OUT / "classroom-console.png"))
            trainer.locator(".words-shown li").nth(1).wait_for()
            trainer.screenshot(path=str(OUT / "classroom-trainer-words.png"))
            while trainer.locator("#step section[data-kind=question]").count() == 0:
                trainer.keyboard.press("ArrowRight")
                trainer.wait_for_timeout(150)
            phones[0][0].locator("form.answer").wait_for()
            phones[0][0].screenshot(path=str(OUT / "classroom-phone-question.png"))
            for phone, pick in phones:
                phone.locator("input[name=choice]").nth(pick).check()
                phone.click("form.answer button[type=submit]")
                phone.locator("#step .received").wait_for()
            trainer.locator("#answered", has_text="3 of 3").wait_for()
            trainer.keyboard.press(" ")
            trainer.locator("table.distribution").wait_for()
            trainer.screenshot(path=str(OUT / "classroom-trainer-reveal.png"))
            phones[0][0].locator("#step .explanation").wait_for()
            phones[0][0].screenshot(path=str(OUT / "classroom-phone-reveal.png"))
            browser.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    for name in sorted(OUT.glob("classroom-*.png")):
        print(name.relative_to(ROOT))


if __name__ == "__main__":
    main()
