"""The facilitator guide: a printable HTML document for the trainer who runs the session.

Title page, a wellbeing note up front, the session plan with times that add up to the session
length, then one page per module: objectives, timed sections with what to say, discussion prompts
with guidance, vignettes with their debrief, intervention points by actor, the quiz answer key and
the takeaways.
"""

from __future__ import annotations

from generator.targets import Artifact, Job, Target
from generator.targets.handouts import paper_quizzes, render, session_plan, write


class FacilitatorGuide(Target):
    kind = "facilitator-guide"
    per_audience = True
    description = "printable facilitator guide (HTML, print CSS): session plan, notes, answer key"

    def build(self, job: Job) -> list[Artifact]:
        plan = session_plan(job.course)
        quizzes = {q.lesson.id: q for q in paper_quizzes(job.course)}
        page = render(job, "facilitator_guide", plan=plan, quizzes=quizzes)
        return [write(job, "facilitator-guide.html", page, modules=len(plan),
                      minutes=sum(m.minutes for m in plan))]
