"""The ``modgen`` command line.

Exit codes: 0 ok, 1 course content errors (printed as ``path:line:column: message``), 2 usage
errors. Anything an author can do wrong ends in a message, never a traceback; ``--verbose`` adds
one for internal errors only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.governance import BadToday
from generator.problems import CourseError, Problem

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2


def _split(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _course_dir(arg: str | None) -> Path:
    """COURSE_DIR, else the course in the current directory, else the bundled course."""
    from generator.bundled import bundled_course_dir
    from generator.loader.load import is_course_dir

    if arg:
        return _remember(Path(arg))
    here = Path.cwd()
    if is_course_dir(here):
        return _remember(here)
    bundled = bundled_course_dir()
    if bundled is None:  # pragma: no cover - only in a broken installation
        raise click.UsageError("no course.yaml here and no bundled course installed")
    # Say so: an author who runs modgen in the wrong folder must not take the bundled course's
    # "valid" for their own.
    click.echo(f"No course.yaml in this folder: using the bundled course ({bundled}).", err=True)
    return _remember(bundled)


def _remember(course_dir: Path) -> Path:
    """Notes the course a command works on, so that a report can quote lines of its files."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and isinstance(ctx.find_root().obj, dict):
        ctx.find_root().obj["course_dir"] = course_dir
    return course_dir


def _report(problems: list[Problem], verb: str) -> None:
    from generator.problems import MAX_EXCERPTS, excerpt, summary

    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    root = obj.get("course_dir") if isinstance(obj, dict) else None
    errors = [p for p in problems if p.severity.value == "error"]
    lines: dict = {}
    for i, p in enumerate(problems):
        click.echo(p.format(), err=True)
        if i < MAX_EXCERPTS:
            for line in excerpt(p, root, lines):
                click.echo(line, err=True)
    if errors:
        click.echo(summary(len(errors), len(problems) - len(errors), verb), err=True)


class _Main(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CourseError as exc:
            verb = {"build": "Build", "translate": "Translation", "diff": "Diff", "changelog": "Changelog",
                    "report": "Report"}.get(ctx.invoked_subcommand or "", "Validation")
            _report(exc.problems, verb)
            ctx.exit(EXIT_CONTENT)
        except BadToday as exc:
            raise click.UsageError(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted; the previous output is unchanged.", err=True)
            ctx.exit(130)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="modgen")
@click.option("--verbose", is_flag=True, help="Show a traceback for internal errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Build trainer decks, self-study sites and LMS exports from a course kept as YAML."""
    ctx.obj = {"verbose": verbose}


@cli.command()
@click.argument("course_dir", required=False, type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def validate(course_dir: str | None, strict: bool) -> None:
    """Check a course and list every problem, with file, line and column.

    COURSE_DIR defaults to the current directory when it holds a course.yaml, else the bundled course.
    """
    from generator.loader.load import load_course

    loaded = load_course(_course_dir(course_dir), strict=strict)
    _report(loaded.warnings, "Validation")
    course = loaded.course
    n_questions = sum(len(q.questions) for q in course.quizzes)
    click.echo(f"{course.id} {course.version}: {len(course.lessons)} lessons, {len(course.quizzes)} quizzes, "
               f"{n_questions} questions — valid"
               + (f" ({len(loaded.warnings)} warnings)" if loaded.warnings else ""))


def _format_help() -> str:
    from generator.targets import REGISTRY

    return "Comma-separated artifact kinds: " + ", ".join(REGISTRY) + " (default: all)."


@cli.command()
@click.argument("course_dir", required=False, type=click.Path(file_okay=False))
@click.option("-o", "--out", default=None, type=click.Path(file_okay=False),
              help="Output directory; replaced as a whole when the build succeeds. Default: COURSE_DIR/output "
                   "when COURSE_DIR is given, else ./output.")
@click.option("--format", "formats", metavar="KINDS", help="Comma-separated artifact kinds (see below).")
@click.option("--lang", "langs", metavar="LANGS", help="Comma-separated languages (default: all of the course's).")
@click.option("--audience", "audiences", metavar="AUDIENCES",
              help="Comma-separated audiences (default: all of the course's).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--release", is_flag=True,
              help="A release: refuse to build unless every lesson's review is approved and not overdue.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--watch", is_flag=True,
              help="Keep running: build again after every save (in a warm process, so a one-lesson edit "
                   "is rebuilt in a fraction of a second). Ctrl+C stops.")
def build(course_dir: str | None, out: str | None, formats: str | None, langs: str | None,
          audiences: str | None, strict: bool, release: bool, quiet: bool, watch: bool) -> None:
    """Build the course into OUT and write OUT/manifest.json.

    COURSE_DIR defaults to the current directory when it holds a course.yaml, else the bundled course.
    OUT defaults to COURSE_DIR/output (the .gitignore of 'modgen init' leaves it out of git).
    Artifact kinds: see 'modgen formats'.
    """
    from generator import build as pipeline

    if out is None:
        # Beside the course it was built from: `modgen build ../mycourse` must not replace the
        # output of whatever course the current folder holds.
        out = str(Path(course_dir) / "output") if course_dir else "output"

    request = pipeline.BuildRequest(Path(_course_dir(course_dir)), Path(out), _split(formats), _split(langs),
                                    _split(audiences), strict, release)
    if watch:
        from generator.watch import watch as keep_building

        try:
            keep_building(request, quiet=quiet)
        except pipeline.UsageError as exc:
            raise click.UsageError(str(exc)) from None
        return
    try:
        with _progress(quiet) as progress:
            result = pipeline.build(request, progress=progress)
    except pipeline.UsageError as exc:
        raise click.UsageError(str(exc)) from None
    if not quiet:
        _report(result.warnings, "Build")
        n = len(result.manifest["artifacts"])
        click.echo(f"Built {n} artifact{'s' if n != 1 else ''} into {out}/ (see {out}/manifest.json)")
        start = next(iter(sorted(Path(out).glob("site/*/index.html"))), None)
        if start is not None:
            click.echo(f"Open {start} in a browser for the self-study site.")


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="[COURSE_DIR] RESULTS...",
                type=click.Path(dir_okay=True))
@click.option("-o", "--out", default="report", show_default=True, type=click.Path(file_okay=False),
              help="Folder for item-analysis.html and item-analysis.csv.")
@click.option("--lang", metavar="LANG", help="Language of the report (default: the course's first).")
def report(paths: tuple[str, ...], out: str, lang: str | None) -> None:
    """Item analysis from LMS results: attempts, facility, discrimination and the strongest
    distractor per question, with the questions outside the usual bounds flagged at their YAML.

    RESULTS are Moodle quiz "Responses" CSVs, SCORM interactions CSVs and xAPI statement JSON
    files (docs/lms.md). COURSE_DIR defaults as for 'modgen build'.
    """
    from generator.files import course_folder_problem, replace_file
    from generator.loader.load import is_course_dir, load_course
    from generator.report import analyse, readers, render

    first = Path(paths[0])
    course_arg, results = (paths[0], paths[1:]) if first.is_dir() and is_course_dir(first) else (None, paths)
    if not results:
        raise click.UsageError("no RESULTS files given")
    for name in results:
        if Path(name).is_dir():
            raise click.UsageError(f"{name} is a folder, not a results file (a course folder goes first)")
    course = load_course(_course_dir(course_arg)).course
    language = lang or course.default_language
    if language not in course.languages:
        raise click.UsageError(f"the course has no language '{language}' (it has {', '.join(course.languages)})")
    folder = Path(out)
    problem = course_folder_problem(folder, course.root) if course.root is not None else None
    if problem:
        raise click.UsageError(problem)
    stats = analyse(course, readers.read(course, [Path(r) for r in results]))
    folder.mkdir(parents=True, exist_ok=True)
    # Each file replaced whole, only once everything was read: an error leaves the last report.
    for name, data in (("item-analysis.csv", render.to_csv(course, stats, language)),
                       ("item-analysis.html", render.to_html(course, stats, language))):
        replace_file(folder / name, data)
    flagged = sum(1 for item in stats if item.flags())
    click.echo(f"{len(stats)} questions, {flagged} flagged: {folder}/item-analysis.html, {folder}/item-analysis.csv")
    for item in stats:
        for flag in item.flags():
            click.echo(f"{item.location()}: {item.question.id}: {flag}")


@cli.command()
def formats() -> None:
    """List the artifact kinds 'modgen build --format' accepts."""
    from generator.targets import REGISTRY, load_target

    for kind in REGISTRY:
        click.echo(f"{kind:18} {load_target(kind).description}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--kind", type=click.Choice(["plain", "crime-script"]), default=None,
              help="plain: lessons, sections and quizzes in one language; crime-script: phases, actors and "
                   "intervention points in two languages, as the bundled course. Asked when not given "
                   "(plain when there is no one to ask).")
@click.option("--force", is_flag=True, help="Write into a directory that is not empty.")
def init(directory: str, kind: str | None, force: bool) -> None:
    """Start a new course in DIRECTORY: one lesson and one quiz, with comments, editor settings and
    the JSON Schemas that give completion in an editor."""
    from generator.scaffold import scaffold

    target = Path(directory)
    if target.exists() and any(target.iterdir()) and not force:
        raise click.UsageError(f"{directory} is not empty (use --force to write into it anyway)")
    if kind is None:
        kind = "plain"
        if sys.stdin.isatty():
            kind = click.prompt("A plain course, or a crime-script course (phases, actors, intervention points)?",
                                type=click.Choice(["plain", "crime-script"]), default="plain")
    written = scaffold(target, kind)
    click.echo(f"Created a {kind} course in {directory}/ ({len(written)} files).")
    click.echo(f"Next: modgen serve {directory}   (the self-study site in your browser while you write)")
    click.echo(f"      modgen validate {directory}   then   modgen build {directory}   (into {directory}/output/)")


@cli.command()
@click.option("-o", "--out", default="schemas", show_default=True, type=click.Path(file_okay=False),
              help="Directory for course, lesson, quiz and glossary .schema.json files.")
def schema(out: str) -> None:
    """Write JSON Schemas for course, lesson, quiz and glossary files (for editor completion)."""
    from generator.schema import write_schemas

    for path in write_schemas(Path(out)):
        click.echo(str(path))


@cli.command()
@click.argument("course_dir", required=False, type=click.Path(file_okay=False))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--lang", metavar="LANG", help="Language to preview (default: the course's first).")
@click.option("--audience", metavar="AUDIENCE", help="Audience to preview (default: the course's first).")
def serve(course_dir: str | None, port: int, lang: str | None, audience: str | None) -> None:
    """Preview the self-study site while you write: rebuilds and reloads the browser on every save.

    Content errors are shown in the page and printed here; the server keeps running.
    """
    from generator.targets.site.serve import UsageProblem
    from generator.targets.site.serve import serve as run

    try:
        run(_course_dir(course_dir), lang, audience, port)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        raise click.UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None


@cli.command()
@click.argument("course_dir", required=False, type=click.Path(file_okay=False))
@click.option("--lesson", "lesson_id", required=True, metavar="ID", help="The lesson whose quiz and discussion to run.")
@click.option("--lang", metavar="LANG", help="Language of the session (default: the course's first).")
@click.option("--audience", metavar="AUDIENCE", help="Audience of the session (default: the course's first).")
@click.option("--host", default="127.0.0.1", show_default=True, metavar="HOST",
              help="Address to listen on. 127.0.0.1: this laptop only (rehearsal, or a projector "
                   "demo); 0.0.0.0: every network interface, so phones on the classroom network can join.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), metavar="N",
              help="Port to listen on (0 picks a free one).")
@click.option("--results", type=click.Path(dir_okay=False), metavar="FILE.csv",
              help="Keep the results in FILE.csv as the session goes, rewritten at every step: per option of "
                   "every question its text and the number of answers, and how many were connected (no names, "
                   "no individual answers). Without it nothing is written to disk.")
@click.option("--results-open-answers", is_flag=True,
              help="Put the open answers the trainer showed on the projector in the results file too.")
@click.option("--all-questions", is_flag=True,
              help="Ask every question of the lesson's quiz, not only those the session plan asks in the "
                   "room (in_room: true; a quiz that marks none gives all of them anyway).")
@click.option("--figures", is_flag=True,
              help="Show the lesson's pictures and charts on the projector, one step each, after the start screen.")
def classroom(course_dir: str | None, lesson_id: str, lang: str | None, audience: str | None, host: str,
              port: int, results: str | None, results_open_answers: bool, all_questions: bool,
              figures: bool) -> None:
    """Run a live quiz and discussion session for one lesson from this laptop, with no internet.

    Prints the trainer's address (for the projector; it holds a secret, keep it to yourself) and the
    participants' address; participants join on their phones with the session code shown on the
    trainer's screen, large and as a QR code. Answers stay in memory; Ctrl+C ends the session.
    See docs/classroom.md.
    """
    from generator.classroom.serve import UsageProblem
    from generator.classroom.serve import run as run_session

    if results_open_answers and not results:
        raise click.UsageError("--results-open-answers keeps open answers in the results file: give --results FILE.csv")
    _not_a_course_file(results, _course_dir(course_dir))
    try:
        run_session(_course_dir(course_dir), lesson_id, lang=lang, audience=audience, host=host, port=port,
                    results=Path(results) if results else None, all_questions=all_questions,
                    open_answers=results_open_answers, figures=figures)
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None


@cli.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option("--course", "course_dir", type=click.Path(file_okay=False),
              help="The course whose git revisions OLD and NEW may name (default: the course in the current "
                   "directory, else the bundled course).")
@click.option("--format", "fmt", type=click.Choice(["text", "html", "json"]), default="text", show_default=True,
              help="text for the terminal, html for a reviewer (one self-contained page), json for tools.")
@click.option("-o", "--out", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
@click.option("--exit-code", is_flag=True, help="Exit with 1 when the courses differ (as git diff --exit-code).")
def diff(old: str, new: str | None, course_dir: str | None, fmt: str, out: str | None, exit_code: bool) -> None:
    """Show what changed in a course between OLD and NEW: lessons, sections, objectives, intervention
    points, questions and answers, per language and word by word, and which decks (down to the slide),
    site pages and exports each change touches.

    OLD and NEW are course folders or git revisions of the course (HEAD~3, v1.0); NEW defaults to the
    course folder as it is now.
    """
    import contextlib

    from generator.governance import report
    from generator.governance.diff import diff_courses
    from generator.governance.revisions import RevisionError, open_side
    from generator.governance.touches import attach

    course = _course_dir(course_dir)
    _not_a_course_file(out, course)
    with contextlib.ExitStack() as stack:
        try:
            before = open_side(old, course, stack)
            after = open_side(new, course, stack) if new else open_side(str(course), course, stack)
        except RevisionError as exc:
            raise click.UsageError(str(exc)) from None
        found = attach(diff_courses(before.loaded.course, after.loaded.course, before.label, after.label))
        text = {"text": report.as_text, "html": report.as_html, "json": report.as_json}[fmt](found)
    _write_or_echo(text, out, course)
    if exit_code and found:
        raise click.exceptions.Exit(EXIT_CONTENT)


@cli.command()
@click.option("--since", metavar="REV", help="The release to compare with: a tag, a revision or a course folder "
                                             "(default: the latest tag).")
@click.option("--course", "course_dir", type=click.Path(file_okay=False),
              help="The course (default: the course in the current directory, else the bundled course).")
@click.option("-o", "--out", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
def changelog(since: str | None, course_dir: str | None, out: str | None) -> None:
    """Write the release notes a trainer reads (Markdown, in every course language): what changed
    since the last release, module by module, and which decks to hand out again."""
    import contextlib

    from generator.governance.changelog import changelog as release_notes
    from generator.governance.diff import diff_courses
    from generator.governance.revisions import RevisionError, latest_tag, open_side
    from generator.governance.touches import attach

    course = _course_dir(course_dir)
    _not_a_course_file(out, course)
    with contextlib.ExitStack() as stack:
        try:
            since = since or latest_tag(course)
            before = open_side(since, course, stack)
            after = open_side(str(course), course, stack)
        except RevisionError as exc:
            raise click.UsageError(str(exc)) from None
        found = attach(diff_courses(before.loaded.course, after.loaded.course, before.label, after.label))
        text = release_notes(found, since)
    _write_or_echo(text, out, course)


def _not_a_course_file(out: str | None, course: Path) -> None:
    """A usage error when the file ``out`` is one of the course's (see ``generator.files``)."""
    from generator.files import course_file_problem

    problem = course_file_problem(Path(out), course) if out else None
    if problem:
        raise click.UsageError(problem)


def _write_or_echo(text: str, out: str | None, course: Path) -> None:
    """``text`` into ``out`` (replaced whole, never half-written, never over a course file), or onto
    standard output."""
    if out is None:
        click.echo(text, nl=False)
        return
    from generator.files import replace_file

    _not_a_course_file(out, course)
    try:
        replace_file(Path(out), text.encode("utf-8"))
    except OSError as exc:
        raise click.UsageError(f"cannot write {out}: {exc.strerror or exc}") from None


@cli.group()
def template() -> None:
    """Work with PowerPoint templates for the trainer decks."""


@template.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
def template_check(file: str) -> None:
    """List FILE's layouts and placeholders and say which slide kinds it can serve.

    FILE is a .pptx or .potx. Exit 1 when it is broken or can't serve every slide kind.
    """
    from generator.targets.deck.template import TemplateError, report

    try:
        lines, ok = report(Path(file))
    except TemplateError as exc:
        click.echo(str(exc), err=True)
        raise click.exceptions.Exit(EXIT_CONTENT) from None
    click.echo("\n".join(lines))
    if not ok:
        click.echo(f"{file}:1:1: the template can't serve every slide kind (see above)", err=True)
        raise click.exceptions.Exit(EXIT_CONTENT)


@cli.group()
def translate() -> None:
    """Hand texts to translators (XLIFF 2.1 or PO) and take their work back (see docs/translation.md)."""


def _translation_usage(call):
    from generator.translate.workflow import UsageProblem

    try:
        return call()
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None


@translate.command("export")
@click.argument("course_dir", required=False, type=click.Path(file_okay=False))
@click.option("--to", "target", required=True, metavar="LANG", help="The language to translate into.")
@click.option("--from", "source", metavar="LANG", help="The language to translate from (default: the course's first).")
@click.option("--format", "fmt", type=click.Choice(["xliff", "xliff12", "po"]), default="xliff", show_default=True,
              help="XLIFF 2.1 (memoQ, Trados, Weblate), XLIFF 1.2 (OmegaT as Debian ships it, Trados, memoQ) or "
                   "gettext PO (Weblate, Poedit, OmegaT).")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False), help="The file to write.")
@click.option("--interface", is_flag=True, help=(
    "modgen's own words (headings, buttons, trainer notes) instead of the course's texts: importing the "
    "translation writes the course's interface/LANG.po, for a language modgen does not ship or to change its wording."))
def translate_export(course_dir: str | None, target: str, source: str | None, fmt: str, out: str,
                     interface: bool) -> None:
    """Write every text of the course as one unit each, with the current translation and context."""
    from generator.translate.workflow import export

    n = _translation_usage(lambda: export(_course_dir(course_dir), target, source, fmt, Path(out),
                                          interface=interface))
    click.echo(f"Wrote {n} units to {out}")


@translate.command("import")
@click.argument("args", nargs=-1, required=True, metavar="[COURSE_DIR] FILE")
def translate_import(args: tuple[str, ...]) -> None:
    """Write the translations in FILE (XLIFF or PO from 'translate export') into the course.

    Only changed texts are rewritten, in the authors' layout, comments kept; units whose source
    changed since the export are refused and reported. translations.lock records what was imported.
    """
    from generator.translate.workflow import import_translations

    if len(args) > 2:
        raise click.UsageError("expected [COURSE_DIR] FILE")
    course_dir, file = (None, args[0]) if len(args) == 1 else args
    report = import_translations(_course_dir(course_dir), Path(file), file)
    _report(report.refused, "Import")
    n = len(report.changed)
    click.echo(f"Imported {n} changed translation{'s' if n != 1 else ''}"
               + (f" into {', '.join(report.files)}" if report.files else "")
               + (f"; {report.confirmed} recorded in translations.lock" if report.lock_written else "")
               + (f"; {report.refused_count} refused" if report.refused_count else "")
               + (f"; {report.unfinished} left as needing work" if report.unfinished else ""))


@translate.command("status")
@click.argument("course_dir", required=False, type=click.Path(file_okay=False))
@click.option("--list", "listing", is_flag=True, help="Also list each stale and missing text, with its place.")
def translate_status(course_dir: str | None, listing: bool) -> None:
    """Per language: how many texts are translated, stale (source changed since), missing, and
    untracked (translated but never recorded in translations.lock)."""
    from generator.translate.lock import CURRENT, MISSING, STALE, UNTRACKED
    from generator.translate.workflow import status

    languages = status(_course_dir(course_dir))
    if not languages:
        click.echo("The course has one language: nothing is translated.")
    for lang in languages:
        total = sum(len(v) for v in lang.units.values())
        click.echo(f"{lang.lang} (from {lang.source}): {total} texts — {lang.count(CURRENT)} translated, "
                   f"{lang.count(STALE)} stale, {lang.count(MISSING)} missing, {lang.count(UNTRACKED)} untracked")
        if listing:
            for state in (STALE, MISSING):
                for unit in lang.units[state]:
                    here = unit.problem(lang.lang, "")
                    click.echo(f"  {here.path}:{here.line}:{here.column}: {state}: {unit.id}")


@translate.command("confirm")
@click.argument("course_dir", required=False, type=click.Path(file_okay=False))
@click.option("--lang", required=True, metavar="LANG", help="The translated language.")
@click.option("--unit", "units", multiple=True, metavar="ID", help="Only this text (repeatable; default: all).")
def translate_confirm(course_dir: str | None, lang: str, units: tuple[str, ...]) -> None:
    """Record the current LANG translations as up to date with their source, in translations.lock.

    For a translation checked or updated by hand; 'translate import' records what it imports.
    """
    from generator.translate.workflow import confirm

    n = _translation_usage(lambda: confirm(_course_dir(course_dir), lang, units))
    click.echo(f"Confirmed {n} {lang} translation{'s' if n != 1 else ''} in translations.lock")


@translate.command("glossary")
@click.argument("course_dir", required=False, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv"]), default="tbx", show_default=True,
              help="TBX-Basic (memoQ, Trados MultiTerm, OmegaT) or CSV.")
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False), help="The file to write.")
def translate_glossary(course_dir: str | None, fmt: str, out: str) -> None:
    """Write the course's term base (glossary.yaml) for a CAT tool."""
    from generator.translate.workflow import export_glossary

    n = _translation_usage(lambda: export_glossary(_course_dir(course_dir), fmt, Path(out)))
    click.echo(f"Wrote {n} terms to {out}")


class _Progress:
    """A rich progress bar on a terminal; nothing otherwise (logs stay clean)."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self._bar = None
        self._task = None

    def __enter__(self):
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn

            self._bar = Progress(TextColumn("{task.description:30}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                                 transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task("loading", total=None)
        return self if self.enabled else None

    def __call__(self, label: str, done: int, total: int) -> None:
        self._bar.update(self._task, description=label, completed=done, total=total)

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)
        return False


def _progress(quiet: bool) -> _Progress:
    return _Progress(quiet)


def _without_pydantic_plugins() -> None:
    """Tell pydantic, before it first builds a validator, that the command line has no plugins.

    pydantic looks for plugins through entry points: its plugin loader imports importlib.metadata
    (and with it email, zipfile and csv), a quarter of the start-up time of ``modgen validate``
    beyond pydantic itself (see bench/README.md). modgen uses no pydantic plugin, so the command
    stands in a loader that finds none — what ``PYDANTIC_DISABLE_PLUGINS=1`` does, without the
    import. Only the command does this, not importing ``generator``. Should a later pydantic ask
    its loader for anything else, the stand-in hands over to the real module (loaded then), so an
    upgrade costs the import again rather than breaking the command.
    """
    import types

    loader = types.ModuleType("pydantic.plugin._loader")
    loader.get_plugins = lambda: ()  # type: ignore[attr-defined]

    def real(name: str):
        if name.startswith("__"):  # the import system asks for __path__ and the like: not plugins
            raise AttributeError(name)
        import importlib.util
        from pathlib import Path

        import pydantic.plugin

        path = Path(pydantic.plugin.__file__).with_name("_loader.py")
        spec = importlib.util.spec_from_file_location("pydantic.plugin._loader_real", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return getattr(module, name)

    loader.__getattr__ = real  # type: ignore[attr-defined]
    sys.modules.setdefault("pydantic.plugin._loader", loader)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point. Run as the command (no ``argv``), it ends the process itself."""
    code = _run(argv)
    if argv is None:
        end_process(code)
    return code


def end_process(code: int) -> None:
    """Exit with ``code`` without tearing the interpreter down.

    Python's shutdown frees every module and object one by one: after a build that has loaded
    pydantic, python-pptx, lxml and Jinja it takes ~0.1 s — a tenth of a one-lesson rebuild — and
    achieves nothing the operating system does not do anyway. By now the command has closed what it
    wrote, released its lock and stopped its workers and threads; the standard streams are flushed
    here. If they cannot be (a closed pipe), the ordinary exit reports it as it always did.
    """
    import os

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        raise SystemExit(code) from None
    os._exit(code)


def _run(argv: list[str] | None) -> int:
    _without_pydantic_plugins()
    verbose = "--verbose" in (argv if argv is not None else sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="modgen", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    except Exception as exc:  # an internal bug: say so plainly, traceback only on request
        if verbose:
            raise
        click.echo(f"modgen: internal error: {type(exc).__name__}: {exc} (run with --verbose for details)",
                   err=True)
        return 3
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
