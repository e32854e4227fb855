"""`quiz report`: its numbers checked against an independent computation from the
fixture's answers (plain arithmetic; `statistics.correlation` for discrimination), and
its three formats."""

from __future__ import annotations

import csv
import io
import json
import statistics
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.records import Mode
from quiz.storage.reports import ReportFilter
from tests.support.backends import StoreBackend
from tests.support.cli import run_cli
from tests.support.local_time import local_timezone
from tests.support.report_store import CY, GIVEN, Given, build_store

DEFAULT_PASS_MARK = 80


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Local time is UTC: month buckets and --since dates do not depend on the machine.
    The tests taking `db` run against both stores (tests/support/backends.py)."""
    with local_timezone("UTC"):
        yield


@pytest.fixture
def db(backend: StoreBackend) -> str:
    """The report fixture's attempts, saved in a SQLite store or sent to the central
    store; what `--db` names to read them (a path, or the group role's URL)."""
    build_store(backend.path, open_store=backend.open_store)
    return backend.db()


def report_json(db: str, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    code, out, err = run_cli(["report", "--db", str(db), "--format", "json", *extra], capsys)
    assert code == 0, err
    result: dict[str, Any] = json.loads(out)
    return result


# --- the expected numbers, from the fixture alone ---------------------------------------


def counted(attempts: tuple[Given, ...] = GIVEN) -> list[Given]:
    return [g for g in attempts if g.counted]


def expected_questions(attempts: list[Given]) -> dict[str, dict[str, Any]]:
    """Per question id: asked, right, facility, discrimination, wrong choice picks."""
    rows: defaultdict[str, list[tuple[int, float | None]]] = defaultdict(list)
    picks: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for given in attempts:
        total = len(given.questions)
        for question in given.questions:
            x = int(given.right(question))
            rest = (given.correct - x) / (total - 1) if total > 1 else None
            rows[question.question_id].append((x, rest))
            if question.choices:
                for choice in question.choices:
                    if choice not in question.answer:
                        picks[question.question_id][choice] += 0
                response = given.latest(question)
                chosen = [response] if isinstance(response, str) else response
                assert chosen is None or isinstance(chosen, list)
                chosen = chosen or []
                for choice in chosen:
                    if choice not in question.answer:
                        picks[question.question_id][choice] += 1
    expected = {}
    for question_id, pairs in rows.items():
        asked = len(pairs)
        right = sum(x for x, _ in pairs)
        xs = [x for x, rest in pairs if rest is not None]
        rs = [rest for _, rest in pairs if rest is not None]
        try:
            index: float | None = 100 * statistics.correlation(xs, rs)
        except statistics.StatisticsError:  # fewer than two, or one of them constant
            index = None
        facility = 100 * right / asked
        expected[question_id] = {
            "asked": asked,
            "right": right,
            "facility": facility,
            "discrimination": index,
            # Float noise (-2e-15 for an index that is 0) is not a negative index.
            "flagged": facility < 50 or (index is not None and index < -1e-9),
            "wrong_choices": dict(picks.get(question_id, {})),
        }
    return expected


def expected_staff(attempts: list[Given]) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (learner, section): attempts, last and best percent, weak."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for given in sorted(attempts, key=lambda g: g.at):
        sections: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        for question in given.questions:
            sections[question.section][0] += 1
            sections[question.section][1] += given.right(question)
        for section, (asked, right) in sections.items():
            percent = 100 * right / asked
            row = found.setdefault(
                (given.learner, section), {"attempts": 0, "best": 0.0, "asked": 0, "right": 0}
            )
            row["attempts"] += 1
            row["asked"] += asked
            row["right"] += right
            row["last"] = percent
            row["best"] = max(row["best"], percent)
            row["weak"] = percent < (given.pass_mark or DEFAULT_PASS_MARK)
    return found


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 0.051  # the report rounds to one decimal


# --- the numbers ------------------------------------------------------------------------


def test_question_numbers_match_an_independent_computation(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = report_json(db, capsys)
    expected = expected_questions(counted())
    assert {q["question"] for q in report["questions"]} == set(expected)
    for question in report["questions"]:
        want = expected[question["question"]]
        assert question["asked"] == want["asked"], question["question"]
        assert question["right"] == want["right"]
        assert close(question["facility"], want["facility"])
        assert close(question["discrimination"], want["discrimination"]), question["question"]
        assert question["flagged"] == want["flagged"]
        picks = {c["choice"]: c["picks"] for c in question["wrong_choices"]}
        assert picks == want["wrong_choices"]


def test_the_fixture_has_flagged_and_unflagged_questions(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = {q["question"]: q for q in report_json(db, capsys)["questions"]}
    flagged = {k for k, q in questions.items() if q["flagged"]}
    assert flagged and flagged != set(questions)
    low = questions["swelling-01"]
    assert low["facility"] < 50 and "facility below 50%" in low["flags"]
    assert any(q["discrimination"] is not None for q in questions.values())


def test_wrong_choices_are_counted_across_shuffled_versions(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Choice positions differ between versions; the report counts by the choice text."""
    questions = {q["question"]: q for q in report_json(db, capsys)["questions"]}
    swelling = {c["choice"]: c["picks"] for c in questions["swelling-01"]["wrong_choices"]}
    # By hand: "A few hours" in Ana's 2 Nov and Cy's 10 Nov practice (shuffled) and Ben's
    # exam; "About two weeks" in Ben's October practice and Ana's December practice
    # (shuffled). Ana's 24 Nov "A few hours" was changed to the right answer: not counted.
    assert swelling == {"A few hours": 3, "About two weeks": 2}
    multiple = {c["choice"]: c["picks"] for c in questions["swelling-04"]["wrong_choices"]}
    assert multiple == {"It lasts months": 2}
    assert questions["bruising-02"]["wrong_choices"] == []  # true/false: no choices


def test_staff_by_section_matches_an_independent_computation(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    report = report_json(db, capsys)
    expected = expected_staff(counted())
    got = {
        (learner["learner"], s["section"]): s
        for learner in report["staff"]
        for s in learner["sections"]
    }
    assert set(got) == set(expected)
    for key, want in expected.items():
        row = got[key]
        assert row["attempts"] == want["attempts"], key
        assert (row["asked"], row["right"]) == (want["asked"], want["right"]), key
        assert close(row["last_percent"], want["last"]), key
        assert close(row["best_percent"], want["best"]), key
        assert row["weak"] == want["weak"], key
    ana = next(learner for learner in report["staff"] if learner["learner"] == "Ana Ruiz")
    # Her latest attempt touching bruising (December practice) was right; swelling was not.
    assert ana["weak_sections"] == ["swelling"]
    assert ana["latest_exam"]["passed"] is True and ana["latest_exam"]["percent"] == 75.0
    assert ana["attempts"] == 4


def test_latest_exam_is_exams_only_and_abandoned_attempts_do_not_count(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = {s["learner"]: s for s in report_json(db, capsys)["staff"]}
    assert set(staff) == {"Ana Ruiz", "Ben Ode", CY}  # Dee abandoned her only attempt
    assert staff["Ben Ode"]["latest_exam"]["passed"] is False
    cy = staff[CY]["latest_exam"]
    assert cy["passed"] is False and cy["percent"] == 50.0  # timed out, counted
    assert staff["Ben Ode"]["attempts"] == 3


def test_section_shares(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    report = report_json(db, capsys)
    staff = expected_staff(counted())
    for share in report["sections"]:
        rows = [v for (_, section), v in staff.items() if section == share["section"]]
        above = sum(1 for v in rows if not v["weak"])
        assert (share["staff"], share["at_or_above"]) == (len(rows), above)
        assert close(share["share"], 100 * above / len(rows))


@pytest.mark.parametrize("since", ["2026-11-15", "2026-11-01", "2026-12-01"])
def test_since_counts_only_later_attempts(
    since: str, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Mid-month (from the attempts) and from the first of a month (the summaries)."""
    report = report_json(db, capsys, "--since", since)
    later = [g for g in counted() if g.at.date() >= date.fromisoformat(since)]
    assert report["attempts"] == len(later) and report["filter"]["since"] == since
    expected = expected_questions(later)
    for question in report["questions"]:
        want = expected[question["question"]]
        assert question["asked"] == want["asked"]
        assert close(question["facility"], want["facility"])
        assert close(question["discrimination"], want["discrimination"])
    staff = expected_staff(later)
    got = {(s["learner"], r["section"]): r for s in report["staff"] for r in s["sections"]}
    assert {k: v["attempts"] for k, v in got.items()} == {
        k: v["attempts"] for k, v in staff.items()
    }


def test_one_learner(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    report = report_json(db, capsys, "--learner", "  ANA ruiz ")
    theirs = [g for g in counted() if g.learner == "Ana Ruiz"]
    assert [s["learner"] for s in report["staff"]] == ["Ana Ruiz"]
    expected = expected_questions(theirs)
    assert {q["question"] for q in report["questions"]} == set(expected)
    for question in report["questions"]:
        want = expected[question["question"]]
        assert (question["asked"], question["right"]) == (want["asked"], want["right"])
        assert close(question["discrimination"], want["discrimination"])
        picks = {c["choice"]: c["picks"] for c in question["wrong_choices"]}
        assert picks == want["wrong_choices"]


def test_the_store_api_gives_the_same_report(db: str, backend: StoreBackend) -> None:
    with backend.reading() as store:
        report = store.report(ReportFilter())
        ana = store.report(ReportFilter(learner="ana ruiz"))
    assert report.attempts == len(counted())
    assert report.exams == sum(1 for g in counted() if g.mode is Mode.EXAM)
    assert [learner.name for learner in ana.learners] == ["Ana Ruiz"]


# --- the formats ------------------------------------------------------------------------


def csv_blocks(text: str) -> dict[str, list[dict[str, str]]]:
    blocks = {}
    for block in text.split("\r\n\r\n"):
        rows = list(csv.DictReader(io.StringIO(block, newline="")))
        if rows:
            blocks[rows[0]["table"]] = rows
    return blocks


def test_csv_and_json_carry_the_same_numbers(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    report = report_json(db, capsys)
    code, out, _ = run_cli(["report", "--db", str(db), "--format", "csv"], capsys)
    assert code == 0
    blocks = csv_blocks(out)
    assert set(blocks) == {
        "staff_sections",
        "staff",
        "questions",
        "wrong_choices",
        "sections",
        "unverified_passes",  # every exam pass here was a typed name (issue 18)
    }
    assert [r["attempt_id"] for r in blocks["unverified_passes"]] == [
        u["attempt_id"] for u in report["unverified_passes"]
    ]

    def number(cell: str) -> float | None:
        return None if cell == "" else float(cell)

    questions = {q["question"]: q for q in report["questions"]}
    for row in blocks["questions"]:
        question = questions[row["question"]]
        assert int(row["asked"]) == question["asked"]
        assert number(row["facility"]) == question["facility"]
        assert number(row["discrimination"]) == question["discrimination"]
        assert row["flagged"] == str(question["flagged"]).lower()
    assert len(blocks["questions"]) == len(questions)
    picks = {(r["question"], r["choice"]): int(r["picks"]) for r in blocks["wrong_choices"]}
    assert picks == {
        (q["question"], c["choice"]): c["picks"]
        for q in report["questions"]
        for c in q["wrong_choices"]
    }
    sections = {
        (learner["learner"], s["section"]): s
        for learner in report["staff"]
        for s in learner["sections"]
    }
    assert len(blocks["staff_sections"]) == len(sections)
    for row in blocks["staff_sections"]:
        learner = "[bold]Cy[/bold]" if row["learner"] == CY else row["learner"]
        section = sections[(learner, row["section"])]
        assert float(row["last_percent"]) == section["last_percent"]
        assert float(row["best_percent"]) == section["best_percent"]
        assert int(row["attempts"]) == section["attempts"]
        assert row["weak"] == str(section["weak"]).lower()
    shares = {s["section"]: s["share"] for s in report["sections"]}
    assert {r["section"]: float(r["share"]) for r in blocks["sections"]} == shares


def test_csv_cells_are_spreadsheet_safe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "scores.sqlite3"
    nasty = Given(
        '=HYPERLINK("http://example.invalid")', Mode.PRACTICE, GIVEN[0].at, GIVEN[0].questions
    )
    build_store(path, (nasty, GIVEN[1]))
    code, out, _ = run_cli(["report", "--db", str(path), "--format", "csv"], capsys)
    assert code == 0
    learners = {r["learner"] for r in csv_blocks(out)["staff"]}
    assert '\'=HYPERLINK("http://example.invalid")' in learners
    for rows in csv_blocks(out).values():
        for row in rows:
            for cell in row.values():
                try:
                    float(cell)  # a number, negative ones too, is not a formula
                except ValueError:
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def test_the_table_fits_80_columns_and_says_who_is_weak_where(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["report", "--db", str(db)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert max(display_width(line) for line in lines) <= 80
    assert "[bold]Cy[/bold]" in out  # literally
    text = "\n".join(lines)
    flat = " ".join(out.split())
    for heading in ("STAFF BY SECTION", "LATEST EXAM AND WEAK SECTIONS", "QUESTIONS", "SECTIONS"):
        assert heading in text
    assert "completed and timed-out attempts" in flat and "exams only" in flat
    exam_block = text[text.index("LATEST EXAM") : text.index("QUESTIONS")]
    ana = next(line for line in exam_block.splitlines() if line.startswith("Ana Ruiz"))
    assert "passed 75%" in ana and ana.rstrip().endswith("swelling")
    swelling = next(line for line in lines if line.startswith("swelling-01 "))
    assert "FLAGGED" in swelling
    assert any("flagged: facility below 50%" in line for line in lines)
    assert any(line.strip().startswith("wrong:") and "A few hours" in line for line in lines)


def test_long_names_and_choices_are_cut_to_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    long_name = "Bartholomew Fitzwilliam-Montgomery the Third of Many 李小龍 Names"
    build_store(path, (Given(long_name, Mode.EXAM, GIVEN[0].at, GIVEN[0].questions),))
    code, out, _ = run_cli(["report", "--db", str(path)], capsys)
    assert code == 0
    assert max(display_width(line) for line in out.splitlines()) <= 80
    assert "Bartholomew" in out


def test_empty_missing_and_unmatched_stores(
    tmp_path: Path, db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "scores.sqlite3"
    code, out, _ = run_cli(["report", "--db", str(missing)], capsys)
    assert code == 0 and "does not exist" in out and not missing.parent.exists()
    code, out, err = run_cli(["report", "--db", str(missing), "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["staff"] == [] and "does not exist" in err
    code, out, _ = run_cli(["report", "--db", str(db), "--learner", "Anna Ruis"], capsys)
    assert code == 0 and "no finished attempts match" in out and "Ana Ruiz" in out
    code, out, _ = run_cli(["report", "--db", str(db), "--since", "2027-01-01"], capsys)
    assert code == 0 and out == "no finished attempts match\n"


def test_a_store_that_cannot_be_read_is_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    path.write_bytes(b"not a database at all, just some text" * 10)
    code, _out, err = run_cli(["report", "--db", str(path)], capsys)
    assert code == 1 and err.startswith("quiz report: ") and "not a quiz score store" in err


def test_help_says_what_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["report", "--help"], capsys)
    assert code == 0
    flat = " ".join(out.split())
    assert "completed and timed-out attempts" in flat and "exams only" in flat
    assert "below that attempt's pass mark" in flat and "(the exam's, else 80%)" in flat
