"""An Office Open XML checker for the decks' tests: every XML part against the ECMA-376 transitional
schemas (``../shared/schemas/ooxml``), with the rules the schemas need beside them, and the package
checks a consumer such as PowerPoint relies on.

PowerPoint is stricter than LibreOffice: markup LibreOffice renders can make PowerPoint offer to
"repair" a file and drop what it cannot read. The schemas say what PowerPoint's reader accepts
better than any renderer here can; they do not prove that PowerPoint shows a slide as intended.

Beside the schemas (see ``../shared/schemas/ooxml/SOURCES.md``):

- content of an ``ext`` element in an ``extLst`` is an application's own and not validated;
- Markup Compatibility (ECMA-376 Part 3) is applied as a consumer that understands only the
  schemas' namespaces would: every prefix ``mc:Ignorable``, ``mc:MustUnderstand`` or
  ``mc:Choice/@Requires`` names must be declared; elements and attributes of ignorable namespaces
  are dropped, ``mc:AlternateContent`` becomes its first understood ``Choice`` or its ``Fallback``;
  a ``MustUnderstand`` namespace not understood is an error;
- the one erratum of the 2016 schema files: ``a:buSzPct/@val`` in its integer form (25000–400000,
  the first edition's form and the one Microsoft's Open XML SDK requires) is accepted.

The package checks: every part has a content type; every internal relationship target exists;
every relationship id a part uses (``r:id``, ``r:embed``…) is one of its relationships; no part is
an orphan (every part is reached from the package's relationships); each notes slide belongs to
exactly one slide and that slide to it; ``p:notesMasterIdLst`` is written when the deck has notes;
each slide's shape ids are unique, its animation targets exist and its timing node ids are unique.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
SML_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

NOTES_SLIDE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide"
SLIDE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"
NOTES_MASTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesMaster"
CT_NOTES_SLIDE = "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"
CT_SLIDE = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"


# --- the schemas ----------------------------------------------------------------------------------

def _driver(folder: Path) -> bytes:
    """``all.xsd`` and SpreadsheetML (the workbooks embedded in charts), as one schema."""
    return (f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:modgen:ooxml-check">'
            f'<xs:import namespace="urn:ooxml-check:driver" schemaLocation="{(folder / "all.xsd").as_uri()}"/>'
            f'<xs:import namespace="{SML_NS}" schemaLocation="{(folder / "ecma-transitional/sml.xsd").as_uri()}"/>'
            f'</xs:schema>').encode()


@lru_cache(maxsize=None)
def schema(folder: Path) -> etree.XMLSchema:
    """The compiled schemas of ``folder`` (``../shared/schemas/ooxml``), once per process."""
    return etree.XMLSchema(etree.fromstring(_driver(folder), base_url=(folder / "driver.xsd").as_uri()))


@lru_cache(maxsize=None)
def understood(folder: Path) -> frozenset[str]:
    """The namespaces the schemas define: the ones a consumer of these schemas understands."""
    found: set[str] = set()
    seen: set[Path] = set()
    todo = [folder / "all.xsd", folder / "ecma-transitional/sml.xsd"]
    while todo:
        path = todo.pop().resolve()
        if path in seen:
            continue
        seen.add(path)
        doc = etree.parse(str(path)).getroot()
        if doc.get("targetNamespace"):
            found.add(doc.get("targetNamespace"))
        for ref in doc.iterchildren("{http://www.w3.org/2001/XMLSchema}import",
                                    "{http://www.w3.org/2001/XMLSchema}include"):
            location = ref.get("schemaLocation")
            if location and "://" not in location:
                todo.append(path.parent / location)
    return frozenset(found)


# --- the rules beside the schemas -----------------------------------------------------------------

def _prefixes(element, attribute: str, problems: list[str], where: str) -> list[str]:
    """The namespaces named by the prefixes of ``attribute`` (space-separated); an undeclared
    prefix is a problem."""
    value = element.get(f"{{{MC}}}{attribute}" if attribute != "Requires" else "Requires")
    namespaces = []
    for prefix in (value or "").split():
        ns = element.nsmap.get(prefix)
        if ns is None:
            problems.append(f"{where}: mc:{attribute} names the prefix {prefix!r}, which is not declared")
        else:
            namespaces.append(ns)
    return namespaces


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def prepare(root, known: frozenset[str], problems: list[str], where: str):
    """The tree a schema validates: ``ext`` content emptied, Markup Compatibility applied, the
    erratum's integer form written in the form the 2016 files accept. Problems of the rules
    themselves (an undeclared prefix, a namespace that must be understood) go to ``problems``."""
    # Every mc: attribute's prefixes must be declared, wherever the element is.
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("Ignorable", "MustUnderstand", "ProcessContent"):
            _prefixes(element, attribute, problems, f"{where}: <{element.prefix}:{_local(element.tag)}>")
        if element.tag == f"{{{MC}}}Choice":
            _prefixes(element, "Requires", problems, f"{where}: <mc:Choice>")
    for ext in root.iter():
        parent = ext.getparent()
        if _local(ext.tag) == "ext" and parent is not None and _local(parent.tag) == "extLst":
            for child in list(ext):
                ext.remove(child)
            ext.text = None
    _compatibility(root, known, frozenset(), problems, where)
    for size in root.iter(f"{{{A_NS}}}buSzPct"):
        value = size.get("val", "")
        if re.fullmatch(r"\d+", value) and 25000 <= int(value) <= 400000:
            size.set("val", "100%")  # the erratum: a valid integer form, checked here instead
    return root


def _compatibility(element, known: frozenset[str], ignorable: frozenset[str], problems: list[str], where: str) -> None:
    """Markup Compatibility as a consumer that understands ``known`` applies it, in place."""
    ignorable = ignorable | frozenset(_prefixes(element, "Ignorable", [], where))
    processed = frozenset(_prefixes(element, "ProcessContent", [], where))
    for ns in _prefixes(element, "MustUnderstand", [], where):
        if ns not in known:
            problems.append(f"{where}: <{_local(element.tag)}> must be understood in {ns}, which no schema defines")
    for name in list(element.attrib):
        ns = etree.QName(name).namespace
        if ns == MC or (ns is not None and ns not in known and ns in ignorable):
            del element.attrib[name]
    at = 0
    while at < len(element):
        child = element[at]
        if not isinstance(child.tag, str):
            at += 1
            continue
        ns = etree.QName(child).namespace
        if child.tag == f"{{{MC}}}AlternateContent":
            chosen = None
            for branch in child:
                if branch.tag == f"{{{MC}}}Choice":
                    required = _prefixes(branch, "Requires", [], where)
                    if required and all(r in known for r in required):
                        chosen = branch
                        break
                elif branch.tag == f"{{{MC}}}Fallback":
                    chosen = branch
                    break
            _replace(element, child, list(chosen) if chosen is not None else [])  # looked at again
        elif ns is not None and ns not in known and ns in ignorable:
            _replace(element, child, list(child) if ns in processed else [])
        else:
            _compatibility(child, known, ignorable, problems, where)
            at += 1


def _replace(parent, child, replacements) -> None:
    at = parent.index(child)
    parent.remove(child)
    for offset, new in enumerate(replacements):
        parent.insert(at + offset, new)


# --- the package ----------------------------------------------------------------------------------

def _rels_name(part: str) -> str:
    folder, _, file = part.rpartition("/")
    return f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"


def _source_of(rels_name: str) -> str:
    """``ppt/slides/_rels/slide1.xml.rels`` → ``ppt/slides/slide1.xml``; the package's → ``""``."""
    folder, _, file = rels_name.rpartition("/")
    base = folder[:-len("_rels")].rstrip("/")
    return posixpath.join(base, file[:-len(".rels")]) if file != ".rels" else ""


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


class Package:
    """A .pptx (or any OPC package) read for checking."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.names = [n for n in self.zip.namelist() if not n.endswith("/")]
        types = etree.fromstring(self.zip.read("[Content_Types].xml"))
        self.defaults = {d.get("Extension").lower(): d.get("ContentType") for d in types.iter(f"{{{TYPES_NS}}}Default")}
        self.overrides = {o.get("PartName").lstrip("/").lower(): o.get("ContentType")
                          for o in types.iter(f"{{{TYPES_NS}}}Override")}
        self.rels: dict[str, list[dict]] = {}  # source part ("" for the package) → its relationships
        for name in self.names:
            if name.endswith(".rels") and "/_rels/" in f"/{name}":
                found = []
                for rel in etree.fromstring(self.zip.read(name)).iter(f"{{{PKG_REL_NS}}}Relationship"):
                    external = rel.get("TargetMode") == "External"
                    source = _source_of(name)
                    found.append({"id": rel.get("Id"), "type": rel.get("Type"), "external": external,
                                  "target": rel.get("Target") if external else _resolve(source, rel.get("Target"))})
                self.rels[_source_of(name)] = found

    def content_type(self, name: str) -> str | None:
        file = name.rpartition("/")[2]
        extension = file.rpartition(".")[2] if "." in file else ""  # "_rels/.rels": "rels"
        return self.overrides.get(name.lower()) or self.defaults.get(extension.lower())

    def read(self, name: str) -> bytes:
        return self.zip.read(name)

    def xml_parts(self) -> list[str]:
        return [n for n in self.names
                if (self.content_type(n) or "").endswith("xml") or n == "[Content_Types].xml"]

    def targets(self, source: str, reltype: str) -> list[str]:
        return [r["target"] for r in self.rels.get(source, []) if r["type"] == reltype and not r["external"]]


def check_schema(package: Package, folder: Path, label: str) -> list[str]:
    """Every XML part of ``package`` against the schemas of ``folder``, as ``label: part: line: message``."""
    problems: list[str] = []
    compiled, known = schema(folder), understood(folder)
    for name in package.xml_parts():
        where = f"{label}: {name}"
        try:
            root = etree.fromstring(package.read(name))
        except etree.XMLSyntaxError as error:
            problems.append(f"{where}: not well-formed XML: {error}")
            continue
        prepared = prepare(root, known, problems, where)
        if not compiled.validate(etree.ElementTree(prepared)):
            problems += [f"{where}:{e.line}: {e.message}" for e in compiled.error_log]
        for embedded in _embedded_packages(package, name):
            problems += check(embedded[1], folder, f"{label}: {embedded[0]}")
    return problems


def _embedded_packages(package: Package, source: str) -> list[tuple[str, bytes]]:
    """The packages (a chart's workbook) embedded in ``source``'s relationships."""
    found = []
    for rel in package.rels.get(source, []):
        target = rel["target"]
        if not rel["external"] and target in package.names and target.lower().endswith((".xlsx", ".pptx", ".docx")):
            found.append((target, package.read(target)))
    return found


_RID_ATTRIBUTES = re.compile(r"^\{" + re.escape(REL_NS) + r"\}")


def check_relationships(package: Package, label: str) -> list[str]:
    problems: list[str] = []
    names = set(package.names)
    for name in package.names:
        if package.content_type(name) is None and name != "[Content_Types].xml":
            problems.append(f"{label}: {name}: no content type")
    for source, rels in package.rels.items():
        if source and source not in names:
            problems.append(f"{label}: {_rels_name(source)}: relationships of a part that does not exist")
        ids = [r["id"] for r in rels]
        for rid in {i for i in ids if ids.count(i) > 1}:
            problems.append(f"{label}: {_rels_name(source)}: relationship id {rid} used twice")
        for rel in rels:
            if not rel["external"] and rel["target"] not in names:
                problems.append(f"{label}: {_rels_name(source)}: {rel['id']} points at {rel['target']}, "
                                f"which the package does not hold")
    # Every relationship id an XML part uses is one of its own relationships.
    for name in package.xml_parts():
        if name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        own = {r["id"] for r in package.rels.get(name, [])}
        used = set()
        for element in etree.fromstring(package.read(name)).iter():
            if isinstance(element.tag, str):
                used |= {v for k, v in element.attrib.items() if _RID_ATTRIBUTES.match(k) and v}
        for rid in sorted(used - own):
            problems.append(f"{label}: {name}: uses relationship {rid}, which its relationships do not have")
    # No orphans: every part is reached from the package's relationships.
    reached, todo = set(), [""]
    while todo:
        source = todo.pop()
        for rel in package.rels.get(source, []):
            if not rel["external"] and rel["target"] not in reached:
                reached.add(rel["target"])
                todo.append(rel["target"])
    for name in package.names:
        if name == "[Content_Types].xml" or name.endswith(".rels"):
            continue
        if name not in reached:
            problems.append(f"{label}: {name}: an orphan part (no relationship leads to it)")
    return problems


def check_presentation(package: Package, label: str) -> list[str]:
    """The PresentationML rules: notes slides and their slides, the notes master list, and each
    slide's shape ids, animation targets and timing ids."""
    problems: list[str] = []
    presentation = next(iter(package.targets("", "http://schemas.openxmlformats.org/officeDocument/2006/"
                                                 "relationships/officeDocument")), None)
    if presentation is None:
        return problems
    slides = [n for n in package.names if package.content_type(n) == CT_SLIDE]
    notes = [n for n in package.names if package.content_type(n) == CT_NOTES_SLIDE]
    for note in notes:
        owners = [s for s in slides if note in package.targets(s, NOTES_SLIDE)]
        back = package.targets(note, SLIDE)
        if len(owners) != 1 or len(back) != 1 or back != owners:
            problems.append(f"{label}: {note}: belongs to {owners or 'no slide'} and points back at {back or 'none'}; "
                            "a notes slide belongs to exactly one slide")
    for slide in slides:
        if len(package.targets(slide, NOTES_SLIDE)) > 1:
            problems.append(f"{label}: {slide}: has more than one notes slide")
    root = etree.fromstring(package.read(presentation))
    masters = root.findall(f"{P}notesMasterIdLst/{P}notesMasterId")
    if notes and not masters:
        problems.append(f"{label}: {presentation}: the deck has notes but no p:notesMasterIdLst")
    pres_rels = {r["id"]: r for r in package.rels.get(presentation, [])}
    for master in masters:
        rel = pres_rels.get(master.get(f"{{{REL_NS}}}id"))
        if rel is None or rel["type"] != NOTES_MASTER:
            problems.append(f"{label}: {presentation}: p:notesMasterId is not a relationship to the notes master")
    listed = [pres_rels.get(s.get(f"{{{REL_NS}}}id"), {}).get("target") for s in root.iterfind(f"{P}sldIdLst/{P}sldId")]
    if sorted(filter(None, listed)) != sorted(slides) or len(listed) != len(slides):
        problems.append(f"{label}: {presentation}: p:sldIdLst does not list every slide once")
    for slide in slides:
        tree = etree.fromstring(package.read(slide))
        ids = [e.get("id") for e in tree.iter(f"{P}cNvPr")]
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"{label}: {slide}: shape id {dup} used by more than one shape")
        timing = tree.find(f"{P}timing")
        if timing is None:
            continue
        for target in timing.iter(f"{P}spTgt"):
            if target.get("spid") not in ids:
                problems.append(f"{label}: {slide}: an animation targets shape {target.get('spid')}, which the slide "
                                "does not have")
        for built in timing.iter(f"{P}bldP"):
            if built.get("spid") not in ids:
                problems.append(f"{label}: {slide}: the build list names shape {built.get('spid')}, which the slide "
                                "does not have")
        node_ids = [c.get("id") for c in timing.iter(f"{P}cTn")]
        for dup in sorted({i for i in node_ids if node_ids.count(i) > 1}):
            problems.append(f"{label}: {slide}: timing node id {dup} used twice")
    return problems


def check(data: bytes, folder: Path, label: str = "deck") -> list[str]:
    """Every problem of the package ``data`` (empty: valid), each as ``label: part[:line]: message``."""
    package = Package(data)
    return (check_relationships(package, label) + check_presentation(package, label)
            + check_schema(package, folder, label))
