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
from typing import IO, Iterable

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


def read(path: Path, display: str) -> ExchangeFile:
    """Read a PO file. Raises :class:`ExchangeError` with every problem, located."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExchangeError([Problem(display, 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
    if size > MAX_EXCHANGE_BYTES:
        raise ExchangeError([Problem(display, 1, 1, f"file is {size:,} bytes, more than the limit of "
                                                    f"{MAX_EXCHANGE_BYTES:,}")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        raise ExchangeError([Problem(display, before.count(b"\n") + 1, exc.start - (before.rfind(b"\n") + 1) + 1,
                                     "file is not UTF-8", "save the PO file as UTF-8")]) from None
    try:
        po = polib.pofile(text, encoding="utf-8", check_for_duplicates=False)
    except (OSError, ValueError) as exc:
        message = str(exc)
        found = re.search(r"\(line (\d+)\)", message)
        line = int(found.group(1)) if found else 1
        message = re.sub(r"\s*\(line \d+\)", "", message).removeprefix("Syntax error in po file").strip(" :")
        raise ExchangeError([Problem(display, line, 1, "PO syntax error" + (f": {message}" if message else ""),
                                     "is this the PO file modgen exported?")]) from None
    lines = text.splitlines()
    problems: list[Problem] = []
    source_lang = po.metadata.get("X-Source-Language", "").split("_")[0].lower()
    target_lang = po.metadata.get("Language", "").split("_")[0].lower()
    if not target_lang:
        problems.append(Problem(display, 1, 1, "the PO header has no 'Language'"))
    if not source_lang:
        problems.append(Problem(display, 1, 1, "the PO header has no 'X-Source-Language'",
                                "export with 'modgen translate export --format po'"))
    result = ExchangeFile(display, source_lang, target_lang)
    seen: set[str] = set()
    for entry in po:
        if entry.obsolete or (not entry.msgid and not entry.msgctxt):
            continue
        line = _entry_line(entry, lines)
        if not entry.msgctxt:
            problems.append(Problem(display, line, 1, f"entry {entry.msgid[:40]!r} has no msgctxt (the unit id)",
                                    "keep msgctxt as exported"))
            continue
        if entry.msgctxt in seen:
            problems.append(Problem(display, line, 1, f"unit '{entry.msgctxt}' appears twice"))
            continue
        seen.add(entry.msgctxt)
        if entry.msgid_plural:
            problems.append(Problem(display, line, 1, f"unit '{entry.msgctxt}' has plural forms; course texts have none"))
            continue
        result.units.append(Returned(entry.msgctxt, entry.msgid, entry.msgstr, "fuzzy" not in entry.flags, line, 1))
    if problems:
        raise ExchangeError(problems)
    return result


def _entry_line(entry: polib.POEntry, lines: list[str]) -> int:
    """The line of the entry's msgctxt (polib's ``linenum`` is that of its first comment)."""
    line = getattr(entry, "linenum", 1) or 1
    for i in range(line - 1, min(len(lines), line + 200)):
        if lines[i].startswith(("msgctxt", "msgid")):
            return i + 1
    return line
