"""The quiz on paper: every module's questions numbered, answers lettered, boxes to tick and blanks
to fill, a name and date line — and no answers. The answer key uses the same numbers and letters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.targets import Artifact, Job, Target
from generator.targets.handouts import Document, PaperQuiz, paper_quizzes, write
from generator.targets.quizbank import LESSON_FIELDS

if TYPE_CHECKING:  # pragma: no cover
    from markupsafe import Markup


class PrintQuiz(Target):
    kind = "print-quiz"
    per_audience = True
    #: The quiz bank's, and the phase each module's heading names.
    lesson_fields = LESSON_FIELDS + ("phase",)
    description = "printable quiz for the classroom (HTML, print CSS), one page per module"
    renders_with = ("generator.html",)

    def build(self, job: Job) -> list[Artifact]:
        quizzes = paper_quizzes(job.course)
        if not quizzes:
            return []
        paper = Document(job, "print_quiz")

        def quiz_page(quiz: PaperQuiz, first: bool) -> Markup:
            return paper.lesson_part("print_quiz_module.html", quiz.lesson, (quiz.module, first), quiz=quiz, first=first)

        page = paper.render(quizzes=quizzes, quiz_page=quiz_page)
        return [write(job, "quiz.html", page, modules=len(quizzes),
                      questions=sum(len(q.questions) for q in quizzes))]
