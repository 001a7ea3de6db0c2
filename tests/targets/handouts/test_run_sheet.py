"""The facilitator guide's run sheet (issue 27): the day on one page — clock times from
``session.start``, the method and materials of each part, and the course deck's slide numbers."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from pptx import Presentation

from generator.build import BuildRequest, build
from tests.bad_inputs.catalogue import replace
from tests.targets.test_deck import slide_kind


def test_the_run_sheet_gives_clock_times_methods_and_the_deck_s_slide_numbers(course_copy, tmp_path: Path) -> None:
    root = course_copy("minimal")
    replace("course.yaml", "session:\n", "session:\n  start: \"09:00\"\n")(root)
    out = tmp_path / "out"
    build(BuildRequest(root, out, formats=["pptx", "facilitator-guide"], languages=["en"], audiences=["enforcement"]))
    page = lxml.html.parse(str(out / "facilitator-guide/en-enforcement/facilitator-guide.html"))
    rows = [[td.text_content().strip() for td in tr.xpath("td")] for tr in page.xpath("//section[@id='run-sheet']//tbody/tr")]
    assert rows[0][0] == "09:00" and rows[0][2] == "Plenary"
    deck = list(Presentation(out / "pptx/en-enforcement/course.pptx").slides)
    titles = {n: s.shapes.title.text for n, s in enumerate(deck, 1)}
    kinds = {n: slide_kind(s) for n, s in enumerate(deck, 1)}
    module = next(r for r in rows if r[1] == "Module 1. Preparation")
    first = int(module[4].split("–")[0])
    assert kinds[first] == "section" and titles[first] == "Preparation"  # the module's divider
    case = next(r for r in rows if r[1].strip().startswith("Case: The station"))
    assert case[2] == "Groups of 4–6" and case[3] == "Scenario cards"
    start, end = (int(x) for x in case[4].split("–"))
    assert all(kinds[n] == "vignette" for n in range(start, end + 1))
    pause = next(r for r in rows if r[1] == "Break")
    assert pause[0] == "09:30" and kinds[int(pause[4])] == "break"
    last = rows[-1]
    assert kinds[int(last[4].split("–")[-1])] == "closing" and last[3] == "Evaluation forms"
    assert len(rows) <= 45  # one page
