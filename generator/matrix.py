"""The intervention matrix: the whole course's message in one grid — who can act (the course's
actors) in which phase of the crime script, each cell the short labels of the intervention points
there, each with its basis. Built from the model for every target that shows it (the decks, the
site's home page, the facilitator guide); each target only lays it out."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import Actor, Course, InterventionPoint, Phase


@dataclass(frozen=True)
class MatrixEntry:
    point: InterventionPoint
    lesson: str  # the id of the lesson that holds the point

    @property
    def basis(self) -> str:
        return self.point.basis


@dataclass(frozen=True)
class MatrixRow:
    actor: Actor
    cells: tuple[tuple[MatrixEntry, ...], ...]  # one per phase, in the course's order


@dataclass(frozen=True)
class Matrix:
    phases: tuple[Phase, ...]
    rows: tuple[MatrixRow, ...]  # the actors, in the course's order, that can act in some phase
    sources: tuple[str, ...]  # the source keys the points rest on, in order of first use

    @property
    def bases(self) -> tuple[str, ...]:
        """The bases the matrix uses, in the order a legend names them."""
        used = {e.basis for r in self.rows for cell in r.cells for e in cell}
        return tuple(b for b in ("finding", "implication", "derived") if b in used)


def intervention_matrix(course: Course) -> Matrix | None:
    """The matrix of ``course`` (narrowed to an audience already, when it is for one): only the
    intervention points of lessons with a phase; None when no such point exists."""
    phases = tuple(course.phases)
    column = {p.id: i for i, p in enumerate(phases)}
    cells: dict[str, list[list[MatrixEntry]]] = {}
    sources: list[str] = []
    for lesson in course.lessons:
        if lesson.phase not in column:
            continue
        for point in lesson.interventions:
            row = cells.setdefault(point.actor, [[] for _ in phases])
            row[column[lesson.phase]].append(MatrixEntry(point, lesson.id))
            if point.source and point.source not in sources:
                sources.append(point.source)
    rows = tuple(MatrixRow(actor, tuple(tuple(c) for c in cells[actor.id]))
                 for actor in course.actors if actor.id in cells)
    return Matrix(phases, rows, tuple(sources)) if rows else None
