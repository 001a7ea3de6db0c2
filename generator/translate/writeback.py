"""Translations written back into a course file, touching nothing but the changed values.

ruamel.yaml's round trip sets the values (in the style the author used: ``|``, ``>-``, quotes or
plain, with folded text wrapped as wide as the author wrapped it) and emits them. Its emitter does
not reproduce every author's layout (indentation of lists, wrapped quoted strings), so only the
changed values are taken from its output and put in place of the old ones in the author's text;
every other byte stays. The result is read back as builds read it (PyYAML), and must hold exactly
the old data with the new values, or nothing is written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString, SingleQuotedScalarString,
)

from generator.loader.yaml_source import read_yaml


@dataclass(frozen=True)
class Change:
    """Set ``lang`` of the text mapping at ``path`` to ``value``."""

    path: tuple
    lang: str
    value: str


class WritebackError(Exception):
    """The file cannot be changed safely (a message for the author, with the path in the file)."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    # Builds read course files as YAML 1.1 (PyYAML): so must the emitter quote, or a translation
    # "yes" or "on" would come back as a boolean.
    yaml.version = (1, 1)
    yaml.width = 4096  # no re-wrapping of text: folded text is wrapped below, as the author did
    yaml.preserve_quotes = True
    return yaml


def rewrite_file(raw: bytes, changes: list[Change], display: str, plain_lang: str | None = None) -> bytes:
    """A course file's bytes with ``changes`` made, in the file's own encoding details: a byte
    order mark and Windows line ends stay as they were."""
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom):].decode("utf-8")
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    result = rewrite(text, changes, display, plain_lang)
    if crlf:
        result = result.replace("\n", "\r\n")
    return bom + result.encode("utf-8")


def rewrite(text: str, changes: list[Change], display: str, plain_lang: str | None = None) -> str:
    """``text`` (a course file, ``\n`` line ends) with ``changes`` made; raises :class:`WritebackError`.
    A plain text a change points at (``title: Hello``) is in ``plain_lang``, the course's first
    language: it becomes ``{plain_lang: Hello, …}`` first (:func:`wrap_plain`)."""
    if not changes:
        return text
    from ruamel.yaml.error import YAMLError, YAMLStreamError

    try:
        if plain_lang is not None:
            text = wrap_plain(text, [c.path for c in changes], plain_lang, display)
        return _rewrite(text, changes, display)
    except (YAMLError, YAMLStreamError, RecursionError, ValueError) as exc:
        # What ruamel emitted does not read back (or could not be emitted): nothing is written.
        raise WritebackError(f"{display}: the file would no longer read correctly "
                             f"({' '.join(str(exc).split())[:200]}); nothing was written") from None


def _rewrite(text: str, changes: list[Change], display: str) -> str:
    yaml = _yaml()
    data = yaml.load(text)
    original = yaml.compose(io.StringIO(text))
    final: list[Change] = []
    for change in changes:
        mapping = _data_at(data, change.path, display)
        old = mapping.get(change.lang)
        sibling = old if old is not None else next(iter(mapping.values()), "")
        value = _like(sibling, change.value, old if isinstance(old, str) else None)
        final.append(Change(change.path, change.lang, str(value)))
        if isinstance(value, FoldedScalarString):
            value.fold_pos = _fold_positions(value, _width(original, change, text))
        if change.lang in mapping:
            mapping[change.lang] = value
        else:
            mapping.insert(len(mapping), change.lang, value)
    out = io.StringIO()
    yaml.dump(data, out)
    emitted_text = out.getvalue()
    emitted = yaml.compose(io.StringIO(emitted_text))

    edits: list[tuple[int, int, str]] = []
    for change in changes:
        o_map = _node_at(original, change.path, display)
        e_map = _node_at(emitted, change.path, display)
        e_key, e_value = _pair(e_map, change.lang)
        o_pair = _pair(o_map, change.lang)
        if o_pair is not None:
            o_key, o_value = o_pair
            start, end = _span(text, o_value)
            e_start, e_end = _span(emitted_text, e_value)
            snippet = _reindent(emitted_text[e_start:e_end], o_key.start_mark.column - e_key.start_mark.column)
            # A block scalar's span holds its line end; a quoted or plain one's does not.
            if text[start:end].endswith("\n") and not snippet.endswith("\n"):
                snippet += "\n"
            elif snippet.endswith("\n") and not text[start:end].endswith("\n"):
                snippet = snippet[:-1]
            edits.append((start, end, snippet))
        else:
            edits.append(_insertion(text, o_map, emitted_text, e_map, e_key, e_value))
    result = text
    for start, end, snippet in sorted(edits, key=lambda e: e[0], reverse=True):
        result = result[:start] + snippet + result[end:]
    _check(text, result, final, display)
    return result


def wrap_plain(text: str, paths: list[tuple], lang: str, display: str) -> str:
    """``text`` with each plain scalar at ``paths`` turned into a block mapping of one language,
    the author's text kept byte for byte (moved two columns right where it runs over lines)::

        title: Hello            title:
                           →      en: Hello
        - Hello            →    - en: Hello
    """
    root = _yaml().compose(io.StringIO(text))
    edits = []
    for path in dict.fromkeys(paths):
        node, parent_key = root, None
        for step in path:
            parent_key = None
            if isinstance(node, MappingNode):
                pair = next(((k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == step), None)
                if pair is None:
                    break
                parent_key, node = pair
            elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
            else:
                break
        else:
            if not isinstance(node, ScalarNode):
                continue  # already a mapping of languages
            start, end = _span(text, node)
            value = text[start:end]
            if parent_key is not None:  # a mapping's value: the languages go on the lines below
                column = parent_key.start_mark.column + 2
                while start > 0 and text[start - 1] == " ":  # no trailing space after "title:"
                    start -= 1
                snippet = "\n" + " " * column + f"{lang}: " + _reindent(value, 2)
            else:  # a list item: "- en: …"
                snippet = f"{lang}: " + _reindent(value, 2)
            edits.append((start, end, snippet))
    wrapped = text
    for start, end, snippet in sorted(edits, reverse=True):
        wrapped = wrapped[:start] + snippet + wrapped[end:]
    if wrapped != text:  # read back as builds read it: the same data, each text now {lang: text}
        old, _ = read_yaml(None, display, text.encode("utf-8"))  # type: ignore[arg-type]
        new, problems = read_yaml(None, display, wrapped.encode("utf-8"))  # type: ignore[arg-type]
        if old is None or new is None or problems:
            raise WritebackError(f"{display}: the file would no longer read correctly; nothing was written")
        expected = old.data
        for path in paths:
            target = expected
            for step in path[:-1]:
                target = target[step]
            if isinstance(target[path[-1]], str):
                target[path[-1]] = {lang: target[path[-1]]}
        if new.data != expected:
            raise WritebackError(f"{display}: a plain text could not be turned into {{{lang}: …}} safely; "
                                 "nothing was written")
    return wrapped


#: Characters YAML reads as line breaks but course text keeps as characters (Word's and InDesign's
#: line and paragraph separators, NEL, a carriage return on its own): in a block, plain or single-
#: quoted scalar they would come back as "\n" (or break the block), so such a text is written
#: double-quoted, where they are escapes (\L, \P, \N, \r) that read back as themselves.
_YAML_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _like(sibling: Any, value: str, old: str | None) -> Any:
    """``value`` in the scalar style of ``sibling``; with the trailing line break that ``old`` (or
    the sibling) has, so a ``|`` block stays a ``|`` block."""
    if any(c in value for c in _YAML_LINE_BREAKS):
        return DoubleQuotedScalarString(value)
    model = old if old is not None else sibling
    if isinstance(model, str):
        if model.endswith("\n") and not value.endswith("\n"):
            value += "\n"
        elif not model.endswith("\n") and value.endswith("\n") and not isinstance(model, LiteralScalarString):
            value = value.rstrip("\n")
    for style in (LiteralScalarString, FoldedScalarString, DoubleQuotedScalarString, SingleQuotedScalarString):
        if isinstance(sibling, style):
            if style is FoldedScalarString and ("\n" in value.rstrip("\n") or value != value.strip(" ")):
                return LiteralScalarString(value) if "\n" in value.rstrip("\n") else DoubleQuotedScalarString(value)
            return style(value)
    return value


def _fold_positions(value: str, width: int) -> list[int]:
    """Where to break folded text so that no line is wider than ``width`` (single spaces between
    two words only: folding anywhere else would change the text)."""
    positions, line_start, last_space = [], 0, -1
    for i, ch in enumerate(value):
        if ch == "\n":
            line_start, last_space = i + 1, -1
            continue
        if ch == " " and 0 < i < len(value) - 1 and value[i - 1] not in " \n" and value[i + 1] not in " \n":
            if i - line_start > width and last_space > line_start:
                positions.append(last_space)
                line_start = last_space + 1
            last_space = i
    if len(value) - line_start > width and last_space > line_start:
        positions.append(last_space)
    return positions


def _width(root: Node, change: Change, text: str) -> int:
    """How wide the author wrapped the text's other languages: the longest line of the mapping."""
    node = _node_at(root, change.path, "")
    start, end = node.start_mark.index, node.end_mark.index
    lines = [line.strip() for line in text[start:end].splitlines()[1:]]
    return max([len(line) for line in lines if line] + [60])


def _data_at(data: Any, path: tuple, display: str) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            raise WritebackError(f"{display}: no value at {'/'.join(map(str, path))}") from None
    if not hasattr(data, "insert"):
        raise WritebackError(f"{display}: the text at {'/'.join(map(str, path))} is not a mapping of languages")
    return data


def _node_at(node: Node, path: tuple, display: str) -> MappingNode:
    for step in path:
        if isinstance(node, MappingNode):
            found = next((v for k, v in node.value if isinstance(k, ScalarNode) and k.value == step), None)
        elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
            found = node.value[step]
        else:
            found = None
        if found is None:
            raise WritebackError(f"{display}: no value at {'/'.join(map(str, path))}")
        node = found
    if not isinstance(node, MappingNode):
        raise WritebackError(f"{display}: the text at {'/'.join(map(str, path))} is not a mapping of languages")
    return node


def _pair(mapping: MappingNode, key: str) -> tuple[Node, Node] | None:
    return next(((k, v) for k, v in mapping.value if isinstance(k, ScalarNode) and k.value == key), None)


def _span(text: str, node: Node) -> tuple[int, int]:
    """Where a value stands in ``text``. A block scalar's span ends with its last line of text: the
    blank lines after it belong to the layout (unless it keeps them, ``|+``)."""
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        header = text[start:text.find("\n", start)] if "\n" in text[start:end] else ""
        if "+" not in header:
            body = text[start:end]
            last = len(body.rstrip(" \n"))
            line_end = body.find("\n", last)
            end = start + (line_end + 1 if line_end >= 0 else len(body))
    return start, end


def _reindent(snippet: str, delta: int) -> str:
    """``snippet``'s continuation lines moved ``delta`` columns (the author's indentation)."""
    if delta == 0 or "\n" not in snippet:
        return snippet
    lines = snippet.split("\n")
    moved = [lines[0]]
    for line in lines[1:]:
        if not line.strip():
            moved.append(line)
        elif delta > 0:
            moved.append(" " * delta + line)
        else:
            moved.append(line[min(-delta, len(line) - len(line.lstrip(" "))):])
    return "\n".join(moved)


def _insertion(text: str, o_map: MappingNode, emitted_text: str, e_map: MappingNode, e_key: Node,
               e_value: Node) -> tuple[int, int, str]:
    """A new ``lang: value`` entry after the mapping's last one, in the author's indentation."""
    _, e_end = _span(emitted_text, e_value)
    last_key, last_value = o_map.value[-1]
    if o_map.flow_style:
        snippet = emitted_text[e_key.start_mark.index:e_end]
        at = _span(text, last_value)[1]
        return at, at, ", " + snippet
    column = last_key.start_mark.column
    snippet = _reindent(emitted_text[e_key.start_mark.index:e_end], column - e_key.start_mark.column)
    start, end = _span(text, last_value)
    if text[end - 1:end] == "\n":
        at = end
    else:
        newline = text.find("\n", end)
        at = newline + 1 if newline >= 0 else len(text)
    lead = "" if at == 0 or text[at - 1] == "\n" else "\n"
    tail = "" if snippet.endswith("\n") else "\n"
    return at, at, lead + " " * column + snippet + tail


def _check(before: str, after: str, changes: list[Change], display: str) -> None:
    """``after``, read as builds read it, is ``before``'s data with exactly ``changes`` made."""
    old, _ = read_yaml(None, display, before.encode("utf-8"))  # type: ignore[arg-type]
    new, problems = read_yaml(None, display, after.encode("utf-8"))  # type: ignore[arg-type]
    if old is None or new is None or problems:
        raise WritebackError(f"{display}: the file would no longer read correctly; nothing was written")
    expected = old.data
    for change in changes:
        target = expected
        for step in change.path:
            target = target[step]
        target[change.lang] = change.value
    if new.data != expected:
        raise WritebackError(f"{display}: writing the translations would change other values (a YAML alias?); "
                             "nothing was written")
