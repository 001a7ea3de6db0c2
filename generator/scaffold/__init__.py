"""``modgen init``: a new, valid course that teaches the file format by example."""

from __future__ import annotations

from pathlib import Path

from generator.schema import write_schemas

_HERE = Path(__file__).resolve().parent
_FILES = ("course.yaml", "modules/01-preparation.yaml", "quizzes/01-preparation.yaml")


def scaffold(target: Path) -> list[Path]:
    """Write the starter course (and the JSON Schemas its files point at) into ``target``."""
    written = []
    for name in _FILES:
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes((_HERE / name).read_bytes())
        written.append(dest)
    written += write_schemas(target / "schemas")
    (target / ".gitignore").write_text("/output/\n", encoding="utf-8")
    written.append(target / ".gitignore")
    return written
