"""The model: audience selection, localised text, true/false as options."""

from generator.i18n import cell_text, format_number
from generator.model import Text, TrueFalse


def test_audience_selection(minimal_course) -> None:
    prevention = minimal_course.for_audience("prevention")
    lesson = prevention.lesson("preparation")
    assert [s.id for s in lesson.sections] == ["individual"]
    assert [i.id for i in lesson.interventions] == ["prep-lighting"]
    enforcement = minimal_course.for_audience("enforcement").lesson("preparation")
    assert [s.id for s in enforcement.sections] == ["individual", "organisation"]
    assert [i.id for i in enforcement.interventions] == ["prep-patrol"]
    assert minimal_course.for_audience(None) is minimal_course


def test_text_plain_and_localised() -> None:
    assert Text("same").get("nl") == "same"
    assert Text({"nl": "ja", "en": "yes"}).get("en") == "yes"


def test_numbers_per_language() -> None:
    assert format_number(105650, "nl") == "105.650"
    assert format_number(105650, "en") == "105,650"
    assert cell_text(Text({"nl": "Ja", "en": "Yes"}), "nl") == "Ja"


def test_true_false_choices(minimal_course) -> None:
    q = next(q for z in minimal_course.quizzes for q in z.questions if isinstance(q, TrueFalse))
    choices = q.choices()
    assert [(c.id, c.correct) for c in choices] == [("true", False), ("false", True)]
    assert choices[0].text.get("nl") == "Juist"
    assert choices[1].feedback == q.feedback_false
