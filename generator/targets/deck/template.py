"""Deck templates: the default one shipped with the package, or an organisation's .pptx/.potx.

Every slide kind asks for a layout by name and falls back along a documented chain (see
``docs/templates.md``), so an organisation can style one kind (say "Quiz Question") without
having to provide all of them; where no name matches — a template saved by a PowerPoint in
another language — the layout is found by its placeholders' roles. Text is always set in the deck font named in ``measure``, whatever
the template says, because only text in the font we measure with can be promised not to overflow.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.presentation import Presentation as PresentationType
from pptx.slide import SlideLayout

DEFAULT_TEMPLATE = Path(__file__).with_name("default.pptx")

#: Slide kind → layout names tried in order. The first name is the kind's own layout, which an
#: organisation may add to its template; the rest are the standard PowerPoint layout names.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "title": ("Title Slide",),
    "section": ("Section Header", "Title Slide"),
    "welcome": ("Welcome", "Title and Content"),
    "break": ("Break", "Section Header", "Title Slide"),
    "notice": ("Content Notice", "Title and Content"),
    "agenda": ("Agenda", "Title and Content"),
    "objectives": ("Learning Objectives", "Title and Content"),
    "content": ("Title and Content",),
    "facts": ("Key Facts", "Title and Content"),
    "figure": ("Key Figure", "Key Facts", "Title and Content"),
    "table": ("Table", "Title Only", "Title and Content"),
    # A section's picture: PowerPoint's own picture layout has a picture placeholder to fill.
    "picture": ("Picture with Caption", "Title Only", "Title and Content"),
    "chart": ("Chart", "Title Only", "Title and Content"),
    "diagram": ("Crime Script", "Title Only", "Title and Content"),
    "interventions": ("Intervention Points", "Title and Content"),
    "matrix": ("Intervention Matrix", "Title Only", "Title and Content"),
    "discussion": ("Discussion", "Title and Content"),
    "vignette": ("Case", "Title and Content"),
    "question": ("Quiz Question", "Title and Content"),
    "classroom": ("Classroom Session", "Quiz Question", "Title and Content"),
    "summary": ("Summary", "Title and Content"),
    "sources": ("Sources", "Title and Content"),
    "support": ("Support", "Title and Content"),
    "closing": ("Closing", "Title and Content"),
}

_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
#: Content below the title must leave at least this much room (EMU), else the layout can't serve.
MIN_CONTENT_HEIGHT = 914400  # one inch
_POTX_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PPTX_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


class TemplateError(Exception):
    """A template that cannot be used; ``str()`` is ``path:1:1: message``."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}:1:1: {message}")


@dataclass(frozen=True)
class Box:
    """A rectangle in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass
class Choice:
    """How one slide kind is served: the layout, its title box and its content area."""

    kind: str
    layout: SlideLayout | None  # None when read from the user cache (only `template check` reads it)
    title: Box
    body: Box  # the body placeholder's box, or the area below the title
    body_placeholder: int | None  # idx of the body placeholder on the layout, if any


def open_template(path: Path, shown: str | None = None) -> PresentationType:
    """The presentation in ``path`` (.pptx or .potx) with its own slides removed.

    A template comes from another organisation: its size, its zip directory (``generator.zips``)
    and every part read are bounded, and only the parts a deck needs are read at all — the parts
    the presentation reaches through its relationships, but not its slides (and what only they
    use), its thumbnail or custom data. A 1 GiB picture on an example slide is never inflated and
    never copied into a deck.

    Raises :class:`TemplateError` for anything that is not a usable PowerPoint file.
    """
    from generator import limits
    from generator.zips import BoundedZip, NotAZip, ZipProblem

    shown = shown or str(path)
    try:
        size = path.stat().st_size
        if size > limits.MAX_ASSET_BYTES:
            raise TemplateError(shown, f"'{shown}' is {size:,} bytes, more than the limit of "
                                       f"{limits.MAX_ASSET_BYTES:,}")
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(shown, f"cannot read the template: {exc.strerror or exc}") from None
    try:
        try:
            z = BoundedZip(data, shown)
        except NotAZip:
            raise TemplateError(shown, "not a PowerPoint template: the file is not a zip archive "
                                       "(save it from PowerPoint as .pptx or .potx)") from None
        del data
        if "[Content_Types].xml" not in z:
            raise TemplateError(shown, "not a PowerPoint template: the file has no [Content_Types].xml")
        types = z.read("[Content_Types].xml")
        if _POTX_MAIN in types:
            # A .potx differs from a .pptx only in its main part's content type.
            types = types.replace(_POTX_MAIN, _PPTX_MAIN)
        elif _PPTX_MAIN not in types:
            raise TemplateError(shown, "not a PowerPoint template: it holds no presentation "
                                       "(is it a Word or Excel file?)")
        parts = {"[Content_Types].xml": types, **_needed_parts(z, shown)}
    except ZipProblem as exc:
        raise TemplateError(shown, str(exc)) from None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for name, blob in parts.items():
            out.writestr(name, blob)
    del parts
    try:
        prs = Presentation(buf)
    except Exception as exc:  # python-pptx raises many kinds of errors for damaged packages
        raise TemplateError(shown, f"damaged PowerPoint template: {type(exc).__name__}: {exc}") from None
    _drop_slides(prs)
    return prs


_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: What a deck keeps of the package's own relationships: the presentation and its properties. Not the
#: thumbnail (a picture of the template's first slide), custom properties or custom XML.
_PACKAGE_KEEPS = frozenset({RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES, RT.EXTENDED_PROPERTIES})
_SLIDE_LISTS = ("sldIdLst", "custShowLst")  # presentation children that name slides by relationship


def _xml(data: bytes, shown: str, name: str):
    """The parsed part ``name``: no DTD, no entities, no network (a template is outside input)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(shown, f"damaged PowerPoint template: its part '{name}' is not XML ({exc})") from None


def _needed_parts(z, shown: str) -> dict[str, bytes]:
    """The members a deck needs, by name, read from ``z`` (a ``BoundedZip``): the parts reachable
    from the package's presentation through relationships, leaving out its slides. Relationships
    to what is left out are removed, and the presentation's slide list emptied, so the package
    stays whole."""
    import posixpath

    from lxml import etree

    if "_rels/.rels" not in z:
        raise TemplateError(shown, "not a PowerPoint template: the file has no _rels/.rels")
    parts: dict[str, bytes] = {}

    def relationships(rels_name: str, base: str, keep) -> list[tuple[str, str]]:
        """Keeps in ``parts`` the relationships of ``rels_name`` that ``keep`` accepts; returns the
        member names and types of their internal targets."""
        data = z.read(rels_name)
        root = _xml(data, shown, rels_name)
        targets, dropped = [], False
        for rel in list(root):
            if rel.tag != f"{_REL_NS}Relationship":
                continue
            if not keep(rel.get("Type", "")):
                root.remove(rel)
                dropped = True
            elif rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                name = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
                targets.append((posixpath.normpath(name), rel.get("Type")))
        parts[rels_name] = (etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                            if dropped else data)
        return targets

    queue = relationships("_rels/.rels", "", lambda kind: kind in _PACKAGE_KEEPS)
    main = next((name for name, kind in queue if kind == RT.OFFICE_DOCUMENT), None)
    while queue:
        name, _ = queue.pop()
        if name in parts or name not in z:  # a missing part: python-pptx names it
            continue
        parts[name] = data = z.read(name)
        folder, _, file = name.rpartition("/")
        rels_name = f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"
        if rels_name in z:
            is_main = name == main
            queue += relationships(rels_name, folder, lambda kind: not (is_main and kind == RT.SLIDE))
        if name == main:
            root = _xml(data, shown, name)
            lists = [child for child in root if etree.QName(child).localname in _SLIDE_LISTS and len(child)]
            if lists:
                for child in lists:
                    root.remove(child)
                parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return parts


def _drop_slides(prs: PresentationType) -> None:
    """Remove example slides a template may carry: the deck starts empty."""
    id_list = prs.slides._sldIdLst
    for sld_id in list(id_list):
        prs.part.drop_rel(sld_id.rId)
        id_list.remove(sld_id)


def layouts_by_name(prs: PresentationType) -> dict[str, SlideLayout]:
    found: dict[str, SlideLayout] = {}
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            found.setdefault(layout.name.strip(), layout)
    return found


def _box(shape) -> Box:
    return Box(int(shape.left or 0), int(shape.top or 0), int(shape.width or 0), int(shape.height or 0))


#: What a slide kind needs of a layout, by its placeholders' roles, when no layout carries one of
#: its names (a template saved by a PowerPoint in another language names its layouts in that
#: language: 'Titel en object', 'Titre et contenu'): "title" a centred title, "divider" a title and
#: a text placeholder (no content placeholder), "title-only" a title and nothing under it,
#: "content" a title and a content (or text) placeholder.
ROLES: dict[str, str] = {"title": "title", "section": "divider", "break": "divider", "table": "title-only",
                         "diagram": "title-only", "matrix": "title-only"}


def _roles(layout: SlideLayout) -> dict[str, list]:
    """The layout's placeholders by role: title, centred title, subtitle, body (text), object
    (content), picture, table, chart; date, footer and slide number are not roles."""
    found: dict[str, list] = {}
    names = {PP_PLACEHOLDER.TITLE: "title", PP_PLACEHOLDER.CENTER_TITLE: "center_title",
             PP_PLACEHOLDER.SUBTITLE: "subtitle", PP_PLACEHOLDER.BODY: "body", PP_PLACEHOLDER.OBJECT: "object",
             PP_PLACEHOLDER.PICTURE: "picture", PP_PLACEHOLDER.TABLE: "table", PP_PLACEHOLDER.CHART: "chart"}
    for ph in layout.placeholders:
        role = names.get(ph.placeholder_format.type)
        if role is not None:
            found.setdefault(role, []).append(ph)
    return found


def _by_roles(kind: str, layouts: dict[str, SlideLayout]) -> str | None:
    """The name of the layout that serves ``kind`` by its placeholders' roles, or None. Among
    layouts that qualify, the one whose main placeholder is largest (the most room), then the first."""
    want = ROLES.get(kind, "content")
    best: tuple[int, str] | None = None
    for name, layout in layouts.items():
        roles = _roles(layout)
        titles = roles.get("title", []) + roles.get("center_title", [])
        if not titles:
            continue
        bodies = roles.get("body", []) + roles.get("object", []) + roles.get("subtitle", [])
        area = lambda phs: max((int(p.width or 0) * int(p.height or 0) for p in phs), default=0)  # noqa: E731
        if want == "title":
            ok, score = bool(roles.get("center_title")), area(roles.get("subtitle", []))
        elif want == "divider":
            ok, score = (bool(roles.get("title")) and bool(roles.get("body")) and not roles.get("object")
                         and len(roles.get("body", [])) == 1), area(titles)
        elif want == "title-only":
            ok, score = bool(roles.get("title")) and not bodies and not roles.get("picture"), 0
        else:
            # One content placeholder under a title; a content (object) placeholder wins over a
            # text one of the same size: it is what PowerPoint's "Title and Content" carries.
            contents = roles.get("object", []) + roles.get("body", [])
            ok = bool(roles.get("title")) and len(contents) == 1 and not roles.get("picture")
            score = area(contents) * (2 if roles.get("object") else 1)
        if ok and (best is None or score > best[0]):
            best = (score, name)
    return best[1] if best else None


def choose(prs: PresentationType, kind: str, layouts: dict[str, SlideLayout] | None = None) -> Choice | str:
    """The layout serving ``kind``, or the reason (a sentence) why this template can't serve it.
    Layouts are found by name first (the kind's own layout, then PowerPoint's English names), then
    by their placeholders' roles (:data:`ROLES`), so templates in any language serve."""
    layouts = layouts if layouts is not None else layouts_by_name(prs)
    names = LAYOUTS[kind]
    name = next((n for n in names if n in layouts), None) or _by_roles(kind, layouts)
    if name is None:
        wanted = " or ".join(f"'{n}'" for n in names)
        need = {"title": "a centred title", "divider": "a title and one text placeholder",
                "title-only": "a title and nothing under it",
                "content": "a title and one content placeholder"}[ROLES.get(kind, "content")]
        return f"no layout named {wanted}, and none with {need}"
    layout = layouts[name]
    title = body = None
    # A picture slide's content area is the layout's picture placeholder, when it has one (its
    # caption placeholder is too small for content; the caption goes to the source line).
    body_types = (PP_PLACEHOLDER.PICTURE,) if kind == "picture" and any(
        ph.placeholder_format.type == PP_PLACEHOLDER.PICTURE for ph in layout.placeholders) else _BODY_TYPES
    for ph in layout.placeholders:
        kind_of = ph.placeholder_format.type
        if kind_of in _TITLE_TYPES and title is None:
            title = ph
        elif kind_of in body_types and ph.placeholder_format.idx != 0:
            if body is None or ph.placeholder_format.idx < body.placeholder_format.idx:
                body = ph
    if title is None:
        return f"layout '{name}' has no title placeholder (every slide needs a title for accessibility)"
    title_box = _box(title)
    if body is not None:
        body_box = _box(body)
    else:
        gap = int(prs.slide_height * 0.03)
        top = title_box.bottom + gap
        body_box = Box(title_box.left, top, title_box.width, int(prs.slide_height * 0.95) - top)
    if kind not in ("title", "section", "break") and body_box.height < MIN_CONTENT_HEIGHT:
        return f"layout '{name}' leaves less than one inch below the title for content"
    return Choice(kind, layout, title_box, body_box, body.placeholder_format.idx if body is not None else None)


def choose_all(prs: PresentationType, shown: str) -> dict[str, Choice]:
    """A layout for every slide kind, or a :class:`TemplateError` naming what is missing."""
    layouts = layouts_by_name(prs)
    choices: dict[str, Choice] = {}
    reasons = []
    for kind in LAYOUTS:
        found = choose(prs, kind, layouts)
        if isinstance(found, str):
            reasons.append(f"{kind} slides: {found}")
        else:
            choices[kind] = found
    if reasons:
        raise TemplateError(shown, "the template can't serve " + "; ".join(reasons)
                            + " (see docs/templates.md for the layout names)")
    return choices


def report(path: Path) -> tuple[list[str], bool]:
    """What ``modgen template check`` prints: layouts, placeholders, and per slide kind the layout
    used or why none can be. Returns (lines, ok)."""
    prs = open_template(path)
    lines = [f"{path}: {prs.slide_width / 914400:.2f} × {prs.slide_height / 914400:.2f} in "
             f"({'16:9' if abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01 else 'not 16:9'})",
             "", "Layouts:"]
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            lines.append(f"  {layout.name}")
            for ph in layout.placeholders:
                pf = ph.placeholder_format
                b = _box(ph)
                lines.append(f"    idx {pf.idx:<3} {pf.type.name if pf.type else '?':<14} '{ph.name}' "
                             f"at {b.left / 914400:.2f},{b.top / 914400:.2f} in, "
                             f"{b.width / 914400:.2f} × {b.height / 914400:.2f} in")
    lines += ["", "Slide kinds:"]
    ok = True
    layouts = layouts_by_name(prs)
    for kind in LAYOUTS:
        found = choose(prs, kind, layouts)
        if isinstance(found, str):
            ok = False
            lines.append(f"  {kind:<14} CAN'T SERVE: {found}")
        else:
            name = found.layout.name.strip()
            how = ("own layout" if name == LAYOUTS[kind][0] else "fallback" if name in LAYOUTS[kind]
                   else "matched by its placeholders")
            lines.append(f"  {kind:<14} '{found.layout.name}' ({how})")
    return lines, ok
