"""The report fixture (tests/support/report_store.py) has what the report, learners and
scores-screen tests need, and the store holds it as given."""

from __future__ import annotations

from pathlib import Path

from quiz.domain.records import AttemptStatus, Mode
from quiz.storage.scores import ScoreStore
from tests.support.report_store import CY, GIVEN, build_store


def test_the_fixture_has_what_the_reports_need() -> None:
    counted = [g for g in GIVEN if g.counted]
    assert {g.learner for g in counted} == {"Ana Ruiz", "Ben Ode", CY}
    assert {g.mode for g in counted} == {Mode.PRACTICE, Mode.EXAM}
    assert any(len(g.responses.get(q.question_id, [])) > 1 for g in GIVEN for q in g.questions)
    assert any(g.status is AttemptStatus.TIMED_OUT for g in GIVEN)
    assert [g.at for g in GIVEN] == sorted(g.at for g in GIVEN)


def test_the_store_holds_the_fixture(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    ids = build_store(path)
    with ScoreStore.open(path) as store:
        saved = {a.id: a for a in store.list_attempts()}
    assert set(saved) == set(ids)
    for attempt_id, given in zip(ids, GIVEN, strict=True):
        assert saved[attempt_id].correct == given.correct
