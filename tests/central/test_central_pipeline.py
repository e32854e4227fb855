"""Attempts sent several at once (push.push_attempts, libpq's pipeline mode), each in
its own transaction: one the server refuses leaves the others as they are, the answers
come in order, and the connection is usable after, stopped early or not."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from quiz.storage.central.errors import CentralError
from quiz.storage.central.push import push_attempt, push_attempts
from tests.support.central import Central, export
from tests.support.central_child import attempts


def _send(
    central: Central, attempts: list[dict[str, Any]], window: int = 3
) -> list[tuple[int, str]]:
    """(index, outcome or the refusal's kind) of each attempt, in the order they come."""
    role = central.terminal("lisbon")
    with central.connect(role) as connection:
        done: list[tuple[int, str]] = [
            (key, outcome.kind if isinstance(outcome, CentralError) else outcome)
            for key, outcome in push_attempts(
                connection,
                ((index, attempt, 60) for index, attempt in enumerate(attempts)),
                server=central.server(role),
                window=window,
            )
        ]
        # The connection is out of pipeline mode and usable.
        assert push_attempt(connection, export(learner="Cy Young"), server=central.server(role))
    return done


@pytest.mark.parametrize("window", [1, 3, 8])
def test_a_refusal_leaves_the_others_sent(central: Central, window: int) -> None:
    with central.connect(central.terminal("lisbon")) as connection:
        first = export(learner="Ana Ruiz")
        push_attempt(connection, first, server=central.server(central.terminal("lisbon")))
    with central.connect(central.manager("lisbon")) as manager:
        manager.execute("SELECT quiz.forget_learner('ana ruiz')")
        manager.commit()
    taken = export(learner="Ben Ode")
    changed = dict(taken, started_at="2026-11-23T11:00:00Z")  # the same id, another attempt
    flagged = export(learner="Rui Sá", right=(True, False, True), changed_first=(0,))
    flagged["flags"] = [
        {
            "id": "flag-1",
            "position": 1,
            "question_id": flagged["answers"][1]["question_id"],
            "flagged_at": flagged["started_at"],
            "note": "unclear",
        }
    ]
    attempts = [
        taken,
        export(learner="Ana Ruiz"),  # forgotten here
        flagged,
        changed,  # another attempt under an id the server has
        export(learner="Dee Park", right=(None, None, None)),
        taken,  # again: nothing changes
    ]
    done = _send(central, attempts, window)
    assert done == [
        (0, "added"),
        (1, "forgotten"),
        (2, "added"),
        (3, "conflict"),
        (4, "added"),
        (5, "unchanged"),
    ]
    assert sorted(central.rows("SELECT learner FROM quiz.attempt")) == [
        ("Ben Ode",),
        ("Cy Young",),
        ("Dee Park",),
        ("Rui Sá",),
    ]
    assert central.rows("SELECT count(*), min(utc_offset_minutes) FROM quiz.attempt") == [(4, 60)]
    assert central.rows("SELECT uuid, note FROM quiz.flag") == [("flag-1", "unclear")]
    assert central.rows("SELECT count(*) FROM quiz.answer WHERE rev = 1") == [(1,)]
    assert central.rows(
        "SELECT count(*) FROM (SELECT * FROM quiz.summary EXCEPT SELECT * FROM "
        "quiz.summary_rebuilt UNION ALL SELECT * FROM quiz.summary_rebuilt EXCEPT "
        "SELECT * FROM quiz.summary) d"
    ) == [(0,)]


def test_stopping_early_leaves_the_connection_usable(central: Central) -> None:
    role = central.terminal("lisbon")
    attempts = [export(learner=f"Learner {n}") for n in range(10)]
    with central.connect(role) as connection:
        sent = push_attempts(
            connection,
            ((n, attempt, None) for n, attempt in enumerate(attempts)),
            server=central.server(role),
            window=4,
        )
        assert next(sent) == (0, "added")
        sent.close()  # those on their way are waited for, their answers dropped
        assert push_attempt(connection, attempts[0], server=central.server(role)) == "unchanged"
    # The window's four were sent whole; the rest were never read.
    assert central.rows("SELECT count(*) FROM quiz.attempt") == [(4,)]


def test_two_clinics_pipelining_at_once_lose_and_double_nothing(central: Central) -> None:
    """As test_central_concurrency's terminals, but each sending its attempts several
    at once: lisbon's from two copies of one store, porto's, all at the same time."""
    senders = [("lisbon", "lisbon-store"), ("lisbon", "lisbon-store"), ("porto", "porto-store")]
    count = 120
    added: list[int] = []
    start = threading.Barrier(len(senders))

    def send(clinic: str, seed: str) -> None:
        role = central.terminal(clinic)
        made = attempts(seed, count)
        with central.connect(role) as connection:
            start.wait()
            outcomes = [
                outcome
                for _, outcome in push_attempts(
                    connection,
                    ((n, attempt, 0) for n, attempt in enumerate(made)),
                    server=central.server(role),
                )
            ]
        assert all(o in ("added", "unchanged", "changed") for o in outcomes), outcomes
        added.append(outcomes.count("added"))

    threads = [threading.Thread(target=send, args=sender) for sender in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(added) == len(senders)
    assert sum(added) == 2 * count  # each attempt added once, by one of its senders
    assert central.rows(
        "SELECT c.code, count(*), count(DISTINCT a.uuid) FROM quiz.attempt a "
        "JOIN quiz.clinic c ON c.id = a.clinic GROUP BY c.code ORDER BY 1"
    ) == [("lisbon", count, count), ("porto", count, count)]
    assert central.rows(
        "SELECT count(*) FROM (SELECT * FROM quiz.summary EXCEPT SELECT * FROM "
        "quiz.summary_rebuilt UNION ALL SELECT * FROM quiz.summary_rebuilt EXCEPT "
        "SELECT * FROM quiz.summary) d"
    ) == [(0,)]
