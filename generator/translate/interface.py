"""modgen's own words (the interface strings) for a translator, and a course's catalogue from them.

``modgen translate export --interface --to LANG`` gives every interface string as one unit, id
``interface:<domain>/<key>``, source in the course's first language (English when modgen has no
interface text in it), with the current text in LANG as its translation. ``translate import`` of
such a file writes the course's own catalogue ``COURSE/interface/<LANG>.po`` (read by
:func:`generator.i18n.use_course`), with the same protections as an import of course texts: a
unit whose source changed since the export, a translation that drops or invents a ``{placeholder}``,
or one with an invisible control character is refused, located in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator import i18n
from generator.model import Course
from generator.problems import Problem
from generator.translate.exchange import ExchangeFile, Outgoing

PREFIX = "interface:"
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def unit_id(domain: str, key: str) -> str:
    return f"{PREFIX}{domain}/{key}"


def known_ids() -> set[str]:
    return {unit_id(domain, key) for domain in i18n.domains() for key in i18n.shipped(domain, i18n.REFERENCE)}


def is_interface(exchange: ExchangeFile) -> bool:
    return bool(exchange.units) and all(u.id.startswith(PREFIX) for u in exchange.units)


def source_language(course: Course, source: str | None) -> str:
    if source:
        return source
    first = course.languages[0]
    return first if not i18n.missing_interface(first) else i18n.REFERENCE


def _text(domain: str, key: str, lang: str) -> str:
    return i18n.lookup(domain, key, lang) or ""


def outgoing(course: Course, source: str, target: str) -> list[Outgoing]:
    units = []
    for domain in i18n.domains():
        for key in i18n.shipped(domain, i18n.REFERENCE):
            text = _text(domain, key, source)
            if not text:
                continue
            current = _text(domain, key, target)
            names = sorted(set(_PLACEHOLDER.findall(text)))
            note = f"modgen's interface string {domain}:{key}"
            if names:
                note += "; keep " + ", ".join("{" + n + "}" for n in names) + " as they are"
            units.append(Outgoing(unit_id(domain, key), f"interface/{domain}", 1, text, current,
                                  "translated" if current else "initial", note, None, False))
    return units


@dataclass
class InterfaceImport:
    lang: str
    written: Path | None = None
    changed: int = 0
    refused: list[Problem] = field(default_factory=list)
    unfinished: int = 0


def import_interface(course: Course, exchange: ExchangeFile, display: str) -> InterfaceImport:
    """Write the finished units of ``exchange`` into ``COURSE/interface/<target>.po``."""
    import unicodedata

    import polib

    from generator.loader.yaml_source import invisible_character
    from generator.translate.exchange import ExchangeError
    from generator.translate.lock import write_atomically

    source, target = exchange.source_lang, exchange.target_lang
    if not re.fullmatch(r"[a-z]{2,3}", target or ""):
        raise ExchangeError([Problem(display, 1, 1, f"'{target}' is not a language code")])
    report = InterfaceImport(target)
    path = i18n.course_catalogue_path(course.root, target)
    own = i18n.read_course_catalogue(path) if path.is_file() else {}
    for back in exchange.units:
        domain, _, key = back.id[len(PREFIX):].partition("/")
        where = (display, back.line, back.column)
        known = _text(domain, key, source) if key in i18n.shipped(domain, i18n.REFERENCE) else ""
        if not known:
            report.refused.append(Problem(*where, f"unit '{back.id}' is not one of modgen's interface strings; "
                                                  "not imported").as_warning())
            continue
        if unicodedata.normalize("NFC", back.source.replace("\r\n", "\n")) != known:
            report.refused.append(Problem(*where, f"unit '{back.id}': its source changed since the export "
                                                  "(modgen was updated?); export again", ).as_warning())
            continue
        text = unicodedata.normalize("NFC", back.target.replace("\r\n", "\n"))
        current = _text(domain, key, target)
        if not text.strip() or not back.done:
            report.unfinished += 1
            continue
        if sorted(_PLACEHOLDER.findall(text)) != sorted(_PLACEHOLDER.findall(known)):
            report.refused.append(Problem(*where, f"unit '{back.id}': the translation must keep the placeholders "
                                                  f"of the source ({', '.join(sorted(set(_PLACEHOLDER.findall(known)))) or 'none'})"
                                          ).as_warning())
            continue
        bad = invisible_character(text)
        if bad is not None:
            report.refused.append(Problem(*where, f"the translation of '{back.id}' contains the invisible "
                                                  f"character U+{ord(bad):04X}", "remove it").as_warning())
            continue
        if text != current:
            report.changed += 1
        own[(domain, key)] = text
    # Only what differs from modgen's own text in the language is kept: the rest follows modgen.
    keep = {k: v for k, v in own.items() if i18n.shipped(k[0], target).get(k[1]) != v}
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": f"{course.id} interface", "Language": target,
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit", "X-Generator": "modgen translate import"}
    for (domain, key), text in sorted(keep.items()):
        po.append(polib.POEntry(msgctxt=f"{domain}:{key}", msgid=_text(domain, key, i18n.REFERENCE) or key,
                                msgstr=text))
    if keep or path.is_file():
        path.parent.mkdir(exist_ok=True)
        write_atomically(path, str(po).encode("utf-8") + b"\n")
        report.written = path
    return report
