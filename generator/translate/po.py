"""PO exchange files (gettext), written and read with polib.

Each unit is an entry whose ``msgctxt`` is the unit id, so two texts with the same words stay two
entries. The context goes into an extracted comment (``#.``), the file and line into a reference
(``#:``). Flags carry what Weblate checks: ``md-text`` for markdown, ``max-length:N`` where the
output cuts a text off; a translation whose source changed since it was made is ``fuzzy``. PO has no
inline codes: markdown stays as text.
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass, field
from typing import IO, Container, Iterable

import polib

from generator.problems import Problem
from generator.translate.exchange import MAX_EXCHANGE_BYTES, ExchangeError, ExchangeFile, Outgoing, Returned


def write(units: Iterable[Outgoing], source_lang: str, target_lang: str, stream: IO[bytes],
          project: str = "course") -> None:
    """Write a PO file for ``units`` to ``stream`` (same units → same bytes: no dates)."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": project,
        "Language": target_lang,
        "X-Source-Language": source_lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "modgen translate export",
    }
    for unit in units:
        flags = []
        if unit.state == "initial" and unit.target:
            flags.append("fuzzy")
        if unit.markdown:
            flags.append("md-text")
        if unit.max_length:
            flags.append(f"max-length:{unit.max_length}")
        po.append(polib.POEntry(msgctxt=unit.id, msgid=unit.source, msgstr=unit.target,
                                comment=unit.context, occurrences=[(unit.file, str(unit.line))], flags=flags))
    stream.write(str(po).encode("utf-8") + b"\n")


def read(path: Path, display: str, known: Container[str] | None = None) -> ExchangeFile:
    """Read a PO file, line by line, as strictly as GNU msgfmt does: every line is blank, a comment,
    a keyword with a quoted string, or a quoted string continuing the one before — ``msgstr
    Enforcement`` without quotes is a syntax error, not the text "nforcemen". ``known``: the
    course's unit ids — other units are only counted (see :class:`ExchangeFile`). Raises
    :class:`ExchangeError` with every problem, located."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExchangeError([Problem(display, 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
    if size > MAX_EXCHANGE_BYTES:
        raise ExchangeError([Problem(display, 1, 1, f"file is {size:,} bytes, more than the limit of "
                                                    f"{MAX_EXCHANGE_BYTES:,}")])
    with path.open("rb") as f:
        if f.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            raise ExchangeError([Problem(display, 1, 1, "file is UTF-16, not UTF-8", "save the PO file as UTF-8")])
        f.seek(0)
        return _read(_lines(f, display), display, known)


#: One line of a PO file: a translation is at most ``limits.MAX_STRING_CHARS`` characters (escaped,
#: up to 4 bytes each), and modgen writes each on one line.
_MAX_LINE_BYTES = 1024 * 1024


def _lines(f, display: str):
    """The file's lines, decoded one at a time (a large file is never held whole)."""
    number = 0
    while raw := f.readline(_MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > _MAX_LINE_BYTES:
            raise ExchangeError([Problem(display, number, 1, f"line is longer than {_MAX_LINE_BYTES:,} bytes",
                                         "is this the PO file modgen exported?")])
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ExchangeError([Problem(display, number, exc.start + 1, "file is not UTF-8",
                                         "save the PO file as UTF-8")]) from None
        yield number, line.removeprefix("\ufeff") if number == 1 else line


def _read(lines, display: str, known: Container[str] | None) -> ExchangeFile:
    problems: list[Problem] = []
    entries = _entries(lines, display)
    header = next(entries, None)
    if header is None or header.msgid or header.msgctxt is not None:
        raise ExchangeError([Problem(display, 1, 1, "the file does not start with a PO header (msgid \"\")",
                                     "is this the PO file modgen exported?")])
    metadata = dict(line.split(":", 1) for line in header.msgstr.split("\n") if ":" in line)
    source_lang = metadata.get("X-Source-Language", "").strip().split("_")[0].lower()
    target_lang = metadata.get("Language", "").strip().split("_")[0].lower()
    if not target_lang:
        problems.append(Problem(display, 1, 1, "the PO header has no 'Language'"))
    if not source_lang:
        problems.append(Problem(display, 1, 1, "the PO header has no 'X-Source-Language'",
                                "export with 'modgen translate export --format po'"))
    result = ExchangeFile(display, source_lang, target_lang, known=known)
    seen: set[str] = set()
    for entry in entries:
        if entry.obsolete:
            continue
        line = entry.line
        if entry.msgctxt is None:
            problems.append(Problem(display, line, 1, f"entry {entry.msgid[:40]!r} has no msgctxt (the unit id)",
                                    "keep msgctxt as exported"))
            continue
        if entry.msgctxt in seen:
            problems.append(Problem(display, line, 1, f"unit '{entry.msgctxt}' appears twice"))
            continue
        seen.add(entry.msgctxt)
        if entry.plural:
            problems.append(Problem(display, line, 1, f"unit '{entry.msgctxt}' has plural forms; course texts have none"))
            continue
        if not result.wants(entry.msgctxt, line, 1):
            continue
        # msgfmt's rule: a fuzzy or empty msgstr is not a translation.
        done = "fuzzy" not in entry.flags and entry.msgstr != ""
        result.units.append(Returned(entry.msgctxt, entry.msgid, entry.msgstr, done, line, 1))
        if len(problems) > 50:
            break
    if problems:
        raise ExchangeError(problems)
    return result


@dataclass
class _Entry:
    line: int  # of its first keyword (msgctxt, else msgid)
    msgctxt: str | None = None
    msgid: str = ""
    msgstr: str = ""
    plural: bool = False
    obsolete: bool = False
    flags: set[str] = field(default_factory=set)


# A keyword line: the keyword, then one quoted string (C escapes), then nothing but blanks.
_KEYWORD = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)[ \t]+(?=")')
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"[ \t]*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
            "?": "?", "'": "'"}
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))")


def _unescape(body: str, display: str, line: int, column: int) -> str:
    def one(m: re.Match) -> str:
        octal, hexa, char = m.groups()
        if octal is not None:
            return chr(int(octal, 8))
        if hexa is not None:
            return chr(int(hexa[-2:], 16))
        if char in _ESCAPES:
            return _ESCAPES[char]
        raise ExchangeError([Problem(display, line, column + m.start() + 1,
                                     f"PO syntax error: unknown escape '\\{char}'",
                                     "is this the PO file modgen exported?")])

    return _ESCAPE.sub(one, body) if "\\" in body else body


def _entries(lines, display: str):
    """The entries of a PO file in order; :class:`ExchangeError` at the first line msgfmt refuses."""

    def error(line: int, column: int, message: str) -> ExchangeError:
        return ExchangeError([Problem(display, line, column, f"PO syntax error: {message}",
                                      "is this the PO file modgen exported?")])

    entry: _Entry | None = None
    field_name: str | None = None  # the keyword whose string continues on the next line
    pending_flags: set[str] = set()
    stage = 0  # 0: expecting msgctxt/msgid, 1: after msgctxt, 2: after msgid(_plural), 3: after msgstr
    for number, line in lines:
        line = line.rstrip("\n")
        stripped = line.strip(" \t\r")
        if not stripped:
            continue
        obsolete = stripped.startswith("#~")
        if obsolete:
            stripped = stripped[2:].strip(" \t")
            if not stripped:
                continue
        elif stripped.startswith("#"):
            if stage in (1, 2):
                raise error(number, 1, "a comment inside an entry (between its msgctxt, msgid and msgstr)")
            if stripped.startswith("#,"):
                if stage == 3 and entry is not None:
                    yield entry
                    entry, stage = None, 0
                pending_flags |= {f.strip() for f in stripped[2:].split(",") if f.strip()}
            elif stage == 3 and entry is not None:
                yield entry
                entry, stage, pending_flags = None, 0, set()
            continue
        column = len(line) - len(line.lstrip(" \t")) + 1
        if stripped.startswith('"'):
            found = _STRING.match(stripped)
            if found is None:
                raise error(number, column, "a string must be quoted and end its line")
            if field_name is None:
                raise error(number, column, "a string continues no keyword")
            value = _unescape(found.group(1), display, number, column)
            _append(entry, field_name, value)
            continue
        keyword = _KEYWORD.match(stripped)
        if keyword is None:
            word = stripped.split()[0]
            if word in ("msgctxt", "msgid", "msgid_plural", "msgstr") or word.startswith("msgstr["):
                raise error(number, column + len(word) + 1 if " " in stripped else column,
                            f"'{word}' must be followed by a quoted string")
            raise error(number, column, f"'{stripped[:30]}' is not a comment, a keyword or a quoted string")
        name = keyword.group(1)
        found = _STRING.match(stripped, keyword.end())
        if found is None:
            raise error(number, column + keyword.end(), "a string must be quoted and end its line")
        value = _unescape(found.group(1), display, number, column + keyword.end())
        if name in ("msgctxt", "msgid"):
            if stage == 3 and entry is not None:
                yield entry
                entry, stage = None, 0
            if stage == 0 or (stage == 1 and name == "msgid"):
                if entry is None:
                    entry = _Entry(number, flags=pending_flags, obsolete=obsolete)
                    pending_flags = set()
                stage = 1 if name == "msgctxt" else 2
            else:
                raise error(number, column, f"'{name}' out of place")
        elif name == "msgid_plural":
            if stage != 2:
                raise error(number, column, "'msgid_plural' out of place")
            entry.plural = True
        else:  # msgstr, msgstr[N]
            if stage not in (2, 3) or (stage == 3 and name == "msgstr"):
                raise error(number, column, f"'{name}' out of place")
            if (name == "msgstr") == entry.plural:
                raise error(number, column, "plural forms need msgstr[N], a single form msgstr")
            stage = 3
        field_name = name
        _append(entry, name, value, start=True)
    if entry is not None:
        if stage != 3:
            raise error(entry.line, 1, "an entry without msgstr")
        yield entry


def _append(entry: _Entry, name: str, value: str, start: bool = False) -> None:
    if name == "msgctxt":
        entry.msgctxt = value if start else (entry.msgctxt or "") + value
    elif name == "msgid":
        entry.msgid = value if start else entry.msgid + value
    elif name == "msgstr" or name == "msgstr[0]":
        entry.msgstr = value if start else entry.msgstr + value
