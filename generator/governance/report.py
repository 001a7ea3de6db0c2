"""A course diff for people and tools: text for the terminal, one HTML page for a reviewer, JSON.

The HTML page is self-contained (styles inline, no script, nothing fetched) and every text in it
is escaped by the template engine: course text and revision names are data, never markup.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.governance.diff import Change, CourseDiff

TEMPLATES = Path(__file__).resolve().parent / "templates"
CHANGE_MARK = {"added": "+", "removed": "-", "changed": "~"}


def as_json(diff: CourseDiff) -> str:
    data = {
        "old": _side(diff, "old"),
        "new": _side(diff, "new"),
        "different": bool(diff),
        "changes": [c.as_json() for c in diff.changes],
        "decks": [d.as_json() for d in diff.decks],
        "pages": [p.as_json() for p in diff.pages],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _side(diff: CourseDiff, which: str) -> dict:
    course = getattr(diff, which)
    return {"label": getattr(diff, f"{which}_label"), "course": course.id, "version": course.version}


def groups(diff: CourseDiff) -> list[tuple[str, list[Change]]]:
    """The changes grouped by what they are about (``lesson preparation › question prep-q1``), in
    the diff's order."""
    found: dict[str, list[Change]] = {}
    for change in diff.changes:
        found.setdefault(change.subject, []).append(change)
    return list(found.items())


def heading(diff: CourseDiff) -> str:
    old, new = diff.old, diff.new
    name = new.id if old.id == new.id else f"{old.id} → {new.id}"
    return f"{name} {old.version} → {new.version} ({diff.old_label} → {diff.new_label})"


def what(change: Change) -> str:
    """``stem [en]``, ``added [nl]``: which part of the subject changed, and in which language."""
    part = change.field or change.change
    return f"{part} [{change.lang}]" if change.lang else part


def plain_words(change: Change) -> str:
    """The change's text for a terminal: a word diff as ``git diff --word-diff`` writes it."""
    if change.words:
        return "".join(t if op == "=" else f"[-{t}-]" if op == "-" else f"{{+{t}+}}" for op, t in change.words)
    if change.change == "added":
        return change.new or ""
    if change.change == "removed":
        return change.old or ""
    return f"{change.old} → {change.new}"


def touch_lines(change: Change) -> list[str]:
    """What the change touches, one line per output kind and set of output folders: the same
    slides of the same decks in several folders (audiences) are said once."""
    lines = []
    touches = change.touches
    if touches.get("pptx"):
        items = [(e["deck"].removeprefix("pptx/"), f"{e['deck'].rsplit('/', 1)[1]} {slide_numbers(e)}")
                 for e in touches["pptx"]]
        lines += [f"decks ({folders}): {what}" for folders, what in _by_folders(items)]
    if touches.get("site"):
        items = [(page.removeprefix("site/"), page.rsplit("/", 1)[1]) for page in touches["site"]]
        lines += [f"site ({folders}): {what}" for folders, what in _by_folders(items)]
    others = [kind for kind in touches if kind not in ("pptx", "site")]
    if others:
        lines.append("exports: " + ", ".join(others))
    return lines


def _by_folders(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``[("en-enforcement/x.pptx", "x.pptx slide 1"), …]`` → ``[("en-enforcement, en-prevention",
    "x.pptx slide 1; course.pptx slide 1")]``: each item under the set of folders that have it."""
    folders: dict[str, list[str]] = {}
    for path, item in items:
        folders.setdefault(item, []).append(path.split("/", 1)[0])
    grouped: dict[tuple[str, ...], list[str]] = {}
    for item, where in folders.items():
        grouped.setdefault(tuple(sorted(set(where))), []).append(item)
    return [(", ".join(where), "; ".join(found)) for where, found in grouped.items()]


def slide_numbers(entry: dict) -> str:
    new, old = entry["slides"], entry["old_slides"]
    parts = []
    if new:
        parts.append(f"slide{'s' if len(new) != 1 else ''} {', '.join(map(str, new))}")
    if old:
        parts.append(f"old slide{'s' if len(old) != 1 else ''} {', '.join(map(str, old))}")
    return "; ".join(parts)


def as_text(diff: CourseDiff) -> str:
    lines = [heading(diff)]
    if not diff:
        lines.append("No changes.")
        return "\n".join(lines) + "\n"
    n = len(diff.changes)
    lines.append(f"{n} change{'s' if n != 1 else ''}")
    for subject, changes in groups(diff):
        lines += ["", subject]
        for change in changes:
            text = plain_words(change).replace("\n", "\n      ")
            lines.append(f"  {CHANGE_MARK[change.change]} {what(change)}: {text}")
            lines += [f"      {line}" for line in touch_lines(change)]
    if diff.decks:
        lines += ["", "Decks"]
        for deck in diff.decks:
            parts = [f"{label} {', '.join(map(str, numbers))}" for label, numbers in
                     (("changed", deck.changed), ("added", deck.added), ("removed (old numbers)", deck.removed))
                     if numbers]
            lines.append(f"  {deck.path}: {'; '.join(parts)}")
    if diff.pages:
        lines += ["", "Site pages"]
        lines += [f"  {CHANGE_MARK[p.change]} {p.path}" for p in diff.pages]
    return "\n".join(lines) + "\n"


def as_html(diff: CourseDiff) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(what=what, touch_lines=touch_lines, heading=heading, mark=CHANGE_MARK,
                       slide_numbers=slide_numbers)
    return env.get_template("diff.html").render(diff=diff, groups=groups(diff))
