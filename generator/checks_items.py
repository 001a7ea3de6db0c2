"""Item-writing checks: quiz questions that a test-wise learner can answer without understanding.

The rules follow the item-writing guidelines of Haladyna, Downing & Rodriguez (2002) and the
true/false advice of Frisbie & Becker (1991); docs/authoring.md ("Writing good questions") explains
each rule, its threshold and its source. Every finding is a warning located at the question, option
or quiz it is about (``--strict`` fails on it). Rules that count — how often the key is the longest
option, where keys are shown, how often "true" is the answer — compare the count with what chance
gives and warn only when chance is an unlikely explanation, per quiz and for the whole course.

A course switches a rule off in ``course.yaml``, with the reason::

    item_writing:
      skip:
        short-distractor: the options are names of organisations, short by nature
"""

from __future__ import annotations

import math
import re
from typing import Callable, Iterable, Sequence

from generator.model import (
    ITEM_RULES, Course, MultipleResponse, QuestionBase, Quiz, SingleChoice, TrueFalse,
)
from generator.problems import Problem
from generator.shuffle import shown_options

# A count is reported when chance gives it (or more) with a probability below this: one quiz in
# twenty written without a pattern would be flagged by bad luck.
ALPHA = 0.05
# A distractor shorter than this share of the key's words is easy to rule out...
SHORT_SHARE = 0.5
# ...when the key is long enough for length to show (a two-word key next to a one-word option is not).
SHORT_MIN_KEY_WORDS = 6
# The exact tail costs the square of the questions counted; past this many, a normal approximation.
EXACT_UP_TO = 400
# Stem words shorter than this are mostly function words; they are no clue.
CLUE_MIN_LETTERS = 5

# Words too common in stems to be a clue when an option repeats them.
COMMON_WORDS = {
    "nl": {"welke", "welk", "volgens", "waarom", "wordt", "worden", "werden", "hebben", "heeft", "kunnen",
           "zijn", "deze", "dit", "die", "omdat", "waarin", "waarop", "waarvoor", "wanneer", "zich", "andere",
           "onderzoek", "vooral", "meeste", "alleen", "zullen", "hierboven", "beste", "juist", "juiste",
           "antwoord", "antwoorden"},
    "en": {"which", "according", "about", "their", "there", "these", "those", "would", "could", "should",
           "other", "being", "where", "while", "because", "study", "mostly", "answer", "answers", "correct",
           "above", "first", "every", "whose", "what", "when", "most", "only"},
}
NEGATIVE = {
    "nl": ("niet", "geen", "nooit", "behalve", "minst"),
    "en": ("not", "no", "never", "except", "least", "cannot"),
}
EN_CONTRACTION = re.compile(r"\b\w+n't\b", re.IGNORECASE)
ALL_NONE = re.compile(
    r"\b(?:(?:all|none|both|neither) of the (?:above|options|answers|these)|all of these"
    r"|(?:alle|geen van de) (?:bovenstaande|bovengenoemde|genoemde|vorige)(?: antwoorden| opties)?"
    r"|geen van beide|allebei)\b",
    re.IGNORECASE)
QUESTION = re.compile(r"[^.!?:;]*\?")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
MARKUP = re.compile(r"[*_`]")


def _words(text: str) -> list[str]:
    return WORD.findall(MARKUP.sub("", text))


def _stem_of(word: str) -> str:
    """A crude stem, so that "prioriteit" and "prioriteren", "host" and "hosting" meet."""
    return word.lower()[:6]


def binomial_tail(probabilities: Sequence[float], at_least: int) -> float:
    """The chance that at least ``at_least`` of independent events with ``probabilities`` happen
    (the Poisson-binomial upper tail; with equal chances, the binomial). Exact up to
    ``EXACT_UP_TO`` events; beyond, the normal approximation, so a course of thousands of
    questions is checked in linear time."""
    if len(probabilities) > EXACT_UP_TO:
        mean = sum(probabilities)
        variance = sum(p * (1 - p) for p in probabilities)
        if variance == 0:
            return 1.0 if at_least <= mean else 0.0
        return 0.5 * math.erfc((at_least - 0.5 - mean) / math.sqrt(2 * variance))
    dist = [1.0]
    for p in probabilities:
        nxt = [0.0] * (len(dist) + 1)
        for k, mass in enumerate(dist):
            nxt[k] += mass * (1 - p)
            nxt[k + 1] += mass * p
        dist = nxt
    return sum(dist[at_least:])


def check_items(course: Course) -> list[Problem]:
    """Item-writing warnings for every quiz and for the course as a whole, minus the rules the
    course switched off."""
    off = set(course.item_writing.skip)
    problems: list[Problem] = []
    for rule, check in RULES.items():
        if rule in off:
            continue
        problems += check(course)
    return [p.as_warning() for p in problems]


def _quizzes_and_course(course: Course, count: Callable[[Iterable[QuestionBase], str], list[tuple[str, str]]],
                        ) -> list[Problem]:
    """Runs a counting rule per quiz and, when the course has more than one quiz, over the course:
    ``count(questions, where)`` gives (message, hint) pairs."""
    problems = []
    for quiz in course.quizzes:
        for message, hint in count(quiz.questions, f"quiz '{quiz.id}'"):
            problems.append(quiz.problem(message, "questions", hint))
    if len(course.quizzes) > 1:
        every = [q for quiz in course.quizzes for q in quiz.questions]
        for message, hint in count(every, "the course"):
            problems.append(course.problem(message, "id", hint))
    return problems


def _singles(questions: Iterable[QuestionBase]) -> list[SingleChoice]:
    # Only well-formed ones: a question without exactly one key is already an error of its own
    # (checks.py), and the counts below need the key.
    return [q for q in questions if isinstance(q, SingleChoice) and len(q.options) >= 2
            and sum(o.correct for o in q.options) == 1]


def _about(expected: float) -> str:
    return f"{expected:.1f}".rstrip("0").rstrip(".")


# --- rules that count ------------------------------------------------------------------------


def _longest_key(course: Course) -> list[Problem]:
    def count(questions, where):
        singles = _singles(questions)
        found = []
        for lang in course.languages:
            hits = 0
            for q in singles:
                key = next(o for o in q.options if o.correct)
                length = len(" ".join(_words(key.text.get(lang))))
                if all(length > len(" ".join(_words(o.text.get(lang)))) for o in q.options if o is not key):
                    hits += 1
            chances = [1 / len(q.options) for q in singles]
            if hits and binomial_tail(chances, hits) < ALPHA:
                found.append((
                    f"{where}: the correct option is the longest in {hits} of {len(singles)} single-choice "
                    f"questions ({lang}; chance gives about {_about(sum(chances))})",
                    "a learner who picks the longest option scores: write options of comparable length and "
                    "form (rule 'longest-key')"))
        return found
    return _quizzes_and_course(course, count)


def _key_position(course: Course) -> list[Problem]:
    def count(questions, where):
        singles = _singles(questions)
        if not singles:
            return []
        found = []
        positions = max(len(q.options) for q in singles)
        for position in range(positions):
            hits = sum(1 for q in singles if shown_options(q)[position:position + 1]
                       and shown_options(q)[position].correct)
            chances = [1 / len(q.options) if position < len(q.options) else 0.0 for q in singles]
            # Every position is tested: each gets its share of the error rate (Bonferroni).
            if hits and binomial_tail(chances, hits) < ALPHA / positions:
                letter = chr(ord("A") + position)
                found.append((
                    f"{where}: the correct option is shown as {letter} in {hits} of {len(singles)} single-choice "
                    f"questions (chance gives about {_about(sum(chances))})",
                    "every output shows options in one order mixed by the question and option ids "
                    "(generator/shuffle.py): rename an option id to move a key (rule 'key-position')"))
        return found
    return _quizzes_and_course(course, count)


def _truth_value(course: Course) -> list[Problem]:
    def count(questions, where):
        answers = [q.answer for q in questions if isinstance(q, TrueFalse)]
        true = sum(answers)
        most, value = max((true, "true"), (len(answers) - true, "false"))
        # Two-sided: too many "true" answers are as much a pattern as too many "false".
        if answers and most > len(answers) / 2 and 2 * binomial_tail([0.5] * len(answers), most) < ALPHA:
            return [(f"{where}: {most} of {len(answers)} true/false questions have the answer '{value}'",
                     "a learner who always answers the same scores: rewrite some statements so that the other "
                     "answer is right (rule 'truth-value')")]
        return []
    return _quizzes_and_course(course, count)


# --- rules per question ----------------------------------------------------------------------


def _choice_questions(course: Course) -> Iterable[tuple[Quiz, QuestionBase]]:
    for quiz in course.quizzes:
        for q in quiz.questions:
            yield quiz, q


def _stem_clue(course: Course) -> list[Problem]:
    problems = []
    for _, q in _choice_questions(course):
        if not isinstance(q, SingleChoice):
            continue
        key = next((o for o in q.options if o.correct), None)
        if key is None:
            continue
        for lang in course.languages:
            common = COMMON_WORDS.get(lang, set())
            stem = {_stem_of(w): w for w in _words(q.stem.get(lang))
                    if len(w) >= CLUE_MIN_LETTERS and w.lower() not in common}
            in_key = {_stem_of(w) for w in _words(key.text.get(lang))} & set(stem)
            elsewhere = {_stem_of(w) for o in q.options if o is not key for w in _words(o.text.get(lang))}
            clues = sorted(in_key - elsewhere)
            if clues:
                words = ", ".join(f"'{stem[c]}'" for c in clues)
                problems.append(key.problem(
                    f"question '{q.id}': the correct option repeats the stem's {words} and no other option "
                    f"does ({lang})", "text",
                    "a learner can match words instead of understanding: reword the key, or let a "
                    "distractor use the word too (rule 'stem-clue')"))
    return problems


def _negative_stem(course: Course) -> list[Problem]:
    problems = []
    for _, q in _choice_questions(course):
        if not isinstance(q, (SingleChoice, MultipleResponse, TrueFalse)):
            continue
        for lang in course.languages:
            text = q.stem.get(lang)
            if not isinstance(q, TrueFalse) and "?" in text:
                # A case may set the scene in several sentences; the rule is about the question asked.
                text = QUESTION.findall(text)[-1]
            negatives = NEGATIVE.get(lang, ())
            for match in re.finditer(r"(\*\*|\*|_)?\b([^\W\d_]+(?:n't)?)\b(\*\*|\*|_)?", text):
                word = match.group(2)
                negative = word.lower() in negatives or (lang == "en" and EN_CONTRACTION.fullmatch(word))
                if not negative:
                    continue
                emphasised = (match.group(1) and match.group(3)) or (word.isupper() and len(word) > 1)
                if not emphasised:
                    problems.append(q.problem(
                        f"question '{q.id}': the stem is negative ('{word}') without emphasis ({lang})", "stem",
                        f"word it positively, or make the negation stand out: **{word}** or "
                        f"{word.upper()} (rule 'negative-stem')"))
                    break
    return problems


def _all_none_above(course: Course) -> list[Problem]:
    problems = []
    for _, q in _choice_questions(course):
        for option in getattr(q, "options", []):
            for lang in course.languages:
                match = ALL_NONE.search(option.text.get(lang))
                if match:
                    problems.append(option.problem(
                        f"question '{q.id}': option '{option.id}' is '{match.group(0)}' ({lang})", "text",
                        "options are shown in a mixed order, and recognising a non-answer tests nothing: write "
                        "a plausible option instead (rule 'all-none-above')"))
                    break
    return problems


def _short_distractor(course: Course) -> list[Problem]:
    problems = []
    for _, q in _choice_questions(course):
        if not isinstance(q, SingleChoice):
            continue
        key = next((o for o in q.options if o.correct), None)
        if key is None:
            continue
        for option in q.options:
            if option is key:
                continue
            for lang in course.languages:
                key_words, words = len(_words(key.text.get(lang))), len(_words(option.text.get(lang)))
                if key_words >= SHORT_MIN_KEY_WORDS and words < SHORT_SHARE * key_words:
                    problems.append(option.problem(
                        f"question '{q.id}': option '{option.id}' has {words} word{'s' * (words != 1)}, less than "
                        f"half of the correct option's {key_words} ({lang})", "text",
                        "a short distractor is easy to rule out: write it as completely as the key "
                        "(rule 'short-distractor')"))
                    break
    return problems


def _scored_check(course: Course) -> list[Problem]:
    problems = []
    for _, q in _choice_questions(course):
        # A question asked inline on the lesson page and scored in the quiz: the learner meets the
        # scored item, with its feedback, before the quiz. ``scored: false`` makes a check-only item.
        if q.check and getattr(q, "scored", True):
            problems.append(q.problem(
                f"question '{q.id}' is an in-lesson check and a scored quiz item: learners meet it, with its "
                "answer, before the quiz", "check",
                "write a separate check item with 'scored: false', and keep this one for the quiz "
                "(rule 'scored-check')"))
    return problems


RULES: dict[str, Callable[[Course], list[Problem]]] = {
    "longest-key": _longest_key,
    "key-position": _key_position,
    "truth-value": _truth_value,
    "stem-clue": _stem_clue,
    "negative-stem": _negative_stem,
    "all-none-above": _all_none_above,
    "short-distractor": _short_distractor,
    "scored-check": _scored_check,
}

assert tuple(RULES) == ITEM_RULES, "the model's rule names and the checks' must agree"
