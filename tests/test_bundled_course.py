"""The content rules of the bundled course that a machine can check (issue 3).

These run over whatever lessons and quizzes the repository root holds, so every module that lands is
held to the same rules. The expected Table 1 is copied from ../shared/source/FACTS.md on purpose: the
test is an independent check of the course, not a second reading of it.
"""

from __future__ import annotations

import re

import pytest

from generator.loader.load import load_course
from generator.model import ANY_LANGUAGE, Course, Lesson, Matching, Ordering, Table, Text, TrueFalse, walk
from tests.conftest import ROOT, run_modgen

LANGUAGES = ("nl", "en")
EXPECTED_MODULES = 6
MIN_QUESTIONS = 8
MIN_QUESTION_TYPES = 3
ENFORCEMENT_ACTORS = {"police", "prosecution"}
PREVENTION_ACTORS = {"policy", "probation", "treatment", "child-protection", "platforms", "helplines"}

# The legal term may appear in one place only: the terminology note of the introduction.
LEGAL_TERM = re.compile(r"child[ -]?porn|kinderporno", re.IGNORECASE)
TERMINOLOGY_NOTE = ("introduction", "terminology")

# Table 1 of the source (FACTS.md), row by row: the label is free, the figures are not.
TABLE_1 = {
    "online": ["2010–2014", "2009–2013", "2012–2013", "2013"],
    "members": [105650, 33130, 12215, 14370],
    "management team size": [5, 1, 1, 4],
    "status levels": [12, 3, 7, 9],
    "subforums": [15, 3, 20, 34],
    "threads": [1265, 103, 603, 1094],
    "posts": [420000, 11250, 32360, 35500],
    "posts sampled": [1500, 103, 929, 2373],
}
# Every number the source writes with a thousands separator; text may use no other such number.
# (165,000: members of the four fora together; 40,000: unique images found by the CCCP crawler.)
SOURCE_FIGURES = {n for row in TABLE_1.values() for n in row if isinstance(n, int) and n >= 1000} | {165000, 40000}
SEPARATED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{3})+(?![\d])")

# Untranslated copies: a text of this many words or more must differ between the languages. Numbers
# do not count as words, so a name with a phone number ("Stop it Now, 0800 266 6436") may be the same.
PROSE_WORDS = 5
WORD = re.compile(r"[^\W\d_]{2,}")


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(ROOT, strict=True).course


def _texts(course: Course):
    """Every Text of the course with a readable place: (place, text)."""
    trees = [("course.yaml", course)] + [(f"lesson {l.id}", l) for l in course.lessons] + \
        [(f"quiz {q.id}", q) for q in course.quizzes]
    for name, tree in trees:
        for loc, node in walk(tree):
            if isinstance(node, Text):
                yield (name, *loc), node


def _phase_lessons(course: Course) -> list[Lesson]:
    return [lesson for lesson in course.lessons if lesson.phase is not None]


def test_validate_strict_passes() -> None:
    result = run_modgen("validate", "--strict", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout


def test_six_modules_cover_every_phase(course: Course) -> None:
    assert len(course.lessons) == EXPECTED_MODULES
    assert len(course.quizzes) == EXPECTED_MODULES
    assert {lesson.phase for lesson in _phase_lessons(course)} == {p.id for p in course.phases}


def test_every_lesson_has_a_quiz_of_enough_questions_and_types(course: Course) -> None:
    assert course.lessons, "the bundled course has no lessons"
    for lesson in course.lessons:
        quiz = course.quiz_for(lesson)
        assert quiz is not None, f"lesson {lesson.id} has no quiz"
        assert len(quiz.questions) >= MIN_QUESTIONS, f"quiz {quiz.id}: {len(quiz.questions)} questions"
        kinds = {q.kind for q in quiz.questions}
        assert len(kinds) >= MIN_QUESTION_TYPES, f"quiz {quiz.id} uses only {sorted(kinds)}"


def test_every_answer_has_feedback_in_both_languages(course: Course) -> None:
    for quiz in course.quizzes:
        for q in quiz.questions:
            if isinstance(q, TrueFalse):
                feedback = [q.feedback_true, q.feedback_false]
            elif isinstance(q, Matching):
                feedback = [p.feedback for p in q.pairs]
            elif isinstance(q, Ordering):
                feedback = [i.feedback for i in q.items]
            else:
                feedback = [o.feedback for o in q.options]
            for text in feedback + [q.explanation]:
                for lang in LANGUAGES:
                    assert text.get(lang).strip(), f"{quiz.id}/{q.id}: no {lang} feedback or explanation"


def test_both_languages_complete_and_translated(course: Course) -> None:
    assert tuple(course.languages) == LANGUAGES
    untranslated = []
    for place, text in _texts(course):
        assert ANY_LANGUAGE not in text.languages(), f"{place}: plain text in a bilingual course"
        for lang in LANGUAGES:
            assert text.get(lang).strip(), f"{place}: empty {lang} text"
        nl, en = text.get("nl").strip(), text.get("en").strip()
        bibliography = place[:2] == ("course.yaml", "sources")  # references keep their own language
        if len(WORD.findall(en)) >= PROSE_WORDS and nl == en and not bibliography:
            untranslated.append(place)
    assert not untranslated, f"texts identical in nl and en (untranslated?): {untranslated}"


def test_legal_term_only_in_the_terminology_note(course: Course) -> None:
    lines = {lang: [] for lang in LANGUAGES}
    for place, text in _texts(course):
        for lang in LANGUAGES:
            for line in text.get(lang).splitlines():
                if LEGAL_TERM.search(line):
                    lines[lang].append((place, line))
    lesson, section = TERMINOLOGY_NOTE
    for lang, found in lines.items():
        assert len(found) == 1, f"{lang}: the legal term must stand on exactly one line, found {found}"
        place, _ = found[0]
        assert place[0] == f"lesson {lesson}" and "sections" in place, place
        index = place[place.index("sections") + 1]
        assert course.lesson(lesson).sections[index].id == section, place


def test_legal_term_lines_in_the_course_files() -> None:
    """Also comments and raw YAML: the pre-stop hook counts these lines (at most one per language)."""
    files = [ROOT / "course.yaml", *sorted((ROOT / "modules").glob("*.yaml")), *sorted((ROOT / "quizzes").glob("*.yaml"))]
    hits = [f"{f.name}: {line.strip()}" for f in files for line in f.read_text(encoding="utf-8").splitlines()
            if LEGAL_TERM.search(line)]
    assert len(hits) <= len(LANGUAGES), hits


def test_sensitive_modules_have_notice_and_support(course: Course) -> None:
    assert all(lesson.sensitive for lesson in course.lessons), "every module of this course is sensitive"
    assert course.content_notice is not None
    for lang in LANGUAGES:
        assert course.content_notice.get(lang).strip()
    urls = {s.url for s in course.support}
    phones = {s.phone for s in course.support}
    assert "https://www.eokm.nl" in urls, "EOKM missing from support resources"
    assert "0800 266 6436" in phones and "https://www.stopitnow.nl" in urls, "Stop it Now missing"
    assert "0900 8844" in phones, "police (0900 8844) missing"


def test_every_intervention_point_names_actor_audience_and_basis(course: Course) -> None:
    actors = {a.id for a in course.actors}
    audiences = {a.id for a in course.audiences}
    for lesson in course.lessons:
        for point in lesson.interventions:
            where = f"{lesson.id}/{point.id}"
            assert point.actor in actors, where
            assert point.audiences and set(point.audiences) <= audiences, where
            assert point.basis in ("finding", "implication", "derived"), where
            if point.basis != "derived":
                assert point.source is not None, f"{where}: basis {point.basis} needs a source"


def test_each_phase_lesson_has_interventions_for_both_audiences(course: Course) -> None:
    phase_lessons = _phase_lessons(course)
    assert phase_lessons, "no phase lessons yet"
    for lesson in phase_lessons:
        enforcement = [p for p in lesson.interventions if p.is_for("enforcement")]
        prevention = [p for p in lesson.interventions if p.is_for("prevention")]
        assert {p.actor for p in enforcement} & ENFORCEMENT_ACTORS, f"{lesson.id}: no police/prosecution point"
        assert {p.actor for p in prevention} & PREVENTION_ACTORS, f"{lesson.id}: no prevention point"


def test_each_phase_lesson_covers_both_perspectives_and_has_a_vignette(course: Course) -> None:
    wanted = {p.id for p in course.perspectives}
    assert wanted == {"individual", "organisation"}
    for lesson in _phase_lessons(course):
        covered = {s.perspective for s in lesson.sections if s.perspective}
        assert covered >= wanted, f"{lesson.id} covers only {sorted(covered)}"
        for audience in ("enforcement", "prevention"):
            # Each build must stand alone: a probation officer learning from the prevention build
            # needs a case of their own, not only the investigators' one.
            assert any(v.is_for(audience) for v in lesson.vignettes), f"{lesson.id}: no vignette for {audience}"
        for vignette in lesson.vignettes:
            assert vignette.questions and vignette.debrief is not None, f"{lesson.id}/{vignette.id}"


def test_every_lesson_is_ready_to_teach(course: Course) -> None:
    for lesson in course.lessons:
        assert 2 <= len(lesson.objectives) <= 4, f"{lesson.id}: {len(lesson.objectives)} objectives"
        assert len(lesson.discussion) >= 2, f"{lesson.id}: fewer than two discussion prompts"
        assert all(d.guidance is not None for d in lesson.discussion), f"{lesson.id}: prompt without guidance"
        assert lesson.takeaways and lesson.summary is not None, lesson.id
        for section in lesson.sections:
            assert section.notes is not None, f"{lesson.id}/{section.id}: no facilitator notes"
            assert section.minutes, f"{lesson.id}/{section.id}: no timing"


def _cell(value) -> int | float | str:
    return value.get("en") if isinstance(value, Text) else value


def _forum_tables(course: Course) -> list[Table]:
    return [t for lesson in course.lessons for t in lesson.tables
            if [c.get("en") for c in t.columns[1:]] == ["Forum A", "Forum B", "Forum C", "Forum D"]]


def test_table_1_matches_the_source(course: Course) -> None:
    tables = _forum_tables(course)
    assert tables, "Table 1 (the four fora) is missing"
    expected_rows = list(TABLE_1.values())
    complete = False
    for table in tables:
        assert table.source == "vdbruggen-blokland", table.id
        rows = [[_cell(v) for v in row[1:]] for row in table.rows]
        for row, original in zip(rows, table.rows):
            assert row in expected_rows, f"table {table.id}: row {_cell(original[0])} {row} is not in Table 1"
            for value in original[1:]:
                if isinstance(value, Text):
                    assert value.get("nl") == value.get("en"), f"table {table.id}: {value}"
                else:
                    assert isinstance(value, int), f"table {table.id}: {value!r} is not a whole number"
        complete = complete or rows == expected_rows
    assert complete, "no table gives all of Table 1, in the source's order"


def test_figures_in_text_are_the_sources(course: Course) -> None:
    unknown = []
    for place, text in _texts(course):
        for lang in LANGUAGES:
            for match in SEPARATED_NUMBER.findall(text.get(lang)):
                if int(re.sub(r"[.,]", "", match)) not in SOURCE_FIGURES:
                    unknown.append((place, lang, match))
    assert not unknown, f"figures that are not in the source: {unknown}"


def test_audience_builds_differ_and_share_the_rest(course: Course) -> None:
    enforcement = course.for_audience("enforcement")
    prevention = course.for_audience("prevention")

    def content(c: Course) -> dict[str, set[str]]:
        return {lesson.id: {f"section:{s.id}" for s in lesson.sections} | {f"point:{p.id}" for p in lesson.interventions}
                for lesson in c.lessons}

    e, p = content(enforcement), content(prevention)
    assert e.keys() == p.keys(), "both audiences see every module"
    for lesson in _phase_lessons(course):
        assert e[lesson.id] != p[lesson.id], f"{lesson.id}: the two builds are identical"
        assert e[lesson.id] & p[lesson.id], f"{lesson.id}: the two builds share nothing"


# --- item writing (issue 30): the review found the longest option right in 22 of 25 questions ---

def _option_length(option, lang: str) -> int:
    return len(" ".join(option.text.get(lang).split()))


def test_the_correct_option_is_rarely_the_longest(course: Course) -> None:
    singles = [q for quiz in course.quizzes for q in quiz.questions if q.kind == "single"]
    assert len(singles) >= 20
    for lang in LANGUAGES:
        longest = [q.id for q in singles
                   if all(_option_length(key, lang) > _option_length(o, lang)
                          for key in q.options if key.correct for o in q.options if o is not key)]
        assert len(longest) <= 0.4 * len(singles), (lang, longest)


def test_true_and_false_are_each_at_least_a_third_of_the_answers(course: Course) -> None:
    answers = [q.answer for quiz in course.quizzes for q in quiz.questions if isinstance(q, TrueFalse)]
    assert len(answers) >= 9
    assert min(sum(answers), len(answers) - sum(answers)) >= len(answers) / 3, answers



def test_no_in_lesson_check_is_a_scored_item(course: Course) -> None:
    checked_and_scored = [q.id for quiz in course.quizzes for q in quiz.questions
                          if q.check and getattr(q, "scored", True)]
    assert checked_and_scored == []
    assert "scored-check" not in course.item_writing.skip
