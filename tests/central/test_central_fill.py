"""A pull makes its attempts straight from the server's rows (quiz.storage.central.fill),
the import's reader checking each question as asked once: what it makes is the reader's
own PreparedAttempt, field for field, and the mirror it fills is the one the import of
the same exports fills."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from quiz.storage import exchange
from quiz.storage.central import fill
from quiz.storage.central.pull import pull
from quiz.storage.central.pull_reading import Responses, attempt_export, changed_attempts
from quiz.storage.central.push import push_attempt
from quiz.storage.scores import ScoreStore
from tests.support.central import T0, Central, export
from tests.support.report_store import build_store


def _attempts(tmp_path: Path) -> list[dict[str, Any]]:
    """Attempts of every shape: a real store's (the report tests'), answer histories,
    unanswered questions, exams passed and failed, abandoned and timed out, a learner's
    flags, and a question asked of one attempt only."""
    path = tmp_path / "terminal.sqlite3"
    build_store(path)
    with ScoreStore.open(path) as store:
        made = [store.get_attempt(s.id) for s in store.list_attempts()]
    attempts = [detail.to_export_dict() for detail in made if detail is not None]
    for number in range(12):
        attempts.append(
            export(
                learner=("Ana Ruiz", "Rui Sá", "Dee Park")[number % 3],
                right=((True, None, False), (True, True, True), (None, None, None))[number % 3],
                mode="exam" if number % 2 else "practice",
                status=("completed", "timed_out", "abandoned")[number % 3],
                changed_first=(0, 2) if number % 4 == 1 else (),
                started_at=T0 + timedelta(hours=number, microseconds=250_000 * (number % 2)),
            )
        )
    flagged = export(learner="Cy Young", right=(False, True, True))
    flagged["flags"] = [
        {
            "id": "flag-1",
            "position": 1,
            "question_id": flagged["answers"][1]["question_id"],  # type: ignore[index]
            "flagged_at": flagged["started_at"],
            "note": "two right answers?",
        }
    ]
    attempts.append(flagged)
    odd = export(learner="Ben Ode", right=(True, False, True))
    odd["answers"][2]["prompt"] = "Asked of this attempt only"  # type: ignore[index]
    attempts.append(odd)
    return attempts


def _push(central: Central, attempts: list[dict[str, Any]]) -> None:
    role = central.terminal("lisbon")
    with central.connect(role) as connection:
        for attempt in attempts:
            assert push_attempt(connection, attempt, server=central.server(role)) == "added"


def test_the_attempts_made_from_rows_are_the_readers_own(central: Central, tmp_path: Path) -> None:
    attempts = _attempts(tmp_path)
    _push(central, attempts)
    with central.connect(central.group) as connection, connection.transaction():
        bodies: dict[int, dict[str, Any]] = {}
        pulled = list(changed_attempts(connection, "0", {}, bodies))
    assert len(pulled) == len([a for a in attempts if a["status"] != "in_progress"])
    responses = Responses()
    filler = fill.Filler(lambda one: attempt_export(one, bodies, responses))
    with fill.read(filler, iter(pulled)) as made:
        ours = made[0 : len(made)]
    exports = [attempt_export(one, bodies, responses) for one in pulled]
    with exchange.read_export_entries(fill.SOURCE, iter(exports)) as read:
        theirs = read[0 : len(read)]
    assert len(ours.attempts) == len(theirs.attempts) == len(pulled)
    for mine, reader in zip(ours.attempts, theirs.attempts, strict=True):
        assert mine.id == reader.id
        # Question numbers are each batch's own: compared as the questions they are.
        assert [ours.versions.questions[n] for n in mine.questions] == [
            theirs.versions.questions[n] for n in reader.questions
        ], mine.id
        assert mine._replace(questions=()) == reader._replace(questions=()), mine.id
    # Most were made from their rows; the first to ask a question, and the one with
    # learners' flags, the reader's way.
    assert 2 <= filler.read_by_reader < len(pulled) // 2


def test_the_mirror_filled_from_rows_is_the_imports(central: Central, tmp_path: Path) -> None:
    attempts = [a for a in _attempts(tmp_path) if a["status"] != "in_progress"]
    _push(central, attempts)
    mirror = tmp_path / "mirror.sqlite3"
    with central.connect(central.group) as connection:
        outcome = pull(connection, central.server(central.group), mirror)
    assert (outcome.read, outcome.imported) == (len(attempts), len(attempts))
    with central.connect(central.group) as connection, connection.transaction():
        bodies: dict[int, dict[str, Any]] = {}
        pulled = list(changed_attempts(connection, "0", {}, bodies))
    responses = Responses()
    exports = [attempt_export(one, bodies, responses) for one in pulled]
    with (
        ScoreStore.open(tmp_path / "imported.sqlite3") as one,
        exchange.read_export_entries(fill.SOURCE, iter(exports)) as read,
    ):
        one.import_attempts(read)
        with ScoreStore.open(mirror) as mirrored:
            assert mirrored.report() == one.report()
            assert mirrored.list_learners() == one.list_learners()
            mine, theirs = _unplaced(mirrored.export_texts()), _unplaced(one.export_texts())
    assert len(mine) == len(attempts)
    assert {i: a for i, (a, _) in mine.items()} == {i: a for i, (a, _) in theirs.items()}
    # The pull alone records where each attempt was taken (its rows, not its export).
    assert {placed[0] for _, placed in mine.values()} == {"lisbon"}


def _unplaced(texts: Iterable[str]) -> dict[str, tuple[dict[str, Any], tuple[Any, Any]]]:
    """Exported attempts by id, apart from where they were taken (clinic and UTC
    offset), which an export read back does not carry."""
    attempts = {}
    for text in texts:
        attempt = json.loads(text)
        placed = (attempt.pop("clinic"), attempt.pop("utc_offset_minutes"))
        attempts[attempt["id"]] = (attempt, placed)
    return attempts
