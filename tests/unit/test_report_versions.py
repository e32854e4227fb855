"""The report keeps the versions of a question apart (issue 17).

A version is quiz.domain.versions' content version: the type, the right answer(s) and
the choices, not the wording or the order shown. A question corrected in the course
(another right answer) has a row per version with answers, each with its own facility,
discrimination and wrong choices; a reworded prompt or a shuffle stays one version. Both
computations (the summaries, the attempts) agree; the summaries of an older store are
made again by the upgrade; JSON, CSV, the printed table and the HTML page say which
version a row is of. The expected figures are worked out here from the attempts as
given, not by the report code.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from quiz.domain.records import AskedQuestion, Mode
from quiz.domain.stats import ItemSums, discrimination
from quiz.domain.versions import content_version
from quiz.storage import db, summaries
from quiz.storage.report_model import QuestionReport, Report, ReportFilter
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.local_time import local_timezone
from tests.support.report_store import (
    BRUISING_02,
    COURSE,
    DRUGS_03,
    SWELLING_01,
    Given,
    save,
)
from tests.support.summaries import assert_summaries_are_rebuilt_ones
from tests.unit.test_report_html import strict_tree, table_rows
from tests.unit.test_report_summaries import both, same

# swelling-01 as first written (its key: "One to three days"), then corrected: the key
# is now "About two weeks" (another version), and later reworded (the same version).
OLD = SWELLING_01
FIXED = replace(SWELLING_01, answer=("About two weeks",))
REWORDED = replace(FIXED, prompt="For how long does swelling usually last?")
OTHERS = (BRUISING_02, DRUGS_03)


def _at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=UTC)


ATTEMPTS: tuple[Given, ...] = (
    # October: the old version.
    Given("Ana Ruiz", Mode.PRACTICE, _at(10, 5), (OLD, *OTHERS), {
        "swelling-01": ["One to three days"], "bruising-02": [True],
        "drugs-pregnancy-03": ["aspirin"],
    }),
    Given("Ben Ode", Mode.PRACTICE, _at(10, 6), (OLD, *OTHERS), {
        "swelling-01": ["A few hours"], "bruising-02": [False],
        "drugs-pregnancy-03": ["accutane"],
    }),
    Given("Cy Lam", Mode.EXAM, _at(10, 7), (OLD, *OTHERS), {
        "swelling-01": ["A few hours"], "bruising-02": [True],
        "drugs-pregnancy-03": ["Retin-A"],
    }),
    # November: the corrected version (Cy's reworded: still that version).
    Given("Ana Ruiz", Mode.PRACTICE, _at(11, 3), (FIXED, *OTHERS), {
        "swelling-01": ["About two weeks"], "bruising-02": [True],
        "drugs-pregnancy-03": ["aspirin"],
    }),
    Given("Ben Ode", Mode.EXAM, _at(11, 4), (FIXED, *OTHERS), {
        "swelling-01": ["One to three days"], "bruising-02": [True],
        "drugs-pregnancy-03": ["accutane"],
    }),
    Given("Cy Lam", Mode.PRACTICE, _at(11, 6), (REWORDED, *OTHERS), {
        "swelling-01": ["About two weeks"], "bruising-02": [False],
        "drugs-pregnancy-03": ["aspirin"],
    }),
)  # fmt: skip


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Local time is UTC: the months of the attempts do not depend on the machine."""
    with local_timezone("UTC"):
        yield


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        for given in ATTEMPTS:
            save(store, given)
    return path


def label(question: AskedQuestion) -> str:
    """The version's name in a report: "v" and the first 4 hex digits of its hash."""
    return "v" + content_version(question).removeprefix("sha256:")[:4]


def expected(version: AskedQuestion, attempts: tuple[Given, ...] = ATTEMPTS) -> dict[str, object]:
    """asked, right, facility and discrimination of swelling-01 over the attempts that
    asked this version (its content: `version` or a rewording of it), by hand."""
    key = content_version(version)
    x_sum = r_sum = rr_sum = xr_sum = 0.0
    asked = right = 0
    for given in attempts:
        (question,) = [q for q in given.questions if q.question_id == "swelling-01"]
        if content_version(question) != key:
            continue
        x = int(given.right(question))
        rest = (given.correct - x) / (len(given.questions) - 1)
        asked += 1
        right += x
        x_sum, r_sum, rr_sum, xr_sum = x_sum + x, r_sum + rest, rr_sum + rest**2, xr_sum + x * rest
    return {
        "asked": asked,
        "right": right,
        "facility": 100.0 * right / asked,
        "discrimination": discrimination(ItemSums(asked, x_sum, r_sum, rr_sum, xr_sum)),
    }


def swelling_rows(report: Report) -> list[QuestionReport]:
    return [q for q in report.questions if q.question == "swelling-01"]


def figures(row: QuestionReport) -> dict[str, object]:
    return {
        "asked": row.asked,
        "right": row.right,
        "facility": row.facility,
        "discrimination": row.discrimination,
    }


# --- the statistics, per version --------------------------------------------------------


def test_a_question_answered_under_two_versions_has_a_row_for_each(store_path: Path) -> None:
    with ScoreStore.open(store_path) as store:
        report = store.report(ReportFilter())
    current, older = swelling_rows(report)
    assert (current.version, current.current, current.versions) == (label(FIXED), True, 2)
    assert (older.version, older.current, older.versions) == (label(OLD), False, 2)
    assert label(FIXED) != label(OLD) and label(REWORDED) == label(FIXED)
    # Each version's own figures, not the question's over both (3 of 6 right, 50%).
    same(figures(current), expected(FIXED))  # Ana, Ben and Cy's reworded one: 2 of 3
    same(figures(older), expected(OLD))  # only Ana: 1 of 3
    assert (current.right, older.right) == (2, 1)
    assert current.discrimination != older.discrimination
    assert "facility below 50%" in older.flags and "facility below 50%" not in current.flags
    # Each version's wrong choices: the old key is a wrong choice of the corrected one.
    assert [(c.choice, c.picks) for c in current.wrong_choices] == [
        ("One to three days", 1),
        ("A few hours", 0),
    ]
    assert [(c.choice, c.picks) for c in older.wrong_choices] == [
        ("A few hours", 2),
        ("About two weeks", 0),
    ]
    assert current.label == f"swelling-01 ({label(FIXED)}, current)"
    assert older.label == f"swelling-01 ({label(OLD)}, older version)"
    # A question of one version is named as before.
    (bruising,) = [q for q in report.questions if q.question == "bruising-02"]
    assert (bruising.versions, bruising.current, bruising.label) == (1, True, "bruising-02")
    assert bruising.asked == len(ATTEMPTS)


@pytest.mark.parametrize(
    "since", [None, date(2026, 10, 1), date(2026, 10, 6), date(2026, 11, 1), date(2026, 11, 4)]
)
@pytest.mark.parametrize("course", [None, COURSE])
def test_the_summaries_and_the_attempts_agree_version_by_version(
    store_path: Path, since: date | None, course: str | None
) -> None:
    from_summaries, from_attempts = both(store_path, ReportFilter(since=since, course=course))
    same(asdict(from_summaries), asdict(from_attempts))


def test_a_period_after_the_correction_starts_the_corrected_row_empty(store_path: Path) -> None:
    """From the first of November only the corrected version was asked: its row holds
    those answers alone, nothing inherited, and still says it is the current one."""
    report, _ = both(store_path, ReportFilter(since=date(2026, 11, 1)))
    (row,) = swelling_rows(report)
    assert (row.version, row.current, row.label) == (
        label(FIXED),
        True,
        f"swelling-01 ({label(FIXED)}, current)",
    )
    same(figures(row), expected(FIXED))
    # One learner's report (from their attempts) keeps the versions apart too.
    with ScoreStore.open(store_path) as store:
        ben = store.report(ReportFilter(learner="Ben Ode"))
    assert [(q.version, q.current, q.asked, q.right) for q in swelling_rows(ben)] == [
        (label(FIXED), True, 1, 0),
        (label(OLD), False, 1, 0),
    ]


def test_the_version_asked_in_the_latest_month_is_current(tmp_path: Path) -> None:
    """Of two versions asked in the same month, the one that reached the store later is
    current; once only the other is asked in a later month, that one is."""
    path = tmp_path / "scores.sqlite3"
    same_month = (
        Given("Ana Ruiz", Mode.PRACTICE, _at(11, 1), (OLD, BRUISING_02), {}),
        Given("Ben Ode", Mode.PRACTICE, _at(11, 2), (FIXED, BRUISING_02), {}),
        Given("Cy Lam", Mode.PRACTICE, _at(11, 3), (OLD, BRUISING_02), {}),
    )
    with ScoreStore.open(path) as store:
        for given in same_month:
            save(store, given)
        assert [(q.version, q.current) for q in swelling_rows(store.report())] == [
            (label(FIXED), True),
            (label(OLD), False),
        ]
        save(store, Given("Dee Park", Mode.PRACTICE, _at(12, 1), (OLD, BRUISING_02), {}))
        assert [(q.version, q.current) for q in swelling_rows(store.report())] == [
            (label(OLD), True),
            (label(FIXED), False),
        ]


# --- the upgrade ------------------------------------------------------------------------


def test_an_older_store_is_upgraded_with_its_statistics_by_version(tmp_path: Path) -> None:
    """A store of the version before (its question statistics by question only) has
    them made again by version: the report from the rebuilt summaries equals the one
    from the attempts."""
    path = tmp_path / "scores.sqlite3"
    before = db.VERSIONED_STATS_VERSION - 1
    old = ScoreStore(path, db.connect(path, upto=before))
    try:
        for given in ATTEMPTS:
            save(old, given)
        columns = [c[1] for c in old._connection.execute("PRAGMA table_info(question_stats)")]
        assert "content" not in columns
        # What the code of then kept for swelling-01 in November: both versions in one row.
        old._connection.execute(
            "INSERT INTO question_stats VALUES (1, 202611, 0, 6, 6, 3, 0, 6, 3, 1.0, 1.0, 1.0)"
        )
    finally:
        old.close()
    with ScoreStore.open(path) as store:
        connection = store._connection
        assert connection.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        assert_summaries_are_rebuilt_ones(connection)
        contents = connection.execute(
            """SELECT DISTINCT s.content FROM question_stats s
               JOIN question q ON q.id = s.question WHERE q.code = 'swelling-01'"""
        ).fetchall()
        assert len(contents) == 2
        report = store.report(ReportFilter())
    from_summaries, from_attempts = both(path, ReportFilter())
    same(asdict(from_summaries), asdict(from_attempts))
    same(asdict(report), asdict(from_attempts))
    assert [(q.version, q.current) for q in swelling_rows(report)] == [
        (label(FIXED), True),
        (label(OLD), False),
    ]
    assert len(list(tmp_path.glob(f"scores.sqlite3.v{before}-*.bak"))) == 1


def test_a_store_of_an_older_version_keeps_no_summaries_until_upgraded(tmp_path: Path) -> None:
    """The code of now does not write the older tables (tests make such stores); its
    report is then read from the attempts."""
    path = tmp_path / "scores.sqlite3"
    old = ScoreStore(path, db.connect(path, upto=db.VERSIONED_STATS_VERSION - 1))
    try:
        save(old, ATTEMPTS[0])
        assert not summaries.kept(old._connection)
        assert old._connection.execute("SELECT count(*) FROM question_stats").fetchone() == (0,)
        (row,) = swelling_rows(old.report())
        assert (row.asked, row.version, row.versions) == (1, label(OLD), 1)
    finally:
        old.close()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] < summaries.TABLES_VERSION
    raw.close()


# --- what the outputs show --------------------------------------------------------------


def test_json_and_csv_say_which_version_each_row_is_of(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["report", "--db", str(store_path), "--format", "json"], capsys)
    assert code == 0, err
    rows = [q for q in json.loads(out)["questions"] if q["question"] == "swelling-01"]
    assert [(q["version"], q["current"], q["asked"], q["right"]) for q in rows] == [
        (label(FIXED), True, 3, 2),
        (label(OLD), False, 3, 1),
    ]
    assert [c["choice"] for c in rows[0]["wrong_choices"]] == ["One to three days", "A few hours"]
    assert "version" not in rows[0]["wrong_choices"][0]  # the row it is nested in says it

    code, out, err = run_cli(["report", "--db", str(store_path), "--format", "csv"], capsys)
    assert code == 0, err
    lines = out.split("\r\n")
    header = next(line for line in lines if line.startswith("table,course,question,version"))
    assert header.startswith("table,course,question,version,current,section")
    assert f"questions,{COURSE},swelling-01,{label(OLD)},false," in out
    assert f"wrong_choices,{COURSE},swelling-01,{label(OLD)},A few hours,2," in out


def test_the_printed_report_names_the_version_under_each_row(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["report", "--db", str(store_path)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    rows = [i for i, line in enumerate(lines) if line.startswith("swelling-01 ")]
    assert len(rows) == 2
    assert lines[rows[0] + 1] == f"    version {label(FIXED)}, current"
    assert lines[rows[1] + 1] == f"    version {label(OLD)}, older version"
    assert "has a row per version with" in out  # the note above the table says why
    bruising = next(i for i, line in enumerate(lines) if line.startswith("bruising-02 "))
    assert "version" not in lines[bruising + 1]  # one version: nothing to tell apart


def test_the_html_page_shows_each_versions_row_and_point(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(["report", "--db", str(store_path), "--format", "html"], capsys)
    assert code == 0, err
    tree = strict_tree(out)
    rows = [row for row in table_rows(tree, "question-table") if row[0] == "swelling-01"]
    assert [row[-1] for row in rows] == [
        f"{label(FIXED)}, current",
        f"{label(OLD)}, older version",
    ]
    assert [row[2] for row in rows] == ["3", "3"]  # asked, each version's own
    # The older version is flagged (facility 33%): its point's label names the version.
    labels = [t.text or "" for t in tree.iter("{http://www.w3.org/2000/svg}text")] + [
        t.text or "" for t in tree.iter("text")
    ]
    assert any(text.startswith(f"swelling-01 {label(OLD)} (older) · 33%") for text in labels)
    assert any(text.startswith(f"swelling-01 {label(FIXED)} · 67%") for text in labels)
    assert [row[-1] for row in table_rows(tree, "question-table") if row[0] != "swelling-01"] == [
        "",
        "",
    ]  # one version each: nothing to tell apart
    assert "per version with answers" in out


def test_the_step_of_versioned_statistics_is_the_one_its_constant_names(tmp_path: Path) -> None:
    def columns(upto: int) -> list[str]:
        path = tmp_path / f"v{upto}.sqlite3"
        connection = db.connect(path, upto=upto)
        try:
            return [c[1] for c in connection.execute("PRAGMA table_info(choice_stats)")]
        finally:
            connection.close()

    assert "content" not in columns(db.VERSIONED_STATS_VERSION - 1)
    assert "content" in columns(db.VERSIONED_STATS_VERSION)
    assert db.SUMMARIES_VERSION >= db.VERSIONED_STATS_VERSION == summaries.TABLES_VERSION
