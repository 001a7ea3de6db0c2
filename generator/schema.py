"""JSON Schemas for the kinds of course file, so editors can complete and underline as authors type."""

from __future__ import annotations

import json
from pathlib import Path

from generator.model import CourseFile, Glossary, Lesson, Quiz

SCHEMAS = {"course": CourseFile, "lesson": Lesson, "quiz": Quiz, "glossary": Glossary}


def schema_for(name: str) -> dict:
    schema = SCHEMAS[name].model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault("title", name)
    return schema


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(schema_for(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n",
                        encoding="utf-8")
        written.append(path)
    return written
