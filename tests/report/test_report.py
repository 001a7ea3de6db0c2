"""``modgen report``: synthetic results with known properties, generated here (seeded) in the
three formats the report reads, must give back each question's facility and discrimination as
computed from the generated answers, and flag the questions planted to be weak."""

from __future__ import annotations

import csv
import io
import json
import math
import random
import statistics
from pathlib import Path

from lxml import etree

from generator.targets import interactions
from tests.conftest import FIXTURES, run_modgen
from tests.targets.bank import load

COURSE = FIXTURES / "stress"
#: question → (discrimination a, difficulty b) of a two-parameter logistic model
PLANTED = {"q-single": (1.6, 3.2),   # too hard: facility < 0.2
           "q-obj6": (1.6, -4.5),    # too easy: facility > 0.95
           "q-match": (0.0, 0.0)}    # right by chance whatever the learner knows: no discrimination
NORMAL = (1.8, 0.0)


def _answers(course, rng: random.Random, learners: int) -> tuple[list[dict[str, bool]], list[dict[str, object]]]:
    questions = [q for quiz in course.quizzes for q in quiz.questions]
    right, given = [], []
    for _ in range(learners):
        theta = rng.gauss(0, 1)
        row_right, row_given = {}, {}
        for q in questions:
            a, b = PLANTED.get(q.id, NORMAL)
            ok = rng.random() < 1 / (1 + math.exp(-a * (theta - b)))
            row_right[q.id] = ok
            row_given[q.id] = _answer(q, ok, rng)
        right.append(row_right)
        given.append(row_given)
    return right, given


def _answer(q, ok: bool, rng: random.Random) -> object:
    if q.kind == "true-false":
        return ["true" if q.answer == ok else "false"]
    if q.kind in ("single", "multiple"):
        key = [o.id for o in q.options if o.correct]
        wrong = [o.id for o in q.options if not o.correct]
        if ok:
            return key
        if q.kind == "single":
            return ["o3"] if rng.random() < 0.7 else [rng.choice(wrong)]
        return sorted(key + [wrong[0] if rng.random() < 0.6 else rng.choice(wrong)])
    ids = [p.id for p in q.pairs] if q.kind == "matching" else [i.id for i in q.items]
    if ok:
        return {i: i for i in ids} if q.kind == "matching" else ids
    k = rng.randrange(len(ids) - 1)
    swapped = ids[:k] + [ids[k + 1], ids[k]] + ids[k + 2:]
    return dict(zip(ids, swapped)) if q.kind == "matching" else swapped


def _expected(right: list[dict[str, bool]]) -> dict[str, tuple[float, float]]:
    out = {}
    for qid in right[0]:
        xs = [float(r[qid]) for r in right]
        rest = [float(sum(r.values()) - r[qid]) for r in right]
        try:
            discrimination = statistics.correlation(xs, rest)
        except statistics.StatisticsError:  # everyone right (or wrong): nothing to correlate
            discrimination = None
        out[qid] = (statistics.fmean(xs), discrimination)
    return out


def _moodle_text(q, answer) -> str:
    """What Moodle's responses report writes for an answer (its summarise_response)."""
    if q.kind == "true-false":
        return "True" if answer == ["true"] else "False"
    if q.kind in ("single", "multiple"):
        texts = {o.id: " ".join(o.text.get("en").split()) for o in q.options}
        return "; ".join(texts[a] for a in answer)
    if q.kind == "matching":
        pairs = {p.id: p for p in q.pairs}
        return "; ".join(f"{' '.join(pairs[p].premise.get('en').split())} -> {' '.join(pairs[r].response.get('en').split())}"
                         for p, r in answer.items())
    items = {i.id: " ".join(i.text.get("en").split()) for i in q.items}
    return "; ".join(items[i] for i in answer)


def write_results(folder: Path, seed: int = 19, learners: int = 420) -> dict[str, tuple[float, float]]:
    """Moodle CSV for a third of the learners, SCORM interactions CSV (half in 1.2's syntax) for
    another, xAPI statements for the rest; returns the known facility and discrimination."""
    course = load(COURSE)
    rng = random.Random(seed)
    right, given = _answers(course, rng, learners)
    questions = [q for quiz in course.quizzes for q in quiz.questions]
    items = {i.question: i for i in interactions.interactions(course)}
    third = learners // 3

    out = io.StringIO()
    writer = csv.writer(out)
    header = ["Surname", "First name", "Email address", "State", "Started on", "Completed", "Time taken", "Grade/12.00"]
    for n in range(1, len(questions) + 1):
        header += [f"Question {n}", f"Response {n}", f"Right answer {n}"]
    writer.writerow(header)
    for n, answers in enumerate(given[:third]):
        row = [f"Learner{n}", "A", f"l{n}@example.org", "Finished", "4 December 2026 10:00", "4 December 2026 10:20",
               "20 mins", "6.00"]
        for q in questions:
            key = interactions.decode(items[q.id], items[q.id].pattern2004)
            row += [" ".join(q.stem.get("en").split()), _moodle_text(q, answers[q.id]), _moodle_text(q, key)]
        writer.writerow(row)
    writer.writerow(["Learner-x", "B", "x@example.org", "In progress", "", "", "", "-"] + ["", "-", ""] * len(questions))
    (folder / "moodle-responses.csv").write_text(out.getvalue(), encoding="utf-8")

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "attempt", "id", "type", "learner_response", "result"])
    for n, answers in enumerate(given[third:2 * third]):
        for q in questions:
            item = items[q.id]
            if n % 2:
                writer.writerow([f"s{n}", "1", item.id12, item.type, interactions.format12(item, answers[q.id]), "?"])
            else:
                writer.writerow([f"s{n}", "1", item.id2004, item.type, interactions.format2004(item, answers[q.id]), "?"])
        # A second try at the first question, journaled later in the same attempt: not counted.
        writer.writerow([f"s{n}", "1", items[questions[0].id].id2004, "choice", "o1", "correct"])
    (folder / "scorm-interactions.csv").write_text(out.getvalue(), encoding="utf-8")

    statements = []
    for n, answers in enumerate(given[2 * third:]):
        for q in questions:
            statements.append({
                "actor": {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": f"x{n}"}},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                "object": {"id": f"urn:modgen:{course.id}:question:{q.id}"},
                "result": {"response": interactions.format2004(items[q.id], answers[q.id])},
                "context": {"registration": f"00000000-0000-4000-8000-{n:012d}"},
            })
        statements.append({"actor": statements[-1]["actor"], "verb": {"id": "http://adlnet.gov/expapi/verbs/terminated"},
                           "object": {"id": "https://lms.example.org/au"}})
    (folder / "statements.json").write_text(json.dumps({"statements": statements}, indent=1), encoding="utf-8")
    return _expected(right)


def _read_csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return {row["question"]: row for row in csv.DictReader(f)}


def test_report_reproduces_known_facility_and_discrimination_and_flags_planted_questions(tmp_path) -> None:
    expected = write_results(tmp_path)
    out = tmp_path / "report"
    result = run_modgen("report", COURSE, tmp_path / "moodle-responses.csv", tmp_path / "scorm-interactions.csv",
                        tmp_path / "statements.json", "-o", out)
    assert result.returncode == 0, result.stderr
    rows = _read_csv(out / "item-analysis.csv")
    assert list(rows) == list(expected)
    for qid, (facility, discrimination) in expected.items():
        row = rows[qid]
        assert int(row["attempts"]) == 420
        assert abs(float(row["facility"]) - facility) < 0.01, qid
        assert discrimination is not None and abs(float(row["discrimination"]) - discrimination) < 0.01, qid
    flags = {qid: set(row["flags"].split()) for qid, row in rows.items()}
    assert "facility-low" in flags["q-single"] and "facility-high" in flags["q-obj6"]
    assert flags["q-match"] == {"discrimination-low"}
    assert all(flags[q] == set() for q in expected if q not in PLANTED), flags
    # The planted distractor of q-single is its option 3.
    assert rows["q-single"]["distractor"].startswith("Option 3:")
    # q-multi's wrong answers add its first wrong option more often than any other.
    multi = next(q for quiz in load(COURSE).quizzes for q in quiz.questions if q.id == "q-multi")
    first_wrong = next(o for o in multi.options if not o.correct)
    assert rows["q-multi"]["distractor"] == " ".join(first_wrong.text.get("en").split())
    # Flagged questions are located in their YAML file, and printed.
    quiz = (COURSE / "quizzes" / "01-garden.yaml").read_text(encoding="utf-8").splitlines()
    path, line, column = rows["q-match"]["location"].rsplit(":", 2)
    assert path.endswith("quizzes/01-garden.yaml") and "q-match" in quiz[int(line) - 1]
    assert f"{rows['q-match']['location']}: q-match: discrimination-low" in result.stdout

    html = etree.HTML((out / "item-analysis.html").read_bytes())
    assert len(html.xpath("//svg")) == len(expected)
    flagged = html.xpath("//tr[@class='flagged']//strong/text()")
    assert set(flagged) == {q for q, f in flags.items() if f}
    assert html.xpath("//html/@lang") == ["en-GB"]


def test_report_is_deterministic(tmp_path) -> None:
    write_results(tmp_path, learners=60)
    outs = []
    for run in ("a", "b"):
        result = run_modgen("report", COURSE, tmp_path / "scorm-interactions.csv", "-o", tmp_path / run)
        assert result.returncode == 0, result.stderr
        outs.append([(tmp_path / run / n).read_bytes() for n in ("item-analysis.csv", "item-analysis.html")])
    assert outs[0] == outs[1]


def test_course_texts_in_the_page_are_escaped(tmp_path) -> None:
    """The special fixture's quiz texts hold & < > " ' and markup-like text: they stay text."""
    course = load(FIXTURES / "special")
    items = interactions.interactions(course)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "id", "response"])
    for learner in ("a", "b"):
        for i in items:
            answer = interactions.decode(i, i.pattern2004)
            if learner == "b" and i.type == "sequencing":
                answer = list(reversed(i.choices))
            writer.writerow([learner, i.id2004, interactions.format2004(i, answer)])
    (tmp_path / "i.csv").write_text(out.getvalue(), encoding="utf-8")
    result = run_modgen("report", FIXTURES / "special", tmp_path / "i.csv", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    page = etree.HTML((tmp_path / "out" / "item-analysis.html").read_bytes())
    assert page.xpath("//script") == [] and page.xpath("//@onload | //@onerror | //@onclick") == []
    texts = " ".join(page.xpath("//text()"))
    stems = [" ".join(q.stem.get(course.default_language).split()) for quiz in course.quizzes for q in quiz.questions]
    assert any(ch in " ".join(stems) for ch in "<&")
    for quiz in course.quizzes:
        for q in quiz.questions:
            assert q.id in texts


def test_bad_results_end_in_located_messages_and_keep_the_last_report(tmp_path) -> None:
    write_results(tmp_path, learners=30)
    out = tmp_path / "report"
    assert run_modgen("report", COURSE, tmp_path / "scorm-interactions.csv", "-o", out).returncode == 0
    before = (out / "item-analysis.csv").read_bytes()

    (tmp_path / "bad.csv").write_text("learner,id,response\ns1,q-tf,t\ns1,nope,a\ns2,q-single,zz\n", encoding="utf-8")
    result = run_modgen("report", COURSE, tmp_path / "bad.csv", "-o", out)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"{(tmp_path / 'bad.csv').as_posix()}:3:4: interaction 'nope' is not a question of this course" in lines
    assert f"{(tmp_path / 'bad.csv').as_posix()}:4:13: response 'zz' names answers question 'q-single' does not have" in lines
    assert "Traceback" not in result.stderr
    assert (out / "item-analysis.csv").read_bytes() == before

    (tmp_path / "broken.json").write_text('[\n  {"verb": {"id": "x"}},\n  {"verb": \n', encoding="utf-8")
    result = run_modgen("report", COURSE, tmp_path / "broken.json", "-o", out)
    assert result.returncode == 1 and f"{(tmp_path / 'broken.json').as_posix()}:4:1: not valid JSON" in result.stderr

    (tmp_path / "other.csv").write_text("name,score\nx,3\n", encoding="utf-8")
    result = run_modgen("report", COURSE, tmp_path / "other.csv", "-o", out)
    assert result.returncode == 1
    assert f"{(tmp_path / 'other.csv').as_posix()}:1:1: not a Moodle responses or SCORM interactions CSV" in result.stderr

    (tmp_path / "moodle.csv").write_text("Surname,State,Question 1,Response 1,Right answer 1\nA,Finished,What grows here?,x,y\n",
                                         encoding="utf-8")
    result = run_modgen("report", COURSE, tmp_path / "moodle.csv", "-o", out)
    assert result.returncode == 1
    assert f"{(tmp_path / 'moodle.csv').as_posix()}:2:12: slot 1 matches no question of this course" in result.stderr

    result = run_modgen("report", COURSE, tmp_path / "missing.csv", "-o", out)
    assert result.returncode == 1 and "missing.csv:1:1: cannot read the file" in result.stderr
    assert (out / "item-analysis.csv").read_bytes() == before


def test_hostile_results_files_end_in_located_messages(tmp_path) -> None:
    (tmp_path / "huge.csv").write_text("learner,id,response\ns1,q-tf,\"" + "x" * 200_000 + "\"\n", encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (tmp_path / "latin1.csv").write_bytes("learner,id,response\nJosé,q-tf,t\n".encode("latin-1"))
    result = run_modgen("report", COURSE, tmp_path / "huge.csv", tmp_path / "deep.json", tmp_path / "latin1.csv",
                        "-o", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{(tmp_path / 'huge.csv').as_posix()}:2:1: not a readable CSV" in result.stderr
    assert f"{(tmp_path / 'deep.json').as_posix()}:1:1: JSON nested too deeply" in result.stderr
    assert f"{(tmp_path / 'latin1.csv').as_posix()}:2:4: not UTF-8 text" in result.stderr
    assert not (tmp_path / "out").exists()


def test_report_in_dutch_and_usage_errors(tmp_path) -> None:
    course = load(FIXTURES / "minimal")
    items = interactions.interactions(course)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["learner", "id", "response"])
    for learner in ("a", "b", "c"):
        for i in items:
            writer.writerow([learner, i.id12, interactions.format12(i, interactions.decode(i, i.pattern2004))])
    (tmp_path / "i.csv").write_text(out.getvalue(), encoding="utf-8")
    result = run_modgen("report", FIXTURES / "minimal", tmp_path / "i.csv", "-o", tmp_path / "nl", "--lang", "nl")
    assert result.returncode == 0, result.stderr
    page = etree.HTML((tmp_path / "nl" / "item-analysis.html").read_bytes())
    assert page.xpath("//html/@lang") == ["nl-NL"] and page.xpath("//h1/text()")[0].startswith("Itemanalyse")
    rows = _read_csv(tmp_path / "nl" / "item-analysis.csv")
    assert {q: (r["attempts"], r["facility"], r["flags"]) for q, r in rows.items()} == {
        i.question: ("3", "1.000", "facility-high") for i in items}
    assert rows["prep-q1"]["location"].endswith("quizzes/01-preparation.yaml:5:5")

    assert run_modgen("report", FIXTURES / "minimal", "-o", tmp_path / "x").returncode == 2  # no results
    assert run_modgen("report", FIXTURES / "minimal", tmp_path, "-o", tmp_path / "x").returncode == 2  # a folder
    assert run_modgen("report", FIXTURES / "minimal", tmp_path / "i.csv", "--lang", "de").returncode == 2


def test_moodle_responses_with_dutch_headers_read_the_same(tmp_path) -> None:
    write_results(tmp_path, learners=90)
    text = (tmp_path / "moodle-responses.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    dutch = (header.replace("Right answer ", "Juiste antwoord ").replace("Response ", "Antwoord ")
             .replace("Question ", "Vraag ").replace("State", "Status"))
    (tmp_path / "nl.csv").write_text(dutch + "\n" + rest.replace("In progress", "Bezig"), encoding="utf-8")
    results = []
    for name in ("moodle-responses.csv", "nl.csv"):
        result = run_modgen("report", COURSE, tmp_path / name, "-o", tmp_path / name.replace(".", "-"))
        assert result.returncode == 0, result.stderr
        results.append((tmp_path / name.replace(".", "-") / "item-analysis.csv").read_bytes())
    assert results[0] == results[1]
    rows = _read_csv(tmp_path / "moodle-responses-csv" / "item-analysis.csv")
    assert all(r["attempts"] == "30" for r in rows.values())  # the attempt in progress left out


def test_a_scorm_file_is_read_in_the_syntax_its_unambiguous_rows_show(course_copy, tmp_path) -> None:
    """prep-q1's options get the ids c, a, b: the response "a" is its right option in 1.2 (the
    first letter) and a wrong one in 2004 (the id a). The true/false rows of each file say which."""
    course_dir = course_copy("minimal")
    quiz = course_dir / "quizzes" / "01-preparation.yaml"
    text = quiz.read_text(encoding="utf-8")
    head, tail = text.split("  - id: prep-q2", 1)
    for old, new in (("- id: a\n", "- id: X\n"), ("- id: b\n", "- id: a\n"), ("- id: c\n", "- id: b\n"), ("- id: X\n", "- id: c\n")):
        head = head.replace(old, new, 1)
    quiz.write_text(head + "  - id: prep-q2" + tail, encoding="utf-8")
    (tmp_path / "v12.csv").write_text("learner,id,response\n" + "".join(f"l{n},prep-q3,f\nl{n},prep-q1,a\n" for n in range(3)),
                                      encoding="utf-8")
    (tmp_path / "v2004.csv").write_text("learner,id,response\n" + "".join(f"l{n},prep-q3,false\nl{n},prep-q1,a\n" for n in range(3)),
                                        encoding="utf-8")
    facility = {}
    for name in ("v12", "v2004"):
        result = run_modgen("report", course_dir, tmp_path / f"{name}.csv", "-o", tmp_path / name)
        assert result.returncode == 0, result.stderr
        facility[name] = _read_csv(tmp_path / name / "item-analysis.csv")["prep-q1"]["facility"]
    assert facility == {"v12": "1.000", "v2004": "0.000"}
