"""A course diff for people and tools: text for the terminal, one HTML page for a reviewer, JSON.

The HTML page is self-contained (styles inline, no script, nothing fetched) and every text in it
is escaped by the template engine: course text and revision names are data, never markup.
"""

from __future__ import annotations

import json
from itertools import groupby
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
    return [(subject, list(items)) for subject, items in groupby(diff.changes, key=lambda c: c.subject)]


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
    """What the change touches, one output kind per line, audiences folded together."""
    lines = []
    touches = change.touches
    if touches.get("pptx"):
        lines.append("decks: " + "; ".join(_fold_decks(touches["pptx"])))
    if touches.get("site"):
        lines.append("site: " + "; ".join(_fold_pages(touches["site"])))
    others = [kind for kind in touches if kind not in ("pptx", "site")]
    if others:
        lines.append("exports: " + ", ".join(others))
    return lines


def _fold_decks(entries: list[dict]) -> list[str]:
    """``01-preparation.pptx slides 4, 16 (en-enforcement, en-prevention)``: the same slides of the
    same deck in several output folders said once."""
    folded: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        folder, _, file = entry["deck"].removeprefix("pptx/").partition("/")
        folded.setdefault((file, slide_numbers(entry)), []).append(folder)
    return [f"{file} {numbers} ({', '.join(folders)})" for (file, numbers), folders in folded.items()]


def slide_numbers(entry: dict) -> str:
    new, old = entry["slides"], entry["old_slides"]
    parts = []
    if new:
        parts.append(f"slide{'s' if len(new) != 1 else ''} {', '.join(map(str, new))}")
    if old:
        parts.append(f"old slide{'s' if len(old) != 1 else ''} {', '.join(map(str, old))}")
    return "; ".join(parts)


def _fold_pages(pages: list[str]) -> list[str]:
    folded: dict[str, list[str]] = {}
    for page in pages:
        folder, _, name = page.removeprefix("site/").partition("/")
        folded.setdefault(name, []).append(folder)
    return [f"{name} ({', '.join(folders)})" for name, folders in folded.items()]


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
