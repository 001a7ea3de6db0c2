"""Output targets: one module (or package) per format, registered here by kind.

A target is a small class with a ``kind`` (the name in ``--format`` and in the manifest), whether
its content differs per audience, and a ``build(job)`` that writes files under ``job.dir`` and
returns the artifacts it wrote. Adding a format means adding one module and one line below.
Targets are imported only when used, so ``modgen --help`` and ``modgen validate`` stay fast.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, ClassVar

from generator.model import Course

#: kind → "module:Class". Order is the build order and the order of ``modgen build --help``.
REGISTRY: dict[str, str] = {
    "pptx": "generator.targets.deck:DeckTarget",
    "site": "generator.targets.site:Site",
    "qti21": "generator.targets.qti21:Qti21",
    "moodle-xml": "generator.targets.moodle_xml:MoodleXml",
    "gift": "generator.targets.gift:Gift",
    "facilitator-guide": "generator.targets.handouts.facilitator_guide:FacilitatorGuide",
    "scorm12": "generator.targets.scorm:Scorm12",
    "scorm2004": "generator.targets.scorm:Scorm2004",
    "cmi5": "generator.targets.cmi5:Cmi5",
    "print-quiz": "generator.targets.handouts.print_quiz:PrintQuiz",
    "answer-key": "generator.targets.handouts.answer_key:AnswerKey",
    "scenario-cards": "generator.targets.handouts.scenario_cards:ScenarioCards",
}


@dataclass
class Artifact:
    """One file (or folder) a target wrote, as listed in ``manifest.json``."""

    kind: str
    lang: str
    audience: str | None
    path: str  # relative to OUT, POSIX separators
    extra: dict[str, Any] = field(default_factory=dict)


#: ``Job.fragment``, or ``made_now`` where nothing is kept between builds.
Fragment = Callable[..., bytes]


def made_now(name: str, lesson_id: str, make: Callable[[], bytes], *depends: Any) -> bytes:
    """A fragment made on the spot: for builds without a cache (``modgen serve``, tests)."""
    return make()


@dataclass
class Job:
    """Everything one target needs for one language and audience."""

    course: Course  # already narrowed to ``audience``
    lang: str
    audience: str | None
    out: Path  # the build's output root (a temporary directory until the build succeeds)
    kind: str
    #: None: everything the target builds; else one cache unit of a ``per_lesson`` target:
    #: ``lesson:<id>`` (that lesson's artifacts only) or ``course`` (the whole-course artifacts).
    part: str | None = None
    #: The build's ``cache.Fragments`` (None: nothing is kept between builds), and the keys of the
    #: fragments this job used (the build records them with the job's cache unit).
    fragments: Any = None
    used_fragments: list[str] = field(default_factory=list)

    def fragment(self, name: str, lesson_id: str, make: Callable[[], bytes], *depends: Any) -> bytes:
        """One lesson's part of a whole-course artifact: ``make()``, or its bytes from an earlier build.

        The fragment is reused while the lesson's own inputs (its file, or the fields of it the target
        states in ``lesson_fields``; its quiz files, ``course.yaml`` and what it points at, the
        lesson order, the generator) and the language, audience, ``name`` and ``depends`` are
        unchanged. ``depends`` must therefore hold everything else ``make`` reads — for instance
        other lessons' titles for a "next lesson" link; keep such things out of fragments where you
        can. Targets with the same ``name`` share fragments.
        """
        if self.fragments is None:
            return make()
        # A target that reads only some fields of a lesson has its units keyed by them; its
        # fragments must be too, or a unit carried over would list other fragments than a clean build.
        fields = load_target(self.kind).lesson_fields if self.kind in REGISTRY else None
        key = self.fragments.key(lesson_id, self.lang, [name, self.lang, self.audience, *depends],
                                 tuple(fields) if fields is not None else None)
        self.used_fragments.append(key)
        return self.fragments.get(key, make)

    def shared(self, name: str, make: Callable[[], bytes]) -> bytes:
        """What several jobs of this build in this language and for this audience make alike (the
        site inside both SCORM packages): ``make()`` once, its bytes for the others. Not kept
        for later builds. ``name`` must say everything ``make`` reads beyond the course, the
        language and the audience."""
        if self.fragments is None:
            return make()
        # The lesson fragments ``make`` uses go with what it made: a job that takes it records them
        # as the job that made it did, so each unit lists the same fragments whichever made it.
        start = len(self.used_fragments)

        def made() -> bytes:
            data = make()
            return json.dumps(self.used_fragments[start:]).encode() + b"\n" + data

        kept = self.fragments.shared(self.lang, [name, self.lang, self.audience], made)
        end = kept.index(b"\n")
        if len(self.used_fragments) == start:  # taken, not made here
            self.used_fragments += json.loads(kept[:end])
        return kept[end + 1:]

    def wants_lesson(self, lesson_id: str) -> bool:
        return self.part is None or self.part == f"lesson:{lesson_id}"

    def wants_course(self) -> bool:
        return self.part in (None, "course")

    @property
    def slug(self) -> str:
        return f"{self.lang}-{self.audience}" if self.audience else self.lang

    @property
    def dir(self) -> Path:
        """``OUT/<kind>/<lang>[-<audience>]``, created on first use."""
        d = self.out / self.kind / self.slug
        d.mkdir(parents=True, exist_ok=True)
        return d

    def artifact(self, path: Path, **extra: Any) -> Artifact:
        return Artifact(self.kind, self.lang, self.audience, path.relative_to(self.out).as_posix(), extra)


class Target:
    kind: ClassVar[str]
    #: False for outputs that are the same for every audience (then built once per language).
    per_audience: ClassVar[bool] = True
    #: True when some artifacts depend on one lesson only: the build then runs (and caches) each
    #: lesson's artifacts and the whole-course ones as separate parts (see ``Job.part``).
    per_lesson: ClassVar[bool] = False
    #: The fields of a lesson the target reads, when it reads only some (None: it may read any).
    #: The build cache then rebuilds it only when one of these changes in some lesson, or when any
    #: other course file changes. Exactness is tested: changing the other fields of every lesson
    #: must leave its output unchanged (tests/test_cache_narrow.py).
    lesson_fields: ClassVar[tuple[str, ...] | None] = None
    description: ClassVar[str] = ""
    #: The modules ``build`` renders with (output libraries, imported inside its functions so that
    #: planning a build, or carrying its artifacts over, does not pay for them). A build that runs
    #: its jobs in worker processes imports them once before the workers are forked, rather than
    #: in every worker. A job that imports an output library not listed here fails
    #: tests/cli/test_startup.py.
    renders_with: ClassVar[tuple[str, ...]] = ()

    def build(self, job: Job) -> list[Artifact]:  # pragma: no cover - interface
        raise NotImplementedError

    def prepare(self, course: Course) -> None:
        """Do now what builds of ``course`` can have done ahead of time, for builds in this process
        or forked from it: the watch loop calls this while it waits for the next save. Must not change what a build writes."""


def kinds() -> list[str]:
    return list(REGISTRY)


def load_target(kind: str) -> Target:
    module_name, _, class_name = REGISTRY[kind].partition(":")
    return getattr(importlib.import_module(module_name), class_name)()
