"""A bounded run of bench/classroom_load.py: every answer of every participant counted once.

The full run (60 participants, 10 questions) is ``python bench/classroom_load.py``; its figures
are in bench/results.md. Times are reported there, not asserted here.
"""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import classroom_load  # noqa: E402
from classroom_load import run_load, table, write_section  # noqa: E402

needs_addresses = pytest.mark.skipif(not classroom_load.loopback_addresses(),
                                     reason="needs 127.x.y.z loopback addresses for phones (Linux)")
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"


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


@pytest.mark.slow
@needs_addresses
def test_250_phones_join_at_once_with_a_terminals_open_file_limit() -> None:
    """A Mac terminal starts a program with 256 open files: the server raises its own limit, so
    the 250th phone gets in; the trainer's channel stays open, and its count reaches 250."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    with classroom_load.served(MINIMAL, open_files=(256, hard)) as (proc, trainer, root, code):
        storm = classroom_load.in_thread(classroom_load.join_storm(trainer, root, code, 250))
        assert storm.joined == 250
        assert storm.trainer_open
        assert storm.counts_seen and max(storm.counts_seen) == 250
        proc.send_signal(2)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "Traceback" not in err, err


@pytest.mark.slow
@needs_addresses
def test_1000_idle_connections_are_closed_and_a_real_join_gets_through() -> None:
    """Without the code: 1,000 connections that send nothing, against a server that may open only
    256 files. Every one is closed within 10 s; a real phone joins meanwhile in under 2 s; nothing
    floods the log."""
    with classroom_load.served(MINIMAL, open_files=(256, 256)) as (proc, trainer, root, code):
        flood = classroom_load.in_thread(classroom_load.idle_flood(root, code, 1000))
        assert len(flood.closed_within) == 1000 and max(flood.closed_within) < 10
        assert flood.join_seconds is not None and flood.join_seconds < 2
        proc.send_signal(2)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0 and "Traceback" not in err and len(err) < 2000, err


@pytest.mark.slow
@needs_addresses
def test_one_address_opening_600_joins_does_not_stop_others_joining() -> None:
    from generator.classroom.app import JOINS_PER_ADDRESS

    with classroom_load.served(MINIMAL) as (proc, trainer, root, code):
        flooder, others = classroom_load.in_thread(classroom_load.one_address_joins(root, code, 600, 50))
    assert flooder == JOINS_PER_ADDRESS and others == 50
