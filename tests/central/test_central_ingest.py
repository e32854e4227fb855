"""quiz.ingest_attempt through the client's push: idempotent, status forward only,
summaries kept in step, forgotten learners refused."""

from __future__ import annotations

import pytest

from quiz.storage.central.errors import CentralError
from quiz.storage.central.push import push_attempt
from tests.support.central import Central, export


def _push(central: Central, clinic: str, attempt: dict[str, object]) -> str:
    role = central.terminal(clinic)
    with central.connect(role) as connection:
        return push_attempt(connection, attempt, server=central.server(role))


def _summaries_match(central: Central) -> None:
    kept = central.rows("SELECT * FROM quiz.summary WHERE attempts <> 0 ORDER BY 1, 2, 3, 4")
    rebuilt = central.rows("SELECT * FROM quiz.summary_rebuilt ORDER BY 1, 2, 3, 4")
    assert kept == rebuilt


def test_the_same_attempt_twice_is_stored_once(central: Central) -> None:
    attempt = export(changed_first=(0,))
    assert _push(central, "lisbon", attempt) == "added"
    assert _push(central, "lisbon", attempt) == "unchanged"
    assert central.rows("SELECT uuid, status, learner_key FROM quiz.attempt") == [
        (attempt["id"], "completed", "ana ruiz")
    ]
    # Three questions, two answered once and one changed once: four answer rows.
    assert central.rows("SELECT item, rev, correct FROM quiz.answer ORDER BY item, rev") == [
        (0, 0, False),
        (0, 1, True),
        (1, 0, True),
        (2, 0, False),
    ]
    assert central.rows(
        "SELECT clinic, mode, attempts, asked, answered, right_answers FROM quiz.summary"
    ) == [(1, "practice", 1, 3, 3, 2)]
    _summaries_match(central)


def test_a_status_only_moves_forward(central: Central) -> None:
    running = export(status="in_progress", right=(True, None, None))
    assert _push(central, "lisbon", running) == "added"
    assert central.rows("SELECT attempts FROM quiz.summary") == []  # not counted yet
    paused = export(attempt_id=str(running["id"]), status="paused", right=(True, None, None))
    assert _push(central, "lisbon", paused) == "changed"
    resumed = export(attempt_id=str(running["id"]), status="in_progress", right=(True, True, None))
    assert _push(central, "lisbon", resumed) == "changed"
    assert central.rows("SELECT status FROM quiz.attempt") == [("in_progress",)]
    done = export(attempt_id=str(running["id"]), status="completed", right=(True, True, False))
    assert _push(central, "lisbon", done) == "changed"
    # A stale copy (still in progress, fewer answers) and another end change nothing.
    assert _push(central, "lisbon", running) == "unchanged"
    abandoned = export(attempt_id=str(running["id"]), status="abandoned", right=(True, True, False))
    assert _push(central, "lisbon", abandoned) == "unchanged"
    assert central.rows("SELECT status, correct FROM quiz.attempt") == [("completed", 2)]
    assert central.rows("SELECT count(*) FROM quiz.answer") == [(3,)]
    assert central.rows("SELECT attempts, answered, right_answers FROM quiz.summary") == [(1, 3, 2)]
    _summaries_match(central)


def test_heartbeats_are_the_servers_clock(central: Central) -> None:
    attempt = export(status="in_progress", right=(True, None, None))
    _push(central, "lisbon", attempt)
    (first,) = central.rows("SELECT seen_at, received_at, seen_at <= now() FROM quiz.attempt")
    _push(central, "lisbon", attempt)
    (second,) = central.rows("SELECT seen_at, received_at FROM quiz.attempt")
    assert first[2] is True
    assert second[0] > first[0] and second[1] == first[1]


def test_the_course_versions_each_clinic_used_are_kept(central: Central) -> None:
    _push(central, "lisbon", export())
    newer = export()
    newer["course_version"] = "sha256:" + "cd" * 32
    _push(central, "lisbon", newer)
    assert central.rows("SELECT clinic, course_version FROM quiz.course_seen ORDER BY 2") == [
        (1, "sha256:" + "ab" * 32),
        (1, "sha256:" + "cd" * 32),
    ]


def test_an_attempt_with_a_changed_content_is_refused(central: Central) -> None:
    attempt = export()
    _push(central, "lisbon", attempt)
    other = export(attempt_id=str(attempt["id"]), learner="Ben Ode")
    with pytest.raises(CentralError) as caught:
        _push(central, "lisbon", other)
    assert caught.value.kind == "conflict"
    assert str(attempt["id"]) in caught.value.message
    assert central.rows("SELECT learner FROM quiz.attempt") == [("Ana Ruiz",)]


def test_a_payload_that_is_not_an_attempt_is_refused_clearly(central: Central) -> None:
    broken = export()
    del broken["answers"]
    with pytest.raises(CentralError) as caught:
        _push(central, "lisbon", broken)
    assert caught.value.kind == "rejected"
    assert "answers" in caught.value.message
    assert central.rows("SELECT count(*) FROM quiz.attempt") == [(0,)]


def test_a_forgotten_learners_old_export_is_refused(central: Central) -> None:
    old = export(learner="Ana Ruiz")
    _push(central, "lisbon", old)
    _push(central, "lisbon", export(learner="Ben Ode"))
    with central.connect(central.manager("lisbon")) as manager:
        row = manager.execute("SELECT quiz.forget_learner(%s)", ("ana ruiz",)).fetchone()
        assert row is not None
        (deleted,) = row
        manager.commit()
    assert deleted == 1
    assert central.rows("SELECT learner FROM quiz.attempt") == [("Ben Ode",)]
    (tombstone,) = central.rows("SELECT hash, forgotten_on FROM quiz.tombstone")
    assert len(tombstone[0]) == 32  # a hash, no name
    # The same export again, and a new attempt under another spelling of the name.
    for again in (old, export(learner="  ANA RUIZ ")):
        with pytest.raises(CentralError) as caught:
            _push(central, "lisbon", again)
        assert caught.value.kind == "forgotten"
    assert central.rows("SELECT count(*) FROM quiz.attempt") == [(1,)]
    _summaries_match(central)
    # The same name at another clinic is another person.
    assert _push(central, "porto", export(learner="Ana Ruiz")) == "added"
