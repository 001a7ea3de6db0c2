"""The semantic diff of two loaded courses: what a reviewer must read, not which YAML lines moved.

Both sides are :class:`~generator.model.Course` objects. Things with an id (lessons, sections,
objectives, intervention points, questions, answers, …) are matched by id, so reordering a file or
reformatting it is no change, and renaming an id is a removal and an addition (which it is for an
LMS too). Every text is compared per language; a changed text carries its words, old and new, as
``difflib`` aligns them. Which outputs each change touches is worked out in ``touches``.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from generator import model as m
from generator.model import Course, Node, Text

#: The word a reviewer uses for each kind of model object, and the field that names it.
KINDS: dict[type, tuple[str, str | None]] = {
    m.Lesson: ("lesson", "title"),
    m.Objective: ("objective", "text"),
    m.Section: ("section", "title"),
    m.KeyFact: ("fact", "text"),
    m.Table: ("table", "caption"),
    m.InterventionPoint: ("intervention point", "text"),
    m.DiscussionPrompt: ("discussion prompt", "prompt"),
    m.Vignette: ("vignette", "title"),
    m.Figure: ("figure", "caption"),
    m.Quiz: ("quiz", "title"),
    m.SingleChoice: ("question", "stem"),
    m.MultipleResponse: ("question", "stem"),
    m.TrueFalse: ("question", "stem"),
    m.Matching: ("question", "stem"),
    m.Ordering: ("question", "stem"),
    m.Option: ("answer", "text"),
    m.Pair: ("answer", "premise"),
    m.OrderItem: ("answer", "text"),
    m.Audience: ("audience", "name"),
    m.Phase: ("phase", "name"),
    m.Perspective: ("perspective", "name"),
    m.Actor: ("actor", "name"),
    m.Source: ("source", "short"),
    m.SupportResource: ("support resource", "name"),
}

#: Fields that identify an object rather than describe it, and the course's own trees.
_IDENTITY = ("id", "key")
_SKIP_ON_COURSE = ("lessons", "quizzes", "root")


@dataclass(frozen=True)
class Step:
    """One step of the way to a changed thing: ``question prep-q1``."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"


@dataclass
class Change:
    """One thing that differs between the two courses.

    ``change`` is ``added``, ``removed`` or ``changed``. ``path`` leads to the object (empty: the
    course itself); ``field`` names what of it changed (None: the object as a whole was added or
    removed). ``lang`` is the language of a text (None: something every language shares, such as
    which answer is correct). ``old``/``new`` are the texts or values; ``words`` the word diff of a
    changed text: ``[(op, text), …]`` with op ``=``, ``-`` or ``+``.
    """

    change: str
    path: tuple[Step, ...]
    field: str | None
    lang: str | None
    old: str | None
    new: str | None
    lesson: str | None = None
    words: list[tuple[str, str]] = field(default_factory=list)
    #: filled in by ``touches.attach``: output kind → what of it: for ``pptx`` the decks and their
    #: slides (``{"deck", "slides", "old_slides"}``), for ``site`` the pages, for the other kinds
    #: nothing more (the output as a whole).
    touches: dict[str, list] = field(default_factory=dict)

    @property
    def subject(self) -> str:
        """``lesson preparation › question prep-q1``, or ``course``."""
        return " › ".join(str(s) for s in self.path) or "course"

    def as_json(self) -> dict:
        return {"change": self.change, "lesson": self.lesson, "path": [[s.kind, s.id] for s in self.path],
                "field": self.field, "lang": self.lang, "old": self.old, "new": self.new,
                "words": [list(w) for w in self.words], "touches": self.touches}


@dataclass
class CourseDiff:
    """Every change from ``old`` to ``new``, in the order of the new course (lessons, then each
    lesson's quiz), and what the two sides were."""

    old: Course
    new: Course
    old_label: str
    new_label: str
    changes: list[Change]
    #: deck file → slide changes, per output folder (``touches.DeckChange``), filled by ``touches.attach``
    decks: list[Any] = field(default_factory=list)
    #: site pages that differ, per output folder, filled by ``touches.attach``
    pages: list[Any] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys([*self.new.languages, *self.old.languages]))

    def __bool__(self) -> bool:
        return bool(self.changes)


def diff_courses(old: Course, new: Course, old_label: str = "old", new_label: str = "new") -> CourseDiff:
    """The semantic diff of two loaded courses (without ``touches``; see ``touches.attach``)."""
    langs = list(dict.fromkeys([*new.languages, *old.languages]))
    walker = _Walker(langs)
    walker.node(old, new, (), None, "")
    walker.keyed(old.lessons, new.lessons, (), None, "lessons")
    walker.keyed(old.quizzes, new.quizzes, (), None, "quizzes")
    _pictures(walker, old, new)
    changes = walker.changes
    order: dict[str, int] = {}
    for lesson in [*new.lessons, *old.lessons]:  # removed lessons after the new course's
        order.setdefault(lesson.id, len(order))
    # The course first, then lesson by lesson in the new course's order, each lesson's own
    # changes before its quiz's; within that, the order in which the walk met them.
    index = {id(c): i for i, c in enumerate(changes)}
    changes.sort(key=lambda c: (c.lesson is not None, order.get(c.lesson, len(order)),
                                bool(c.path) and c.path[0].kind == "quiz", index[id(c)]))
    return CourseDiff(old, new, old_label, new_label, changes)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` → ``new`` word by word: ``[(op, text)]``, op ``=`` (kept), ``-`` (removed) or
    ``+`` (added); whitespace travels with the words so the pieces join back into either text."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _add(out, "=", "".join(a[i1:i2]))
        else:
            removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
            # The space both sides end with is kept, not changed: "[-in-]{+during+} the", not "[-in -]{+during +}the".
            space = removed[len(removed.rstrip()):] if removed and added else ""
            if space and added.endswith(space) and removed.strip() and added.strip():
                removed, added = removed[:-len(space)], added[:-len(space)]
            else:
                space = ""
            _add(out, "-", removed)
            _add(out, "+", added)
            _add(out, "=", space)
    return out


# A word or a punctuation mark with the space after it: spaces never match on their own, so two
# texts with nothing in common are not shown as a comb of kept spaces.
_TOKENS = re.compile(r"^\s+|(?:\w+|[^\w\s])\s*", re.UNICODE)


def _add(out: list[tuple[str, str]], op: str, text: str) -> None:
    if not text:
        return
    if out and out[-1][0] == op:
        out[-1] = (op, out[-1][1] + text)
    else:
        out.append((op, text))


def plain(value: Any) -> Any:
    """A model value as plain JSON data (texts as {lang: text}); for comparing and for showing."""
    if isinstance(value, Text):
        return dict(sorted(value.root.items()))
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields
                if not (isinstance(value, Course) and name in _SKIP_ON_COURSE)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def shown(value: Any) -> str | None:
    """A value that is not a text, as one line for a reviewer."""
    if value is None:
        return None
    data = plain(value)
    if isinstance(data, str):
        return data
    if isinstance(data, bool):
        return "true" if data else "false"
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


class _Walker:
    def __init__(self, langs: list[str]):
        self.langs = langs
        self.changes: list[Change] = []

    def emit(self, change: str, path: tuple[Step, ...], field_: str | None, lang: str | None,
             old: str | None, new: str | None, lesson: str | None) -> None:
        words = word_diff(old, new) if change == "changed" and old is not None and new is not None and lang else []
        self.changes.append(Change(change, path, field_, lang, old, new, lesson, words))

    def node(self, old: Node, new: Node, path: tuple[Step, ...], lesson: str | None, prefix: str) -> None:
        names = list(dict.fromkeys([*type(new).model_fields, *type(old).model_fields]))
        for name in names:
            if name in _IDENTITY or (isinstance(new, Course) and name in _SKIP_ON_COURSE):
                continue
            a, b = getattr(old, name, None), getattr(new, name, None)
            if plain(a) == plain(b):
                continue
            self.value(a, b, path, lesson, f"{prefix}{name}")

    def value(self, a: Any, b: Any, path: tuple[Step, ...], lesson: str | None, name: str) -> None:
        sample = b if b is not None else a
        if isinstance(sample, Text) and (a is None or isinstance(a, Text)) and (b is None or isinstance(b, Text)):
            self.text(a, b, path, lesson, name)
        elif isinstance(sample, list) and _keyed(a) and _keyed(b):
            self.keyed(a or [], b or [], path, lesson, name)
        elif isinstance(sample, list) and _texts(a) and _texts(b):
            for i in range(max(len(a or []), len(b or []))):
                x = a[i] if a and i < len(a) else None
                y = b[i] if b and i < len(b) else None
                if plain(x) != plain(y):
                    self.text(x, y, path, lesson, f"{name}[{i + 1}]")
        elif isinstance(a, Node) and isinstance(b, Node) and type(a) is type(b):
            self.node(a, b, path, lesson, f"{name}.")
        elif isinstance(sample, Node) and (a is None or b is None):
            # A block added or removed (a review, branding): what it says, field by field.
            for sub in type(sample).model_fields:
                x, y = getattr(a, sub, None), getattr(b, sub, None)
                if plain(x) != plain(y):
                    self.value(x, y, path, lesson, f"{name}.{sub}")
        else:
            self.emit("changed" if a is not None and b is not None else "added" if a is None else "removed",
                      path, name, None, shown(a), shown(b), lesson)

    def text(self, a: Text | None, b: Text | None, path: tuple[Step, ...], lesson: str | None, name: str) -> None:
        for lang in self.langs:
            x = a.get(lang) if a is not None else None
            y = b.get(lang) if b is not None else None
            if x == y:
                continue
            kind = "changed" if x is not None and y is not None else "added" if x is None else "removed"
            self.emit(kind, path, name, lang, x, y, lesson)

    def keyed(self, old: list, new: list, path: tuple[Step, ...], lesson: str | None, name: str) -> None:
        before = {_key(item): item for item in old}
        after = {_key(item): item for item in new}
        for item in new:
            key = _key(item)
            here = self.step_lesson(item, lesson)
            step = path + (Step(_kind(item), key),)
            if key not in before:
                self.whole("added", item, step, here)
            else:
                self.node(before[key], item, step, here, "")
        for item in old:
            key = _key(item)
            if key not in after:
                self.whole("removed", item, path + (Step(_kind(item), key),), self.step_lesson(item, lesson))
        common_old = [k for k in before if k in after]
        common_new = [k for k in after if k in before]
        if common_old != common_new:
            self.emit("changed", path, f"{name} order", None, ", ".join(common_old), ", ".join(common_new), lesson)

    @staticmethod
    def step_lesson(item: Node, lesson: str | None) -> str | None:
        if isinstance(item, m.Lesson):
            return item.id
        if isinstance(item, m.Quiz):
            return item.lesson
        return lesson

    def whole(self, change: str, item: Node, path: tuple[Step, ...], lesson: str | None) -> None:
        """An object added or removed as a whole: one change per language, with its name."""
        label = KINDS.get(type(item), (None, None))[1]
        text = getattr(item, label, None) if label else None
        if isinstance(text, Text):
            for lang in self.langs:
                value = text.get(lang)
                self.emit(change, path, None, lang, value if change == "removed" else None,
                          value if change == "added" else None, lesson)
        else:  # nothing that names it in words (a quiz without a title): its id says which
            value = _key(item) or shown(item)
            self.emit(change, path, None, None, value if change == "removed" else None,
                      value if change == "added" else None, lesson)


def _pictures(walker: _Walker, old: Course, new: Course) -> None:
    """Pictures replaced under the same name: the course's text names an image by its path only,
    so the walk sees no change; the files' contents say (a digest and the size, each side)."""
    from generator.figures import section_figures

    def images(course: Course) -> dict[tuple, tuple[str, str]]:
        found = {}
        for lesson in course.lessons:
            for section in lesson.sections:
                for figure in section_figures(section):
                    if figure.image is not None:
                        found[(lesson.id, section.id, figure.id)] = (figure.image, _content(course, figure.image))
        return found

    before, after = images(old), images(new)
    for (lesson, section, figure), (path, content) in after.items():
        was = before.get((lesson, section, figure))
        if was is not None and was[0] == path and was[1] != content:
            walker.emit("changed", (Step("lesson", lesson), Step("section", section), Step("figure", figure)),
                        "image", None, f"{path} ({was[1]})", f"{path} ({content})", lesson)


def _content(course: Course, path: str) -> str:
    """A picture file's size and the start of its SHA-256: what tells two versions apart."""
    import hashlib

    try:
        data = (course.root / path).read_bytes() if course.root is not None else b""
    except OSError:
        return "missing"
    return f"{len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()[:12]}"


def _key(item: Node) -> str:
    return getattr(item, "id", None) or getattr(item, "key", None) or ""


def _kind(item: Node) -> str:
    return KINDS.get(type(item), (type(item).__name__.lower(), None))[0]


def _keyed(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, Node) and _key(v) for v in value))


def _texts(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(v, Text) for v in value))
