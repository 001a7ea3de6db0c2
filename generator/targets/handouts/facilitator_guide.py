"""The facilitator guide: a printable HTML document for the trainer who runs the session.

Title page, a wellbeing note up front, the session plan with times that add up to the session
length, the intervention matrix (who can act in which phase), then one page per module: objectives, timed sections with what to say, discussion prompts
with guidance, vignettes with their debrief, intervention points by actor, the quiz answer key and
the takeaways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.targets import Artifact, Job, Target
from generator.targets.handouts import Document, ModulePlan, paper_quizzes, session_minutes, session_plan, write

if TYPE_CHECKING:  # pragma: no cover
    from markupsafe import Markup


class FacilitatorGuide(Target):
    kind = "facilitator-guide"
    per_audience = True
    description = "printable facilitator guide (HTML, print CSS): session plan, notes, answer key"
    renders_with = ("generator.html",)

    def build(self, job: Job) -> list[Artifact]:
        plan = session_plan(job.course)
        quizzes = {q.lesson.id: q for q in paper_quizzes(job.course)}
        guide = Document(job, "facilitator_guide")

        def module_page(module: ModulePlan) -> Markup:
            # Its number and clock times follow from the modules before it.
            return guide.lesson_part("facilitator_guide_module.html", module.lesson, (module.number, module.start),
                                     module=module, quiz=quizzes.get(module.lesson.id))

        from generator.matrix import intervention_matrix

        page = guide.render(plan=plan, module_page=module_page, matrix=intervention_matrix(job.course))
        return [write(job, "facilitator-guide.html", page, modules=len(plan),
                      minutes=session_minutes(plan))]
