"""Learners' flags and the central store: sent with their attempt by a terminal's sync
(an exam's only once it is over), kept append-only, read through the mirror by
`quiz flags` and `quiz report`, and forgotten with their learner."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg.types.json import Jsonb

from quiz.domain.flags import FlagRecord
from quiz.domain.records import AttemptResult, AttemptStatus, Mode
from quiz.storage.central.connection import connect, server_name
from quiz.storage.central.push import push_attempt
from quiz.storage.central.sync import sync_round
from quiz.storage.scores import ScoreStore
from tests.support.central import Central, export
from tests.support.cli import run_cli
from tests.support.store_records import QUESTIONS, answer, completed, make_start

NOTE = 'two answers are right, <b>"B"</b>'


def flag(position: int, note: str, at: datetime) -> FlagRecord:
    return FlagRecord(QUESTIONS[position].question_id, position, note, at)


def sync(central: Central, store: ScoreStore) -> None:
    url = central.url(central.terminal("lisbon"))
    with connect(url) as connection:
        outcome = sync_round(store, connection, server_name(url), "lisbon")
    assert outcome.still_pending == 0


def test_flags_are_pushed_with_their_attempt_an_exams_once_it_is_over(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    began = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    path = tmp_path / "lisbon.sqlite3"
    with ScoreStore.open(path, outbox=True, clinic="lisbon") as store:
        practice = store.start_attempt(make_start("Ana Ruiz", mode=Mode.PRACTICE, started_at=began))
        for position in range(4):
            store.record_answer(practice, answer(position, at=began + timedelta(seconds=9)))
        store.record_flag(practice, flag(1, NOTE, began + timedelta(minutes=1)))
        store.finish_attempt(practice, completed(4, passed=None))
        exam_start = began + timedelta(hours=1)
        exam = store.start_attempt(make_start("Ben Ode", started_at=exam_start))
        store.record_answer(exam, answer(0, at=exam_start + timedelta(seconds=5)))
        store.record_flag(exam, flag(0, "exam: the text says otherwise", exam_start))
        sync(central, store)
        rows = central.rows("SELECT uuid, item, question_id, note FROM quiz.flag")
        assert [(r[1], r[2], r[3]) for r in rows] == [(1, "swelling-04", NOTE)]
        # Sent again (the exam's answers): the flag is not added twice, the exam's not yet.
        store.record_answer(exam, answer(1, at=exam_start + timedelta(seconds=20)))
        sync(central, store)
        assert len(central.rows("SELECT uuid FROM quiz.flag")) == 1
        store.finish_attempt(
            exam,
            AttemptResult(
                AttemptStatus.ABANDONED, exam_start + timedelta(minutes=5), 2, 4, 50.0, False
            ),
        )
        sync(central, store)
    notes = sorted(r[0] for r in central.rows("SELECT note FROM quiz.flag"))
    assert notes == ["exam: the text says otherwise", NOTE]

    manager = central.url(central.manager("lisbon"))
    code, out, err = run_cli(["flags", "--db", manager, "--format", "json"], capsys)
    assert code == 0, err
    assert sorted(f["note"] for f in json.loads(out)) == notes
    code, out, err = run_cli(["report", "--db", manager, "--format", "json"], capsys)
    assert code == 0, err
    counts = {q["question"]: q["learner_flags"] for q in json.loads(out)["questions"]}
    assert counts["swelling-04"] == 1  # the practice round is counted; the abandoned exam not


def test_a_flag_on_the_server_is_never_changed_and_goes_with_its_learner(
    central: Central, tmp_path: Path
) -> None:
    began = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    with ScoreStore.open(tmp_path / "t.sqlite3", outbox=True, clinic="lisbon") as store:
        practice = store.start_attempt(make_start("Ana Ruiz", mode=Mode.PRACTICE, started_at=began))
        store.record_flag(practice, flag(0, "looks wrong", began))
        store.finish_attempt(practice, completed(0, passed=None))
        sync(central, store)
    assert len(central.rows("SELECT uuid FROM quiz.flag")) == 1
    with central.owner() as owner:
        with pytest.raises(psycopg.Error, match="never changed"):
            owner.execute("UPDATE quiz.flag SET note = 'changed'")
        with pytest.raises(psycopg.Error, match=r"deleted only by quiz\.forget_learner"):
            owner.execute("DELETE FROM quiz.flag")
    with central.connect(central.manager("lisbon")) as connection:
        connection.execute("SELECT quiz.forget_learner('ana ruiz')")
        connection.commit()
    assert central.rows("SELECT uuid FROM quiz.flag") == []


def test_the_server_refuses_flags_of_an_open_exam_or_of_another_clinic(central: Central) -> None:
    running = export(mode="exam", status="in_progress", right=(True, None, None))
    first = running["answers"][0]["question_id"]  # type: ignore[index]
    flags = [
        {
            "id": "f-1",
            "position": 0,
            "question_id": first,
            "flagged_at": "2026-11-23T10:00:05Z",
            "note": "x",
        }
    ]
    with central.connect(central.terminal("lisbon")) as connection:
        assert (
            push_attempt(connection, running, server=central.server(central.terminal("lisbon")))
            == "added"
        )
        with pytest.raises(psycopg.Error) as refused, connection.transaction():
            connection.execute("SELECT quiz.ingest_flags(%s, %s)", (running["id"], Jsonb(flags)))
        assert refused.value.sqlstate == "QZ004"
    with central.connect(central.terminal("porto")) as connection:
        with pytest.raises(psycopg.Error) as refused:
            connection.execute("SELECT quiz.ingest_flags(%s, %s)", (running["id"], Jsonb(flags)))
        assert refused.value.sqlstate == "QZ002"
    assert central.rows("SELECT uuid FROM quiz.flag") == []
