"""The facilitator guide, read back from its HTML and from the PDF a trainer prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.i18n import core, locale
from generator.session import clock as clock_of, session_minutes
from generator.targets.handouts import session_plan, text
from tests.targets.handouts.conftest import (
    assert_safe_document, build_kind, course_dirs, documents, pdf_pages, plain, print_to_pdf, run_together,
    text_of,
)

KIND = "facilitator-guide"


@pytest.fixture(scope="module", params=course_dirs())
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("guide") / "out"
    course, manifest = build_kind(request.param, out, KIND)
    return course, manifest, out


def minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def test_one_guide_per_language_and_audience(built) -> None:
    course, manifest, out = built
    expected = {(lang, a.id) for lang in course.languages for a in course.audiences}
    assert {(e["lang"], e["audience"]) for e in manifest["artifacts"]} == expected
    for entry in manifest["artifacts"]:
        assert entry["path"].endswith("/facilitator-guide.html")
        view = course.for_audience(entry["audience"])
        assert entry["modules"] == len(view.lessons)
        plan = session_plan(view)
        breaks = sum(m.pause.minutes for m in plan if m.pause)
        assert entry["minutes"] == sum(lesson.duration for lesson in view.lessons) + breaks


def test_every_module_and_its_content_is_in_the_guide(built) -> None:
    course, manifest, out = built
    for lang, audience, view, page, _ in documents(course, manifest, out):
        assert page.get("lang") == locale(lang)
        modules = page.xpath("//section[contains(@class, 'module')]")
        assert [m.get("data-module") for m in modules] == [lesson.id for lesson in view.lessons]
        for lesson, module in zip(view.lessons, modules):
            body = text_of(module)
            assert plain(lesson.title, lang) in text_of(module.xpath(".//h2")[0])
            for objective in lesson.objectives:
                assert plain(objective.text, lang) in body
            for section in lesson.sections:
                block = module.xpath(f".//div[@data-section='{section.id}']")
                assert len(block) == 1, section.id
                assert plain(section.title, lang) in text_of(block[0])
                if section.notes:
                    say = block[0].xpath(".//div[contains(@class, 'say')]")
                    assert plain(section.notes, lang) in text_of(say[0])
                for key in section.sources:
                    assert plain(course.source(key).short, lang) in text_of(block[0])
            for prompt in lesson.discussion:
                item = text_of(module.xpath(f".//div[@data-prompt='{prompt.id}']")[0])
                assert plain(prompt.prompt, lang) in item
                if prompt.guidance:
                    assert plain(prompt.guidance, lang) in item
            for vignette in lesson.vignettes:
                item = text_of(module.xpath(f".//div[@data-vignette='{vignette.id}']")[0])
                for part in [vignette.title, vignette.text, *vignette.questions]:
                    assert plain(part, lang) in item
                if vignette.debrief:
                    assert plain(vignette.debrief, lang) in item
            for point in lesson.interventions:
                group = module.xpath(f".//div[@data-actor='{point.actor}']")[0]
                assert plain(course.actor(point.actor).name, lang) in text_of(group.xpath(".//h4")[0])
                line = text_of(group.xpath(f".//li[@data-intervention='{point.id}']")[0])
                assert plain(point.text, lang) in line
                assert core(f"basis_{point.basis}", lang) in line
            for takeaway in lesson.takeaways:
                assert plain(takeaway, lang) in body
            quiz = view.quiz_for(lesson)
            for question in (quiz.scored if quiz else []):
                key = module.xpath(f".//div[@data-question='{question.id}']")
                assert len(key) == 1, question.id
                assert plain(question.stem, lang) in text_of(key[0])
                assert plain(question.explanation, lang) in text_of(key[0])
                if question.kind in ("single", "multiple"):
                    right = [o for o in question.options if o.correct]
                elif question.kind == "true-false":
                    right = [o for o in question.choices() if o.correct]
                elif question.kind == "matching":
                    right = [p for p in question.pairs]
                else:
                    right = question.items
                for answer in right:
                    shown = getattr(answer, "text", None) or answer.response
                    assert plain(shown, lang) in text_of(key[0]), question.id
            if lesson.sensitive:
                assert module.xpath(".//div[contains(@class, 'content-notice')]")


def test_wellbeing_note_comes_first_and_names_the_support(built) -> None:
    course, manifest, out = built
    for lang, audience, view, page, _ in documents(course, manifest, out):
        sections = page.xpath("//body/section")
        assert "title-page" in sections[0].get("class")
        assert sections[1].get("id") == "wellbeing"
        note = text_of(sections[1])
        for key in ("wellbeing_opt_out", "wellbeing_peer"):
            assert text(key, lang) in note
        breaks = [m.pause for m in session_plan(view) if m.pause]
        assert breaks, "both test courses plan breaks"
        assert text("wellbeing_breaks_planned", lang, n=len(breaks), minutes=sum(b.minutes for b in breaks)) in note
        notice = plain(view.content_notice or core.text("content_notice"), lang)
        assert notice in note
        for resource in view.support:
            assert plain(resource.name, lang) in note
            if resource.phone:
                assert resource.phone in note


def test_session_plan_shows_breaks_and_its_rows_add_up_to_the_session_length(built) -> None:
    """Read as a trainer reads it: the rows follow each other without a gap or an overlap, each
    module's parts fill the module, the breaks the course plans are rows of their own, and the
    total row and the title page give the sum of them all."""
    course, manifest, out = built
    for lang, audience, view, page, _ in documents(course, manifest, out):
        rows = page.xpath("//table[contains(@class, 'plan')]/tbody/tr")
        modules = [r for r in rows if "module" in r.get("class")]
        assert [m.get("data-module") for m in modules] == [lesson.id for lesson in view.lessons]
        planned = {m.lesson.id: m.pause for m in session_plan(view)}
        assert any(planned.values()), "both test courses plan breaks"
        clock = 0
        for lesson, row in zip(view.lessons, modules):
            start, end, _, _ = [text_of(td) for td in row.xpath("td")]
            assert (minutes_of(start), minutes_of(end)) == (clock, clock + lesson.duration)
            slots = [r for r in rows if "slot" in r.get("class") and r.get("data-module") == lesson.id]
            assert slots
            position = clock
            for slot in slots:
                slot_start, slot_end, length, _ = [text_of(td) for td in slot.xpath("td")]
                assert minutes_of(slot_start) == position
                position = minutes_of(slot_end)
                assert position > minutes_of(slot_start)
                assert length == core("minutes", lang, n=position - minutes_of(slot_start))
            assert position == clock + lesson.duration, lesson.id
            clock = position
            shown = [r for r in rows if "break" in r.get("class") and r.get("data-after") == lesson.id]
            pause = planned[lesson.id]
            assert len(shown) == (1 if pause else 0), lesson.id
            if pause:
                # the break row comes right after the module's last part
                assert rows.index(shown[0]) == rows.index(slots[-1]) + 1
                break_start, break_end, length, part = [text_of(td) for td in shown[0].xpath("td")]
                assert minutes_of(break_start) == clock
                assert minutes_of(break_end) == clock + pause.minutes
                assert length == core("minutes", lang, n=pause.minutes)
                assert part == plain(pause.title, lang)
                clock += pause.minutes
        total = page.xpath("//table[contains(@class, 'plan')]//tr[contains(@class, 'total')]/td")
        assert minutes_of(text_of(total[1])) == clock == session_minutes(session_plan(view))
        assert clock == sum(lesson.duration for lesson in view.lessons) + sum(
            p.minutes for p in planned.values() if p)
        title_page = text_of(page.xpath("//section[contains(@class, 'title-page')]")[0])
        assert f"({clock} min" in title_page if clock >= 60 else core("minutes", lang, n=clock) in title_page
        # the times printed in each module's pages are the plan's, for every part that has a heading
        for module in session_plan(view):
            pages = page.xpath(f"//section[@data-module='{module.lesson.id}']")[0]
            quiz = view.quiz_for(module.lesson)
            for slot in module.slots:
                if slot.section is not None:
                    where = f".//div[@data-section='{slot.section.id}']"
                elif slot.vignette is not None:
                    where = f".//div[@data-vignette='{slot.vignette.id}']"
                elif slot.activity == "quiz" and quiz and any(q.in_room for q in quiz.questions):
                    where = ".//p[@class='in-room']"
                elif slot.activity == "discussion" or (slot.activity == "close" and module.lesson.takeaways):
                    where = f".//h3[@data-activity='{slot.activity}']"
                else:
                    continue
                head = pages.xpath(f"{where}//span[@class='time']")
                assert len(head) == 1, (module.lesson.id, where)
                assert text_of(head[0]).startswith(f"{clock_of(slot.start)}–{clock_of(slot.end)} ·"), where


def test_the_run_together_check_sees_a_name_run_into_its_badge() -> None:
    """A control, so that a pass below means something: the glitch of issue 21, as rendered."""
    import lxml.html

    cell = lxml.html.fragment_fromstring(
        '<td class="part">Module 1. Inleiding<span class="tag">Inhoudswaarschuwing</span></td>')
    assert run_together(cell) == ["Inleiding|Inhoudswaarschuwing"]
    kicker = lxml.html.fragment_fromstring("<p><span>Module 1</span><span>Fase: A</span></p>")
    assert run_together(kicker) == ["1|Fase:"]
    assert run_together(lxml.html.fragment_fromstring("<p><span>Module 1</span> · <span>Fase</span></p>")) == []
    assert run_together(lxml.html.fragment_fromstring("<p>een <strong>vet</strong>, woord</p>")) == []


def test_no_inline_element_runs_into_its_neighbour(built) -> None:
    """In the text of the session plan — and of the whole guide — every module name, badge, time
    and label is separated from the next by a space or punctuation."""
    course, manifest, out = built
    for lang, audience, view, page, _ in documents(course, manifest, out):
        plan = page.xpath("//table[contains(@class, 'plan')]")[0]
        assert run_together(plan) == [], (lang, audience)
        assert run_together(page.xpath("//body")[0]) == [], (lang, audience)
        if any(lesson.sensitive for lesson in view.lessons):
            badge = text("sensitive", lang)
            first = next(lesson for lesson in view.lessons if lesson.sensitive)
            row = plan.xpath(f".//tr[@class='module'][@data-module='{first.id}']/td[@class='part']")[0]
            assert text_of(row).endswith(f"{plain(first.title, lang)} {badge}")


def test_the_guide_is_self_contained(built) -> None:
    course, manifest, out = built
    for *_, page, path in documents(course, manifest, out):
        assert_safe_document(page)
        assert len(page.xpath("//style")) == 1


def test_two_builds_are_byte_identical(tmp_path: Path, built) -> None:
    course, manifest, out = built
    again = tmp_path / "again"
    build_kind(course.root, again, KIND)
    for entry in manifest["artifacts"]:
        assert (out / entry["path"]).read_bytes() == (again / entry["path"]).read_bytes(), entry["path"]


@pytest.mark.browser
def test_printed_guide_starts_every_module_on_a_new_page(built, tmp_path: Path) -> None:
    course, manifest, out = built
    for lang, audience, view, page, path in documents(course, manifest, out):
        if lang != view.default_language:
            continue
        pages = pdf_pages(print_to_pdf(path, tmp_path / f"{lang}-{audience}.pdf"))
        assert pages[0].startswith(text(KIND.replace("-", "_"), lang).upper())
        assert pages[1].startswith(text("wellbeing", lang))
        assert pages[2].startswith(text("session_plan", lang))
        starts = []
        for number, lesson in enumerate(view.lessons, start=1):
            kicker = text("module_n", lang, n=number).upper() + " ·"
            first = [i for i, p in enumerate(pages) if p.startswith(kicker)]
            assert len(first) == 1, (lesson.id, kicker)
            assert not any(kicker in p and not p.startswith(kicker) for p in pages), kicker
            starts.append(first[0])
        plan_page = next(i for i, p in enumerate(pages) if p.startswith(text("session_plan", lang)))
        assert starts == sorted(starts) and starts[0] > plan_page
        # every module fits its pages: the next one starts later, and the footer numbers them all
        assert len(pages) >= 3 + len(view.lessons)
        assert pages[-1].endswith(f"{len(pages)} / {len(pages)}")
