"""``modgen init``: a new, valid course that teaches the file format by example.

Two kinds: a *plain* course (lessons, sections and quizzes, in one language to start with) and a
*crime-script* course (phases, perspectives, actors and intervention points, in two languages, as
the bundled course is written). Each is a folder here, copied as it is.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.schema import write_schemas

_HERE = Path(__file__).resolve().parent
KINDS = ("plain", "crime-script")

#: Editor settings written with a course. modgen reads YAML 1.1 (PyYAML): `No` is false there,
#: text in YAML 1.2. The YAML language server (VS Code and others) defaults to 1.2 and would
#: show `en: No` as text while modgen refuses it, so the course tells it to read YAML 1.1.
#: An .editorconfig keeps editors from indenting YAML with tabs, which YAML refuses.
_EDITOR_FILES = {
    ".vscode/settings.json": json.dumps({"yaml.yamlVersion": "1.1", "files.insertFinalNewline": True,
                                         "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2}},
                                        indent=2) + "\n",
    ".editorconfig": "root = true\n\n[*.{yaml,yml}]\nindent_style = space\nindent_size = 2\n"
                     "charset = utf-8\ninsert_final_newline = true\n",
    ".gitignore": "/output/\n",
}


def scaffold(target: Path, kind: str = "plain") -> list[Path]:
    """Write the starter course of ``kind`` (and the JSON Schemas its files point at, and editor
    settings) into ``target``."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of course {kind!r}")
    source = _HERE / kind
    written = []
    for path in sorted(p for p in source.rglob("*.yaml")):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(path.read_bytes())
        written.append(dest)
    written += write_schemas(target / "schemas")
    for name, text in _EDITOR_FILES.items():
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        written.append(dest)
    return written
