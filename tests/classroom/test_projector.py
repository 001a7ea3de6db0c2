"""The projector view of a bundled session, measured in Chromium at 1920×1080 and 1280×720: every
step, every page of it, before and after the reveal, driven as a presenter's clicker drives it
(PageDown only). Nothing under the 16 pt floor (a 16:9 slide is 540 pt high: 16 pt is 2.96 % of the
screen's height), titles, prompts and questions at 24 pt or more (4.44 %), nothing below the fold or
off the side, the step across the full width, and no control or hint on the projected area."""

from __future__ import annotations

import json
import os

import pytest

from tests.classroom.test_browser import open_view
from tests.conftest import ROOT
from tests.targets.site_browser import browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

SIZES = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}]

#: What every shown text on the projector must satisfy, measured in the page.
MEASURE = """() => {
  const h = innerHeight, w = innerWidth;
  const floor = h * 16 / 540 - 0.5, big = h * 24 / 540 - 0.5;
  const problems = [];
  const shown = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0') return false;
      if (e.hasAttribute('hidden')) return false;
    }
    return true;
  };
  const clippedAway = (el) => {  // inside a box that hides its overflow, and outside that box
    const r = el.getBoundingClientRect();
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.overflowY === 'hidden' && e.id !== 'step') {
        const box = e.getBoundingClientRect();
        if (r.top >= box.bottom - 1) return true;
      }
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase()
    + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
    + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !shown(el) || clippedAway(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (size < floor) problems.push(`${name(el)}: ${size.toFixed(1)}px, under the 16 pt floor ${floor.toFixed(1)}px`);
    if (r.bottom > h + 1) problems.push(`${name(el)}: below the fold (bottom ${Math.round(r.bottom)} > ${h})`);
    if (r.right > w + 1) problems.push(`${name(el)}: off the side`);
  }
  for (const el of document.querySelectorAll('#step h1, #step .stem p, #step .prompt p')) {
    if (!shown(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < big) problems.push(`${name(el)}: ${size.toFixed(1)}px, under the 24 pt floor ${big.toFixed(1)}px`);
  }
  for (const el of document.querySelectorAll('button, .keys, input, a.button')) {
    if (shown(el)) problems.push(`${name(el)}: a control on the projected area`);
  }
  const main = document.getElementById('step').getBoundingClientRect();
  if (main.width < 0.95 * w) problems.push(`the step is ${Math.round(main.width)}px wide of ${w}`);
  if (document.documentElement.scrollWidth > w) problems.push('the page scrolls sideways');
  return problems;
}"""

STATE = """() => {
  const s = document.querySelector('#step section');
  const mark = s.querySelector('h1 .page');
  return [Number(s.dataset.index), s.dataset.revealed, s.dataset.revealable, mark ? mark.textContent : ''];
}"""


def lessons_with_questions() -> list[str]:
    from generator.loader.load import load_course

    course = load_course(ROOT).course
    return [lesson.id for lesson in course.lessons if course.quiz_for(lesson) is not None]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s['width']}x{s['height']}")
def test_every_step_fits_the_projector(browser, server_of, size) -> None:  # noqa: F811
    lesson = os.environ.get("MODGEN_PROJECTOR_LESSON", "pre-activity")
    server = server_of(ROOT, lesson=lesson)
    trainer, watch = open_view(browser, server.trainer, server.root, size)
    trainer.mouse.move(size["width"] // 2, size["height"] // 3)  # a mouse resting on the picture
    seen: list[tuple] = []
    problems: list[str] = []
    pressed_on_question = []
    for _ in range(200):  # bounded: a session has far fewer screens
        trainer.wait_for_timeout(150)
        state = trainer.evaluate(STATE)
        seen.append(tuple(state))
        problems += [f"step {state[0]} {state[1]} {state[3]}: {p}" for p in trainer.evaluate(MEASURE)]
        before = state
        trainer.keyboard.press("PageDown")
        trainer.wait_for_timeout(250)
        after = trainer.evaluate(STATE)
        if before[2] == "yes" and not before[3]:
            pressed_on_question.append((before, after))
        if after == before:
            break  # the summary's last page: nothing further
    assert not problems, "\n".join(problems)
    kinds = {s[0] for s in seen}
    assert len(kinds) >= 5, seen
    # PageDown on a question first reveals it, on the same step; only the next press moves on.
    assert pressed_on_question and all(a[0] == b[0] and a[1] == "yes" for b, a in pressed_on_question)
    # The measure sees what it looks for: a control made visible, a line of small type, a block
    # pushed below the fold.
    trainer.evaluate("""() => {
      document.getElementById('controls').style.opacity = '1';
      const p = document.createElement('p'); p.textContent = 'small'; p.style.fontSize = '10px';
      document.querySelector('#step section').appendChild(p);
      const low = document.createElement('p'); low.textContent = 'low'; low.style.marginTop = '3000px';
      document.querySelector('#step section').appendChild(low);
    }""")
    trainer.wait_for_timeout(400)  # the controls fade in
    found = "\n".join(trainer.evaluate(MEASURE))
    assert "a control on the projected area" in found and "under the 16 pt floor" in found, found
    assert '"low": below the fold' in found
    watch.assert_clean()
    trainer.context.close()
    assert server.stop()[0] == 0


def test_the_rooms_words_fit_the_projector(browser, server_of, tmp_path) -> None:  # noqa: F811
    """The views the room's own words add, at 1280×720: a scale compared before and after, open
    answers as a list and as a cloud, the room's questions — under the same floors."""
    from tests.classroom.conftest import make_room_session, room_course
    from tests.classroom.test_room_words import step_of

    course = room_course(tmp_path / "course")
    server = server_of(course, "--lang", "en", "--audience", "enforcement")
    size = SIZES[1]
    trainer, watch = open_view(browser, server.trainer, server.root, size)
    trainer.mouse.move(size["width"] // 2, size["height"] // 3)
    token = server.token
    session = make_room_session(tmp_path / "again")  # the same steps, to know where they are
    root = server.root
    cookies = []
    for n in range(3):
        context = browser.new_context()
        response = context.request.post(root + "/join", form={"code": trainer.locator("#session-code").inner_text(),
                                                              "nickname": f"N{n}"}, max_redirects=0)
        assert response.status == 303
        cookies.append(context)
    problems = []

    def measure(what: str) -> None:
        trainer.wait_for_timeout(300)
        problems.extend(f"{what}: {p}" for p in trainer.evaluate(MEASURE))

    def post(path: str, form: dict | None = None) -> None:
        assert trainer.request.post(f"{root}/trainer/{token}/{path}", form=form or {}).ok

    import websockets.sync.client as ws_client

    phones = [ws_client.connect(root.replace("http", "ws") + "/ws", origin=root,
                                additional_headers={"Cookie": "; ".join(f"{c['name']}={c['value']}"
                                                                        for c in ctx.cookies())})
              for ctx in cookies]
    first_scale = step_of(session, "scale")
    post("next")
    for ws, point in zip(phones, ["2", "4", "5"]):
        ws.send(json.dumps({"type": "answer", "step": first_scale, "choices": [point]}))
    post("reveal")
    measure("scale revealed")
    post("next")
    discussion = step_of(session, "discussion")
    long_words = ["A longer answer that fills most of the hundred and forty characters a phone may send, "
                  "to see it wrap on the projector", "station", "station", "Station", "the forum", "status"]
    for i, words in enumerate(long_words):
        phones[i % 3].send(json.dumps({"type": "words", "step": discussion, "text": words}))
        trainer.wait_for_timeout(120)
    for words_id in [f"w{n}" for n in range(1, 20)]:
        trainer.request.post(f"{root}/trainer/{token}/moderate", form={"action": "show-words", "id": words_id})
    measure("open answers as a list")
    assert trainer.locator(".words-shown li").count() == len(long_words)
    post("moderate", {"action": "cloud"})
    measure("open answers as a cloud")
    assert trainer.locator(".cloud li.size-3").count() == 1  # station, three times
    phones[0].send(json.dumps({"type": "ask", "text": "Who do I call first when I see this on a forum at work?"}))
    trainer.wait_for_timeout(300)
    for q in [f"q{n}" for n in range(1, 40)]:
        trainer.request.post(f"{root}/trainer/{token}/moderate", form={"action": "show-question", "id": q})
    post("moderate", {"action": "questions-on"})
    measure("the room's questions")
    assert trainer.locator(".room-questions-list li").count() == 1
    post("moderate", {"action": "timer", "id": "60"})
    post("moderate", {"action": "questions-off"})
    measure("a timer running")
    last_scale = [s.index for s in session.steps if s.kind == "scale"][-1]
    while trainer.evaluate(STATE)[0] < last_scale:
        post("next")
        trainer.wait_for_timeout(100)
    for ws, point in zip(phones, ["4", "4", "5"]):
        ws.send(json.dumps({"type": "answer", "step": last_scale, "choices": [point]}))
    post("reveal")
    measure("scale compared")
    for ws in phones:
        ws.close()
    assert not problems, "\n".join(problems)
    assert "Average: 3.7 at the start, 4.3 now" in trainer.locator("#step").inner_text()
    watch.assert_clean()
    trainer.context.close()
    for ctx in cookies:
        ctx.close()
    assert server.stop()[0] == 0
