"""The session model: steps in the deck's order, answers counted once, results without identities."""

from __future__ import annotations

import csv
import re
import io
from pathlib import Path

from generator.classroom.session import MAX_NICKNAME, Verdict, clean_nickname, write_results
from tests.classroom.conftest import first_question, go_to, make_session


def test_steps_follow_the_deck(session) -> None:
    kinds = [s.kind for s in session.steps]
    assert kinds == ["start", "discussion", "vignette", "question", "question", "question", "matching",
                     "summary"]
    questions = [s for s in session.steps if s.question is not None]
    assert [s.number for s in questions] == [1, 2, 3, 4]
    assert [s.question.id for s in questions] == ["prep-q1", "prep-q2", "prep-q3", "prep-q4"]
    true_false = questions[2]
    assert [(c.id, c.letter, c.correct) for c in true_false.choices] == [("true", "A", False), ("false", "B", True)]
    assert session.steps[1].prompt.id == "places" and session.steps[2].vignette.id == "station"


def test_letters_are_the_decks() -> None:
    """The trainer may show the deck and run the session at once: the same letter, the same answer."""
    from generator.shuffle import stable_shuffle

    session = make_session()
    step = session.steps[first_question(session)]
    deck_order = [o.id for o in stable_shuffle(step.question.options, step.question.id)]
    assert [c.id for c in step.choices] == deck_order
    assert [c.letter for c in step.choices] == ["A", "B", "C"]


def test_an_answer_counts_once_and_only_while_open(session) -> None:
    q = first_question(session)
    anna, bert = session.join("Anna"), session.join("")
    right = next(c.id for c in session.steps[q].choices if c.correct)
    wrong = next(c.id for c in session.steps[q].choices if not c.correct)
    assert session.answer(anna, q, [right]) is Verdict.LATE  # not the current step yet
    go_to(session, q)
    assert session.answer(anna, q, [right]) is Verdict.ACCEPTED
    assert session.answer(anna, q, [wrong]) is Verdict.DUPLICATE
    assert session.answer(anna, q, [right]) is Verdict.DUPLICATE
    assert session.tally(session.step).counts == {c.id: int(c.id == right) for c in session.step.choices}
    assert session.reveal() and not session.reveal()
    assert session.answer(bert, q, [wrong]) is Verdict.LATE  # after the reveal
    tally = session.tally(session.step)
    assert (tally.answered, tally.right, tally.share(tally.right)) == (1, 1, 100)
    assert anna.answers == {q: (right,)} and bert.answers == {}


def test_invalid_answers_change_nothing(session) -> None:
    q = first_question(session)
    go_to(session, q)
    anna = session.join()
    ids = [c.id for c in session.step.choices]
    for step, choices in [(q, []), (q, ["nope"]), (q, ids[:2]), (0, [ids[0]]), (-1, [ids[0]]), (99, [ids[0]]),
                          (len(session.steps) - 1, [ids[0]])]:
        assert session.answer(anna, step, choices) is Verdict.INVALID, (step, choices)
    assert anna.answers == {} and session.answered(session.step) == 0


def test_multiple_response_counts_each_choice(session) -> None:
    q = first_question(session) + 1
    go_to(session, q)
    step = session.step
    assert step.multiple
    right = [c.id for c in step.choices if c.correct]
    a, b = session.join(), session.join()
    assert session.answer(a, q, list(reversed(right))) is Verdict.ACCEPTED  # order does not matter
    assert session.answer(b, q, [right[0], right[0]]) is Verdict.ACCEPTED  # a repeated id is one choice
    tally = session.tally(step)
    assert tally.answered == 2 and tally.right == 1
    assert tally.counts[right[0]] == 2 and tally.counts[right[1]] == 1


def test_navigation_stays_in_bounds(session) -> None:
    assert not session.previous()
    assert not session.reveal()  # the start is nothing to reveal
    while session.next():
        pass
    assert session.step.kind == "summary" and not session.next()


def test_results_hold_counts_and_no_identities(tmp_path: Path, session) -> None:
    q = first_question(session)
    go_to(session, q)
    for name, pick in [("Anna Secret", 0), ("Bert Secret", 0), ("", 1)]:
        session.answer(session.join(name), q, [session.step.choices[pick].id])
    path = tmp_path / "results.csv"
    write_results(session, path)
    data = path.read_text(encoding="utf-8")
    assert "Secret" not in data
    for participant in session.participants.values():
        assert participant.id not in data
    rows = list(csv.DictReader(io.StringIO(data)))
    assert list(rows[0]) == ["date", "lesson", "step", "kind", "question", "question_id", "text", "option",
                             "option_id", "option_text", "correct", "count", "answered", "connected"]
    first = [r for r in rows if r["question_id"] == "prep-q1"]
    assert [(r["option"], r["count"], r["answered"]) for r in first] == [("A", "2", "3"), ("B", "1", "3"), ("C", "0", "3")]
    assert first[0]["text"] == session.step.question.stem.get("en") and first[0]["lesson"] == "preparation"
    assert first[0]["option_text"] == session.step.choices[0].text.get("en")
    assert first[0]["date"] == session.started.date().isoformat() and first[0]["kind"] == "single"
    assert {r["question_id"] for r in rows} == {"prep-q1", "prep-q2", "prep-q3", "prep-q4"}
    matching = [r for r in rows if r["kind"] == "matching"]  # answered on the phones: a count per pair
    assert matching and all(r["count"] == "0" and r["answered"] == "0" for r in matching)
    assert sum(r["correct"] == "yes" for r in matching) == len(session.steps[-2].question.pairs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]  # no temporary file left


def test_codes_and_tokens() -> None:
    a, b = make_session(), make_session()
    assert len(a.code) == 6 and a.code.isdigit()
    assert len(a.trainer_token) >= 32 and a.trainer_token != b.trainer_token
    assert a.code_matches(f" {a.code} ") and not a.code_matches("") and not a.code_matches(a.trainer_token)
    assert a.token_matches(a.trainer_token) and not a.token_matches(a.code)


def test_nicknames_are_cleaned() -> None:
    assert clean_nickname("  Anna\x00\n  de\tVries ") == "Anna de Vries"
    assert len(clean_nickname("x" * 500)) == MAX_NICKNAME
    session = make_session()
    session.join("bert"), session.join(""), session.join("Anna")
    assert session.nicknames() == ["Anna", "bert"]


def test_every_ui_string_in_dutch_and_english() -> None:
    import string

    from generator.classroom import text

    assert text.missing() == []
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)
    for key, texts in text.strings.items():
        assert fields(texts["nl"]) == fields(texts["en"]), key  # the same placeholders in both


def _question_ids(steps) -> list[str]:
    return [s.question.id for s in steps if s.question is not None]


def test_the_room_gets_the_questions_the_session_plan_asks_there() -> None:
    """A quiz that marks questions `in_room: true` gets those as steps (the rest is the self-check
    quiz's); --all-questions, or a quiz that marks none, gets every one, numbered as in the quiz."""
    from generator.classroom.serve import choose
    from generator.classroom.session import plan_steps
    from generator.loader.load import load_course
    from tests.conftest import ROOT

    bundled = load_course(ROOT).course
    for lesson_id in ("preparation", "pre-activity"):
        course, lesson, _, _ = choose(bundled, lesson_id, "nl", "enforcement")
        quiz = course.quiz_for(lesson)
        marked = [q.id for q in quiz.scored if q.in_room]
        assert 2 <= len(marked) < len(quiz.scored), lesson_id  # the bundled plan: 2–3 per module
        steps = plan_steps(course, lesson)
        assert _question_ids(steps) == marked
        numbers = {q.id: n for n, q in enumerate(quiz.scored, 1)}
        assert [s.number for s in steps if s.question is not None] == [numbers[q] for q in marked]
        assert _question_ids(plan_steps(course, lesson, all_questions=True)) == [q.id for q in quiz.scored]  # check items are the lesson page's
        assert steps[-1].kind == "summary"

    unmarked = make_session()  # the fixture's quiz marks no question for the room
    assert _question_ids(unmarked.steps) == [q.id for q in unmarked.course.quiz_for(unmarked.lesson).questions]


def test_a_matching_question_is_answered_on_the_phones_one_letter_a_premise(session) -> None:
    """Each (premise, response) is a choice; an answer names one response for every premise, and
    the counts per choice go in the results like any question's."""
    step = next(s for s in session.steps if s.kind == "matching")
    go_to(session, step.index)
    premises = [p.id for p in step.question.pairs]
    right = [f"{p}>{p}" for p in premises]
    wrong = [f"{premises[0]}>{premises[1]}", f"{premises[1]}>{premises[0]}"] + right[2:]
    assert session.answer(session.join(), step.index, right[:-1]) is Verdict.INVALID  # a premise left out
    assert session.answer(session.join(), step.index, right + [wrong[0]]) is Verdict.INVALID  # one twice
    assert session.answer(session.join(), step.index, ["nope>nope"]) is Verdict.INVALID
    assert session.answer(session.join(), step.index, right) is Verdict.ACCEPTED
    assert session.answer(session.join(), step.index, wrong) is Verdict.ACCEPTED
    tally = session.tally(step)
    assert tally.answered == 2 and tally.right == 1
    assert tally.counts[right[0]] == 1 and tally.counts[wrong[0]] == 1
    rows = [r for r in csv.DictReader(io.StringIO(session.results_csv())) if r["kind"] == "matching"]
    assert len(rows) == len(premises) ** 2 and all(r["count"] for r in rows)
    assert {r["option_id"]: r["count"] for r in rows}[right[0]] == "1"
    assert all(re.fullmatch(r"\d+-[A-Z]", r["option"]) for r in rows)



def test_a_matching_step_is_titled_as_a_question(room_views=None) -> None:
    from generator.classroom.app import create_app

    session = make_session()
    app = create_app(session, participant_url="http://t/", allowed_hosts=None)
    step = next(s for s in session.steps if s.kind == "matching")
    assert app.app.state.room.views.step_title(step) == f"Question {step.number} of {step.total}"
