"""The quiz flattening every LMS export shares: order, words, identifiers, Moodle fractions."""

from __future__ import annotations

from generator.model import Text
from generator.targets import quizbank
from tests.conftest import FIXTURES
from tests.targets.bank import expected, load


def test_modules_follow_lessons_and_keep_every_question() -> None:
    course = load(FIXTURES / "minimal")
    modules = quizbank.modules(course, "nl")
    assert [(m.id, m.lesson, m.title, m.pass_mark) for m in modules] == [
        ("preparation", "preparation", "De voorbereiding", 50), ("activity", "activity", "De diefstal", 60)]
    assert [q.id for m in modules for q in m.questions] == list(expected(course, "nl"))
    tf = modules[0].questions[2]
    assert [(a.id, a.text, a.correct) for a in tf.answers] == [("true", "Juist", False), ("false", "Onjuist", True)]
    steps = modules[1].questions[0].steps
    assert [s.id for s in steps] == ["choose", "open", "leave"]  # the correct order, as written


def test_words_make_one_line() -> None:
    assert quizbank.words(Text({"nl": " twee\n\nalinea's  hier \n", "en": "x"}), "nl") == "twee alinea's hier"
    assert quizbank.words(None, "nl") == ""


def test_stable_ids_are_names_and_fit_moodle() -> None:
    assert quizbank.stable_id("bike-theft", "nl", "prep-q1") == "bike-theft.nl.prep-q1"
    assert quizbank.stable_id("1st-course", "en", "q") == "id-1st-course.en.q"  # XML names start with a letter
    long = quizbank.stable_id("c" * 80, "nl", "q" * 80)
    assert len(long) == 100 and long == quizbank.stable_id("c" * 80, "nl", "q" * 80)
    assert long != quizbank.stable_id("c" * 80, "nl", "q" * 79 + "r")


def test_multiple_response_weights_sum_to_plus_and_minus_100() -> None:
    for right in range(1, 11):
        for wrong in range(0, 6):
            answers = tuple(quizbank.Answer(str(i), str(i), i < right, "") for i in range(right + wrong))
            weights = quizbank.multiple_response_weights(quizbank.BankQuestion("q", "multiple", "", "", answers=answers))
            assert abs(sum(w for w in weights if w > 0) - 100) < 0.001
            if wrong:
                assert abs(sum(w for w in weights if w < 0) + 100) < 0.001
            assert all(abs(w) in quizbank.MOODLE_FRACTIONS for w in weights)


def test_title_is_cut_at_a_word() -> None:
    q = quizbank.BankQuestion("q", "single", "woord " * 20, "")
    assert q.title.endswith("woord…") and len(q.title) <= 61
