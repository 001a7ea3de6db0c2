"""The quiz on paper: every module's questions numbered, answers lettered, boxes to tick and blanks
to fill, a name and date line — and no answers. The answer key uses the same numbers and letters."""

from __future__ import annotations

from generator.targets import Artifact, Job, Target
from generator.targets.handouts import paper_quizzes, render, write


class PrintQuiz(Target):
    kind = "print-quiz"
    per_audience = True
    description = "printable quiz for the classroom (HTML, print CSS), one page per module"

    def build(self, job: Job) -> list[Artifact]:
        quizzes = paper_quizzes(job.course)
        if not quizzes:
            return []
        page = render(job, "print_quiz", quizzes=quizzes)
        return [write(job, "quiz.html", page, modules=len(quizzes),
                      questions=sum(len(q.questions) for q in quizzes))]
