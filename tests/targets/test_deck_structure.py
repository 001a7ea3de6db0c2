"""The deck package a newcomer can follow (issue 27): what goes on which slide is decided in
``plan``, text is measured in ``measure``/``words``, the parts are written by ``builder``,
``diagram``, ``figures``, ``drawing`` and ``package`` — and no two of its modules import each
other, directly or round a loop, not even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "generator" / "targets" / "deck"
PREFIX = "generator.targets.deck"


def imports(path: Path) -> set[str]:
    """The deck modules ``path`` imports anywhere in it (the package's ``__init__`` as the package)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            if node.module == PREFIX:
                found |= {f"{PREFIX}.{alias.name}" for alias in node.names
                          if (PACKAGE / f"{alias.name}.py").is_file()}
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith(PREFIX + ".")}
    return found


def test_the_deck_modules_import_one_another_without_a_loop() -> None:
    graph = {f"{PREFIX}.{p.stem}": imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    graph = {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}
    loops = []

    def visit(module: str, path: list[str]) -> None:
        for dep in sorted(graph[module]):
            if dep in path:
                loops.append(" → ".join(path[path.index(dep):] + [dep]))
            elif len(path) < len(graph):
                visit(dep, path + [dep])

    for module in sorted(graph):
        visit(module, [module])
    assert loops == [], "\n".join(sorted(set(loops)))
    # The plan decides by meaning and knows nothing of PowerPoint's parts.
    assert not graph[f"{PREFIX}.plan"] & {f"{PREFIX}.builder", f"{PREFIX}.package", f"{PREFIX}.diagram"}
