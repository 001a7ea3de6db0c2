"""Two import cycles that issue 31 ended stay ended: the model asks the interface catalogues for
its true/false labels, never the other way round (``Text`` lives in ``generator.text``), and the
loader runs the translation checks, which never import the loader back (it hands them the
glossary). Imports inside functions count; type-only imports (``if TYPE_CHECKING:``) do not."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                 and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("generator")}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A chain of imports from ``start`` to ``goal``, if there is one."""
    seen, stack = {start}, [[start]]
    while stack:
        path = stack.pop()
        for dep in sorted(graph.get(path[-1], ())):
            if dep == goal:
                return path + [dep]
            if dep not in seen:
                seen.add(dep)
                stack.append(path + [dep])
    return None


def test_the_interface_catalogues_do_not_import_the_model() -> None:
    graph = _graph()
    assert "generator.i18n" in _reaches(graph, "generator.model", "generator.i18n")  # the direction that stays
    assert _reaches(graph, "generator.i18n", "generator.model") is None


def test_the_translation_checks_do_not_import_the_loader() -> None:
    graph = _graph()
    assert _reaches(graph, "generator.loader.load", "generator.translate.checks")
    assert _reaches(graph, "generator.translate.checks", "generator.loader.load") is None
