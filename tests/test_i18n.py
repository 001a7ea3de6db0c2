"""The interface catalogues (generator/locales/<lang>/LC_MESSAGES/<domain>.po) and Babel's formats.

Every key exists in every shipped language with the same placeholders, and every key the code or a
template asks for (extracted with Babel, as ``pybabel extract`` would) is in its domain.
"""

from __future__ import annotations

import datetime
import importlib
import re
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from generator import i18n
from tests.conftest import ROOT

GENERATOR = ROOT / "generator"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")

#: Template folders → the function names their pages call with a key, and the domain of each.
TEMPLATE_CALLS = {
    "targets/site/templates": {"ui": "core", "s": "site"},
    "targets/handouts/templates": {"ui": "core", "label": "handouts"},
    "classroom/templates": {"ui": "core", "label": "classroom"},
}


def _catalogues():
    import generator.targets as targets

    for kind in targets.kinds():
        targets.load_target(kind)
    for module in ("generator.classroom", "generator.governance.changelog", "generator.report.render",
                   "generator.session", "generator.targets.deck.plan"):
        importlib.import_module(module)
    return i18n.Catalog.all


def test_shipped_languages() -> None:
    assert i18n.SUPPORTED_LANGUAGES == ("nl", "en", "de", "fr")


def test_every_key_in_every_language() -> None:
    catalogues = _catalogues()
    assert {c.name for c in catalogues} == set(i18n.domains())
    assert [m for c in catalogues for m in c.missing()] == []
    for domain in i18n.domains():
        keys = set(i18n.shipped(domain, i18n.REFERENCE))
        for lang in i18n.SUPPORTED_LANGUAGES:
            extra = set(i18n.shipped(domain, lang)) - keys
            assert not extra, f"{lang}/{domain}.po has keys English lacks: {sorted(extra)}"


def test_translations_keep_the_placeholders() -> None:
    wrong = []
    for domain in i18n.domains():
        for key, english in i18n.shipped(domain, i18n.REFERENCE).items():
            wanted = sorted(PLACEHOLDER.findall(english))
            for lang in i18n.SUPPORTED_LANGUAGES:
                text = i18n.shipped(domain, lang).get(key, "")
                if sorted(PLACEHOLDER.findall(text)) != wanted:
                    wrong.append(f"{lang}/{domain}:{key}: {text!r}")
    assert wrong == []


def test_po_files_are_well_formed() -> None:
    """Each file parses with Babel, declares its language and has no duplicate or fuzzy entry."""
    for path in sorted((GENERATOR / "locales").glob("*/LC_MESSAGES/*.po")):
        text = path.read_text(encoding="utf-8")
        with path.open("rb") as f:
            catalog = read_po(f)
        assert f'"Language: {path.parts[-3]}\\n"' in text, path
        ids = re.findall(r'^msgid "(.+)"$', text, re.M)
        assert len(ids) == len(set(ids)) == len(catalog), path
        assert not any(m.fuzzy for m in catalog if m.id), path
        assert i18n.read_shipped_po(path) == {m.id: m.string for m in catalog if m.id}, path


def _keys(node) -> list[str]:
    """The literal keys an argument can be: "a", or "a" if … else "b"."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys(node.body) + _keys(node.orelse)
    return []


def _python_calls() -> list[tuple[Path, str, str, int]]:
    """(file, domain, key, line) of every literal key passed to a catalogue in the code. (Python is
    read with ``ast`` rather than Babel's extractor, which joins every literal of an argument:
    ``ui("a" if x else "b")`` would give "ab".)"""
    import ast

    _catalogues()
    found = []
    for name, module in sorted(sys.modules.items()):
        if not name.startswith("generator") or not getattr(module, "__file__", None):
            continue
        names = {var: value.name for var, value in vars(module).items() if isinstance(value, i18n.Catalog)}
        if getattr(module, "i18n", None) is i18n:  # i18n.core(…), and helpers named after it (self.core(…))
            names.setdefault("core", "core")
        if not names:
            continue
        path = Path(module.__file__)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if func in names:
                    found += [(path, names[func], key, node.lineno) for key in _keys(node.args[0])]
    return found


def _template_calls() -> list[tuple[Path, str, str, int]]:
    from jinja2.ext import babel_extract

    found = []
    for folder, calls in TEMPLATE_CALLS.items():
        for path in sorted((GENERATOR / folder).glob("*.html")):
            with path.open("rb") as f:
                for line, func, key, _ in babel_extract(f, tuple(calls), [], {}):
                    if isinstance(key, str):
                        found.append((path, calls[func], key, line))
    return found


def test_code_and_templates_ask_only_for_known_keys() -> None:
    calls = _python_calls() + _template_calls()
    assert len(calls) > 250  # the extraction really found the calls
    unknown = [f"{p.relative_to(ROOT)}:{line}: {domain}:{key}" for p, domain, key, line in calls
               if key not in i18n.shipped(domain, i18n.REFERENCE)]
    assert unknown == []


@pytest.mark.parametrize(("lang", "number", "decimal", "date"), [
    ("nl", "105.650", "2,5", "1 december 2026"),
    ("en", "105,650", "2.5", "1 December 2026"),
    ("de", "105.650", "2,5", "1. Dezember 2026"),
    ("fr", "105\u202f650", "2,5", "1 décembre 2026"),
])
def test_babel_formats(lang, number, decimal, date) -> None:
    assert i18n.format_number(105650, lang) == number
    assert i18n.format_number(2.5, lang) == decimal
    assert i18n.format_date(datetime.date(2026, 12, 1), lang) == date


def test_lists_and_language_names() -> None:
    assert i18n.format_list(["a", "b", "c"], "nl") == "a, b en c"
    assert i18n.format_list(["a", "b", "c"], "de") == "a, b und c"
    assert [i18n.language_name(l) for l in ("nl", "en", "de", "fr")] == ["Nederlands", "English", "Deutsch", "Français"]


def test_a_course_catalogue_overrides_and_adds_a_language(tmp_path: Path) -> None:
    (tmp_path / "interface").mkdir()
    (tmp_path / "interface" / "nl.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "core:objectives"\nmsgid "Learning objectives"\nmsgstr "Wat je leert"\n', encoding="utf-8")
    try:
        i18n.use_course(tmp_path, ["nl", "sv"])
        assert i18n.core("objectives", "nl") == "Wat je leert"
        assert i18n.core("objectives", "en") == "Learning objectives"
        assert i18n.missing_interface("sv")  # no Swedish anywhere
        assert not i18n.missing_interface("nl")
    finally:
        i18n.use_course(None)
    assert i18n.core("objectives", "nl") == "Leerdoelen"
