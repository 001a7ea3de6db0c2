"""XLIFF 2.1 exchange files, written and read with lxml.

XLIFF 2.x rather than 1.2: OmegaT, memoQ, Trados Studio and Weblate all read 2.x (and PO), and 2.x
is what keeps inline markup apart from text in a way tools respect: markdown emphasis and links
become ``<pc>`` (paired codes) and inline code ``<ph>`` (placeholders), with the original markup in
``<originalData>``, so a translator moves a tag instead of retyping ``**`` or a URL. One
``<file>`` per course file; one ``<unit>`` (one ``<segment>``) per text.

Unit ids are NMTOKENs in XLIFF, which allow no '/': the id is written with ':' for each '/'
(``lesson:pre-activity:sections:preact-where:body``) and the readable form is in ``name``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Container, Iterable

from lxml import etree

from generator.problems import Problem
from generator.translate.exchange import MAX_EXCHANGE_BYTES, ExchangeError, ExchangeFile, Outgoing, Returned

NS = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.1 keeps the 2.0 core namespace
SLR = "urn:oasis:names:tc:xliff:sizerestriction:2.0"
_X = "{%s}" % NS
_DONE_STATES = {"translated", "reviewed", "final"}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def xliff_id(unit_id: str) -> str:
    return unit_id.replace("/", ":")


def unit_id(xliff: str) -> str:
    prefix, _, rest = xliff.partition(":")
    return f"{prefix}:{rest.replace(':', '/')}"


# --- markdown inline markup as XLIFF inline codes -----------------------------------------------

_INLINE = re.compile(
    r"(?P<code>`[^`\n]+`)"
    r"|\[(?P<ltext>[^\[\]\n]+)\](?P<url>\([^()\s]+\))"
    r"|\*\*(?P<btext>[^\n]+?)\*\*"
)


def _segments(text: str) -> list:
    """``text`` as plain strings and codes: ("ph", markup) or ("pc", start, end, kind, [children])."""
    out: list = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append(text[pos:m.start()])
        if m.group("code"):
            out.append(("ph", m.group("code")))
        elif m.group("ltext") is not None:
            out.append(("pc", "[", "]" + m.group("url"), "link", _segments(m.group("ltext"))))
        else:
            out.append(("pc", "**", "**", "fmt", _segments(m.group("btext"))))
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def _markup(parts: list) -> list[str]:
    """The inline markup of ``parts`` in order, each named for a translator: what must come back."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, str):
            continue
        if part[0] == "ph":
            out.append(f"the code {part[1]}")
        elif part[3] == "link":
            url = part[2][2:-1]
            out.append(f"the link to {url}")
            out += _markup(part[4])
            out.append(f"the end of the link to {url}")
        else:
            out.append("bold text (**)")
            out += _markup(part[4])
            out.append("the end of bold text (**)")
    return out


def markup_mismatch(source: str, target: str) -> str | None:
    """Why the inline markup (bold, links, code) of the markdown ``target`` does not match that of
    ``source`` — dropped, added or in another order — as the end of a sentence; None when it
    matches. In XLIFF this markup travels as ``<pc>``/``<ph>`` codes, in PO as text; either way a
    translation that loses a link's address or adds bold is refused, not imported."""
    wanted, got = _markup(_segments(source)), _markup(_segments(target))
    if wanted == got:
        return None
    from collections import Counter

    missing = list((Counter(wanted) - Counter(got)).elements())
    extra = list((Counter(got) - Counter(wanted)).elements())
    missing = [m for m in dict.fromkeys(missing) if not m.startswith("the end of")] or missing
    extra = [m for m in dict.fromkeys(extra) if not m.startswith("the end of")] or extra
    if missing:
        return "drops " + ", ".join(missing[:3]) + " of the source (a tag deleted?)"
    if extra:
        return "adds " + ", ".join(extra[:3]) + " that the source does not have"
    return "has the source's tags (bold, links, code) in another order or nesting"


class _Codes:
    """Numbers the codes of one unit and collects their original markup."""

    def __init__(self) -> None:
        self.data: dict[str, str] = {}  # markup → data id
        self.n = 0

    def ref(self, markup: str) -> str:
        if markup not in self.data:
            self.data[markup] = f"d{len(self.data) + 1}"
        return self.data[markup]

    def next_id(self) -> str:
        self.n += 1
        return str(self.n)


def _fill(element: etree._Element, parts: list, codes: _Codes, ids: list[str] | None = None) -> None:
    """Append ``parts`` to ``element``; ``ids`` reuses the source's code ids for the target in order."""
    last: etree._Element | None = None

    def add_text(s: str) -> None:
        if last is None:
            element.text = (element.text or "") + s
        else:
            last.tail = (last.tail or "") + s

    for part in parts:
        if isinstance(part, str):
            add_text(part)
            continue
        code_id = ids.pop(0) if ids else codes.next_id()
        if part[0] == "ph":
            last = etree.SubElement(element, _X + "ph", id=code_id, dataRef=codes.ref(part[1]), disp=part[1])
            last.set("type", "other")
        else:
            _, start, end, kind, children = part
            last = etree.SubElement(element, _X + "pc", id=code_id, dataRefStart=codes.ref(start),
                                    dataRefEnd=codes.ref(end), type=kind)
            if kind == "fmt":
                last.set("subType", "xlf:b")
            last.set("dispStart", start)
            last.set("dispEnd", end)
            _fill(last, children, codes, ids)


def _code_ids(parts: list) -> list[str]:
    """How many codes ``parts`` holds, as the ids the source gave them (1, 2, …), in order."""
    count = 0

    def walk(ps: list) -> None:
        nonlocal count
        for p in ps:
            if not isinstance(p, str):
                count += 1
                if p[0] == "pc":
                    walk(p[4])

    walk(parts)
    return [str(i + 1) for i in range(count)]


# --- writing -------------------------------------------------------------------------------------

def write(units: Iterable[Outgoing], source_lang: str, target_lang: str, stream: IO[bytes]) -> None:
    """Write an XLIFF 2.1 document for ``units`` to ``stream`` (same units → same bytes)."""
    root = etree.Element(_X + "xliff", nsmap={None: NS, "slr": SLR})
    root.set("version", "2.1")
    root.set("srcLang", source_lang)
    root.set("trgLang", target_lang)
    files: dict[str, etree._Element] = {}
    for unit in units:
        file_el = files.get(unit.file)
        if file_el is None:
            file_el = files[unit.file] = etree.SubElement(root, _X + "file", id=f"f{len(files) + 1}",
                                                          original=unit.file)
        u = etree.SubElement(file_el, _X + "unit", id=xliff_id(unit.id), name=unit.id)
        if unit.max_length and file_el.find("{%s}profiles" % SLR) is None:
            # The size restriction counts characters (code points).
            file_el.insert(0, etree.Element("{%s}profiles" % SLR, generalProfile="xliff:codepoints"))
        # Line breaks and spaces are markdown structure: no tool may normalise them.
        u.set(_XML_SPACE, "preserve")
        if unit.max_length:
            u.set("{%s}sizeRestriction" % SLR, str(unit.max_length))
        notes = etree.SubElement(u, _X + "notes")
        etree.SubElement(notes, _X + "note", category="context").text = unit.context
        etree.SubElement(notes, _X + "note", category="location").text = f"{unit.file}:{unit.line}"
        if unit.state == "initial" and unit.target:
            etree.SubElement(notes, _X + "note", category="review").text = (
                "the source text changed since this translation was made: review it")
        codes = _Codes()
        source_parts = _segments(unit.source) if unit.markdown else [unit.source]
        original = etree.SubElement(u, _X + "originalData")
        segment = etree.SubElement(u, _X + "segment", state=unit.state)
        source = etree.SubElement(segment, _X + "source")
        _fill(source, source_parts, codes)
        if unit.target:
            target = etree.SubElement(segment, _X + "target")
            target_parts = _segments(unit.target) if unit.markdown else [unit.target]
            # The target's codes reuse the source's ids where they correspond (same order), so a
            # tool sees the same tags on both sides.
            ids = _code_ids(source_parts)
            _fill(target, target_parts, codes, ids)
        if codes.data:
            for markup, data_id in sorted(codes.data.items(), key=lambda kv: int(kv[1][1:])):
                etree.SubElement(original, _X + "data", id=data_id).text = markup
        else:
            u.remove(original)
    if not files:
        etree.SubElement(root, _X + "file", id="f1")  # XLIFF needs one
    _indent(root, 0)
    stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


_STRUCTURE = {_X + n for n in ("xliff", "file", "unit", "notes", "originalData", "segment")}


def _indent(element: etree._Element, level: int) -> None:
    """Indent the structure for people reading the file, never inside a text (lxml's pretty_print
    would indent a <source> that starts with a tag, changing the text)."""
    if element.tag not in _STRUCTURE or not len(element):
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        _indent(child, level + 1)
        child.tail = pad
    element[-1].tail = "\n" + "  " * level


# --- reading -------------------------------------------------------------------------------------

class _Reader:
    """Where elements stand, for problems: the line from lxml, the column from the file's text,
    which is read again only when there is a problem to locate (a file may be 64 MiB)."""

    def __init__(self, path: Path, display: str, encoding: str = "utf-8"):
        self.path = path
        self.display = display
        self.encoding = encoding
        self._lines: list[str] | None = None
        self.problems: list[Problem] = []

    def line_text(self, line: int) -> str:
        if self._lines is None:
            try:
                self._lines = self.path.read_bytes().decode(self.encoding, "replace").lstrip("\ufeff").splitlines()
            except OSError:
                self._lines = []
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    def where(self, element: etree._Element) -> tuple[int, int]:
        line = element.sourceline or 1
        found = self.line_text(line).find("<" + etree.QName(element).localname)
        return line, found + 1 if found >= 0 else 1

    def problem(self, element: etree._Element, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.display, *self.where(element), message, hint))
        if len(self.problems) > MAX_PROBLEMS:
            raise ExchangeError(self.problems[:MAX_PROBLEMS] + [Problem(
                self.display, *self.where(element), f"more than {MAX_PROBLEMS} problems; reading stopped")])


#: Problems in one file before reading stops: a file with more is not worth reading on.
MAX_PROBLEMS = 50


def read(path: Path, display: str, known: Container[str] | None = None) -> ExchangeFile:
    """Read an XLIFF 2.x file, unit by unit (a large file is never held whole). ``known``: the
    course's unit ids — other units are only counted (see :class:`ExchangeFile`). Raises
    :class:`ExchangeError` with every problem, located."""
    _check_size(path, display)
    with path.open("rb") as f:
        head = f.read(4)
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    reader = _Reader(path, display, encoding)
    events = etree.iterparse(str(path), events=("start", "end"), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)
    result: ExchangeFile | None = None
    seen: set[str] = set()
    try:
        for event, element in events:
            if result is None:  # the root element's start: what kind of file this is
                result = _start(element, reader, known)
                continue
            if event != "end" or element.tag != _X + "unit":
                continue
            _unit(element, reader, result, seen)
            # Units are read one at a time: what is done with is let go.
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (1, 1)
        message = re.sub(r",? line \d+, column \d+", "", exc.msg or "not well-formed")
        if "Document is empty" in message or "Start tag expected" in message and line == 1:
            raise ExchangeError([Problem(display, 1, 1, "the file holds no XML element",
                                         "is this the XLIFF file modgen exported?")]) from None
        raise ExchangeError(reader.problems + [Problem(display, line, max(1, column), f"XML error: {message}",
                                                       "is this the XLIFF file modgen exported?")]) from None
    if result is None:  # pragma: no cover - lxml reports a document without elements as a syntax error
        raise ExchangeError([Problem(display, 1, 1, "the file holds no XML element")])
    if reader.problems:
        raise ExchangeError(reader.problems)
    return result


def _start(root: etree._Element, reader: _Reader, known: Container[str] | None) -> ExchangeFile:
    """The file's languages from its root element, or :class:`ExchangeError` when it is no XLIFF 2."""
    display = reader.display
    if root.getroottree().docinfo.doctype:
        # Entities declared in a DTD could expand to anything (billion laughs); XLIFF has no DTD.
        line = next((i for i in range(1, (root.sourceline or 1) + 1) if "<!DOCTYPE" in reader.line_text(i)), 1)
        column = reader.line_text(line).find("<!DOCTYPE") + 1
        raise ExchangeError([Problem(display, line, max(column, 1), "the file declares a DOCTYPE; XLIFF files have "
                                     "none", "is this the XLIFF file modgen exported?")])
    if root.tag != _X + "xliff":
        reader.problem(root, f"not an XLIFF 2 document (the root element is <{etree.QName(root).localname}> in "
                             f"{etree.QName(root).namespace or 'no namespace'})",
                       "export with 'modgen translate export'; XLIFF 1.2 is not read")
        raise ExchangeError(reader.problems)
    if not str(root.get("version", "")).startswith("2."):
        reader.problem(root, f"XLIFF version {root.get('version')!r} is not 2.x")
    source_lang, target_lang = root.get("srcLang"), root.get("trgLang")
    if not source_lang or not target_lang:
        reader.problem(root, "the <xliff> element needs srcLang and trgLang")
    return ExchangeFile(display, (source_lang or "").split("-")[0].lower(), (target_lang or "").split("-")[0].lower(),
                        known=known)


def _unit(u: etree._Element, reader: _Reader, result: ExchangeFile, seen: set[str]) -> None:
    raw_id = u.get("id")
    if not raw_id:
        reader.problem(u, "unit without an id")
        return
    uid = unit_id(raw_id)
    if uid in seen:
        reader.problem(u, f"unit '{uid}' appears twice")
        return
    seen.add(uid)
    line, column = u.sourceline or 1, 1
    if not result.wants(uid, line, column):
        return
    line, column = reader.where(u)
    data = {d.get("id"): d.text or "" for d in u.iter(_X + "data")}
    segments = list(u.iter(_X + "segment"))
    if not segments:
        reader.problem(u, f"unit '{uid}' has no <segment>")
        return
    # A tool may split a unit into several segments: the text is all of them in order (with
    # the <ignorable> whitespace between them).
    sources, targets, states = [], [], []
    for part in u:
        if part.tag not in (_X + "segment", _X + "ignorable"):
            continue
        s = part.find(_X + "source")
        t = part.find(_X + "target")
        if s is None:
            reader.problem(part, f"unit '{uid}': <{etree.QName(part).localname}> without <source>")
            continue
        sources.append(_text(s, data, reader, uid))
        targets.append(_text(t, data, reader, uid) if t is not None else (sources[-1] if part.tag == _X + "ignorable" else ""))
        if part.tag == _X + "segment":
            states.append(part.get("state", "initial"))
    done = bool(states) and all(s in _DONE_STATES for s in states)
    result.units.append(Returned(uid, "".join(sources), "".join(targets), done, line, column))


def _text(element: etree._Element, data: dict[str, str], reader: _Reader, uid: str) -> str:
    """The plain text of a <source>/<target>, inline codes replaced by their original markup."""
    out = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # pragma: no cover - comments and PIs are removed by the parser
            continue
        name = etree.QName(child).localname if child.tag.startswith(_X) else None
        if name == "ph" or name == "sc" or name == "ec":
            ref = child.get("dataRef")
            if ref is None or ref not in data:
                reader.problem(child, f"unit '{uid}': <{name}> refers to unknown original data {ref!r}",
                               "keep the tags as the source has them")
            else:
                out.append(data[ref])
        elif name == "pc":
            start, end = child.get("dataRefStart"), child.get("dataRefEnd")
            if start not in data or end not in data:
                reader.problem(child, f"unit '{uid}': <pc> refers to unknown original data",
                               "keep the tags as the source has them")
            else:
                out.append(data[start] + _text(child, data, reader, uid) + data[end])
        elif name == "mrk":  # an annotation (a term, a comment): its text is the text
            out.append(_text(child, data, reader, uid))
        elif name == "cp":
            try:
                out.append(chr(int(child.get("hex", ""), 16)))
            except (ValueError, OverflowError):
                reader.problem(child, f"unit '{uid}': <cp> with a bad hex value {child.get('hex')!r}")
        else:
            reader.problem(child, f"unit '{uid}': unexpected element <{etree.QName(child).localname}> in the text")
        out.append(child.tail or "")
    return "".join(out)


def _check_size(path: Path, display: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExchangeError([Problem(display, 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
    if size > MAX_EXCHANGE_BYTES:
        raise ExchangeError([Problem(display, 1, 1, f"file is {size:,} bytes, more than the limit of "
                                                    f"{MAX_EXCHANGE_BYTES:,}")])
