"""Property: whatever an author (or a hostile file) does to valid course files, modgen answers with
exit 0 or 1 and clean messages — never a traceback — and a failed build leaves OUT untouched."""

from __future__ import annotations

import io
import re
import shutil
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.cli import main
from tests.conftest import FIXTURES, IN_CI, problem_lines

SOURCE = FIXTURES / "minimal"
FILES = ["course.yaml", "modules/01-preparation.yaml", "modules/02-activity.yaml",
         "quizzes/01-preparation.yaml", "quizzes/02-activity.yaml"]
ORIGINAL = {f: yaml.safe_load((SOURCE / f).read_text(encoding="utf-8")) for f in FILES}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.text(max_size=40), st.sampled_from(["", "\u202e", "\u200b", "<script>alert(1)</script>", "]]>",
                                           "{=~#:}", "ë\u0308", "\U0001F600", "a" * 300]),
)
values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)), max_leaves=8)


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


@st.composite
def mutations(draw):
    """A list of (file, path, action, value) edits on the parsed fixture."""
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        file = draw(st.sampled_from(FILES))
        all_paths = list(paths(ORIGINAL[file]))[1:]
        path = draw(st.sampled_from(all_paths))
        action = draw(st.sampled_from(["delete", "replace", "insert-key", "retype"]))
        edits.append((file, path, action, draw(values), draw(st.text(min_size=1, max_size=12))))
    return edits


def apply(data, path, action, value, key):
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif action == "insert-key":
        if isinstance(parent[last], dict):
            parent[last][key] = value
        else:
            parent[last] = {key: value}
    elif action == "retype":
        current = parent[last]
        parent[last] = [current] if not isinstance(current, list) else {"x": current}


def run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue()


@settings(max_examples=2000 if IN_CI else 150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edits=mutations(), raw_tail=st.one_of(st.none(), st.binary(max_size=20)))
@example(edits=[("course.yaml", ("title",), "insert-key", None, "\x1e")], raw_tail=None)  # found by CI
@example(edits=[("course.yaml", ("title",), "replace", "x", "k")], raw_tail=b"\x00")
def test_mutated_course_never_crashes(edits, raw_tail) -> None:
    import copy

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        shutil.copytree(SOURCE, root)
        data = copy.deepcopy(ORIGINAL)
        for file, path, action, value, key in edits:
            try:
                apply(data[file], path, action, value, key)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier edit removed this path
        for file in {e[0] for e in edits}:
            text = yaml.safe_dump(data[file], allow_unicode=True, sort_keys=False).encode("utf-8")
            if raw_tail is not None:
                text += raw_tail
            (root / file).write_bytes(text)
        out = Path(tmp) / "out"
        out.mkdir()
        (out / "manifest.json").write_text('{"course": "earlier"}', encoding="utf-8")

        code, stderr = run("validate", str(root))
        assert code in (0, 1), stderr
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        if code == 1:
            lines = [l for l in problem_lines(stderr) if l and not l.startswith("Validation: found ")]
            assert lines and all(_located(l) for l in lines), stderr
            # A failing build must not touch the earlier output.
            code, stderr = run("build", str(root), "-o", str(out), "--format", "none-such")
            assert code == 1, stderr
            assert [p.name for p in out.iterdir()] == ["manifest.json"]
            assert (out / "manifest.json").read_text(encoding="utf-8") == '{"course": "earlier"}'


def _located(line: str) -> bool:
    parts = line.split(":", 3)
    return len(parts) == 4 and parts[1].isdigit() and parts[2].isdigit() and int(parts[1]) >= 1


# --- pathological YAML, written as text (the mutations above go through yaml.safe_dump, which can
# never produce these) -------------------------------------------------------------------------

_VALUE_LINE = re.compile(r"^(?P<lead>[ \t]*(?:- )?[a-z_]+: )(?P<value>[^|>\s].*)$", re.MULTILINE)


def _flow_nesting(depth: int) -> str:
    return "[" * depth + "]" * depth


def _alias_bomb(width: int, levels: int) -> str:
    # [&l0 [x, x, ...], &l1 [*l0, *l0, ...], ...]: width ** levels values from a few hundred bytes.
    parts = ["&l0 [" + ", ".join(["x"] * width) + "]"]
    parts += [f"&l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


pathological_values = st.one_of(
    st.integers(41, 200_000).map(_flow_nesting),
    st.builds(lambda cp, a, b: f'"{a}\\u{cp:04x}{b}"', st.integers(0xD800, 0xDFFF),
              st.text("abc ", max_size=5), st.text("xyz ", max_size=5)),
    st.builds(lambda sign, n: sign + "9" * n, st.sampled_from(["", "-", "+"]), st.integers(101, 1_000_000)),
    st.builds(lambda n, m: "1" * n + "." + "5" * m, st.integers(1, 50), st.integers(101, 200_000)),
    # PyYAML resolves a float only with a dot and a signed exponent ("1e9" stays text).
    st.builds(lambda e: "1.5e+" + "9" * e, st.integers(100, 5_000)),
    st.builds(_alias_bomb, st.integers(5, 12), st.integers(6, 9)),
)


@st.composite
def block_nesting(draw) -> str:
    """A top-level key whose value is ``depth`` nested block mappings or lists, mixed."""
    depth = draw(st.integers(41, 3_000))
    lists = draw(st.lists(st.booleans(), min_size=depth, max_size=depth)) if depth <= 200 else [False] * depth
    lines, indent = ["nested:"], 2
    for is_list in lists:
        lines.append(" " * indent + ("- k:" if is_list else "k:"))
        indent += 4 if is_list else 2
    lines.append(" " * indent + "v")
    return "\n".join(lines) + "\n"


@settings(max_examples=300 if IN_CI else 40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(file=st.sampled_from(FILES), where=st.integers(0, 10_000), value=pathological_values,
       block=st.one_of(st.none(), block_nesting()))
@example(file=FILES[1], where=0, value=_flow_nesting(100_000), block=None)
@example(file=FILES[1], where=3, value='"\\udfff"', block=None)
def test_pathological_yaml_is_located(file: str, where: int, value: str, block: str | None) -> None:
    """Deep nesting (flow or block), lone surrogate escapes, over-long number literals and alias
    bombs, put in place of any plain value of any file: exit 1, located lines, no traceback, and an
    earlier build untouched."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        shutil.copytree(SOURCE, root)
        target = root / file
        text = target.read_text(encoding="utf-8")
        if block is not None:
            text = text.rstrip("\n") + "\n" + block
        else:
            lines = list(_VALUE_LINE.finditer(text))
            line = lines[where % len(lines)]
            text = text[:line.start("value")] + value + text[line.end("value"):]
        target.write_text(text, encoding="utf-8")
        out = Path(tmp) / "out"
        out.mkdir()
        (out / "manifest.json").write_text('{"course": "earlier"}', encoding="utf-8")

        code, stderr = run("build", str(root), "-o", str(out))
        assert code == 1, stderr
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        lines = [l for l in problem_lines(stderr) if l and not l.startswith(("Build: found ", "warning"))]
        assert lines and all(_located(l) for l in lines), stderr
        assert any(l.startswith(file + ":") for l in lines), stderr
        assert [p.name for p in out.iterdir()] == ["manifest.json"]
        assert (out / "manifest.json").read_text(encoding="utf-8") == '{"course": "earlier"}'
