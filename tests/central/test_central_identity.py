"""How an attempt's learner was identified, and its verification code, through the
central store (issue 18; migration 0003): sent by the terminal, kept, and pulled into a
mirror as they were (a copy keeps its own identification)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quiz.domain.identity import Identification
from quiz.storage.central.errors import CentralError
from quiz.storage.central.pull import pull
from quiz.storage.central.push import push_attempt
from quiz.storage.scores import ScoreStore
from tests.support.central import Central, export


def _push(central: Central, attempt: dict[str, Any]) -> str:
    role = central.terminal("lisbon")
    with central.connect(role) as connection:
        return push_attempt(connection, attempt, server=central.server(role))


def _stored(central: Central, attempt_id: object) -> tuple[str, str | None]:
    with central.owner() as connection:
        row = connection.execute(
            "SELECT identified, verify_code FROM quiz.attempt WHERE uuid = %s", (attempt_id,)
        ).fetchone()
    assert row is not None
    return row[0], row[1]


def test_identification_and_code_go_up_and_come_back_down(central: Central, tmp_path: Path) -> None:
    witnessed = export(mode="exam") | {"identified": "witnessed", "verify_code": "QZ-AAAA-BBBB"}
    typed = export(learner="Ben Ode", mode="exam")  # an old terminal's: neither field
    running = export(learner="Cy Lo", mode="exam", status="in_progress", right=(True, None, None))
    running["identified"] = "pin"
    for attempt in (witnessed, typed, running):
        assert _push(central, attempt) == "added"
    assert _stored(central, witnessed["id"]) == ("witnessed", "QZ-AAAA-BBBB")
    assert _stored(central, typed["id"]) == ("typed", None)
    assert _stored(central, running["id"]) == ("pin", None)

    # It ends: the code computed at its end reaches the central store.
    ended = export(learner="Cy Lo", mode="exam", attempt_id=str(running["id"]))
    ended |= {"identified": "pin", "verify_code": "QZ-CCCC-DDDD"}
    assert _push(central, ended) == "changed"
    assert _stored(central, running["id"]) == ("pin", "QZ-CCCC-DDDD")

    mirror = tmp_path / "mirror.sqlite3"
    role = central.manager("lisbon")
    with central.connect(role) as connection:
        pull(connection, central.server(role), mirror)
    with ScoreStore.open(mirror) as mirrored:
        found = {a.learner: (a.identified, a.verify_code) for a in mirrored.list_attempts()}
    assert found == {
        "Ana Ruiz": (Identification.WITNESSED, "QZ-AAAA-BBBB"),
        "Ben Ode": (Identification.TYPED, None),
        "Cy Lo": (Identification.PIN, "QZ-CCCC-DDDD"),
    }


def test_a_made_up_identification_is_refused_by_the_server(central: Central) -> None:
    attempt = export(mode="exam") | {"identified": "fingerprint"}
    with pytest.raises(CentralError):
        _push(central, attempt)
