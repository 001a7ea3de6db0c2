"""What an LMS records of each question: the interaction catalogue of SCORM 1.2, SCORM 2004 and
xAPI (cmi5), made once from the model.

Every question becomes an interaction record with

- an id: the question's own id, which checks make unique across the course. SCORM 2004 (a
  ``long_identifier_type``) and xAPI take it as it is; SCORM 1.2's ``CMIIdentifier`` is
  alphanumeric, so there ``.`` and any other character outside ``A-Z a-z 0-9 _ -`` become ``_``
  (and a short hash is added in the rare case that two ids then meet);
- the standard's interaction type: single and multiple choice are ``choice``, true/false is
  ``true-false``, matching ``matching``, ordering ``sequencing``;
- the correct-response pattern in each version's own syntax. SCORM 2004 and xAPI name answers by
  their ids, with ``[,]`` between answers and ``[.]`` between a premise and its response (the
  response is named by the id of the pair it belongs to). SCORM 1.2 allows only single characters
  (``0-9 a-z``) per answer: the k-th option, pair or step as written in the YAML is the k-th letter
  of ``abc…z0…9``; multiple-response patterns are a set (``{a,c}``), matching is ``a.b,b.a``,
  true/false ``t`` or ``f``.

The launch scripts get this catalogue as JSON (``catalogue``) and format the learner's response
with the same rules (``scorm-launch.js``, ``cmi5-launch.js``); ``modgen report`` reads responses
back with :func:`decode`.

Course objectives become ``cmi.objectives`` (SCORM) with the questions that assess them and the
pass mark their status is judged against: the pass mark of the quiz that holds those questions,
or the course's when they are spread over quizzes with different pass marks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from generator.model import Course, Matching, MultipleResponse, Ordering, QuestionBase, SingleChoice, TrueFalse
from generator.targets import quizbank

#: Our question types → the interaction types SCORM and xAPI name.
TYPES = {"single": "choice", "multiple": "choice", "true-false": "true-false", "matching": "matching",
         "ordering": "sequencing"}

#: SCORM 1.2's characters for answers, in the order the k-th answer takes them.
LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"

_NOT_12 = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Interaction:
    question: str  # the question's id
    quiz: str
    type: str  # choice, true-false, matching, sequencing
    id12: str
    id2004: str
    objective: str  # the objective's id (as it is, for 2004 and xAPI)
    objective12: str
    choices: tuple[str, ...]  # option / pair / step ids in YAML order: 1.2's letters go by it
    correct: tuple[str, ...]  # the right answer: option ids, pair ids (matching: premise = response), steps in order
    multiple: bool  # a multiple-response choice (its 1.2 pattern is a set)

    @property
    def pattern12(self) -> str:
        return format12(self, self.correct if self.type != "matching" else
                        {p: p for p in self.correct}, pattern=True)

    @property
    def pattern2004(self) -> str:
        return format2004(self, self.correct if self.type != "matching" else {p: p for p in self.correct})


def id12(text: str) -> str:
    return _NOT_12.sub("_", text)[:255]


def _unique12(ids: list[str]) -> dict[str, str]:
    """Each id's SCORM 1.2 form, made unique where two would otherwise meet."""
    made = {i: id12(i) for i in ids}
    seen: dict[str, int] = {}
    for value in made.values():
        seen[value] = seen.get(value, 0) + 1
    for original, value in made.items():
        if seen[value] > 1 and value != original:
            made[original] = value[:240] + "-" + hashlib.sha256(original.encode()).hexdigest()[:8]
    return made


def _answers(q: QuestionBase) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if isinstance(q, TrueFalse):
        return ("true", "false"), ("true" if q.answer else "false",)
    if isinstance(q, (SingleChoice, MultipleResponse)):
        return tuple(o.id for o in q.options), tuple(o.id for o in q.options if o.correct)
    if isinstance(q, Matching):
        ids = tuple(p.id for p in q.pairs)
        return ids, ids
    if isinstance(q, Ordering):
        ids = tuple(i.id for i in q.items)
        return ids, ids
    raise TypeError(f"unknown question type {type(q).__name__}")  # pragma: no cover - model is closed


def interactions(course: Course) -> list[Interaction]:
    """Every question of ``course`` as an interaction, in quiz order."""
    # Check items (scored: false) are not reported: the lesson page asks them, unscored.
    questions = [(quiz, q) for quiz in course.quizzes for q in quiz.scored]
    qids = _unique12([q.id for _, q in questions])
    oids = _unique12([o.id for lesson in course.lessons for o in lesson.objectives]
                     + [q.objective for _, q in questions])
    found = []
    for quiz, q in questions:
        choices, correct = _answers(q)
        found.append(Interaction(q.id, quiz.id, TYPES[q.kind], qids[q.id], q.id, q.objective, oids[q.objective],
                                 choices, correct, isinstance(q, MultipleResponse)))
    return found


def format12(item: Interaction, answer, *, pattern: bool = False) -> str:
    """``answer`` (option ids; matching: premise id → response's pair id) in SCORM 1.2's syntax;
    empty for a question with more answers than 1.2 has characters (36): the record then holds
    the result without the response or the pattern."""
    if len(item.choices) > len(LETTERS):
        return ""
    letter = {c: LETTERS[k] for k, c in enumerate(item.choices)}
    if item.type == "true-false":
        return "t" if list(answer) == ["true"] else "f"
    if item.type == "matching":
        return ",".join(f"{letter[p]}.{letter[answer[p]]}" for p in item.choices if p in answer)
    if item.type == "sequencing":
        return ",".join(letter[a] for a in answer)
    chosen = ",".join(letter[c] for c in item.choices if c in answer)
    return "{" + chosen + "}" if pattern and item.multiple else chosen


def format2004(item: Interaction, answer) -> str:
    """``answer`` in SCORM 2004's (and xAPI's) syntax."""
    if item.type == "true-false":
        return "true" if list(answer) == ["true"] else "false"
    if item.type == "matching":
        return "[,]".join(f"{p}[.]{answer[p]}" for p in item.choices if p in answer)
    if item.type == "sequencing":
        return "[,]".join(answer)
    return "[,]".join(c for c in item.choices if c in answer)


def readings(item: Interaction, response: str) -> dict[str, list[str] | dict[str, str]]:
    """A response as an LMS reports it → answer ids, in each syntax it can be read in:
    ``{"2004": …, "1.2": …}`` with the syntaxes that name only answers the question has. Both can
    apply (option ids that are single letters); :func:`decode` chooses."""
    response = response.strip()
    found: dict[str, list[str] | dict[str, str]] = {}
    if item.type == "true-false":
        modern = {"true": "true", "false": "false"}.get(response)
        legacy = {"t": "true", "1": "true", "f": "false", "0": "false", "true": "true", "false": "false"}.get(response)
        if modern:
            found["2004"] = [modern]
        if legacy:
            found["1.2"] = [legacy]
        return found
    by_letter = {LETTERS[k]: c for k, c in enumerate(item.choices) if k < len(LETTERS)}
    for syntax, parts, pair_sep, name in (
            ("2004", response.split("[,]"), "[.]", lambda x: x),
            ("1.2", response.removeprefix("{").removesuffix("}").split(","), ".", lambda x: by_letter.get(x, ""))):
        parts = [part for part in parts if part]
        if not parts:
            continue
        if item.type == "matching":
            pairs: dict[str, str] = {}
            for part in parts:
                premise, sep, chosen = part.partition(pair_sep)
                premise, chosen = name(premise), name(chosen)
                if not sep or premise not in item.choices or chosen not in item.choices:
                    break
                pairs[premise] = chosen
            else:
                found[syntax] = pairs
            continue
        ids = [name(part) for part in parts]
        if all(i in item.choices for i in ids):
            found[syntax] = ids
    return found


def decode(item: Interaction, response: str, prefer: str = "2004") -> list[str] | dict[str, str] | None:
    """A response in either syntax → answer ids (``prefer`` when both readings work and differ);
    None when it names answers the question does not have."""
    found = readings(item, response)
    return found.get(prefer, found.get("1.2" if prefer == "2004" else "2004"))


def catalogue(course: Course, lang: str) -> dict:
    """What the launch scripts need (JSON): each question's interaction and each objective's."""
    bank = {q.id: q for module in quizbank.modules(course, lang) for q in module.questions}
    items = interactions(course)
    questions = {}
    for item in items:
        questions[item.question] = {
            "id12": item.id12, "id2004": item.id2004, "quiz": item.quiz, "type": item.type, "multiple": item.multiple,
            "objective12": item.objective12, "objective2004": item.objective, "choices": list(item.choices),
            "pattern12": item.pattern12, "pattern2004": item.pattern2004,
            "description": bank[item.question].title if item.question in bank else "",
        }
    pass_marks: dict[str, set[int]] = {}
    for quiz in course.quizzes:
        for q in quiz.scored:
            pass_marks.setdefault(q.objective, set()).add(course.quiz_pass_mark(quiz))
    objectives = []
    twelve = {item.objective: item.objective12 for item in items}
    for lesson in course.lessons:
        for objective in lesson.objectives:
            assessed = [item.question for item in items if item.objective == objective.id]
            if not assessed:
                continue
            marks = pass_marks.get(objective.id, set())
            objectives.append({
                "id12": twelve.get(objective.id, id12(objective.id)), "id2004": objective.id,
                "questions": assessed, "passMark": min(marks) if len(marks) == 1 else course.pass_mark,
                # 250 characters at most in SCORM 2004, with the "{lang=xx}" the launch page adds.
                "description": quizbank.words(objective.text, lang)[:240],
            })
    return {"questions": questions, "objectives": objectives, "lang": lang}
