"""Safe YAML reading that remembers where every value came from.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two duplicate keys, so an
author loses text without a word. Here we let PyYAML *compose* the node tree (which carries marks)
and build the Python values ourselves: duplicate keys become problems, alias expansion is bounded,
merge keys are refused, and every value's ``(line, column)`` is recorded under its path
(``("questions", 2, "options")``) so that a pydantic error or a cross-reference check can point at
the exact line (the idea of Dagster's ``source_position``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator import limits
from generator.problems import Problem

PathKey = tuple[str | int, ...]

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The scalars that are not text, with PyYAML's safe constructors for them. These read only the
# node's value, so one constructor serves every file (construct_object would also remember every
# node it built).
_CONSTRUCT_SCALAR = {tag: yaml.SafeLoader.yaml_constructors[tag] for tag in (
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:null",
)}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# Characters that are legal in YAML escapes but break XML exports, terminals and screen readers.
_FORBIDDEN_CONTROLS = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {"\x7f"}
_BIDI_OVERRIDES = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}
# One regex pass instead of a Python loop per character (a third of load time on a real course).
_NOT_SPACE = re.compile(r"\S")
# Lone surrogates come only from escapes ("\ud800"): they are not characters and cannot be written
# as UTF-8, so every output would fail. Matched here so that the text fast path sends them to _scalar.
_INVISIBLE = re.compile("[" + re.escape("".join(sorted(_FORBIDDEN_CONTROLS | _BIDI_OVERRIDES))) + "\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# The start of each line up to its content: indentation and compact indicators ("- - ? ").
_LINE_START = re.compile(r"^[ \t]*(?:(?:[-?:]|[&!][^ \t\n]*)[ \t]+)*", re.MULTILINE)
_TOKEN_START = re.compile(r"(?<![^ \t])[^ \t]")


@dataclass(frozen=True, slots=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


class SourceMap:
    """Where each value of one file stands: value position and, for mapping entries, key position.

    The positions are worked out when first asked for, by reading the file again: a valid course
    never asks, and recording a path and two positions for every value of every file was a third
    of the memory of a 1,000-lesson course (see bench/README.md). While the loader still holds the
    file's text it passes it in, so a validation error is located in exactly the text validated.
    """

    __slots__ = ("path", "file", "_text", "_values", "_keys")

    def __init__(self, path: str, file: Path | None = None, text: str | None = None):
        self.path = path  # as shown to the author
        self.file = file  # where to read it again
        self._text = text
        self._values: dict[PathKey, Position] | None = None
        self._keys: dict[PathKey, Position] = {}

    def forget_text(self) -> None:
        """Let the file's text go; positions asked for later are read from the file."""
        self._text = None

    def locate(self, loc: PathKey, *, prefer_key: bool = False) -> Position:
        """The position of ``loc``, or of its nearest recorded ancestor."""
        if self._values is None:
            self._values, self._keys = self._positions()
        values, keys = self._values, self._keys
        loc = tuple(loc)
        while True:
            if prefer_key and loc in keys:
                return keys[loc]
            if loc in values:
                # A mapping entry's key is where an author looks for it ("duration: abc").
                return keys.get(loc, values[loc]) if prefer_key else values[loc]
            if not loc:
                return Position(1, 1)
            loc = loc[:-1]
            prefer_key = True

    def _positions(self) -> tuple[dict[PathKey, Position], dict[PathKey, Position]]:
        text = self._text
        if text is None and self.file is not None:
            try:
                text, _ = _decode(self.file.read_bytes(), self.path)
            except OSError:  # gone since it was loaded: every problem points at its first line
                text = None
        root = _compose(text) if text else None
        if root is None:
            return {}, {}
        builder = _Builder(self.path, record=True)
        try:
            builder.build(root, (), 0)
        except (_TooLarge, _TooDeep):  # pragma: no cover - the first reading refused such a file
            pass
        return builder.values, builder.keys


def _compose(text: str) -> yaml.Node | None:
    """The one document of ``text`` as a node tree, or None when it is not one readable document."""
    for loader in (_FastLoader, yaml.SafeLoader):  # as read_yaml reads it
        try:
            nodes = [n for n in yaml.compose_all(text, Loader=loader) if n is not None]
        except yaml.YAMLError:
            continue
        return nodes[0] if len(nodes) == 1 else None
    return None


@dataclass
class YamlDocument:
    data: Any
    source: SourceMap


_ScalarNode, _SequenceNode, _MappingNode = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class _FastLoader(_FAST_LOADER):
    """libyaml's composer with PyYAML's implicit tag resolution written for speed.

    The composer calls ``resolve`` and the two path-resolver hooks once per node; PyYAML's generic
    versions were a third of the composing time of a large course. Same tags: the same implicit
    resolvers are tried in the same order, and the safe loader has no path resolvers.
    """

    _by_first_char = {first: tuple(resolvers) + tuple(_FAST_LOADER.yaml_implicit_resolvers.get(None, ()))
                      for first, resolvers in _FAST_LOADER.yaml_implicit_resolvers.items() if first is not None}
    _wildcard = tuple(_FAST_LOADER.yaml_implicit_resolvers.get(None, ()))

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is _ScalarNode:
            if implicit[0]:
                for tag, regexp in self._by_first_char.get(value[:1], self._wildcard):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is _SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _Builder:
    """Python values from a node tree, checking what PyYAML lets through; with ``record``, also
    the position of every value and key under its path."""

    def __init__(self, display: str, *, record: bool = False):
        self.display = display
        self.record = record
        self.values: dict[PathKey, Position] = {}
        self.keys: dict[PathKey, Position] = {}
        self.problems: list[Problem] = []
        self.nodes_built = 0
        # Characters of text built so far: an alias repeats its text without costing nodes, so a
        # 200 kB file of aliases to a long text would otherwise expand to hundreds of MB.
        self.chars_left = limits.MAX_TEXT_PER_FILE
        self.top_level_key: yaml.Mark | None = None
        self._max_nodes = limits.MAX_NODES_PER_FILE
        self._max_nesting = limits.MAX_NESTING
        self._max_chars = limits.MAX_STRING_CHARS

    def problem(self, mark: yaml.Mark, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.display, mark.line + 1, mark.column + 1, message, hint))

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        # Once per value of every file, so kept lean: the path is only made when positions are
        # recorded, depth is passed down, and the common text case is handled inline.
        self.nodes_built += 1
        if self.nodes_built > self._max_nodes:
            # Point at the top-level field that explodes: that is where the author must look.
            raise _TooLarge(self.top_level_key or node.start_mark)
        depth += 1
        if depth > self._max_nesting:
            raise _TooDeep(node.start_mark)
        if self.record:
            self.values[path] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        kind = type(node)
        if kind is _ScalarNode:
            if node.tag == _STR:
                text = node.value
                self.chars_left -= len(text)
                if self.chars_left < 0:
                    raise _TooMuchText(self.top_level_key or node.start_mark)
                if len(text) <= self._max_chars:
                    if text.isascii():
                        # The YAML reader refuses raw control characters: in ASCII text only a
                        # double-quoted escape ("\x01") can make one. (ASCII is already NFC.)
                        if node.style != '"' or _INVISIBLE.search(text) is None:
                            return text
                    elif _INVISIBLE.search(text) is None:
                        return unicodedata.normalize("NFC", text)
            return self._scalar(node)
        if kind is _MappingNode:
            return self._mapping(node, path, depth)
        if self.record:
            return [self.build(item, path + (i,), depth) for i, item in enumerate(node.value)]
        return [self.build(item, path, depth) for item in node.value]

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict:
        result: dict = {}
        first_seen: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problem(key_node.start_mark, "merge keys ('<<') are not supported",
                             "write the fields out; course files are read by people")
                continue
            if type(key_node) is not _ScalarNode:
                self.problem(key_node.start_mark, "a key must be a plain name, not a list or mapping")
                continue
            key = key_node.value
            self.chars_left -= len(key)
            if self.chars_left < 0:
                raise _TooMuchText(self.top_level_key or key_node.start_mark)
            if key_node.tag != _STR or key_node.style == '"' or not key.isascii() or len(key) > self._max_chars:
                # The common case above (a plain ASCII name) needs none of _scalar's checks.
                key = self._scalar(key_node)
                if not isinstance(key, str):
                    # `yes:`/`1:` as keys would silently become booleans or numbers.
                    key = key_node.value
            if key in first_seen:
                first = first_seen[key]
                self.problem(key_node.start_mark, f"duplicate key '{key}' (first defined on line {first.line + 1})",
                             "YAML keeps only one of them; remove or rename one")
                continue
            first_seen[key] = key_node.start_mark
            if depth == 1:
                self.top_level_key = key_node.start_mark
            if self.record:
                here = path + (key,)
                self.keys[here] = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.build(value_node, here, depth)
            else:
                result[key] = self.build(value_node, path, depth)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        construct = _CONSTRUCT_SCALAR.get(node.tag)
        if construct is not None:
            if len(node.value) > limits.MAX_NUMBER_CHARS and node.tag != "tag:yaml.org,2002:null":
                # Before conversion: int() refuses more than 4,300 digits, and below that its time
                # grows with the square of the length.
                self.problem(node.start_mark, f"number of {len(node.value):,} characters is longer than the limit of "
                                              f"{limits.MAX_NUMBER_CHARS}", "no course value needs a number this long")
                return None
            return construct(_CONSTRUCTOR, node)
        # Everything else (strings, and timestamps that authors mean as text) stays text.
        text = node.value
        if len(text) > self._max_chars:
            self.problem(node.start_mark, f"text of {len(text):,} characters is longer than the limit of "
                                          f"{self._max_chars:,}")
            return ""
        surrogate = _SURROGATE.search(text)
        if surrogate is not None:
            self.problem(node.start_mark, f"text contains the lone surrogate escape U+{ord(surrogate.group()):04X}, "
                                          "which is not a character", "write the character itself, or \\U0001F600 "
                                          "for characters beyond U+FFFF")
            return ""
        found = _INVISIBLE.search(text)
        if found is not None:
            self.problem(node.start_mark, f"text contains the invisible control character U+{ord(found.group()):04X}",
                         "remove it; it can hide or reorder text in the output")
        # Dutch diacritics typed on different systems arrive as NFC or NFD; store one form so that
        # comparisons, ids and output bytes do not depend on the author's keyboard. (ASCII is
        # already in every form.)
        return text if text.isascii() else unicodedata.normalize("NFC", text)


class _TooLarge(Exception):
    def __init__(self, mark: yaml.Mark):
        self.mark = mark


class _TooMuchText(_TooLarge):
    """The file's text, aliases expanded, is beyond ``limits.MAX_TEXT_PER_FILE``."""


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark):
        self.mark = mark


def _decode(raw: bytes, display: str) -> tuple[str | None, Problem | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, Problem(display, line, column,
                             f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
                             "save the file as UTF-8; it looks like Latin-1 or Windows-1252")
    # CRLF files from Windows editors behave exactly like LF files.
    return text.replace("\r\n", "\n"), None


def read_yaml(path: Path, display: str, raw: bytes | None = None) -> tuple[YamlDocument | None, list[Problem]]:
    """Read one course file (``raw``: its bytes, already read). Returns the document (None when
    unusable) and the problems found."""
    if raw is None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            return None, [Problem(display, 1, 1, f"cannot read file: {exc.strerror}")]
        if size > limits.MAX_FILE_BYTES:
            return None, [Problem(display, 1, 1, f"file is {size:,} bytes, more than the limit of "
                                                 f"{limits.MAX_FILE_BYTES:,}", "split it into smaller files")]
        try:
            raw = path.read_bytes()
        except OSError as exc:
            return None, [Problem(display, 1, 1, f"cannot read file: {exc.strerror}")]
    if len(raw) > limits.MAX_FILE_BYTES:
        return None, [Problem(display, 1, 1, f"file is {len(raw):,} bytes, more than the limit of "
                                             f"{limits.MAX_FILE_BYTES:,}", "split it into smaller files")]
    text, problem = _decode(raw, display)
    if problem:
        return None, [problem]
    if not text or text.isspace() or _only_comments(text):
        return None, [Problem(display, 1, 1, "file is empty", "a course file must hold a mapping of fields")]
    deep = _too_deep(text)
    if deep is not None:
        return None, [Problem(display, deep.line + 1, deep.column + 1,
                              f"values are nested more than {limits.MAX_NESTING} levels deep")]
    try:
        nodes = list(yaml.compose_all(text, Loader=_FastLoader))
    except yaml.YAMLError:
        # libyaml is ten times faster but words its errors vaguely; the pure-Python parser says
        # exactly what is wrong (e.g. a tab used for indentation), so ask it again.
        try:
            nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_problem(exc, display)]
        except yaml.reader.ReaderError as exc:
            # A raw control character (e.g. NUL) in the file: locate it from its offset.
            before = text[: exc.position]
            line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
            code = exc.character if isinstance(exc.character, int) else ord(exc.character)
            return None, [Problem(display, line, column,
                                  f"the file contains the control character U+{code:04X}, which YAML does not allow",
                                  "remove it; is this a text file?")]
        except yaml.YAMLError as exc:  # pragma: no cover - any other parser complaint, on one line
            return None, [Problem(display, 1, 1, "YAML error: " + " ".join(str(exc).split()))]
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None, [Problem(display, 1, 1, "file is empty", "a course file must hold a mapping of fields")]
    if len(nodes) > 1:
        mark = nodes[1].start_mark
        return None, [Problem(display, mark.line + 1, mark.column + 1,
                              "file holds more than one YAML document", "remove the '---' separator")]
    root = nodes[0]
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "plain text"
        mark = root.start_mark
        return None, [Problem(display, mark.line + 1, mark.column + 1,
                              f"the top level must be a mapping of fields, but this file holds {kind}",
                              "is this a course YAML file?")]
    builder = _Builder(display)
    try:
        data = builder.build(root, (), 0)
    except _TooMuchText as exc:
        return None, [Problem(display, exc.mark.line + 1, exc.mark.column + 1,
                              f"file holds more than {limits.MAX_TEXT_PER_FILE:,} characters of text once its "
                              "aliases are expanded", "split it into smaller lessons, and write repeated text out "
                              "instead of repeating an alias")]
    except _TooLarge as exc:
        return None, [Problem(display, exc.mark.line + 1, exc.mark.column + 1,
                              f"file expands to more than {limits.MAX_NODES_PER_FILE:,} values "
                              "(aliases that repeat aliases?)", "write the content out without nested aliases")]
    except _TooDeep as exc:
        return None, [Problem(display, exc.mark.line + 1, exc.mark.column + 1,
                              f"values are nested more than {limits.MAX_NESTING} levels deep")]
    return YamlDocument(data, SourceMap(display, path, text)), builder.problems


def _too_deep(text: str) -> yaml.Mark | None:
    """Where ``text`` first nests collections more than MAX_NESTING deep, or None.

    Both PyYAML composers recurse once per level (the pure one overflows Python's stack near a
    thousand), so depth is counted on the parser's events before any node is composed. That pass
    costs as much as composing, so it runs only when a cheap bound allows the depth: flow levels
    need a '[' or '{' each, and nested block collections start at strictly greater columns at
    least every second level, each at a line's indentation or after a compact indicator ("- ").
    """
    flow = text.count("[") + text.count("{")
    if flow <= limits.MAX_NESTING:
        columns = set()
        for start in set(_LINE_START.findall(text)):
            columns.add(len(start))
            columns.update(m.start() for m in _TOKEN_START.finditer(start))
        if flow + 2 * len(columns) <= limits.MAX_NESTING:
            return None
    for loader_class in (_FastLoader, yaml.SafeLoader):
        loader = loader_class(text)
        depth = 0
        try:
            while loader.check_event():
                event = loader.get_event()
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > limits.MAX_NESTING:
                        return event.start_mark
                elif isinstance(event, yaml.CollectionEndEvent):
                    depth -= 1
            return None
        except yaml.YAMLError:
            continue  # a syntax error; composing reports it (the pure parser words it better)
        finally:
            loader.dispose()
    return None


def invisible_character(text: str) -> str | None:
    """The first character of ``text`` that course text may not hold (a control character, a
    bidirectional override, a lone surrogate), or None."""
    found = _INVISIBLE.search(text)
    return found.group() if found is not None else None


def _only_comments(text: str) -> bool:
    """Every line blank or a comment. (The first non-blank character decides for any real file,
    without splitting a large file into lines.)"""
    first = _NOT_SPACE.search(text)
    if first is not None and first.group() != "#":
        return False
    return all(line.lstrip().startswith("#") or not line.strip() for line in text.splitlines())


def _syntax_problem(exc: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = exc.problem or "YAML syntax error"
    hint = None
    if "'\\t'" in message or "\\t" in message:
        message = "tab character used for indentation"
        hint = "YAML allows only spaces for indentation"
    elif message.startswith("could not find expected ':'") and exc.context_mark is not None:
        # PyYAML notices only at the next key, often lines later: the line at fault is where
        # the key began.
        line, column = exc.context_mark.line + 1, exc.context_mark.column + 1
        message = "missing ':' after the key on this line"
        hint = "write 'key: value' with a space after the colon; a text over several lines starts with '|' or '>'"
    elif message.startswith("mapping values are not allowed here"):
        message = "a ':' inside a text that is not in quotes"
        hint = "put the whole text in quotes, e.g. en: \"Note: this\", or start a block with '|'"
    elif exc.context:
        message = f"YAML syntax error: {message} ({exc.context})"
    else:
        message = f"YAML syntax error: {message}"
    return Problem(display, line, column, message, hint)
