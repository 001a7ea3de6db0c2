"""Texts through the exchange formats: whatever the text, XLIFF (markup as inline codes) and PO bring it back exactly."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.translate import xliff
from generator.translate.exchange import Outgoing

# Texts made of markdown's inline punctuation, words and line breaks: unbalanced and nested markup too.
markdownish = st.lists(st.sampled_from(["**", "*", "[", "]", "(", ")", "`", "](https://x.nl)", " ", "\n", "a", "Zo",
                                        "é", "<", "&", "\u00a0", "\r", "\t", "]]>"]), min_size=1, max_size=40).map("".join)


def round_trip(source: str, target: str) -> tuple[str, str, bytes]:
    unit = Outgoing("lesson:x/sections/s/body", "modules/x.yaml", 3, source, target, "translated", "context",
                    None, True)
    buffer = io.BytesIO()
    xliff.write([unit], "nl", "en", buffer)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.xlf"
        path.write_bytes(buffer.getvalue())
        [back] = xliff.read(path, "x.xlf").units
    return back.source, back.target, buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(source=markdownish, target=markdownish)
def test_any_markdown_comes_back_exactly(source: str, target: str) -> None:
    got_source, got_target, _ = round_trip(source, target)
    assert (got_source, got_target) == (source, target)


def test_bold_links_and_code_are_tags_the_translator_moves() -> None:
    source = "Zie **[de site](https://www.eokm.nl)** en `modgen`."
    _, _, raw = round_trip(source, "See **[the site](https://www.eokm.nl)** and `modgen`.")
    root = etree.fromstring(raw)
    ns = {"x": xliff.NS}
    src = root.find(".//x:source", ns)
    assert [c.tag.split("}")[1] for c in src.iter() if c is not src] == ["pc", "pc", "ph"]
    assert "".join(src.itertext()) == "Zie de site en ."  # the translatable words only
    data = {d.get("id"): d.text for d in root.iterfind(".//x:data", ns)}
    assert sorted(data.values()) == ["**", "[", "](https://www.eokm.nl)", "`modgen`"]
    target = root.find(".//x:target", ns)
    assert [c.get("id") for c in target.iter() if c is not target] == ["1", "2", "3"]  # the source's ids


@settings(max_examples=200, deadline=None)
@given(source=markdownish, target=st.one_of(st.just(""), markdownish.map(lambda t: t + '"\\ \\n')))
def test_po_carries_any_text_exactly_too(source: str, target: str) -> None:
    from generator.translate import po

    unit = Outgoing("lesson:x/sections/s/body", "modules/x.yaml", 3, source, target, "translated", "context",
                    None, True)
    buffer = io.BytesIO()
    po.write([unit], "nl", "en", buffer)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.po"
        path.write_bytes(buffer.getvalue())
        [back] = po.read(path, "x.po").units
    assert (back.source, back.target) == (source, target)
