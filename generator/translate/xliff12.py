"""XLIFF 1.2 exchange files (``--format xliff12``), beside XLIFF 2.1, written and read with lxml.

XLIFF 1.2 is what Debian's OmegaT (3.6, the free CAT tool an academy gets with ``apt install
omegat``) reads without plugins; Trados and memoQ read it too. The same units as XLIFF 2.1: one
``<file>`` per course file, one ``<trans-unit>`` per text, its id the unit id; markdown inline
markup as native codes holding the original markup — ``<bpt>**</bpt>bold<ept>**</ept>``, a link
``<bpt>[</bpt>text<ept>](url)</ept>``, inline code ``<ph>`code`</ph>`` — so a translator moves
tags instead of retyping ``**`` or a URL. Reading applies the same protections as XLIFF 2.1 (see
:mod:`generator.translate.xliff` and :func:`generator.translate.workflow.import_translations`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, Container, Iterable

from lxml import etree

from generator.problems import Problem
from generator.translate.exchange import ExchangeError, ExchangeFile, Outgoing, Returned
from generator.translate.xliff import MAX_PROBLEMS, _check_size, _Reader, _segments  # noqa: F401

NS = "urn:oasis:names:tc:xliff:document:1.2"
_X = "{%s}" % NS
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
#: target states that mean a translator finished the unit
_DONE_STATES = {"translated", "signed-off", "final"}
#: target states a translator sets to say a translation is not finished
_UNFINISHED_STATES = {"needs-review-translation", "needs-review-adaptation", "needs-review-l10n", "needs-adaptation",
                      "needs-l10n"}


def _fill(element: etree._Element, parts: list, counter: list[int]) -> None:
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
        counter[0] += 1
        if part[0] == "ph":
            last = etree.SubElement(element, _X + "ph", id=str(counter[0]))
            last.text = part[1]
        else:
            _, start, end, kind, children = part
            pair = str(counter[0])
            bpt = etree.SubElement(element, _X + "bpt", id=pair, ctype="bold" if kind == "fmt" else "link")
            bpt.text = start
            last = bpt
            sub = etree.Element("sub")  # the children go between the two codes, in ``element`` itself
            _fill(sub, children, counter)
            add_text(sub.text or "")
            for child in list(sub):
                element.append(child)
                last = child
            last = etree.SubElement(element, _X + "ept", id=pair)
            last.text = end


def write(units: Iterable[Outgoing], source_lang: str, target_lang: str, stream: IO[bytes]) -> None:
    """Write an XLIFF 1.2 document for ``units`` to ``stream`` (same units → same bytes)."""
    root = etree.Element(_X + "xliff", nsmap={None: NS})
    root.set("version", "1.2")
    bodies: dict[str, etree._Element] = {}
    for unit in units:
        body = bodies.get(unit.file)
        if body is None:
            file_el = etree.SubElement(root, _X + "file", original=unit.file, datatype="plaintext")
            file_el.set("source-language", source_lang)
            file_el.set("target-language", target_lang)
            body = bodies[unit.file] = etree.SubElement(file_el, _X + "body")
        u = etree.SubElement(body, _X + "trans-unit", id=unit.id, resname=unit.id)
        u.set(_XML_SPACE, "preserve")
        if unit.max_length:
            u.set("maxwidth", str(unit.max_length))
            u.set("size-unit", "char")
        source = etree.SubElement(u, _X + "source")
        _fill(source, _segments(unit.source) if unit.markdown else [unit.source], [0])
        # Every unit has a <target>: a text still to translate starts as a copy of its source
        # ("needs-translation"), as OmegaT (which translates inside <target>) and others expect.
        target = etree.SubElement(u, _X + "target")
        if unit.target:
            target.set("state", "translated" if unit.state == "translated" else "needs-review-translation")
            _fill(target, _segments(unit.target) if unit.markdown else [unit.target], [0])
        else:
            target.set("state", "needs-translation")
            _fill(target, _segments(unit.source) if unit.markdown else [unit.source], [0])
        etree.SubElement(u, _X + "note", {"from": "modgen", "annotates": "source"}).text = unit.context
        etree.SubElement(u, _X + "note", {"from": "location"}).text = f"{unit.file}:{unit.line}"
        if unit.state == "initial" and unit.target:
            etree.SubElement(u, _X + "note", {"from": "modgen"}).text = (
                "the source text changed since this translation was made: review it")
    if not bodies:
        file_el = etree.SubElement(root, _X + "file", original="course", datatype="plaintext")
        file_el.set("source-language", source_lang)
        file_el.set("target-language", target_lang)
        etree.SubElement(file_el, _X + "body")
    _indent(root, 0)
    stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


_STRUCTURE = {_X + n for n in ("xliff", "file", "body", "trans-unit")}


def _indent(element: etree._Element, level: int) -> None:
    """Indent the structure, never inside a text."""
    if element.tag not in _STRUCTURE or not len(element):
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        _indent(child, level + 1)
        child.tail = pad
    element[-1].tail = "\n" + "  " * level


def read(path: Path, display: str, known: Container[str] | None = None) -> ExchangeFile:
    """Read an XLIFF 1.2 file, unit by unit. Raises :class:`ExchangeError` with every problem, located."""
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
            if result is None:
                result = _start(element, reader, known)
                continue
            if event == "start" and element.tag == _X + "file" and not result.source_lang:
                result.source_lang = (element.get("source-language") or "").split("-")[0].lower()
                result.target_lang = (element.get("target-language") or "").split("-")[0].lower()
            if event != "end" or element.tag != _X + "trans-unit":
                continue
            _unit(element, reader, result, seen)
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (1, 1)
        message = re.sub(r",? line \d+, column \d+", "", exc.msg or "not well-formed")
        raise ExchangeError(reader.problems + [Problem(display, line, max(1, column), f"XML error: {message}",
                                                       "is this the XLIFF file modgen exported?")]) from None
    if result is None:  # pragma: no cover - lxml reports a document without elements as a syntax error
        raise ExchangeError([Problem(display, 1, 1, "the file holds no XML element")])
    if not result.source_lang or not result.target_lang:
        reader.problems.append(Problem(display, 1, 1, "the <file> element needs source-language and target-language"))
    if reader.problems:
        raise ExchangeError(reader.problems)
    return result


def _start(root: etree._Element, reader: _Reader, known: Container[str] | None) -> ExchangeFile:
    display = reader.display
    if root.getroottree().docinfo.doctype:
        raise ExchangeError([Problem(display, 1, 1, "the file declares a DOCTYPE; XLIFF files have none",
                                     "is this the XLIFF file modgen exported?")])
    if root.tag != _X + "xliff" or root.get("version") != "1.2":
        reader.problem(root, "not an XLIFF 1.2 document", "export with 'modgen translate export --format xliff12'")
        raise ExchangeError(reader.problems)
    return ExchangeFile(display, "", "", known=known)


def _unit(u: etree._Element, reader: _Reader, result: ExchangeFile, seen: set[str]) -> None:
    uid = u.get("id")
    if not uid:
        reader.problem(u, "trans-unit without an id")
        return
    if uid in seen:
        reader.problem(u, f"unit '{uid}' appears twice")
        return
    seen.add(uid)
    line, column = u.sourceline or 1, 1
    if not result.wants(uid, line, column):
        return
    line, column = reader.where(u)
    source = u.find(_X + "source")
    if source is None:
        reader.problem(u, f"unit '{uid}' has no <source>")
        return
    # A tool may keep its own segmentation in <seg-source>/<mrk mtype="seg">: the texts are
    # read through the marks, so the whole unit comes back as one text.
    target = u.find(_X + "target")
    source_text = _text(source, reader, uid)
    text = _text(target, reader, uid) if target is not None else ""
    state = target.get("state") if target is not None else None
    # Finished: marked so (state, approved) — or, since tools such as OmegaT translate inside the
    # pre-filled <target> and leave its state as exported, a target that is no longer the source.
    marked = u.get("approved") == "yes" or state in _DONE_STATES
    done = bool(text) and (marked or (text != source_text and state not in _UNFINISHED_STATES))
    result.units.append(Returned(uid, source_text, text, done, line, column))


def _text(element: etree._Element, reader: _Reader, uid: str) -> str:
    """The plain text of a <source>/<target>: native codes give back their markup."""
    out = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # pragma: no cover
            continue
        name = etree.QName(child).localname if child.tag.startswith(_X) else None
        if name in ("bpt", "ept", "ph", "it"):
            out.append("".join(child.itertext()))
        elif name in ("mrk", "g"):
            out.append(_text(child, reader, uid))
        elif name == "x":
            reader.problem(child, f"unit '{uid}': <x/> stands for markup modgen did not export",
                           "keep the tags as the source has them")
        else:
            reader.problem(child, f"unit '{uid}': unexpected element <{etree.QName(child).localname}> in the text")
        out.append(child.tail or "")
    return "".join(out)
