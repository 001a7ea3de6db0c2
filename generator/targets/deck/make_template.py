"""Make the default deck template, ``default.pptx``, from python-pptx's built-in template.

Run ``python -m generator.targets.deck.make_template`` after changing this file and commit the
result; the build only reads the committed file. The result is 16:9, sets text in Calibri
(measured with the metric-compatible Carlito), turns autofit off everywhere, and uses colours that
meet WCAG AA contrast (``tests/targets/test_deck_template.py`` computes them).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import nsdecls, qn
from pptx.parts.slide import SlideLayoutPart

from generator.targets.deck.package import fixed_zip
from generator.targets.deck.template import DEFAULT_TEMPLATE

IN = 914400  # EMU per inch
WIDTH, HEIGHT = 12192000, 6858000  # 13.333 × 7.5 in: 16:9

#: The theme colours. dk2 is the title colour on white and the background of title slides.
COLOURS = {
    "dk1": "000000", "lt1": "FFFFFF", "dk2": "1F3A5F", "lt2": "E8EEF5",
    "accent1": "1F3A5F", "accent2": "C8102E", "accent3": "2E7D5B", "accent4": "6B4C9A",
    "accent5": "0B6E99", "accent6": "B35900", "hlink": "0B5CAD", "folHlink": "5B2A86",
}
KEEP = ("Title Slide", "Title and Content", "Section Header", "Title Only", "Blank")
#: Extra layouts: name → (copied from, background scheme colour or None).
EXTRA = {
    "Content Notice": ("Title and Content", "bg2"),
    "Discussion": ("Title and Content", "bg2"),
    "Quiz Question": ("Title and Content", "bg2"),
    "Quiz Answer": ("Title and Content", None),
    "Crime Script": ("Title Only", None),
}
# Geometry of the master (EMU): margins 0.6 in; title band on top, content below it.
TITLE = (int(0.6 * IN), int(0.3 * IN), WIDTH - int(1.2 * IN), int(1.05 * IN))
BODY = (int(0.6 * IN), int(1.6 * IN), WIDTH - int(1.2 * IN), int(5.45 * IN))
FOOT_Y, FOOT_H = int(7.08 * IN), int(0.34 * IN)


def _xfrm(sp, x: int, y: int, cx: int, cy: int) -> None:
    sp_pr = sp.find(qn("p:spPr"))
    for old in sp_pr.findall(qn("a:xfrm")):
        sp_pr.remove(old)
    xfrm = etree.SubElement(sp_pr, qn("a:xfrm"))
    sp_pr.insert(0, xfrm)
    etree.SubElement(xfrm, qn("a:off"), x=str(x), y=str(y))
    etree.SubElement(xfrm, qn("a:ext"), cx=str(cx), cy=str(cy))


def _no_autofit(root) -> None:
    for body_pr in root.iter(qn("a:bodyPr")):
        for child in list(body_pr):
            if child.tag in (qn("a:normAutofit"), qn("a:spAutoFit"), qn("a:noAutofit")):
                body_pr.remove(child)
        etree.SubElement(body_pr, qn("a:noAutofit"))


def _ph_type(sp) -> str | None:
    ph = sp.find(f"{qn('p:nvSpPr')}/{qn('p:nvPr')}/{qn('p:ph')}")
    return None if ph is None else ph.get("type", "obj")


def _background(c_sld, scheme: str) -> None:
    for old in c_sld.findall(qn("p:bg")):
        c_sld.remove(old)
    bg = etree.Element(qn("p:bg"))
    bg_pr = etree.SubElement(bg, qn("p:bgPr"))
    fill = etree.SubElement(bg_pr, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr"), val=scheme)
    etree.SubElement(bg_pr, qn("a:effectLst"))
    c_sld.insert(0, bg)


def _text_style(sp, size: int, colour: str, bold: bool = False, align: str = "l") -> None:
    """Give a layout placeholder its own first-level text style."""
    tx_body = sp.find(qn("p:txBody"))
    lst = tx_body.find(qn("a:lstStyle"))
    for child in list(lst):
        lst.remove(child)
    lvl = etree.SubElement(lst, qn("a:lvl1pPr"), marL="0", indent="0", algn=align)
    etree.SubElement(lvl, qn("a:buNone"))
    rpr = etree.SubElement(lvl, qn("a:defRPr"), sz=str(size), b="1" if bold else "0")
    fill = etree.SubElement(rpr, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:schemeClr"), val=colour)


def _master(master) -> None:
    root = master._element
    for sp in root.iter(qn("p:sp")):
        kind = _ph_type(sp)
        if kind == "title":
            _xfrm(sp, *TITLE)
            sp.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}").set("anchor", "b")
        elif kind == "body":
            _xfrm(sp, *BODY)
        elif kind == "dt":
            _xfrm(sp, TITLE[0], FOOT_Y, int(2.5 * IN), FOOT_H)
        elif kind == "ftr":
            _xfrm(sp, int(3.5 * IN), FOOT_Y, WIDTH - int(7 * IN), FOOT_H)
        elif kind == "sldNum":
            _xfrm(sp, WIDTH - TITLE[0] - int(2.5 * IN), FOOT_Y, int(2.5 * IN), FOOT_H)
    _no_autofit(root)
    title = root.find(f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    title.set("algn", "l")
    rpr = title.find(qn("a:defRPr"))
    rpr.set("sz", "3200")
    rpr.set("b", "1")
    rpr.find(f"{qn('a:solidFill')}/{qn('a:schemeClr')}").set("val", "tx2")
    body = root.find(f"{qn('p:txStyles')}/{qn('p:bodyStyle')}")
    for n, lvl in enumerate(body):
        rpr = lvl.find(qn("a:defRPr"))
        if rpr is not None:
            rpr.set("sz", str(max(1600, 2400 - 200 * n)))
    # An accent rule under the title band: decoration, outside every text box.
    tree = root.find(f"{qn('p:cSld')}/{qn('p:spTree')}")
    bar = etree.fromstring(
        f'<p:sp {nsdecls("p", "a")}>'
        '<p:nvSpPr><p:cNvPr id="20" name="Accent rule"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{TITLE[0] + 91440}" y="{TITLE[1] + TITLE[3] + 60000}"/>'
        f'<a:ext cx="{int(1.4 * IN)}" cy="{int(0.06 * IN)}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="accent2"/></a:solidFill>'
        '<a:ln><a:noFill/></a:ln></p:spPr></p:sp>')
    tree.append(bar)


def _layout(layout) -> None:
    root = layout._element
    name = layout.name
    c_sld = root.find(qn("p:cSld"))
    for sp in list(root.iter(qn("p:sp"))):
        kind = _ph_type(sp)
        if name in ("Title and Content", "Title Only", "Blank") and kind is not None:
            sp_pr = sp.find(qn("p:spPr"))
            for old in sp_pr.findall(qn("a:xfrm")):  # inherit the master's geometry
                sp_pr.remove(old)
        if name == "Title Slide":
            if kind == "ctrTitle":
                _xfrm(sp, int(0.9 * IN), int(1.9 * IN), WIDTH - int(1.8 * IN), int(2.0 * IN))
                sp.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}").set("anchor", "b")
                _text_style(sp, 4000, "bg1", bold=True)
            elif kind == "subTitle":
                _xfrm(sp, int(0.9 * IN), int(4.15 * IN), WIDTH - int(1.8 * IN), int(1.9 * IN))
                _text_style(sp, 2400, "bg1")
        if name == "Section Header":
            if kind == "title":
                _xfrm(sp, int(0.9 * IN), int(2.0 * IN), WIDTH - int(1.8 * IN), int(1.9 * IN))
                sp.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}").set("anchor", "b")
                _text_style(sp, 3600, "bg1", bold=True)
            elif kind == "body":
                _xfrm(sp, int(0.9 * IN), int(4.15 * IN), WIDTH - int(1.8 * IN), int(1.9 * IN))
                _text_style(sp, 2400, "bg1")
    if name in ("Title Slide", "Section Header"):
        _background(c_sld, "tx2")
        root.set("showMasterSp", "0")  # no accent rule on the dark title slides
    _no_autofit(root)


def _theme(master) -> None:
    part = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    scheme.set("name", "modgen")
    for child in scheme:
        key = etree.QName(child).localname
        for old in list(child):
            child.remove(old)
        etree.SubElement(child, qn("a:srgbClr"), val=COLOURS[key])
    for font in root.iter(qn("a:latin")):
        font.set("typeface", "Calibri")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_layout(prs, master, source, name: str, background: str | None, number: int) -> None:
    part = SlideLayoutPart(PackURI(f"/ppt/slideLayouts/slideLayout{number}.xml"), source.part.content_type,
                           prs.part.package, copy.deepcopy(source._element))
    part._element.find(qn("p:cSld")).set("name", name)
    part.relate_to(master.part, RT.SLIDE_MASTER)
    rid = master.part.relate_to(part, RT.SLIDE_LAYOUT)
    id_list = master._element.find(qn("p:sldLayoutIdLst"))
    used = [int(x.get("id")) for x in id_list]
    etree.SubElement(id_list, qn("p:sldLayoutId"), {"id": str(max(used) + 1), qn("r:id"): rid})
    if background:
        _background(part._element.find(qn("p:cSld")), background)


def make(path: Path = DEFAULT_TEMPLATE) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    master = prs.slide_masters[0]
    for layout in list(master.slide_layouts):
        if layout.name not in KEEP:
            master.slide_layouts.remove(layout)
    _theme(master)
    _master(master)
    for layout in master.slide_layouts:
        _layout(layout)
    by_name = {l.name: l for l in master.slide_layouts}
    for n, (name, (source, background)) in enumerate(EXTRA.items()):
        _add_layout(prs, master, by_name[source], name, background, 20 + n)
    prs.notes_master  # created now, once, so that decks never need to create one
    # No thumbnail of a slide that does not exist, no printer settings, fixed properties.
    package = prs.part.package
    for rid, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rid)
    props = prs.core_properties
    props.title, props.author, props.last_modified_by = "modgen default template", "modgen", "modgen"
    props.revision = 1
    props.created = props.modified = dt.datetime(2024, 1, 1)
    buf = io.BytesIO()
    prs.save(buf)
    data = fixed_zip(buf.getvalue())
    path.write_bytes(data)
    return data


if __name__ == "__main__":
    make()
    print(f"wrote {DEFAULT_TEMPLATE}")
