"""The intervention matrix: the whole course's message in one grid — who can act (the course's
actors) in which phase of the crime script, each cell the intervention points there, each with its
basis. Built from the model for every target that shows it (the decks, the site's home page, the
facilitator guide); each target only lays it out.

It is the *whole* course's grid in every build, also in a build for one audience: an enforcement
deck shows where prevention staff can act too, because the point of the slide is the chain of
actors across the script. The entries a build's own audience does not see elsewhere are marked
(``MatrixEntry.shown``), so a target links only to points its pages hold."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Actor, Course, InterventionPoint, Phase


@dataclass(frozen=True)
class MatrixEntry:
    point: InterventionPoint
    lesson: str  # the id of the lesson that holds the point
    shown: bool  # the build's audience sees this point on the lesson's own pages and slides

    @property
    def basis(self) -> str:
        return self.point.basis


@dataclass(frozen=True)
class MatrixRow:
    actor: Actor
    cells: tuple[tuple[MatrixEntry, ...], ...]  # one per column: the phases, then "across" if any


@dataclass(frozen=True)
class Matrix:
    phases: tuple[Phase, ...]
    #: True when some points belong to no phase (a conclusions lesson's): they get a last column,
    #: "across the phases", so that every actor's points are in the grid.
    across: bool
    rows: tuple[MatrixRow, ...]  # the actors, in the course's order, that can act somewhere
    sources: tuple[str, ...]  # the source keys the points rest on, in order of first use

    @property
    def bases(self) -> tuple[str, ...]:
        """The bases the matrix uses, in the order a legend names them."""
        used = {e.basis for r in self.rows for cell in r.cells for e in cell}
        return tuple(b for b in ("finding", "implication", "derived") if b in used)

    @property
    def entries(self) -> int:
        return sum(len(cell) for r in self.rows for cell in r.cells)


def intervention_matrix(course: Course) -> Matrix | None:
    """The matrix of the whole course ``course`` belongs to (``Course.whole``: every audience's
    points), its entries marked by whether ``course``'s audience sees them; None when the course
    has no intervention point."""
    whole, audience = course.whole, course.narrowed_for
    phases = tuple(whole.phases)
    column = {p.id: i for i, p in enumerate(phases)}
    across = any(l.interventions and l.phase not in column for l in whole.lessons)
    width = len(phases) + across
    cells: dict[str, list[list[MatrixEntry]]] = {}
    sources: list[str] = []
    for lesson in whole.lessons:
        at = column.get(lesson.phase, len(phases))
        for point in lesson.interventions:
            row = cells.setdefault(point.actor, [[] for _ in range(width)])
            row[at].append(MatrixEntry(point, lesson.id, lesson.is_for(audience) and point.is_for(audience)))
            if point.source and point.source not in sources:
                sources.append(point.source)
    rows = tuple(MatrixRow(actor, tuple(tuple(c) for c in cells[actor.id]))
                 for actor in whole.actors if actor.id in cells)
    return Matrix(phases, across, rows, tuple(sources)) if rows else None
