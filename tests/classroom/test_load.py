"""A bounded run of bench/classroom_load.py: every answer of every participant counted once.

The full run (60 participants, 10 questions) is ``python bench/classroom_load.py``; its figures
are in bench/results.md. Times are reported there, not asserted here.
"""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from classroom_load import run_load, table, write_section  # noqa: E402


@pytest.mark.slow
def test_participants_answer_and_every_answer_counts_once() -> None:
    report = run_load(participants=15, questions=3)
    assert report.problems() == []
    assert len(report.round_trips) == 45 and report.refused_duplicates == 45
    assert report.counted == {"load-q1": 15, "load-q2": 15, "load-q3": 15}
    assert any("p95" in line for line in table(report))


def test_the_report_finds_miscounts() -> None:
    from classroom_load import Report

    report = Report(2, 1, 0.0, round_trips=[0.1, 0.2], refused_duplicates=2, counted={"q": 2}, live_counts=[2])
    assert report.problems() == []
    report.counted = {"q": 3}
    report.live_counts = [1]
    assert len(report.problems()) == 2
    assert Report.percentile([i / 100 for i in range(1, 101)], 95) == 0.95


def test_the_section_is_replaced_not_repeated(tmp_path) -> None:
    results = tmp_path / "results.md"
    results.write_text("# Benchmark results\n\n| a |\n\n## Later\n\ntext\n", encoding="utf-8")
    from classroom_load import SECTION

    write_section(results, [SECTION, "", "first"])
    write_section(results, [SECTION, "", "second"])
    text = results.read_text(encoding="utf-8")
    assert text.count(SECTION) == 1 and "second" in text and "first" not in text
    assert text.startswith("# Benchmark results\n\n| a |\n\n## Later\n\ntext\n")
