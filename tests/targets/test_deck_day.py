"""The day's deck, measured (issue 27): every bundled course deck — nl and en, both audiences —
built, rendered by LibreOffice and read back (``tests/targets/deck_day.py``).

What the generator decides is asserted outright: every table of the course on one slide, every
support contact whole, a slide number on every slide but the title, speaker notes that are each
slide's own, and minutes in the notes that add up to the session plan.

What also depends on the bundled course's words — at most 20 slides per hour of teaching, at most
5 % continuation slides, every in-room question whole, at most 60 words on a slide outside tables
and charts, every word ≥ 18 pt — is asserted in ``test_the_day_reads_in_a_room``, marked as an
expected failure (strict) while the course's slide points and shorter in-room questions are being
written: it fails the suite the moment they are met, so the mark is taken off then.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import BuildRequest, build
from tests.conftest import ROOT, need_executable
from tests.targets.deck_day import measure_build

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

GENERATOR = ("table not on one slide", "contact split", "slide number", "notes missing", "notes repeated",
             "minutes", "render", "question missing")
ROOM = ("question split", "over 60 words", "type under 18 pt")


@pytest.fixture(scope="module")
def days(tmp_path_factory):
    need_executable("soffice", "libreoffice-impress")
    tmp = tmp_path_factory.mktemp("day")
    build(BuildRequest(ROOT, tmp / "out", formats=["pptx"]))
    found = measure_build(tmp / "out", tmp / "pdf")
    assert len(found) == 4  # two languages × two audiences
    return found


def test_the_day_is_built_as_designed(days) -> None:
    problems = [f"{day.deck}: {what}: {item}" for day in days for what in GENERATOR
                for item in day.breaches.get(what, [])]
    assert problems == [], "\n".join(problems[:40])
    for day in days:
        assert day.minutes_in_notes == day.teaching_minutes > 0


@pytest.mark.xfail(strict=True, reason="the bundled course's slide points and room versions are being written "
                                       "(issue 27): remove this mark when the test passes")
def test_the_day_reads_in_a_room(days) -> None:
    summary = "\n".join(day.summary() for day in days)
    for day in days:
        assert day.per_hour <= 20, summary
        assert day.continued_share <= 0.05, summary
        for what in ROOM:
            assert not day.breaches.get(what), f"{day.deck}: {what}: {day.breaches[what][:5]}"
