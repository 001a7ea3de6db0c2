"""The item analysis as CSV (for a spreadsheet) and as one HTML page with a small chart per
question: how often each answer was chosen, the right ones marked. The chart is inline SVG made
here — no script, no fetched library — and every course text in the page is escaped."""

from __future__ import annotations

import io

from generator import i18n, spreadsheet
from generator.model import Course
from generator.report import HIGH_FACILITY, LOW_DISCRIMINATION, LOW_FACILITY, ItemStats
from generator.targets import quizbank

words = i18n.Catalog("report")

CSV_COLUMNS = ("question", "quiz", "type", "location", "attempts", "facility", "discrimination",
               "distractor", "distractor_count", "flags")


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _label(item: ItemStats, key: str, bank: quizbank.BankQuestion) -> str:
    """An answer key of ``ItemStats.chosen`` in the course's words."""
    if bank.kind == "matching":
        premise, _, response = key.partition(">")
        pairs = {p.id: p for p in bank.pairs}
        return f"{pairs[premise].premise} → {pairs[response].response}"
    if bank.kind == "ordering":
        steps = {s.id: s.text for s in bank.steps}
        return " · ".join(steps[s] for s in key.split(","))
    return next(a.text for a in bank.answers if a.id == key)


def _right(item: ItemStats, key: str) -> bool:
    q = item.question
    if q.kind == "matching":
        premise, _, response = key.partition(">")
        return premise == response
    if q.kind == "ordering":
        return key == ",".join(i.id for i in q.items)
    if q.kind == "true-false":
        return key == ("true" if q.answer else "false")
    return any(o.id == key and o.correct for o in q.options)


def _banks(course: Course, lang: str) -> dict[str, quizbank.BankQuestion]:
    return {q.id: q for m in quizbank.modules(course, lang) for q in m.questions}


def to_csv(course: Course, stats: list[ItemStats], lang: str) -> bytes:
    banks = _banks(course, lang)
    out = io.StringIO()
    # Option texts come from the course and responses from learners: no cell may be a formula.
    writer = spreadsheet.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in stats:
        q = item.question
        distractor = _label(item, item.distractor, banks[q.id]) if item.distractor else ""
        writer.writerow([q.id, item.quiz, q.kind, item.location(), item.attempts, _number(item.facility),
                         _number(item.discrimination), distractor, item.distractor_count or "",
                         " ".join(item.flags())])
    return out.getvalue().encode("utf-8")


def _chart(item: ItemStats, bank: quizbank.BankQuestion, lang: str):
    """Horizontal bars, one per answer chosen (at most eight, most chosen first), in an inline SVG."""
    from lxml import etree

    svg_ns = "http://www.w3.org/2000/svg"
    rows = sorted(item.chosen.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    height, width, bar_left, bar_width = 18, 420, 230, 150
    most = max((count for _, count in rows), default=1) or 1
    svg = etree.Element(f"{{{svg_ns}}}svg", nsmap={None: svg_ns}, width=str(width), height=str(height * max(len(rows), 1) + 4),
                        role="img")
    title = etree.SubElement(svg, f"{{{svg_ns}}}title")
    title.text = words("chart", lang, question=item.question.id)
    for n, (key, count) in enumerate(rows):
        y = n * height + 2
        label = _label(item, key, bank)
        text = etree.SubElement(svg, f"{{{svg_ns}}}text", x="0", y=str(y + 13), **{"font-size": "12"})
        text.text = (label[:34] + "…") if len(label) > 35 else label
        right = _right(item, key)
        etree.SubElement(svg, f"{{{svg_ns}}}rect", x=str(bar_left), y=str(y + 2), height=str(height - 5),
                         width=f"{bar_width * count / most:.1f}", fill="#2e7d32" if right else "#9e9e9e")
        value = etree.SubElement(svg, f"{{{svg_ns}}}text", x=str(bar_left + bar_width + 6), y=str(y + 13),
                                 **{"font-size": "12"})
        value.text = f"{count}" + (f" ({words('right', lang)})" if right else "")
    return svg


def to_html(course: Course, stats: list[ItemStats], lang: str) -> bytes:
    from lxml.html import builder as E, tostring

    banks = _banks(course, lang)
    title = f"{words('title', lang)}: {quizbank.words(course.title, lang)}"
    head_row = E.TR(*[E.TH(words(k, lang), scope="col") for k in
                      ("question", "attempts", "facility", "discrimination", "distractor", "flags")], E.TH(""))
    body = []
    for item in stats:
        q = item.question
        bank = banks[q.id]
        flags = item.flags()
        distractor = (f"{_label(item, item.distractor, bank)} ({item.distractor_count})" if item.distractor
                      else words("none", lang))
        body.append(E.TR(
            E.TD(E.STRONG(q.id), E.BR(), bank.title, E.BR(), E.CODE(item.location())),
            E.TD(str(item.attempts)), E.TD(_number(item.facility)), E.TD(_number(item.discrimination)),
            E.TD(distractor),
            E.TD(*([E.SPAN(words(f, lang), {"class": "flag"}) for f in flags] or [""])),
            E.TD(_chart(item, bank, lang)),
            {"class": "flagged"} if flags else {},
        ))
    style = ("body{font-family:system-ui,sans-serif;margin:2rem;max-width:90rem}table{border-collapse:collapse}"
             "th,td{border-bottom:1px solid #ccc;padding:.4rem .6rem;text-align:left;vertical-align:top}"
             "tr.flagged td:first-child{border-left:4px solid #c62828}.flag{display:block;color:#b71c1c}"
             "code{font-size:.85em;color:#444}")
    page = E.HTML(
        E.HEAD(E.META(charset="utf-8"), E.TITLE(title),
               E.META({"http-equiv": "Content-Security-Policy"}, content="default-src 'none'; style-src 'unsafe-inline'"),
               E.STYLE(style)),
        E.BODY(E.H1(title),
               E.P(words("intro", lang, low=LOW_FACILITY, high=HIGH_FACILITY, disc=LOW_DISCRIMINATION)),
               E.TABLE(E.THEAD(head_row), E.TBODY(*body))),
        lang=i18n.locale(lang),
    )
    return b"<!DOCTYPE html>\n" + tostring(page, encoding="utf-8", method="html") + b"\n"
