"""``translations.lock``: for each translated text, a digest of the source text it was made from.

A committed file beside ``course.yaml``, rather than a field in every text, so that authors never
see it while writing and a reviewer sees in one diff which translations were confirmed. ``modgen
translate import`` and ``modgen translate confirm`` write it; ``modgen validate`` compares it with
the course: a translation whose source digest no longer matches is stale. Texts the lock does not
name are *untracked* (never confirmed) and not reported by ``validate``.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.loader.yaml_source import read_yaml
from generator.problems import Problem
from generator.translate.units import Unit, digest

LOCK_FILE = "translations.lock"
_DIGEST = re.compile(r"^[0-9a-f]{16}$")
_LANG = re.compile(r"^[a-z]{2,3}$")

CURRENT, STALE, UNTRACKED, MISSING = "current", "stale", "untracked", "missing"

_HEADER = """\
# translations.lock: for each translated text, a digest of the {source} text it was translated from.
# Written by 'modgen translate import' and 'modgen translate confirm'; commit it with the course.
# 'modgen validate' warns where a source text changed since (see docs/translation.md).
"""


@dataclass
class TranslationLock:
    source: str
    digests: dict[str, dict[str, str]] = field(default_factory=dict)  # language → unit id → digest

    def state(self, unit: Unit, lang: str) -> str:
        """Whether ``unit``'s ``lang`` translation is current, stale, untracked or missing."""
        if not unit.target.strip():
            return MISSING
        known = self.digests.get(lang, {}).get(unit.id)
        if known is None:
            return UNTRACKED
        return CURRENT if known == digest(unit.source) else STALE

    def confirm(self, unit: Unit, lang: str) -> None:
        """Record that ``unit``'s ``lang`` text translates its source as it is now."""
        self.digests.setdefault(lang, {})[unit.id] = digest(unit.source)

    def keep_only(self, lang: str, unit_ids: set[str]) -> None:
        """Forget texts that no longer exist (or are no longer translated)."""
        kept = {k: v for k, v in self.digests.get(lang, {}).items() if k in unit_ids}
        if kept:
            self.digests[lang] = kept
        else:
            self.digests.pop(lang, None)

    def text(self) -> str:
        """The file's content: sorted, one text a line, so that a diff shows what was confirmed."""
        out = [_HEADER.format(source=self.source), f"source: {self.source}\n"]
        for lang in sorted(self.digests):
            out.append(f"{lang}:\n")
            for unit_id, value in sorted(self.digests[lang].items()):
                out.append(f'  {unit_id}: "{value}"\n')
        return "".join(out)

    def save(self, root: Path) -> None:
        write_atomically(root / LOCK_FILE, self.text().encode("utf-8"))


# The lines TranslationLock.text writes: a lock as modgen wrote it is read without a YAML parser
# (a tenth of the time); anything else (a hand edit, a damaged file) is read as YAML, with positions.
_SOURCE_LINE = re.compile(r"source: ([a-z]{2,3})\n")
_LANG_LINE = re.compile(r"([a-z]{2,3}):\n")
_ENTRY_LINE = re.compile(r'  ((?:course|lesson|quiz):[a-z0-9_.:/-]+): "([0-9a-f]{16})"\n')


def _read_written(text: str) -> TranslationLock | None:
    lock: TranslationLock | None = None
    lang = None
    for line in text.splitlines(keepends=True):
        if line.startswith("#"):
            continue
        if lock is None:
            m = _SOURCE_LINE.fullmatch(line)
            if m is None:
                return None
            lock = TranslationLock(m.group(1))
            continue
        m = _ENTRY_LINE.fullmatch(line)
        if m is not None and lang is not None:
            lock.digests[lang][m.group(1)] = m.group(2)
            continue
        m = _LANG_LINE.fullmatch(line)
        if m is None or m.group(1) in lock.digests or m.group(1) == "source":
            return None
        lang = m.group(1)
        lock.digests[lang] = {}
    return lock


def read_lock(root: Path, default_source: str) -> tuple[TranslationLock | None, list[Problem]]:
    """The course's lock, or None when it has none; problems for a damaged lock."""
    from generator import limits

    path = root / LOCK_FILE
    try:
        size = path.stat().st_size
        if size > limits.MAX_LOCK_BYTES:
            return None, [Problem(LOCK_FILE, 1, 1, f"file is {size:,} bytes, more than the limit of "
                                                   f"{limits.MAX_LOCK_BYTES:,}",
                                  "run 'modgen translate confirm' to write the lock again")]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [Problem(LOCK_FILE, 1, 1, f"cannot read file: {exc.strerror}")]
    try:
        written = _read_written(raw.decode("utf-8"))
    except UnicodeDecodeError:
        written = None
    if written is not None:
        return written, []
    doc, problems = read_yaml(path, LOCK_FILE, raw)
    if doc is None:
        return None, problems
    data = doc.data
    source = data.get("source", default_source)
    if not isinstance(source, str) or not _LANG.match(source):
        pos = doc.source.locate(("source",))
        problems.append(Problem(LOCK_FILE, pos.line, pos.column, "'source' must be a language code such as nl"))
        source = default_source
    lock = TranslationLock(source)
    for lang, entries in data.items():
        if lang == "source":
            continue
        pos = doc.source.locate((lang,), prefer_key=True)
        if not isinstance(lang, str) or not _LANG.match(lang) or not isinstance(entries, dict):
            problems.append(Problem(LOCK_FILE, pos.line, pos.column,
                                    f"'{lang}' must be a language code holding 'unit id: digest' lines"))
            continue
        for unit_id, value in entries.items():
            if not isinstance(value, str) or not _DIGEST.match(value):
                at = doc.source.locate((lang, unit_id))
                problems.append(Problem(LOCK_FILE, at.line, at.column,
                                        f"'{unit_id}': the digest must be 16 hexadecimal digits",
                                        "run 'modgen translate confirm' to write the lock again"))
                continue
            lock.digests.setdefault(lang, {})[str(unit_id)] = value
    return lock, problems


def write_atomically(path: Path, content: bytes) -> None:
    """Replace ``path`` with ``content`` in one step: a reader sees the old file or the new one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(content)
        if path.exists():
            shutil.copymode(path, tmp)  # a course file keeps its mode; a new file gets the umask's
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
