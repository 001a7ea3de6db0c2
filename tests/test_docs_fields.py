"""docs/authoring.md's field reference is the model's: a field added, made required or described
anew in generator/model.py fails this test until `python docs/fields.py` is run."""

from __future__ import annotations

import importlib.util

from generator import model
from generator.schema import field_reference
from tests.conftest import ROOT


def _fields_script():
    spec = importlib.util.spec_from_file_location("fields", ROOT / "docs" / "fields.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_authoring_md_lists_every_field_as_the_model_has_it() -> None:
    text = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert _fields_script().updated(text) == text, "docs/authoring.md is out of date: run python docs/fields.py"


def test_the_reference_says_which_fields_are_required() -> None:
    reference = field_reference()
    for name, info in model.Lesson.model_fields.items():
        row = next(line for line in reference.split("### A quiz")[0].splitlines() if line.startswith(f"| `{name}` |"))
        assert ("**required**" in row) == info.is_required(), row
    assert "| `explanation` | **required** |" in reference
    assert "| `audiences` | **required** |" in reference  # an intervention point's
