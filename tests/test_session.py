"""The session plan (generator/session.py) and the checks that it can be run as written."""

from __future__ import annotations


import pytest

from generator.loader.load import load_course
from generator.model import Lesson, Section, SessionBreak
from generator.session import (
    MINIMUMS, break_after, minimum_minutes, plan_module, session_minutes, session_plan,
)
from tests.bad_inputs.catalogue import replace
from tests.conftest import FIXTURES, ROOT, problem_lines, run_modgen

#: What ``modgen validate`` prints for tests/fixtures/untimed, a course that breaks each timing
#: rule once — every message at the key to fix.
UNTIMED = [
    "course.yaml:24:7: warning: a break after the last module 'close': the session ends there, the break is "
    "left out",
    "modules/01-places.yaml:4:1: warning: module 'places' is sensitive but no break follows it — add it to "
    "'session: breaks:' in course.yaml, or set 'session: break_after_sensitive:'",
    "modules/01-places.yaml:12:1: warning: the discussion of module 'places' gets 4 min for 3 prompts; with a "
    "group of 30 it needs at least 12 min (4 per prompt) — give each prompt its 'minutes', or lengthen the module",
    "modules/02-tools.yaml:13:5: warning: discussion prompt 'tools-d1' gets 2 min; with a group of 30 a prompt "
    "needs at least 4 min — see 'Timing a session' in docs/authoring.md",
    "modules/02-tools.yaml:17:5: warning: case 'tools-v1' gets 6 min for 3 questions; with a group of 30 it needs "
    "at least 12 min (4 per question) (for audience 'prevention') — see 'Timing a session' in docs/authoring.md",
    "modules/03-routes.yaml:3:1: warning: the timed parts of module 'routes' add up to 20 min, its duration is "
    "15 min — make the parts' minutes add up to the duration, or change the duration",
    "modules/04-close.yaml:3:1: warning: the timed parts of module 'close' add up to 12 min, its duration is "
    "25 min — 13 min are not planned: give them to a part, or shorten the duration",
]


def test_each_broken_timing_rule_is_a_located_warning() -> None:
    result = run_modgen("validate", FIXTURES / "untimed")
    assert result.returncode == 0, result.stderr
    assert problem_lines(result.stderr) == UNTIMED


def test_strict_makes_them_errors() -> None:
    result = run_modgen("validate", "--strict", FIXTURES / "untimed")
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [line.replace(" warning: ", " ", 1) for line in UNTIMED] + [
        "Validation: found 7 problems."]


def test_the_bundled_course_and_the_fixtures_pass_strict() -> None:
    for course in (ROOT, FIXTURES / "minimal"):
        result = run_modgen("validate", "--strict", course)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("edit", "expected"), [
    (replace("course.yaml", "    - after: close\n", "    - after: clos\n"),
     "course.yaml:24:7: unknown module 'clos' — did you mean 'close'?"),
    (replace("course.yaml", "    - after: close\n      minutes: 5\n",
             "    - after: tools\n      minutes: 5\n    - after: tools\n      minutes: 10\n"),
     "course.yaml:26:7: a second break after module 'tools' — list one break per module, with the minutes of both"),
    (replace("modules/02-tools.yaml", "duration: 30\n", "duration: 30\ndurations: {preventoin: 40}\n"),
     "modules/02-tools.yaml:4:13: unknown audience 'preventoin' — did you mean 'prevention'?"),
    (replace("course.yaml", "  group_size: 30\n", "  group_size: 0\n"),
     "course.yaml:22:15: session, group_size: Input should be greater than or equal to 1"),
])
def test_breaks_and_durations_that_point_nowhere_are_errors(edit, expected, course_copy) -> None:
    root = course_copy("untimed")
    edit(root)
    result = run_modgen("validate", root)
    assert result.returncode == 1
    assert expected in problem_lines(result.stderr), result.stderr


@pytest.mark.parametrize("edit", [
    replace("course.yaml", "  group_size: 30\n", "  group_size: 30\n  break_after_sensitive: 10\n"),
    replace("course.yaml", "    - after: close\n", "    - after: places\n"),
], ids=["rule", "listed"])
def test_a_rule_or_a_listed_break_silences_the_warning(edit, course_copy) -> None:
    root = course_copy("untimed")
    edit(root)
    result = run_modgen("validate", root)
    assert result.returncode == 0 and "is sensitive but no break" not in result.stderr, result.stderr
    assert "modules/01-places.yaml:12:1: warning: the discussion" in result.stderr  # the rest still holds


def test_a_smaller_group_needs_less_time() -> None:
    assert [minimum_minutes(n) for n in (1, 12, 13, 24, 25, 30, 500)] == [
        (2, 3), (2, 3), (3, 3), (3, 3), (4, 4), (4, 4), (4, 4)]
    assert MINIMUMS[-1][0] is None  # every group size has a row


# --- the plan's arithmetic ---------------------------------------------------------------------


def lesson(duration: int, minutes: list[int | None], **extra) -> Lesson:
    sections = [Section(id=f"s{i}", title=f"S{i}", body="x", minutes=m) for i, m in enumerate(minutes)]
    return Lesson(id="l", title="L", duration=duration, sections=sections, **extra)


def test_a_sensitive_module_gives_the_notice_its_minute_first(minimal_course) -> None:
    plan = plan_module(minimal_course, lesson(30, [10, None], sensitive=True), 1, 0)
    assert [(s.activity, s.minutes) for s in plan.slots] == [("notice", 1), (None, 10), (None, 19)]


def test_questions_asked_in_the_room_are_timed_and_the_case_keeps_its_minutes() -> None:
    course = load_course(ROOT).course.for_audience("enforcement")
    module = next(m for m in session_plan(course) if m.lesson.id == "preparation")
    quiz = next(s for s in module.slots if s.activity == "quiz")
    asked = [q for q in course.quiz_for(module.lesson).questions if q.in_room]
    assert 2 <= len(asked) <= 3
    assert quiz.minutes == quiz.given == len(asked) * course.session.question_minutes
    assert "3 of 10" in quiz.label.get("en") and "3 van 10" in quiz.label.get("nl")
    case = next(s for s in module.slots if s.activity == "vignette")
    assert 10 <= case.minutes <= 15 and case.given == case.minutes
    assert not module.scaled and not module.unplanned


def test_breaks_follow_the_list_then_the_rule_and_never_the_last_module(minimal_course) -> None:
    first, last = minimal_course.lessons
    assert first.sensitive and minimal_course.session.break_after_sensitive == 10
    assert break_after(minimal_course, first, last=False).minutes == 10
    assert break_after(minimal_course, first, last=True) is None
    assert break_after(minimal_course, last, last=False) is None  # not sensitive
    listed = minimal_course.model_copy(update={"session": minimal_course.session.model_copy(
        update={"breaks": [SessionBreak(after=first.id, minutes=25)]})})
    assert break_after(listed, first, last=False).minutes == 25
    plan = session_plan(listed)
    assert plan[0].pause.start == plan[0].end and plan[1].start == plan[0].end + 25
    assert session_minutes(plan) == first.duration + 25 + last.duration


def test_a_module_is_as_long_as_its_audience_sees_it() -> None:
    course = load_course(ROOT).course
    conclusions = course.lesson("conclusions")
    assert conclusions.durations == {"prevention": 72}
    for audience, cases in (("enforcement", 1), ("prevention", 2)):
        view = course.for_audience(audience)
        module = next(m for m in session_plan(view) if m.lesson.id == "conclusions")
        assert module.minutes == conclusions.durations.get(audience, conclusions.duration)
        assert sum(1 for s in module.slots if s.activity == "vignette") == cases
        assert sum(s.minutes for s in module.slots) == module.minutes


def test_the_bundled_plan_is_the_issue_s_plan_for_30_participants() -> None:
    """Group work 10–15 min per case, breaks of 10 min (and a lunch), the notice its minute, 2–3
    questions in the room per module — in every audience's session."""
    course = load_course(ROOT).course
    assert course.session.group_size == 30
    for audience in ("enforcement", "prevention"):
        plan = session_plan(course.for_audience(audience))
        for module in plan:
            assert not module.scaled and not module.unplanned, module.lesson.id
            kinds = [s.activity for s in module.slots]
            assert kinds[0] == "notice" and module.slots[0].minutes == 1
            for slot in module.slots:
                if slot.activity == "vignette":
                    assert 10 <= slot.minutes <= 15
            quiz = course.quiz_for(module.lesson)
            assert 2 <= sum(q.in_room for q in quiz.questions) <= 3
        pauses = [m.pause.minutes for m in plan if m.pause]
        assert len(pauses) == len(plan) - 1  # after every module but the last
        assert sorted(pauses)[:-1] == [10] * (len(pauses) - 1)
        assert 6 * 60 <= session_minutes(plan) <= 8 * 60  # a full day


def test_the_json_schemas_document_the_session_fields() -> None:
    """Editors complete and explain what authors time a session with."""
    from generator.schema import schema_for

    course, lesson, quiz = (schema_for(name) for name in ("course", "lesson", "quiz"))
    session = course["$defs"]["Session"]["properties"]
    assert {"group_size", "breaks", "break_after_sensitive", "notice_minutes", "question_minutes", "notes"} <= set(session)
    assert "docs/authoring.md" in session["group_size"]["description"]
    assert set(course["$defs"]["SessionBreak"]["required"]) == {"after", "minutes"}
    assert {"durations", "notes"} <= set(lesson["properties"])
    assert "minutes" in lesson["$defs"]["DiscussionPrompt"]["properties"]
    assert "minutes" in lesson["$defs"]["Vignette"]["properties"]
    assert set(lesson["$defs"]["SlideNotes"]["properties"]) == {"objectives", "agenda", "summary", "sources"}
    assert any("in_room" in d.get("properties", {}) for d in quiz["$defs"].values())
