"""Reading what LMSs export into :class:`generator.report.Response` values.

Three inputs, told apart by their content:

- **Moodle quiz "Responses" CSV** (*Quiz → Results → Responses*, download as CSV): one row per
  attempt, columns ``Response N`` and ``Right answer N`` (and ``Question N`` when the question
  text is included) per slot N. Each slot is matched to a question of the course by its question
  text (the stem), else by its right answer when only one question has it; the response is read
  back with the course's own texts in any of its languages — single choice: the option's text;
  multiple response: texts joined by ``; ``; true/false: True/False (Waar/Onwaar, Juist/Onjuist);
  matching: ``premise -> response`` pairs joined by ``; ``; ordering: the items in the learner's
  order joined by ``; ``. ``-`` or an empty cell is "not answered". Rows whose ``State`` says the
  attempt is still in progress are left out.
- **SCORM interactions CSV**: one row per interaction record, with a header naming at least the
  columns ``learner``, ``id`` and ``response`` (also accepted: ``user``/``learner_id``/
  ``student_id``; ``interaction_id``; ``learner_response``/``student_response``), and optionally
  ``attempt``. ``id`` is the interaction id the package wrote (the question id, or its SCORM 1.2
  form); ``response`` is in either version's syntax (docs/lms.md). The answer is judged by the
  course's key, not by a ``result`` column.
- **xAPI statements JSON**: an array of statements, or an LRS answer ``{"statements": [...]}``.
  ``answered`` statements whose object is a question of this course
  (``urn:modgen:<course>:question:<id>``) count; the learner is the actor (account, mbox or
  openid), the attempt its registration; ``result.response`` is in xAPI's syntax.

Anything that cannot be read is a :class:`Problem` at ``file:line:column``.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from generator.model import Course, QuestionBase
from generator.problems import CourseError, Problem
from generator.report import Response
from generator.targets import interactions, quizbank

TRUE_WORDS = {"true", "waar", "juist", "t", "1"}
FALSE_WORDS = {"false", "onwaar", "niet waar", "onjuist", "f", "0"}
IN_PROGRESS = {"in progress", "bezig", "never submitted", "nooit ingediend", "overdue", "te laat"}
_SLOT = re.compile(r"^(Response|Right answer|Question|Antwoord|Juiste antwoord|Vraag) (\d+)$")
ALIASES = {
    "learner": ("learner", "user", "learner_id", "student_id", "user_id"),
    "attempt": ("attempt",),
    "id": ("id", "interaction_id"),
    "response": ("response", "learner_response", "student_response"),
}


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Texts:
    """The course's question texts in every language, to read Moodle's response summaries."""

    def __init__(self, course: Course):
        self.course = course
        self.questions = {q.id: q for quiz in course.quizzes for q in quiz.questions}
        self.banks = {lang: {q.id: q for m in quizbank.modules(course, lang) for q in m.questions}
                      for lang in course.languages}
        self.by_stem: dict[str, set[str]] = {}
        self.by_key: dict[str, set[str]] = {}
        for bank in self.banks.values():
            for qid, q in bank.items():
                self.by_stem.setdefault(_norm(q.stem), set()).add(qid)
                for key in self.right_answers(q):
                    self.by_key.setdefault(key, set()).add(qid)

    @staticmethod
    def right_answers(q: quizbank.BankQuestion) -> list[str]:
        if q.kind == "true-false":
            return []  # "True" names every true/false question alike
        if q.kind == "matching":
            return [_norm("; ".join(f"{p.premise} -> {p.response}" for p in q.pairs))]
        if q.kind == "ordering":
            return [_norm("; ".join(s.text for s in q.steps))]
        return [_norm("; ".join(a.text for a in q.answers if a.correct))]

    def answer(self, qid: str, text: str) -> object | None:
        """Moodle's summary of a response → answer ids, trying each language; None if unreadable."""
        for bank in self.banks.values():
            found = self._answer(bank[qid], text)
            if found is not None:
                return found
        return None

    @staticmethod
    def _answer(q: quizbank.BankQuestion, text: str) -> object | None:
        value = _norm(text)
        if q.kind == "true-false":
            return ["true"] if value in TRUE_WORDS else ["false"] if value in FALSE_WORDS else None
        parts = [_norm(p) for p in text.split("; ")]
        if q.kind == "matching":
            premises = {_norm(p.premise): p.id for p in q.pairs}
            responses = {_norm(p.response): p.id for p in q.pairs}
            pairs = {}
            for part in parts:
                premise, sep, response = part.partition(" -> ")
                if not sep or premise not in premises or response not in responses:
                    return None
                pairs[premises[premise]] = responses[response]
            return pairs
        items = {_norm(a.text): a.id for a in (q.steps if q.kind == "ordering" else q.answers)}
        if value in items:
            return [items[value]]
        ids = [items.get(p) for p in parts]
        return ids if all(ids) else None


def judge(question: QuestionBase, answer: object, item: interactions.Interaction) -> bool:
    """Right or wrong by the course's key: the answer in SCORM 2004 syntax equals the pattern."""
    return interactions.format2004(item, answer) == item.pattern2004


#: Largest results file read: a SCORM CSV of 5,000 learners × 60 questions is ~15 MB (~750,000
#: responses, which an analysis holds in ~200 MB);
#: JSON (xAPI statements, ~600 bytes each, parsed whole) less, since its objects cost ten times its
#: bytes in memory. An LRS pages its answers: export the pages as separate files.
MAX_CSV_BYTES = 16 * 1024 * 1024
MAX_JSON_BYTES = 16 * 1024 * 1024
#: Problems listed one by one; the rest are counted.
PROBLEMS_SHOWN = 20
#: Problems in one file before reading it stops: a file with more is another course's export (or
#: made to keep the machine busy).
MAX_PROBLEMS_PER_FILE = 10_000


class _Problems:
    """The problems found: the first ``PROBLEMS_SHOWN`` kept, the rest counted (a million rows with
    unknown ids print 21 lines, and cost no memory)."""

    def __init__(self) -> None:
        self.shown: list[Problem] = []
        self.count = 0

    def append(self, problem: Problem) -> None:
        self.count += 1
        if len(self.shown) < PROBLEMS_SHOWN:
            self.shown.append(problem)

        self.stops: list[Problem] = []

    def stop(self, problem: Problem) -> None:
        """Reading a file stopped early: said after the summary."""
        self.stops.append(problem)

    def __bool__(self) -> bool:
        return self.count > 0

    def summary(self) -> list[Problem]:
        more = self.count - len(self.shown)
        if more <= 0:
            return self.shown + self.stops
        last = self.shown[-1]
        return self.shown + [Problem(last.path, last.line, last.column, f"… and {more:,} more problems like these")] \
            + self.stops


#: Distinct (question, response) pairs remembered per file: a hostile file of all-different rows
#: does not make the memo grow without bound.
_MEMO = 100_000


class _Shared:
    """One object for each equal attempt key and answer: a file repeats them on every row, and a
    response keeps only references."""

    def __init__(self) -> None:
        self._values: dict = {}

    def __call__(self, value):
        if isinstance(value, list):
            key = ("list", tuple(value))
        elif isinstance(value, dict):
            key = ("dict", tuple(sorted(value.items())))
        else:
            key = ("str", value)
        return self._values.setdefault(key, value)


def read(course: Course, paths: list[Path]) -> list[Response]:
    """Every response in ``paths``; raises :class:`CourseError` with the problems found (the first
    ``PROBLEMS_SHOWN``, then how many more). CSV is read a row at a time; a file larger than its
    limit is refused before it is read."""
    problems = _Problems()
    responses: list[Response] = []
    texts = _Texts(course)
    items = {i.question: i for i in interactions.interactions(course)}
    shared = _Shared()
    for path in paths:
        shown = path.as_posix()
        try:
            size = path.stat().st_size
            with path.open("rb") as f:
                head = f.read(4096)
        except OSError as exc:
            problems.append(Problem(shown, 1, 1, f"cannot read the file: {exc.strerror or exc}"))
            continue
        is_json = head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"[", b"{")) or path.suffix.lower() == ".json"
        limit = MAX_JSON_BYTES if is_json else MAX_CSV_BYTES
        if size > limit:
            problems.append(Problem(shown, 1, 1, f"file is {size:,} bytes, more than the limit of {limit:,}",
                                    "export the results in parts (per quiz, per period, or the LRS's pages)"))
            continue
        if is_json:
            text = _decoded(path, shown, problems)
            if text is not None:
                responses += _xapi(shown, text, course, texts, items, problems, shared)
        else:
            responses += _csv(path, shown, course, texts, items, problems, shared)
    if problems:
        raise CourseError(problems.summary())
    return responses


def _decoded(path: Path, shown: str, problems) -> str | None:
    """The file's text, or None with a problem at the first byte that is not UTF-8."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(Problem(shown, line, column, "not UTF-8 text; export the results as UTF-8"))
        return None


def _rows(path: Path, shown: str, problems, dialect=None):
    """The CSV rows of ``path``, read a row at a time, with their line numbers; stops (with a
    problem) at a row Python's csv cannot read or a byte that is not UTF-8."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        if dialect is None:
            try:
                dialect = csv.Sniffer().sniff(f.read(4096), delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            except UnicodeDecodeError:
                _decoded(path, shown, problems)
                return
            f.seek(0)
        reader = csv.reader(f, dialect)
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error as exc:
            problems.append(Problem(shown, reader.line_num, 1, f"not a readable CSV: {exc}"))
        except UnicodeDecodeError:
            _decoded(path, shown, problems)


# --- xAPI ------------------------------------------------------------------------------------


def _number(literal: str):
    """A JSON number as Python reads it, or the literal itself when it is longer than any number a
    statement needs (``int()`` refuses 4,300 digits, and is slow below that): no number is used."""
    if len(literal) > 100:
        return literal
    return float(literal) if any(c in literal for c in ".eE") else int(literal)


def _xapi(shown, text, course, texts, items, problems, shared) -> list[Response]:
    try:
        data = json.loads(text, parse_int=_number, parse_float=_number)
    except json.JSONDecodeError as exc:
        problems.append(Problem(shown, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}"))
        return []
    except RecursionError:
        problems.append(Problem(shown, 1, 1, "JSON nested too deeply to be xAPI statements"))
        return []
    statements = data.get("statements") if isinstance(data, dict) else data
    if not isinstance(statements, list):
        problems.append(Problem(shown, 1, 1, "expected a JSON array of xAPI statements, or {\"statements\": [...]}"))
        return []
    lines = _statement_lines(text, len(statements))
    prefix = f"urn:modgen:{course.id}:question:"
    found = []
    for n, s in enumerate(statements):
        line = lines[n] if n < len(lines) else 1
        where = (shown, line, 1)
        if not isinstance(s, dict):
            problems.append(Problem(*where, f"statement {n + 1} is not a JSON object"))
            continue
        verb = (s.get("verb") or {}).get("id") if isinstance(s.get("verb"), dict) else None
        obj = s.get("object") if isinstance(s.get("object"), dict) else {}
        if verb != "http://adlnet.gov/expapi/verbs/answered" or not str(obj.get("id", "")).startswith(prefix):
            continue  # another verb, or another course's activity
        qid = str(obj["id"])[len(prefix):]
        if qid not in items:
            problems.append(Problem(*where, f"statement {n + 1} answers '{qid}', which is not a question of this course"))
            continue
        result = s.get("result") if isinstance(s.get("result"), dict) else {}
        response = result.get("response")
        if not isinstance(response, str):
            problems.append(Problem(*where, f"statement {n + 1} has no result.response"))
            continue
        answer = interactions.readings(items[qid], response).get("2004")
        if answer is None:
            problems.append(Problem(*where, f"statement {n + 1}: response '{response}' names answers question '{qid}' does not have"))
            continue
        actor = s.get("actor") if isinstance(s.get("actor"), dict) else {}
        account = actor.get("account") if isinstance(actor.get("account"), dict) else {}
        learner = (f"{account.get('homePage')}|{account.get('name')}" if account else
                   actor.get("mbox") or actor.get("mbox_sha1sum") or actor.get("openid"))
        if not learner:
            problems.append(Problem(*where, f"statement {n + 1} has no actor that names a learner"))
            continue
        attempt = (s.get("context") or {}).get("registration") if isinstance(s.get("context"), dict) else None
        answer = shared(answer)
        found.append(Response(shared(f"{shown}|{learner}|{attempt}"), qid, answer,
                              judge(texts.questions[qid], answer, items[qid])))
    return found


def _statement_lines(text: str, count: int) -> list[int]:
    """The line where each top-level statement starts (for messages), found by a light scan."""
    lines, depth, line, in_string, escaped = [], 0, 1, False, False
    target = 2 if text.lstrip().startswith("{") else 1
    for ch in text:
        if ch == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth == target + 1 and ch == "{":
                lines.append(line)
        elif ch in "]}":
            depth -= 1
    return lines[:count]


# --- CSV -------------------------------------------------------------------------------------


def _csv(path, shown, course, texts, items, problems, shared) -> list[Response]:
    rows = _rows(path, shown, problems)
    first = next(rows, None)
    if first is None or not any(cell.strip() for cell in first[1]):
        if first is not None or not problems:
            problems.append(Problem(shown, 1, 1, "empty file: expected a header row"))
        return []
    header = [h.strip() for h in first[1]]
    if any(_SLOT.match(h) for h in header):
        return _moodle(shown, header, rows, texts, items, problems, shared)
    lower = [h.lower() for h in header]
    columns = {name: next((lower.index(a) for a in names if a in lower), None) for name, names in ALIASES.items()}
    missing = [name for name in ("learner", "id", "response") if columns[name] is None]
    if missing:
        problems.append(Problem(shown, 1, 1, "not a Moodle responses or SCORM interactions CSV: "
                                f"no column {', '.join(repr(m) for m in missing)}",
                                "see docs/lms.md for the columns read"))
        return []
    by_id = {}
    for item in items.values():
        by_id[item.id2004] = item
        by_id.setdefault(item.id12, item)
    # A file comes from one package version: rows that read in only one syntax say which, and
    # decide rows that read in both (answer ids that are single letters, like 1.2's).
    votes = {"2004": 0, "1.2": 0}
    id_at, response_at = columns["id"], columns["response"]
    unknown = 0
    # A file repeats the same few responses per question on every row: each is read once.
    readings: dict[tuple[str, str], dict] = {}
    for _, row in rows:  # a first pass, read again below: no row is kept
        item = by_id.get(row[id_at].strip()) if id_at < len(row) else None
        if item is None:
            unknown += 1
            if unknown > MAX_PROBLEMS_PER_FILE:
                break  # the second pass stops there too
            continue
        response = row[response_at].strip() if response_at < len(row) else ""
        key = (item.question, response)
        found_in = readings.get(key)
        if found_in is None:
            found_in = interactions.readings(item, response)
            if len(readings) < _MEMO:
                readings[key] = found_in
        if len(found_in) == 1:
            votes[next(iter(found_in))] += 1
    prefer = "1.2" if votes["1.2"] > votes["2004"] else "2004"
    found = []
    decoded: dict[tuple[str, str], tuple] = {}  # (question, response) → (answer, correct)
    rows = _rows(path, shown, _Problems())  # its problems were reported by the first pass
    next(rows, None)
    in_file = problems.count
    for n, row in rows:
        if problems.count - in_file >= MAX_PROBLEMS_PER_FILE:
            problems.stop(Problem(shown, n, 1, f"reading stopped after {MAX_PROBLEMS_PER_FILE:,} problems in this file",
                                  "is it the export of another course?"))
            break
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i is not None and i < len(row) else "") for name, i in columns.items()}
        item = by_id.get(cells["id"])
        if item is None:
            problems.append(Problem(shown, n, _column(row, columns["id"]),
                                    f"interaction '{cells['id']}' is not a question of this course"))
            continue
        if not cells["response"]:
            continue  # no answer recorded
        key = (item.question, cells["response"])
        judged = decoded.get(key)
        if judged is None:
            answer = interactions.decode(item, cells["response"], prefer)
            judged = (shared(answer), judge(texts.questions[item.question], answer, item)) if answer is not None \
                else (None, False)
            if len(decoded) < _MEMO:
                decoded[key] = judged
        answer, correct = judged
        if answer is None:
            problems.append(Problem(shown, n, _column(row, columns["response"]),
                                    f"response '{cells['response']}' names answers question '{item.question}' does not have"))
            continue
        found.append(Response(shared(f"{shown}|{cells['learner']}|{cells['attempt']}"), item.question, answer, correct))
    return found


def _column(row: list[str], index: int | None) -> int:
    """1-based character column of a cell, as it stands in a plain CSV line."""
    if not index:
        return 1
    return sum(len(cell) + 1 for cell in row[:index]) + 1


def _moodle(shown, header, rows, texts, items, problems, shared) -> list[Response]:
    slots: dict[int, dict[str, int]] = {}
    for i, h in enumerate(header):
        m = _SLOT.match(h)
        if m:
            kind = {"Antwoord": "Response", "Juiste antwoord": "Right answer", "Vraag": "Question"}.get(m.group(1), m.group(1))
            slots.setdefault(int(m.group(2)), {})[kind] = i
    lower = [h.lower() for h in header]
    state = next((lower.index(n) for n in ("state", "status") if n in lower), None)
    found = []
    in_file = problems.count
    for n, row in rows:
        if problems.count - in_file >= MAX_PROBLEMS_PER_FILE:
            problems.stop(Problem(shown, n, 1, f"reading stopped after {MAX_PROBLEMS_PER_FILE:,} problems in this file",
                                  "is it the export of another course?"))
            break
        if not any(cell.strip() for cell in row):
            continue
        if state is not None and state < len(row) and row[state].strip().lower() in IN_PROGRESS:
            continue
        if row and row[0].strip().lower() in ("overall average", "gemiddelde over alles"):
            continue
        for slot, cols in sorted(slots.items()):
            cell = lambda kind: row[cols[kind]].strip() if kind in cols and cols[kind] < len(row) else ""  # noqa: E731
            response = cell("Response")
            if "Response" not in cols or response in ("", "-"):
                continue
            candidates: set[str] = set()
            if cell("Question"):
                candidates = texts.by_stem.get(_norm(cell("Question")), set())
            if not candidates and cell("Right answer"):
                candidates = texts.by_key.get(_norm(cell("Right answer")), set())
            if len(candidates) != 1:
                what = "matches no question of this course" if not candidates else "matches several questions"
                problems.append(Problem(shown, n, _column(row, cols.get("Question", cols["Response"])),
                                        f"slot {slot} {what}",
                                        "download the responses with the question text included"))
                continue
            (qid,) = candidates
            answer = texts.answer(qid, response)
            if answer is None:
                problems.append(Problem(shown, n, _column(row, cols["Response"]),
                                        f"response '{response}' is not an answer of question '{qid}'"))
                continue
            answer = shared(answer)
            found.append(Response(f"{shown}|row {n}", qid, answer, judge(texts.questions[qid], answer, items[qid])))
    return found
