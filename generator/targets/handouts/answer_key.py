"""The answer key to the quiz on paper: the same numbers and letters, the right answer, feedback
per option, the explanation, and the pass mark of each quiz."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.targets import Artifact, Job, Target
from generator.targets.handouts import Document, PaperQuiz, paper_quizzes, write
from generator.targets.quizbank import LESSON_FIELDS

if TYPE_CHECKING:  # pragma: no cover
    from markupsafe import Markup


class AnswerKey(Target):
    kind = "answer-key"
    per_audience = True
    #: The quiz bank's, the phase each module's heading names, and the objectives a question tests.
    lesson_fields = LESSON_FIELDS + ("phase", "objectives")
    description = "answer key to the printable quiz (HTML, print CSS), with feedback and pass marks"
    renders_with = ("generator.html",)

    def build(self, job: Job) -> list[Artifact]:
        quizzes = paper_quizzes(job.course)
        if not quizzes:
            return []
        total = sum(len(q.questions) for q in quizzes)
        key = Document(job, "answer_key")

        def key_page(quiz: PaperQuiz) -> Markup:
            return key.lesson_part("answer_key_module.html", quiz.lesson, (quiz.module,), quiz=quiz)

        page = key.render(quizzes=quizzes, question_total=total, key_page=key_page)
        return [write(job, "answer-key.html", page, modules=len(quizzes), questions=total)]
