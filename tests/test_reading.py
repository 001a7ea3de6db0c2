"""Self-study time: from the words a learner reads and the questions they answer, never the
classroom minutes; on the site and in the SCORM and cmi5 packages."""

from __future__ import annotations

import math
import re

from generator import reading
from generator.loader.load import load_course
from generator.model import Text
from generator.targets import cmi5, scorm
from generator.targets.site import site_files
from tests.conftest import FIXTURES, ROOT


def test_words_are_counted_as_read() -> None:
    assert reading.words("A thief picks a **place** — near [the station](lesson:activity).", "en") == 8
    assert reading.words(Text({"nl": "Een kleine, snelle fiets.", "en": "x"}), "nl") == 4
    assert reading.words("Bicycle-theft isn't rare", "en") == 3
    assert reading.iso_duration(140) == "PT2H20M" and reading.iso_duration(45) == "PT45M"
    assert reading.iso_duration(120) == "PT2H"


def test_a_lesson_takes_its_words_at_the_reading_rate_plus_its_questions() -> None:
    course = load_course(FIXTURES / "minimal").course
    lesson = course.lesson("activity")
    quiz = course.quiz_for(lesson)
    expected = reading.lesson_words(lesson, "en") / reading.WORDS_PER_MINUTE
    assert reading.lesson_minutes(lesson, quiz, "en") == max(1, math.ceil(expected))
    # Ten times the text: ten times the reading (the rate is the documented one, not a constant).
    long = lesson.model_copy(update={"sections": [s.model_copy(update={"body": Text({"en": (s.body.get("en") + " ") * 200})})
                                                  for s in lesson.sections]})
    words = reading.lesson_words(long, "en")
    assert reading.lesson_minutes(long, quiz, "en") == math.ceil(words / reading.WORDS_PER_MINUTE)
    # Trainer text is not read by a learner.
    noted = long.model_copy(update={"sections": [s.model_copy(update={"notes": Text({"en": "word " * 5000})})
                                                 for s in long.sections]})
    assert reading.lesson_minutes(noted, quiz, "en") == reading.lesson_minutes(long, quiz, "en")
    assert reading.quiz_minutes(quiz, "en") >= len(quiz.scored) * reading.ANSWER_MINUTES


def test_the_site_and_the_packages_give_self_study_time_not_classroom_minutes() -> None:
    course = load_course(ROOT).course.for_audience("enforcement")
    for lang in course.languages:
        files = site_files(course, lang, "enforcement")
        for lesson in course.lessons:
            page = files[f"lesson-{lesson.id}.html"].decode()
            shown = re.findall(r"(?:Self-study: about|Zelfstudie: ongeveer) (\d+) (?:minutes|minuten)", page)
            assert shown == [str(reading.module_minutes(course, lesson, lang))], lesson.id
            assert not re.search(rf"\b(Duration|Duur): {lesson.duration}\b", page)
        total = reading.course_minutes(course, lang)
        start = files["index.html"].decode()
        hours, minutes = divmod(total, 60)
        assert (f"{hours} h {minutes} min" if lang == "en" else f"{hours} uur en {minutes} minuten") in start
        # A diligent reader, not a day in a classroom: well under the classroom hours.
        assert total < sum(lesson.duration for lesson in course.lessons) / 2
        duration = reading.iso_duration(total)
        package = scorm.build_package(course, lang, "enforcement", "1.2")
        assert f"<datetime>{duration}</datetime>".encode() in package["metadata.xml"]
        assert b"<adlcp:location>metadata.xml</adlcp:location>" in package["imsmanifest.xml"]
        assert f"<duration>{duration}</duration>".encode() in \
            scorm.build_package(course, lang, "enforcement", "2004")["imsmanifest.xml"]
        assert (f"{hours} h {minutes} min" if lang == "en" else f"{hours} uur en {minutes} minuten").encode() in \
            cmi5.build_package(course, lang, "enforcement")["cmi5.xml"]
