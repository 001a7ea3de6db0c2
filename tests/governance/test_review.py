"""Review metadata: in the model and the schema, overdue reviews located by ``modgen validate``,
drafts and overdue lessons refused by ``modgen build --release``."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import pytest

from generator.governance import review
from generator.loader.load import load_course
from tests.conftest import ROOT, problem_lines, run_modgen

FIXTURES = Path(__file__).resolve().parent / "fixtures"
V1 = FIXTURES / "v1"


def value_position(path: Path, key: str, occurrence: int = 1) -> tuple[int, int]:
    """Line and column (1-based) of the value of the ``occurrence``-th ``key:`` in ``path``."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.lstrip()
        if stripped.startswith(f"{key}:"):
            seen += 1
            if seen == occurrence:
                after = line.index(f"{key}:") + len(key) + 1
                return number, after + len(line[after:]) - len(line[after:].lstrip()) + 1
    raise AssertionError(f"no {key}: in {path}")


def copy(tmp_path: Path, source: Path = V1) -> Path:
    dest = tmp_path / "course"
    shutil.copytree(source, dest)
    return dest


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_review_block_is_in_the_model() -> None:
    course = load_course(V1).course
    assert course.review.owner == "Course team"
    assert course.review.next_review == datetime.date(2027, 1, 15)
    assert course.review.status == "approved"
    lesson = course.lesson("preparation")
    assert lesson.review.owner == "Prevention desk"
    assert lesson.review.approved_by == "Training board"
    # A lesson without its own block is governed by the course's.
    assert review.governing_review(course, course.lesson("activity")) is course.review
    assert review.governing_review(course, lesson) is lesson.review


def test_modgen_schema_describes_the_review_block(tmp_path: Path) -> None:
    run_modgen("schema", "-o", tmp_path, check=True)
    for name in ("course", "lesson"):
        schema = json.loads((tmp_path / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert "review" in schema["properties"], name
        block = schema["$defs"]["Review"]
        assert set(block["properties"]) == {"owner", "reviewed", "next_review", "status", "approved_by"}
        assert block["additionalProperties"] is False
        assert block["properties"]["status"]["enum"] == ["draft", "approved"]
        dates = [v for v in block["properties"]["next_review"]["anyOf"] if v.get("type") == "string"]
        assert dates == [{"type": "string", "format": "date"}]


def test_a_past_next_review_warns_at_its_value(tmp_path: Path) -> None:
    result = run_modgen("validate", V1, env={"MODGEN_TODAY": "2027-01-01"})
    assert result.returncode == 0, result.stderr
    line, column = value_position(V1 / "modules" / "01-preparation.yaml", "next_review")
    expected = (f"modules/01-preparation.yaml:{line}:{column}: warning: review of lesson 'preparation' is "
                "overdue: next_review 2026-12-31 has passed (today is 2027-01-01)")
    assert expected in result.stderr
    assert "course.yaml" not in result.stderr  # the course's own review is due 2027-01-15
    assert "(1 warnings)" in result.stdout


def test_a_past_next_review_fails_validate_strict_with_its_location(tmp_path: Path) -> None:
    result = run_modgen("validate", "--strict", V1, env={"MODGEN_TODAY": "2027-02-01"})
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "overdue" in line]
    lesson_at = value_position(V1 / "modules" / "01-preparation.yaml", "next_review")
    course_at = value_position(V1 / "course.yaml", "next_review")
    assert errors == [
        f"course.yaml:{course_at[0]}:{course_at[1]}: review of the course is overdue: next_review 2027-01-15 "
        "has passed (today is 2027-02-01) — check it against the sources, then set 'reviewed' and a new "
        "'next_review'",
        f"modules/01-preparation.yaml:{lesson_at[0]}:{lesson_at[1]}: review of lesson 'preparation' is overdue: "
        "next_review 2026-12-31 has passed (today is 2027-02-01) — check it against the sources, then set "
        "'reviewed' and a new 'next_review'",
    ]
    assert "Validation: found 2 problems." in result.stderr
    assert "Traceback" not in result.stderr


def test_on_the_day_itself_a_review_is_not_overdue() -> None:
    course = load_course(V1).course
    assert review.overdue(course, datetime.date(2026, 12, 31)) == []
    assert len(review.overdue(course, datetime.date(2027, 1, 1))) == 1


def test_today_is_the_real_date_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(review.TODAY_VARIABLE, raising=False)
    assert review.today() == datetime.date.today()
    monkeypatch.setenv(review.TODAY_VARIABLE, "2030-05-06")
    assert review.today() == datetime.date(2030, 5, 6)


def test_a_bad_today_is_a_usage_error() -> None:
    result = run_modgen("validate", V1, env={"MODGEN_TODAY": "next tuesday"})
    assert result.returncode == 2
    assert "MODGEN_TODAY='next tuesday' is not a date written YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("written, message", [
    ("2026-13-01", "'2026-13-01' is not a date in the calendar"),
    ("2026", "expected a date written YYYY-MM-DD, got 2026"),
    ("soon", "expected a date written YYYY-MM-DD, got 'soon'"),
])
def test_a_bad_date_is_located(tmp_path: Path, written: str, message: str) -> None:
    course = copy(tmp_path)
    lesson = course / "modules" / "01-preparation.yaml"
    replace(lesson, "reviewed: 2026-02-01", f"reviewed: {written}")
    result = run_modgen("validate", course)
    assert result.returncode == 1
    line, column = value_position(lesson, "reviewed")
    assert f"modules/01-preparation.yaml:{line}:{column}: review, reviewed: " in result.stderr
    assert message in result.stderr


def test_an_unknown_status_is_located(tmp_path: Path) -> None:
    course = copy(tmp_path)
    lesson = course / "modules" / "01-preparation.yaml"
    replace(lesson, "status: approved", "status: final")
    result = run_modgen("validate", course)
    assert result.returncode == 1
    line, column = value_position(lesson, "status")
    assert f"modules/01-preparation.yaml:{line}:{column}: review, status: Input should be 'draft' or 'approved'" \
        in result.stderr


def _manifest_and_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_build_release_refuses_a_draft_and_leaves_the_earlier_output(tmp_path: Path) -> None:
    course = copy(tmp_path)
    out = tmp_path / "out"
    env = {"MODGEN_TODAY": "2026-06-01"}
    run_modgen("build", course, "-o", out, "--format", "gift", "--release", "--quiet", env=env, check=True)
    before = _manifest_and_files(out)
    assert before
    lesson = course / "modules" / "01-preparation.yaml"
    replace(lesson, "status: approved", "status: draft")
    replace(course / "quizzes" / "01-preparation.yaml", "Waar gebeuren de meeste fietsdiefstallen?",
            "Waar worden de meeste fietsen gestolen?")
    result = run_modgen("build", course, "-o", out, "--format", "gift", "--release", env=env)
    assert result.returncode == 1
    line, column = value_position(lesson, "status")
    assert problem_lines(result.stderr) == [
        f"modules/01-preparation.yaml:{line}:{column}: lesson 'preparation' is a draft: a release needs status "
        "'approved' — have it approved, then set 'status: approved' and 'approved_by'",
        "Build: found 1 problem; nothing was built, the previous output is unchanged.",
    ]
    assert _manifest_and_files(out) == before
    # Without --release the draft builds: drafts are for trying out.
    run_modgen("build", course, "-o", out, "--format", "gift", "--quiet", env=env, check=True)
    assert _manifest_and_files(out) != before


def test_build_release_lists_every_refusal(tmp_path: Path) -> None:
    course = copy(tmp_path)
    replace(course / "course.yaml", "status: approved", "status: draft")
    result = run_modgen("build", course, "-o", tmp_path / "out", "--format", "gift", "--release",
                        env={"MODGEN_TODAY": "2027-01-05"})
    assert result.returncode == 1
    lines = problem_lines(result.stderr)
    status_at = value_position(course / "course.yaml", "status")
    lesson_at = value_position(course / "modules" / "01-preparation.yaml", "next_review")
    assert lines[0] == (f"course.yaml:{status_at[0]}:{status_at[1]}: the course is a draft: a release needs "
                        "status 'approved' — have it approved, then set 'status: approved' and 'approved_by'")
    assert lines[1] == (f"modules/01-preparation.yaml:{lesson_at[0]}:{lesson_at[1]}: lesson 'preparation' is "
                        "overdue for review: next_review 2026-12-31 has passed (today is 2027-01-05) — review it "
                        "before releasing")
    assert lines[-1] == "Build: found 2 problems; nothing was built, the previous output is unchanged."
    assert not (tmp_path / "out").exists()


def test_build_release_refuses_a_lesson_nobody_reviewed(tmp_path: Path) -> None:
    course = copy(tmp_path)
    text = (course / "course.yaml").read_text(encoding="utf-8")
    start = text.index("review:\n")
    end = text.index("languages:")
    (course / "course.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_modgen("build", course, "-o", tmp_path / "out", "--format", "gift", "--release",
                        env={"MODGEN_TODAY": "2026-06-01"})
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "modules/02-activity.yaml:1:1: lesson 'activity' has no review: a release needs every "
        "lesson approved — add a 'review:' block with 'status: approved' to the lesson or to course.yaml")


def test_the_bundled_course_is_approved_and_owned_by_its_maintainers() -> None:
    course = load_course(ROOT).course
    blocks = [course.review] + [lesson.review for lesson in course.lessons]
    assert all(b is not None for b in blocks)
    assert {b.owner for b in blocks} == {"modgen course maintainers"}
    assert {b.status for b in blocks} == {"approved"}
    assert all(b.next_review > datetime.date.today() for b in blocks)
    assert review.release_problems(course) == []
