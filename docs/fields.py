"""Rewrites the field reference at the end of docs/authoring.md from the model
(generator.schema.field_reference). tests/test_docs_fields.py fails when it is out of date.

    python docs/fields.py
"""

from pathlib import Path

from generator.schema import REFERENCE_END, REFERENCE_START, field_reference

DOC = Path(__file__).resolve().parent / "authoring.md"


def updated(text: str) -> str:
    head, _, rest = text.partition(REFERENCE_START)
    _, _, tail = rest.partition(REFERENCE_END)
    return f"{head}{REFERENCE_START}\n\n{field_reference()}\n{REFERENCE_END}{tail}"


if __name__ == "__main__":
    DOC.write_text(updated(DOC.read_text(encoding="utf-8")), encoding="utf-8")
