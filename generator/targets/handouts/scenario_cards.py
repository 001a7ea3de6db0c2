"""Scenario cards for group work: every module's case studies (vignettes) and their questions as
cards on A4, two to a page with cut lines, one module after the other. The cards are for the
groups, so they carry no debrief (that is for the trainer, in the facilitator guide)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.model import Lesson, Vignette
from generator.targets import Artifact, Job, Target
from generator.targets.handouts import Document, write

if TYPE_CHECKING:  # pragma: no cover
    from markupsafe import Markup


@dataclass(frozen=True)
class ModuleCards:
    """One module's cards: its number in the course, the lesson, its case studies in order."""

    module: int
    lesson: Lesson
    vignettes: list[Vignette]


def module_cards(job: Job) -> list[ModuleCards]:
    return [ModuleCards(n, lesson, list(lesson.vignettes))
            for n, lesson in enumerate(job.course.lessons, start=1) if lesson.vignettes]


class ScenarioCards(Target):
    kind = "scenario-cards"
    per_audience = True
    #: The case studies, and what the cards' heading names (title, phase); the id and audiences
    #: to narrow the course. The module number comes from the lesson order (a fragment dependency).
    lesson_fields = ("id", "title", "phase", "vignettes", "audiences")
    description = "case-study cards for group work (HTML, print CSS), two to an A4 page"
    renders_with = ("generator.html",)

    def build(self, job: Job) -> list[Artifact]:
        modules = module_cards(job)
        if not modules:
            return []
        cards = Document(job, "scenario_cards")

        def module_page(module: ModuleCards, first: bool) -> Markup:
            return cards.lesson_part("scenario_cards_module.html", module.lesson, (module.module, first),
                                     module=module, first=first)

        page = cards.render(modules=modules, module_page=module_page)
        return [write(job, "scenario-cards.html", page, modules=len(modules),
                      cards=sum(len(m.vignettes) for m in modules))]
