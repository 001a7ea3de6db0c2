"""The interaction catalogue: ids per SCORM version, types, and patterns in each syntax; and
reading responses back (what ``modgen report`` does with an LMS's export)."""

from __future__ import annotations

from generator.targets import interactions
from tests.conftest import FIXTURES
from tests.targets.bank import load


def _by_question():
    course = load(FIXTURES / "minimal")
    return {i.question: i for i in interactions.interactions(course)}


def test_types_and_patterns_of_every_question_type() -> None:
    found = {q: (i.type, i.pattern12, i.pattern2004) for q, i in _by_question().items()}
    assert found == {
        "prep-q1": ("choice", "a", "a"),
        "prep-q2": ("choice", "{a,b}", "a[,]b"),
        "prep-q3": ("true-false", "f", "false"),
        "prep-q4": ("matching", "a.a,b.b", "police[.]police[,]municipality[.]municipality"),
        "act-q1": ("sequencing", "a,b,c", "choose[,]open[,]leave"),
    }


def test_scorm12_ids_keep_only_its_characters_and_stay_unique() -> None:
    assert interactions.id12("unit.3-q_1") == "unit_3-q_1"
    made = interactions._unique12(["a.b", "a_b", "c"])
    assert made["a_b"] == "a_b" and made["c"] == "c"
    assert made["a.b"].startswith("a_b-") and len(set(made.values())) == 3
    assert all(interactions._NOT_12.search(v) is None for v in made.values())


def test_decode_reads_both_syntaxes_back_to_answer_ids() -> None:
    items = _by_question()
    cases = [
        ("prep-q1", "b", ["b"]), ("prep-q2", "a,c", ["a", "c"]), ("prep-q2", "a[,]c", ["a", "c"]),
        ("prep-q2", "{a,b}", ["a", "b"]), ("prep-q3", "t", ["true"]), ("prep-q3", "false", ["false"]),
        ("prep-q4", "a.b,b.a", {"police": "municipality", "municipality": "police"}),
        ("prep-q4", "police[.]municipality[,]municipality[.]police", {"police": "municipality", "municipality": "police"}),
        ("act-q1", "c,b,a", ["leave", "open", "choose"]), ("act-q1", "leave[,]open[,]choose", ["leave", "open", "choose"]),
        ("prep-q1", "z", None), ("prep-q4", "police[.]nobody", None),
    ]
    for qid, response, answer in cases:
        assert interactions.decode(items[qid], response) == answer, (qid, response)
    # Formatting and decoding are each other's inverse.
    for item in items.values():
        for answer in ([item.correct[0]], list(reversed(item.choices))):
            if item.type == "matching":
                answer = dict(zip(item.choices, reversed(item.choices)))
            if item.type == "true-false":
                answer = ["true"]
            if item.type == "choice":  # a set: reported in the YAML's order
                answer = [c for c in item.choices if c in answer]
            assert interactions.decode(item, interactions.format12(item, answer)) == answer
            assert interactions.decode(item, interactions.format2004(item, answer)) == answer


def test_catalogue_objectives_carry_their_quiz_pass_mark() -> None:
    course = load(FIXTURES / "minimal").for_audience("enforcement")
    objectives = {o["id2004"]: o for o in interactions.catalogue(course, "en")["objectives"]}
    assert objectives["prep-explain"]["passMark"] == 50  # the preparation quiz's own
    assert objectives["act-order"]["passMark"] == course.pass_mark
    assert objectives["prep-explain"]["questions"] == ["prep-q1", "prep-q4"]


def test_single_letter_ids_are_read_in_the_syntax_asked_for() -> None:
    """Option ids that are letters in another order than SCORM 1.2's: "a" is the third option's
    id in 2004 and the first option's letter in 1.2; decode takes the reading asked for."""
    item = interactions.Interaction("q", "z", "choice", "q", "q", "o", "o", ("c", "b", "a"), ("c",), False)
    assert interactions.readings(item, "a") == {"2004": ["a"], "1.2": ["c"]}
    assert interactions.decode(item, "a") == ["a"] and interactions.decode(item, "a", "1.2") == ["c"]
    assert interactions.readings(item, "c[,]b") == {"2004": ["c", "b"]}
    assert interactions.readings(item, "{a,b}") == {"1.2": ["c", "b"]}


def test_more_answers_than_scorm12_can_name_leave_its_pattern_empty() -> None:
    ids = tuple(f"s{k}" for k in range(40))
    item = interactions.Interaction("q", "z", "sequencing", "q", "q", "o", "o", ids, ids, False)
    assert item.pattern12 == "" and interactions.format12(item, list(reversed(ids))) == ""
    assert item.pattern2004 == "[,]".join(ids)
