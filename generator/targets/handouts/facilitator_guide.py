"""The facilitator guide: a printable HTML document for the trainer who runs the session.

Title page, a wellbeing note up front, the session plan with times that add up to the session
length, the intervention matrix (who can act in which phase), then one page per module: objectives, timed sections with what to say, discussion prompts
with guidance, vignettes with their debrief, intervention points by actor, the quiz answer key and
the takeaways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.targets import Artifact, Job, Target
from generator.targets.handouts import (
    Document, ModulePlan, paper_quizzes, session_minutes, session_plan, text, write,
)

if TYPE_CHECKING:  # pragma: no cover
    from markupsafe import Markup


class FacilitatorGuide(Target):
    kind = "facilitator-guide"
    per_audience = True
    description = "printable facilitator guide (HTML, print CSS): session plan, notes, answer key"
    # The run sheet gives the slide numbers of the course deck: the deck's planning and fitting too.
    renders_with = ("generator.html", "generator.targets.deck.plan", "generator.targets.deck.builder",
                    "generator.targets.deck.template")

    def build(self, job: Job) -> list[Artifact]:
        plan = session_plan(job.course)
        quizzes = {q.lesson.id: q for q in paper_quizzes(job.course)}
        guide = Document(job, "facilitator_guide")

        def module_page(module: ModulePlan) -> Markup:
            # Its number and clock times follow from the modules before it.
            return guide.lesson_part("facilitator_guide_module.html", module.lesson, (module.number, module.start),
                                     module=module, quiz=quizzes.get(module.lesson.id))

        from generator.matrix import intervention_matrix

        page = guide.render(plan=plan, module_page=module_page, matrix=intervention_matrix(job.course),
                            run_sheet=run_sheet(job, plan))
        return [write(job, "facilitator-guide.html", page, modules=len(plan),
                      minutes=session_minutes(plan))]


def run_sheet(job: Job, plan: list[ModulePlan]) -> list[tuple[str, str, str, str, str]]:
    """The day on one page: per part of the session its clock time (``session.start``), what it
    is, the method, the materials and the slides of the whole-course deck — (clock, part, method,
    materials, slides) rows."""
    from generator.session import wall_clock
    from generator.targets.deck import course_slide_numbers

    course, lang = job.course, job.lang
    from generator.targets.deck.measure import FontMissing
    from generator.targets.deck.template import TemplateError

    try:
        numbers = course_slide_numbers(course, lang)
    except (TemplateError, FontMissing):
        numbers = {}  # the deck build reports it; the run sheet goes without slide numbers
    t = lambda key, **values: text(key, lang, **values)  # noqa: E731

    def slides(lesson: str | None, *parts: str) -> str:
        found = sorted(n for part in parts for n in numbers.get((lesson, part), []))
        if not found:
            return ""
        runs, start = [], found[0]
        for a, b in zip(found, found[1:] + [None]):
            if b != a + 1:
                runs.append(f"{start}" if start == a else f"{start}–{a}")
                start = b
        return ", ".join(runs)

    phones = course.decks.quiz == "classroom"
    opening = t("run_opening" if course.sensitive else "run_opening_plain")  # a content notice only if sensitive
    rows = [(wall_clock(course, plan[0].start if plan else 0), opening, t("run_plenary"), "", slides(None, "opening"))]
    for module in plan:
        lesson = module.lesson
        # The module's presentation — its sections, facts, tables, points — as one row: the run
        # sheet is the day on one page; the module's own page has every section's time.
        sections = [f"section:{slot.section.id}" for slot in module.slots if slot.section is not None]
        rows.append((wall_clock(course, module.start), t("module_n", n=module.number) + ". " + lesson.title.get(lang),
                     t("run_present"), "", slides(lesson.id, "module", "present", *sections)))
        for slot in module.slots:
            if slot.activity in ("notice", None) or slot.section is not None:
                continue
            if slot.activity == "discussion":
                method, materials, part = t("run_plenary"), "", slides(lesson.id, "discussion")
            elif slot.activity == "vignette":
                method = t("run_groups", size=min(6, course.session.group_size))
                materials, part = t("run_cards"), slides(lesson.id, f"vignette:{slot.vignette.id}")
            elif slot.activity == "quiz":
                method = t("run_quiz_phones") if phones else t("run_quiz")
                materials, part = (t("run_phones") if phones else ""), slides(lesson.id, "quiz")
            else:
                method, materials, part = t("run_plenary"), "", slides(lesson.id, "close")
            rows.append((wall_clock(course, slot.start), "\u2003" + slot.label.get(lang), method, materials, part))
        if module.pause:
            rows.append((wall_clock(course, module.pause.start), module.pause.title.get(lang), "", "",
                         slides(lesson.id, "break")))
    end = plan[-1].end if plan else 0
    if numbers.get((None, "matrix")):
        rows.append((wall_clock(course, end), t("run_matrix"), t("run_groups", size=min(6, course.session.group_size)),
                     "", slides(None, "matrix")))
    rows.append((wall_clock(course, end), t("run_closing"), t("run_plenary"), t("run_evaluation"),
                 slides(None, "closing")))
    return rows
