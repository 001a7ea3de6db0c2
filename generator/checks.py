"""Checks across files: ids, references, answer keys, translations.

Each check returns problems located at the offending key, so authors see ``quizzes/x.yaml:14:7``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from generator import i18n, icons, limits
from generator.model import (
    ANY_LANGUAGE, Course, InterventionPoint, Lesson, Matching, MultipleResponse, Node, SingleChoice, nodes, texts,
)
from generator.checks_items import check_items
from generator.problems import Problem


def check_course(course: Course, broken: set[str] = frozenset()) -> list[Problem]:
    """Cross-file checks. ``broken`` names files that failed to load (``quizzes/<id>``, or
    ``quizzes/?`` when even the id is unknown): references to them are not reported again.
    What one language lacks (its texts, its interface strings) is not here but in
    :func:`language_problems`: it blocks only that language."""
    problems: list[Problem] = []
    for check in (_languages, _unique_ids, _answer_keys, _branding, _icons):
        problems += check(course)
    problems += _references(course, broken)
    if not broken:  # a lesson that failed to load may be what a cross-reference names
        from generator.xref import problems as cross_references

        problems += cross_references(course)
    if not any(b.startswith("quizzes/") for b in broken):
        problems += _assessment(course)
    from generator.governance.review import overdue

    problems += overdue(course)
    problems += _session(course, broken)
    problems += _slides(course)
    problems += _figures(course)
    problems += check_items(course)
    if course.support and course.lessons and not course.sensitive and not broken:
        problems.append(course.problem(
            "the course lists support resources but no lesson is sensitive: they are shown with sensitive "
            "lessons only (the support page and slides)", "support",
            "mark the lessons that need them 'sensitive: true', or remove 'support:'").as_warning(strict=False))
    return problems


def _warn(problem: Problem) -> Problem:
    return problem.as_warning()


def _languages(course: Course) -> list[Problem]:
    problems = []
    if len(set(course.languages)) != len(course.languages):
        problems.append(course.problem("a language is listed twice", "languages"))
    for i, lang in enumerate(course.in_progress):
        if lang not in course.languages:
            problems.append(course.problem(f"language '{lang}' is in progress but not in 'languages'",
                                           ("in_progress", i), f"add it to languages: [{', '.join(course.languages + [lang])}]"))
        elif lang == course.languages[0]:
            problems.append(course.problem(f"'{lang}' is the course's own language (the first of 'languages'), "
                                           "so it cannot be in progress", ("in_progress", i)))
    return problems


def language_problems(course: Course, *, untranslated_ok: bool = False) -> dict[str, list[Problem]]:
    """What each course language lacks: modgen's interface strings in it, and (unless
    ``untranslated_ok``) the course's texts. Each language's problems block only that language."""
    found: dict[str, list[Problem]] = {}
    for i, lang in enumerate(course.languages):
        found[lang] = interface_problems(course, lang, ("languages", i))
    for problem_lang, problem in _translations(course, untranslated_ok):
        found.setdefault(problem_lang, []).append(problem)
    return found


def interface_problems(course: Course, lang: str, field) -> list[Problem]:
    """A course language needs modgen's interface strings in it: shipped (generator/locales) or
    the course's own ``interface/<lang>.po``. The problem names what is missing."""
    root = course.root
    own = i18n.course_catalogue_path(root, lang) if root is not None else None
    if own is not None and own.is_file():
        try:
            i18n.read_course_catalogue(own)
        except Exception as error:  # noqa: BLE001 - any damage to a translator's file is reported, located
            return [Problem(own.relative_to(root).as_posix(), getattr(error, "lineno", 1) or 1, 1,
                            f"cannot read this interface catalogue: {error}")]
    missing = i18n.missing_interface(lang)
    if not missing:
        return []
    shown = ", ".join(f"{d}:{k}" for d, k in missing[:3]) + (", …" if len(missing) > 3 else "")
    if own is not None and own.is_file():
        return [course.problem(f"the interface catalogue interface/{lang}.po lacks {len(missing)} of modgen's "
                               f"strings ({shown})", field,
                               f"modgen translate export --interface --to {lang} gives a translator what is missing")]
    return [course.problem(
        f"modgen has no interface strings in '{lang}' (it ships {', '.join(i18n.SUPPORTED_LANGUAGES)})", field,
        f"run 'modgen translate export --interface --to {lang} -o {lang}.po', have it translated, "
        f"and import it into interface/{lang}.po")]


def _duplicates(items: Iterable[Node], attr: str, what: str) -> list[Problem]:
    seen: dict[str, Node] = {}
    problems = []
    for item in items:
        key = getattr(item, attr)
        if key in seen:
            first = seen[key].problem("")
            problems.append(item.problem(f"duplicate {what} id '{key}' (first used at {first.path}:{first.line})",
                                         attr))
        else:
            seen[key] = item
    return problems


def _unique_ids(course: Course) -> list[Problem]:
    problems = []
    problems += _duplicates(course.audiences, "id", "audience")
    problems += _duplicates(course.phases, "id", "phase")
    problems += _duplicates(course.perspectives, "id", "perspective")
    problems += _duplicates(course.actors, "id", "actor")
    problems += _duplicates(course.sources, "key", "source")
    problems += _duplicates(course.support, "id", "support resource")
    problems += _duplicates(course.lessons, "id", "lesson")
    problems += _duplicates(course.quizzes, "id", "quiz")
    # Objective, question and intervention ids become identifiers in exports (QTI, SCORM, Moodle):
    # they must be unique across the whole course, not just within a file.
    problems += _duplicates([o for l in course.lessons for o in l.objectives], "id", "objective")
    problems += _duplicates([x for l in course.lessons for x in l.interventions], "id", "intervention point")
    problems += _duplicates([q for z in course.quizzes for q in z.questions], "id", "question")
    for lesson in course.lessons:
        for attr, what in (("sections", "section"), ("facts", "fact"), ("tables", "table"),
                           ("discussion", "discussion prompt"), ("vignettes", "vignette"), ("scales", "scale")):
            problems += _duplicates(getattr(lesson, attr), "id", what)
    for quiz in course.quizzes:
        for q in quiz.questions:
            for attr in ("options", "pairs", "items"):
                problems += _duplicates(getattr(q, attr, []), "id", "answer")
    return problems


def _ref(node: Node, field, value: str | None, known: set[str], what: str) -> list[Problem]:
    if value is None or value in known:
        return []
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else (
        f"known: {', '.join(sorted(known))}" if known and len(known) <= 12 else None)
    return [node.problem(f"unknown {what} '{value}'", field, hint)]


def _references(course: Course, broken: set[str]) -> list[Problem]:
    problems = []
    audiences = {a.id for a in course.audiences}
    phases = {p.id for p in course.phases}
    perspectives = {p.id for p in course.perspectives}
    actors = {a.id for a in course.actors}
    sources = {s.key for s in course.sources}
    lessons = {l.id for l in course.lessons}
    quizzes = {q.id for q in course.quizzes}
    if "quizzes/?" in broken or "modules/?" in broken:
        # A file we could not even read may define anything: skip reference errors it could cause.
        quizzes, lessons = _Everything(), _Everything()
    quizzes |= {b.split("/", 1)[1] for b in broken if b.startswith("quizzes/")}
    lessons |= {b.split("/", 1)[1] for b in broken if b.startswith("modules/")}

    for phase in course.phases:
        for view in phase.views:
            problems += _ref(view, "perspective", view.perspective, perspectives, "perspective")
    for lesson in course.lessons:
        problems += _audience_refs(lesson, audiences)
        problems += _ref(lesson, "phase", lesson.phase, phases, "phase")
        problems += _ref(lesson, "quiz", lesson.quiz, quizzes, "quiz")
        for section in lesson.sections:
            problems += _ref(section, "perspective", section.perspective, perspectives, "perspective")
            for i, key in enumerate(section.sources):
                problems += _ref(section, ("sources", i), key, sources, "source")
        for item in lesson.facts + lesson.tables:
            problems += _ref(item, "source", item.source, sources, "source")
        for fact in lesson.facts:
            problems += _figure(fact)
        for point in lesson.interventions:
            problems += _intervention(point, actors, sources, perspectives)
        if lesson.quiz is None:
            problems.append(_warn(lesson.problem(f"lesson '{lesson.id}' has no quiz", "id")))
        if lesson.sensitive and not course.support:  # (the reverse: see check_course)
            problems.append(_warn(lesson.problem(
                "lesson is marked sensitive but the course lists no support resources", "sensitive",
                "add 'support:' entries to course.yaml")))

    lesson_by_id: dict[str, Lesson] = {}
    for lesson in course.lessons:
        lesson_by_id.setdefault(lesson.id, lesson)  # the first, as course.lesson() finds it
    for quiz in course.quizzes:
        problems += _ref(quiz, "lesson", quiz.lesson, lessons, "lesson")
        lesson = lesson_by_id.get(quiz.lesson)
        if lesson is not None and lesson.quiz != quiz.id:
            problems.append(quiz.problem(
                f"quiz '{quiz.id}' says it belongs to lesson '{lesson.id}', but that lesson names "
                f"quiz '{lesson.quiz}'", "lesson", f"set 'quiz: {quiz.id}' in the lesson"))
        objectives = {o.id for o in lesson.objectives} if lesson else set()
        for q in quiz.questions:
            problems += _ref(q, "source", q.source, sources, "source")
            if lesson is not None:
                problems += _ref(q, "objective", q.objective, objectives, f"objective of lesson '{lesson.id}':")
                if isinstance(q.check, str):
                    problems += _ref(q, "check", q.check, {s.id for s in lesson.sections},
                                     f"section of lesson '{lesson.id}':")
        if quiz.questions and not quiz.scored:
            problems.append(quiz.problem(
                "every question of this quiz is a check item ('scored: false'): the quiz has nothing to score",
                "questions", "leave 'scored: false' on the check items only"))
        problems += _audience_refs(quiz, audiences)
    return problems


class _Everything(set):
    def __contains__(self, item: object) -> bool:
        return True


def _audience_refs(tree: Node, audiences: set[str]) -> list[Problem]:
    return [p for _, node in nodes(tree)
            for i, a in enumerate(getattr(node, "audiences", None) or ())
            if a not in audiences
            for p in _ref(node, ("audiences", i), a, audiences, "audience")]


def _numbers(text: str) -> list[str]:
    """The numbers in ``text`` as digits only ("165,000" and "165.000" are both "165000")."""
    return [re.sub(r"\D", "", n) for n in re.findall(r"\d[\d.,]*", text)]


def _figure(fact) -> list[Problem]:
    """A key fact's ``figure`` shows a number of its own text, in each language: a slide never
    shows a number the source does not give."""
    if fact.figure is None:
        return []
    problems = []
    for lang, shown in fact.figure.root.items():
        numbers = _numbers(shown)
        text = set(_numbers(fact.text.get(lang)))
        if not numbers or any(n not in text for n in numbers):
            problems.append(fact.problem(f"figure '{shown}' ({lang}) is not a number of the fact's text", "figure",
                                         "give the number as the text says it, e.g. '165,000'"))
    return problems


def _intervention(point: InterventionPoint, actors: set[str], sources: set[str],
                  perspectives: set[str]) -> list[Problem]:
    problems = _ref(point, "actor", point.actor, actors, "actor")
    problems += _ref(point, "source", point.source, sources, "source")
    problems += _ref(point, "perspective", point.perspective, perspectives, "perspective")
    if point.basis != "derived" and point.source is None:
        problems.append(point.problem(
            f"an intervention point with basis '{point.basis}' needs a 'source'", "basis",
            "cite where the study says it, or mark it 'derived'"))
    return problems


def _answer_keys(course: Course) -> list[Problem]:
    problems = []
    for quiz in course.quizzes:
        for q in quiz.questions:
            if isinstance(q, SingleChoice):
                n = sum(o.correct for o in q.options)
                if n != 1:
                    problems.append(q.problem(
                        f"single-choice question '{q.id}' has {n} correct options; it needs exactly 1",
                        "options", "use type: multiple for more than one correct answer" if n > 1 else
                        "mark the right option with 'correct: true'"))
            elif isinstance(q, MultipleResponse):
                n = sum(o.correct for o in q.options)
                if n == 0:
                    problems.append(q.problem(
                        f"multiple-response question '{q.id}' has no correct option", "options",
                        "mark at least one option with 'correct: true'"))
                elif n == len(q.options):
                    problems.append(_warn(q.problem(
                        f"every option of multiple-response question '{q.id}' is correct", "options",
                        "add a plausible wrong option")))
            elif isinstance(q, Matching):
                responses = [p.response.root for p in q.pairs]
                if len({tuple(sorted(r.items())) for r in responses}) != len(responses):
                    problems.append(q.problem(f"matching question '{q.id}' has two identical responses",
                                              "pairs"))
    return problems


def _assessment(course: Course) -> list[Problem]:
    problems = []
    assessed = {q.objective for z in course.quizzes for q in z.questions}
    for lesson in course.lessons:
        for objective in lesson.objectives:
            if objective.id not in assessed:
                problems.append(objective.problem(
                    f"objective '{objective.id}' is not assessed by any question", "id",
                    f"add a question with 'objective: {objective.id}'"))
    return problems


def _translations(course: Course, untranslated_ok: bool = False) -> list[tuple[str | None, Problem]]:
    """(language, problem) for every text missing in a language; (None, problem) for problems of no
    one language. A plain text (not ``{nl: …, en: …}``) is in the course's first language."""
    languages = course.languages
    first = languages[0]
    langs = set(languages)
    problems: list[tuple[str | None, Problem]] = []
    for tree in [course, *course.lessons, *course.quizzes]:
        for owner, field, text in texts(tree):
            root = text.root
            if ANY_LANGUAGE in root:
                if not untranslated_ok:
                    for lang in languages[1:]:
                        problems.append((lang, owner.problem(
                            f"missing translation: no '{lang}' text", field,
                            f"a plain text is in {first}, the course's first language; "
                            "write it as {" + ", ".join(f"{l}: …" for l in languages) + "}")))
                continue
            for lang in () if untranslated_ok else languages:
                value = root.get(lang)
                if not value or value.isspace():
                    problems.append((lang, owner.problem(f"missing translation: no '{lang}' text in '{field[0]}'", field)))
            if not root.keys() <= langs:
                for extra in sorted(root.keys() - langs):
                    problems.append((None, owner.problem(
                        f"text in '{extra}', which is not one of the course's languages", field + (extra,),
                        f"the course's languages are {', '.join(languages)}")))
    return problems


def _branding(course: Course) -> list[Problem]:
    problems = []
    root = course.root
    branding = course.branding
    for field, kinds in (("template", TEMPLATE_KINDS), ("logo", IMAGE_KINDS)):
        value = getattr(branding, field)
        if value is None or root is None:
            continue
        problem = resolve_course_path(root, value, kinds)
        if problem:
            problems.append(branding.problem(problem, field))
    return problems


def _icons(course: Course) -> list[Problem]:
    """An actor's icon is one of modgen's set: the targets place it by name (generator/icons)."""
    problems = []
    for actor in course.actors:
        if actor.icon is not None and actor.icon not in icons.NAMES:
            import difflib

            close = difflib.get_close_matches(actor.icon, icons.NAMES, n=1, cutoff=0.6)
            problems.append(actor.problem(f"unknown icon '{actor.icon}' (known: {', '.join(icons.NAMES)})", "icon",
                                          f"did you mean '{close[0]}'?" if close else None, at_value=True))
    return problems


#: suffix → leading bytes a real file of that kind starts with. SVG is not accepted: it can carry
#: script, and a logo does not need it.
IMAGE_KINDS = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
TEMPLATE_KINDS = {".pptx": b"PK\x03\x04", ".potx": b"PK\x03\x04"}


def resolve_course_path(root: Path, value: str, kinds: dict[str, bytes]) -> str | None:
    """Why ``value`` is not a usable file inside the course, or None when it is.

    Course files travel between organisations: a path may never lead outside the course directory
    (no absolute paths, no '..', no symlinks pointing out), and the file must really be of its kind
    and of bounded size.
    """
    candidate = Path(value)
    if candidate.is_absolute() or value.startswith(("/", "\\")) or (len(value) > 1 and value[1] == ":"):
        return f"'{value}' is an absolute path; use a path inside the course directory"
    full = (root / candidate).resolve()
    try:
        full.relative_to(root.resolve())
    except ValueError:
        return f"'{value}' points outside the course directory"
    suffix = full.suffix.lower()
    if suffix not in kinds:
        return f"'{value}' must be one of: {', '.join(kinds)}"
    if not full.is_file():
        return f"file '{value}' does not exist"
    size = full.stat().st_size
    if size > limits.MAX_ASSET_BYTES:
        return f"'{value}' is {size:,} bytes, more than the limit of {limits.MAX_ASSET_BYTES:,}"
    if suffix in IMAGE_KINDS or suffix == ".svg":
        from generator.images import ImageProblem, read_image

        # One check for every image a course names: its kind, and the size its header declares
        # (the decks size the logo by its proportions; a viewer decodes every pixel); an SVG
        # figure without anything active or external.
        try:
            read_image(full, value, svg=".svg" in kinds)
        except ImageProblem as problem:
            return str(problem)
        return None
    with full.open("rb") as f:
        head = f.read(16)
    if not head.startswith(kinds[suffix]):
        return f"'{value}' is not a real {suffix[1:].upper()} file"
    if suffix in TEMPLATE_KINDS:
        from generator.zips import ZipProblem, check_zip_file

        # The zip's directory, bounded as the build bounds it (no member is inflated here).
        try:
            check_zip_file(full, value)
        except ZipProblem as problem:
            return str(problem)
    return None


# --- figures: pictures and charts -------------------------------------------------------------


def _figures(course: Course) -> list[Problem]:
    """Every figure can be shown in every output: an image is a safe file inside the course with
    alt text, a chart's numbers fit its categories; a markdown image is a figure or an error, never
    quietly left out (see generator/figures.py)."""
    from generator import figures as fig

    problems: list[Problem] = []
    sources = {s.key for s in course.sources}
    for lesson in course.lessons:
        seen: dict[str, Node] = {}
        for section in lesson.sections:
            problems += _body_images(section)
            for figure in fig.section_figures(section):
                lifted = not any(f is figure for f in section.figures)
                if figure.id in seen and not lifted:
                    first = seen[figure.id].problem("")
                    problems.append(figure.problem(
                        f"duplicate figure id '{figure.id}' (first used at {first.path}:{first.line})", "id"))
                seen.setdefault(figure.id, figure)
                if figure.image is not None:
                    problem = _image_file(course, figure.image)
                    if problem:
                        problems.append(figure.problem(problem, None if lifted else "image", at_value=True))
                if figure.chart is not None:
                    problems += _chart(figure)
                if figure.alt is not None:
                    problems += _alt_text(figure)
                problems += _ref(figure, "source", figure.source, sources, "source")
        # A picture elsewhere (a fact, a question, a case) would be lost: pictures belong to sections.
        for owner, field, text in texts(lesson):
            if owner.__class__.__name__ == "Section" and field == ("body",):
                continue
            if fig.text_has_image(text):
                problems.append(owner.problem(
                    "a picture in this text would be left out: pictures belong to a section", field,
                    "move it to a section's body or its 'figures:'"))
    for quiz in course.quizzes:
        for owner, field, text in texts(quiz):
            if fig.text_has_image(text):
                problems.append(owner.problem(
                    "a picture in a quiz would be left out of the LMS exports: quiz text is words only", field))
    return problems


def _body_images(section) -> list[Problem]:
    """The markdown images of a section's body: local files with alt text, the same in every language."""
    from generator import figures as fig

    problems = []
    per_language = {}
    for lang, text in section.body.root.items():
        if "![" not in text:
            per_language[lang] = []
            continue
        field = ("body",) if lang == ANY_LANGUAGE else ("body", lang)
        if fig.REFERENCE_IMAGE.search(text):
            problems.append(section.problem("a picture written as ![alt][label] is not supported", field,
                                            "write it as ![what it shows](images/file.png)"))
        images = per_language[lang] = fig.images_in(text)
        for alt, path, offset in images:
            if not path:
                problems.append(_in_text(section, field, text, offset, "a markdown image without a file: ![…]()"))
            elif fig.is_remote(path):
                problems.append(_in_text(
                    section, field, text, offset,
                    f"picture '{path[:80]}' is on the internet; a course shows only files inside its folder",
                    "download it into the course (check its licence) and give its path, e.g. images/x.png"))
            if not alt:
                problems.append(_in_text(
                    section, field, text, offset, f"picture '{path[:80]}' has no alt text",
                    "write what it shows between the brackets: ![A forum's ranks, from newcomer to "
                    "administrator](images/ranks.png)"))
    if len({tuple(p for _, p, _ in images) for images in per_language.values()}) > 1:
        shown = "; ".join(f"{lang}: {', '.join(p for _, p, _ in images) or 'none'}"
                          for lang, images in per_language.items())
        problems.append(section.problem(f"the languages of this text show different pictures ({shown})", "body",
                                        "every language shows the same files, in the same order"))
    return problems


_LITERAL_BLOCK = re.compile(r"\|[-+0-9]*[ \t]*(?:#.*)?$")


def _in_text(owner: Node, field: tuple, text: str, offset: int, message: str, hint: str | None = None) -> Problem:
    """A problem at character ``offset`` of the text at ``field``: at its own line and column when
    the text is a literal block (``|``), where lines in the file are lines of the text; else at
    the text's start."""
    at = owner.problem(message, field, hint, at_value=True)
    source = owner._source
    try:
        lines = (source._text if source._text is not None else source.file.read_text(encoding="utf-8")).splitlines()
        if not _LITERAL_BLOCK.search(lines[at.line - 1]):
            return at
        before = text[:offset]
        line = at.line + 1 + before.count("\n")
        indent = len(lines[line - 1]) - len(lines[line - 1].lstrip(" "))
        return Problem(at.path, line, indent + 1 + offset - (before.rfind("\n") + 1), message, hint)
    except (AttributeError, OSError, IndexError, UnicodeDecodeError):
        return at


#: Figure files: the kind is read from the bytes (generator.images.read_image), not from the name.
FIGURE_KINDS = {**IMAGE_KINDS, ".svg": b""}


def _image_file(course: Course, value: str) -> str | None:
    from generator import figures as fig

    if fig.is_remote(value):
        return (f"picture '{value[:80]}' is on the internet; a course shows only files inside its folder — "
                "download it into the course (check its licence) and give its path, e.g. images/x.png")
    if course.root is None:
        return None
    return resolve_course_path(course.root, value, FIGURE_KINDS)


def _alt_text(figure) -> list[Problem]:
    problems = []
    for lang, alt in figure.alt.root.items():
        field = ("alt",) if lang == ANY_LANGUAGE else ("alt", lang)
        words = alt.strip()
        if figure.image and words and words.lower() in (figure.image.lower(), figure.image.rsplit("/", 1)[-1].lower()):
            problems.append(figure.problem("the alt text is the file name; say what the picture shows", field))
        elif not words and lang == ANY_LANGUAGE:
            problems.append(figure.problem("the alt text is empty; say what the picture shows", field))
    return problems


def _chart(figure) -> list[Problem]:
    import math

    chart = figure.chart
    problems = []
    wanted = len(chart.categories)
    for i, series in enumerate(chart.series):
        if len(series.values) != wanted:
            problems.append(series.problem(
                f"{len(series.values)} values for {wanted} categories: a chart needs one number per category",
                "values", "categories: " + ", ".join(_label(c) for c in chart.categories[:8])
                + (", …" if wanted > 8 else "")))
        for j, value in enumerate(series.values):
            if isinstance(value, float) and not math.isfinite(value):
                problems.append(series.problem("a chart's value must be a finite number", ("values", j), at_value=True))
            elif chart.type == "pie" and value < 0:
                problems.append(series.problem("a pie chart cannot show a negative number", ("values", j),
                                               at_value=True))
    if chart.type == "pie":
        if len(chart.series) != 1:
            problems.append(chart.problem(f"a pie chart shows one series, not {len(chart.series)}", "series",
                                          "use a bar or column chart to compare series"))
        elif not any(v > 0 for v in chart.series[0].values if isinstance(v, (int, float))):
            problems.append(chart.problem("a pie chart needs at least one number above zero", "series"))
    return problems


def _label(value) -> str:
    return value if isinstance(value, str) else next(iter(value.root.values()), "")


# --- the session: breaks and times -----------------------------------------------------------


def _session(course: Course, broken: set[str]) -> list[Problem]:
    """Breaks that point at modules, and a plan a trainer can run: a break after every sensitive
    module, enough time per question for the group (``session.MINIMUMS``), parts that add up to
    the module's duration. The timing checks run on each audience's session, as it is built."""
    from generator import session as timing
    from generator.session import visible

    problems: list[Problem] = []
    settings = course.session
    lessons = {l.id for l in course.lessons}
    if any(b.startswith("modules/") for b in broken):
        lessons = _Everything()  # a lesson that did not load may be the one a break follows
    seen: set[str] = set()
    for pause in settings.breaks:
        problems += _ref(pause, "after", pause.after, lessons, "module")
        if pause.after in seen:
            problems.append(pause.problem(f"a second break after module '{pause.after}'", "after",
                                          "list one break per module, with the minutes of both"))
        seen.add(pause.after)
        if course.lessons and pause.after == course.lessons[-1].id:
            problems.append(_warn(pause.problem(
                f"a break after the last module '{pause.after}': the session ends there, the break is left out",
                "after")))
    audiences = {a.id for a in course.audiences}
    for lesson in course.lessons:
        for key in (lesson.durations or {}):
            problems += _ref(lesson, ("durations", key), key, audiences, "audience")
    if broken:
        return problems  # the plan of a course with files missing would warn about what is missing

    audiences_planned = [a.id for a in course.audiences] or [None]
    found: dict[Problem, list[str | None]] = {}
    discussion_min, case_min = timing.minimum_minutes(settings.group_size)
    group = f"with a group of {settings.group_size}"
    hint = "see 'Timing a session' in docs/authoring.md"
    for audience in audiences_planned:
        plan = timing.session_plan(course, audience)
        for module in plan:
            lesson = module.lesson
            last = module is plan[-1]
            if lesson.sensitive and not last and module.pause is None:
                found.setdefault(_warn(lesson.problem(
                    f"module '{lesson.id}' is sensitive but no break follows it", "sensitive",
                    "add it to 'session: breaks:' in course.yaml, or set 'session: break_after_sensitive:'")),
                    []).append(audience)
            duration_at = ("durations", audience) if audience in (lesson.durations or {}) else "duration"
            if module.scaled:
                found.setdefault(_warn(lesson.problem(
                    f"the timed parts of module '{lesson.id}' take {module.planned} min of its "
                    f"{module.minutes} min and leave less than a minute for each of its {module.untimed} "
                    "untimed parts" if module.planned <= module.minutes and module.untimed else
                    f"the timed parts of module '{lesson.id}' add up to {module.planned} min, "
                    f"its duration is {module.minutes} min", duration_at,
                    "make the parts' minutes add up to the duration, or change the duration")), []).append(audience)
            elif module.unplanned:
                found.setdefault(_warn(lesson.problem(
                    f"the timed parts of module '{lesson.id}' add up to {module.planned} min, "
                    f"its duration is {module.minutes} min", duration_at,
                    f"{module.unplanned} min are not planned: give them to a part, or shorten the duration")),
                    []).append(audience)
            for slot in module.slots:
                if slot.activity == "discussion":
                    prompts = visible(lesson.discussion, audience)
                    if slot.given is not None:
                        for prompt in prompts:
                            if prompt.minutes < discussion_min:
                                found.setdefault(_warn(prompt.problem(
                                    f"discussion prompt '{prompt.id}' gets {prompt.minutes} min; {group} "
                                    f"a prompt needs at least {discussion_min} min", "minutes", hint)),
                                    []).append(audience)
                    elif slot.minutes < discussion_min * len(prompts):
                        found.setdefault(_warn(lesson.problem(
                            f"the discussion of module '{lesson.id}' gets {slot.minutes} min for {len(prompts)} "
                            f"prompts; {group} it needs at least {discussion_min * len(prompts)} min "
                            f"({discussion_min} per prompt)", "discussion",
                            "give each prompt its 'minutes', or lengthen the module")), []).append(audience)
                elif slot.activity == "vignette":
                    vignette = slot.vignette
                    questions = max(1, len(vignette.questions))
                    if slot.minutes < case_min * questions:
                        found.setdefault(_warn(vignette.problem(
                            f"case '{vignette.id}' gets {slot.minutes} min for {questions} "
                            f"question{'s' if questions > 1 else ''}; {group} it needs at least "
                            f"{case_min * questions} min ({case_min} per question)",
                            "minutes" if vignette.minutes else "id", hint)), []).append(audience)
    every = audiences_planned
    for problem, where in found.items():
        if where != every and where[0] is not None:
            named = ", ".join(f"'{a}'" for a in dict.fromkeys(where))
            problem = Problem(problem.path, problem.line, problem.column,
                              f"{problem.message} (for audience {named})", problem.hint, problem.severity)
        problems.append(problem)
    return problems


# --- what fits one slide ---------------------------------------------------------------------

#: Whether ``--strict`` makes the slide-fit warnings errors. False while the bundled course's
#: sections are given their slide points (issue #27): an author sees the warnings either way.
SLIDE_FIT_STRICT = False


def _slides(course: Course) -> list[Problem]:
    """A section whose body would not fit one slide and that has no ``slide:`` points, and an
    in-room question whose stem and options would not fit one slide: each is located, so an author
    learns it before the deck continues over several slides. Counted as the deck counts
    (``deck.words``), per language; the message names the languages and the worst count."""
    from generator.session import asked_in_room
    from generator.targets.deck import words

    problems: list[Problem] = []
    every = course.languages

    def footer(keys: list[str], lang: str) -> str:
        shorts = [s.short.get(lang) for k in dict.fromkeys(keys) if (s := course.source(k)) is not None]
        return ("Source: " + "; ".join(shorts)) if shorts else ""

    def over(counts: dict[str, tuple[int, int]]) -> str:
        worst = max(counts, key=lambda lang: counts[lang][0] - counts[lang][1])
        n, most = counts[worst]
        if len(every) == 1:
            return f"{n} words where a slide holds {most}"
        others = ", ".join(f"{lang} {counts[lang][0]}" for lang in counts if lang != worst)
        return f"{n} words in {worst}{f' ({others})' if others else ''} where a slide holds {most}"

    for lesson in course.lessons:
        for section in lesson.sections:
            shown = section.slide or section.body
            counts = {}
            for lang in every:
                text = shown.get(lang)
                most = words.budget(section.title.get(lang), footer(section.sources, lang))
                n = words.markdown_words(text)
                if n > most or words.markdown_points(text) > words.MAX_POINTS:
                    counts[lang] = (n, most)
            if not counts:
                continue
            if section.slide is None:
                problems.append(section.problem(
                    f"section '{section.id}' would not fit one slide: {over(counts)}", "body",
                    "give it 'slide:' points, a few short phrases or one statement; the body then goes to "
                    "the speaker notes and stays the site's text").as_warning(SLIDE_FIT_STRICT))
            else:
                problems.append(section.problem(
                    f"the slide points of section '{section.id}' would not fit one slide: {over(counts)}",
                    "slide", "keep to a few short points").as_warning(SLIDE_FIT_STRICT))
        # The module's list slides: its objectives and its takeaways, each list on one slide.
        for field, title in (("objectives", "Learning objectives (module 1)"), ("takeaways", "Summary (module 1)")):
            items = getattr(lesson, field)
            if not items:
                continue
            counts = {}
            for lang in every:
                most = words.budget(title)
                n = sum(words.markdown_words((x.text if field == "objectives" else x).get(lang)) for x in items)
                if n > most:
                    counts[lang] = (n, most)
            if counts:
                problems.append(lesson.problem(
                    f"the {field} of module '{lesson.id}' would not fit one slide: {over(counts)}", field,
                    "shorten them: a room reads a few words per point").as_warning(SLIDE_FIT_STRICT))
        for vignette in lesson.vignettes:
            counts = {}
            for lang in every:
                task = (vignette.task.get(lang) if vignette.task else "one answer per question") + " Task groups of 4–6 20 min"
                most = words.budget("Case: " + vignette.title.get(lang))
                n = words.markdown_words(vignette.text.get(lang)) + words.word_count(task)
                if n > most:
                    counts[lang] = (n, most)
            if counts:
                problems.append(vignette.problem(
                    f"case '{vignette.id}' would not fit one slide with its task: {over(counts)}", "text",
                    "keep the situation to a few sentences; the questions have a slide of their own").as_warning(
                        SLIDE_FIT_STRICT))
    if course.decks.quiz == "none":
        return problems
    for quiz in course.quizzes:
        asked = asked_in_room(quiz, all_questions=course.decks.questions == "all")
        total = len(quiz.questions)
        for n, question in asked:
            counts = {}
            for lang in every:
                shown, revealed = _question_words(question, lang)
                most = words.budget(f"Question {n} of {total}", footer([question.source], lang), revealed)
                if shown > most:
                    counts[lang] = (shown, most)
            if counts:
                shortened = _has_room_text(question)
                problems.append(question.problem(
                    f"in-room question '{question.id}' would not fit one slide with its answers: {over(counts)}",
                    "room" if question.room is not None else "stem",
                    "shorten its room versions further" if shortened else
                    "give it short versions for the room: 'room:' on the question and on its options "
                    "(matching: 'room_premise:', 'room_response:'); the quiz keeps the full text",
                ).as_warning(SLIDE_FIT_STRICT))
    return problems


def _has_room_text(question) -> bool:
    parts = getattr(question, "options", None) or getattr(question, "items", None) or []
    pairs = getattr(question, "pairs", None) or []
    return (question.room is not None or any(p.room is not None for p in parts)
            or any(p.room_premise is not None or p.room_response is not None for p in pairs))


def _question_words(question, lang: str) -> tuple[int, int]:
    """The words of an in-room question's slide body (stem, how to answer, each option with its
    letter or number) and of its revealed answer, as the deck shows them."""
    from generator.model import Ordering, TrueFalse
    from generator.targets.deck.words import markdown_words

    shown = markdown_words(question.room_stem.get(lang))
    if isinstance(question, Matching):
        shown += 6 + sum(markdown_words(p.room_premise_text.get(lang)) + markdown_words(p.room_response_text.get(lang))
                         + 2 for p in question.pairs)
        return shown, 1 + len(question.pairs)
    if isinstance(question, Ordering):
        shown += 5 + sum(markdown_words(x.room_text.get(lang)) + 1 for x in question.items)
        return shown, 1 + len(question.items)
    if isinstance(question, TrueFalse):
        return shown + 4, 2
    if isinstance(question, MultipleResponse):
        shown += 5
    options = question.options
    return (shown + sum(markdown_words(o.room_text.get(lang)) + 1 for o in options),
            1 + sum(1 for o in options if o.correct))
