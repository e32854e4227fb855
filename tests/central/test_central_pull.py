"""The mirror: what the role may read, added with the import's code, incrementally;
its report equals one from importing the same exports into one SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

from quiz.storage import exchange
from quiz.storage.central.pull import last_pulled, mirror_path, pull
from quiz.storage.central.push import push_attempt
from quiz.storage.outbox import tombstone_hash
from quiz.storage.scores import ScoreStore
from tests.support.central import Central, export
from tests.support.report_store import build_store


def _push(central: Central, clinic: str, attempt: dict[str, object]) -> str:
    role = central.terminal(clinic)
    with central.connect(role) as connection:
        return push_attempt(connection, attempt, server=central.server(role))


def _pull(central: Central, role: str, mirror: Path) -> tuple[int, int, int]:
    with central.connect(role) as connection:
        outcome = pull(connection, central.server(role), mirror)
    return outcome.read, outcome.imported, outcome.forgotten


def test_the_group_mirror_reports_as_both_clinics_exports_imported(
    central: Central, tmp_path: Path
) -> None:
    # Two terminals' real stores (the report tests' attempts), one per clinic.
    exports = []
    for clinic in ("lisbon", "porto"):
        path = tmp_path / f"{clinic}.sqlite3"
        build_store(path)
        with ScoreStore.open(path) as store:
            details = [store.get_attempt(s.id) for s in store.list_attempts()]
        for detail in details:
            assert detail is not None
            exported = detail.to_export_dict()
            if clinic == "porto":  # another terminal's attempts: their own ids
                exported["id"] = f"porto-{exported['id']}"
            # As the terminal's export of it says: its clinic (the server takes the
            # role's) and no offset (_push sends none).
            exported["clinic"], exported["utc_offset_minutes"] = clinic, None
            exports.append(exported)
            assert _push(central, clinic, exported) == "added"
    mirror = tmp_path / "mirror.sqlite3"
    assert _pull(central, central.group, mirror) == (20, 20, 0)
    file = tmp_path / "both.json"
    file.write_text(json.dumps(exports), encoding="utf-8")
    with ScoreStore.open(tmp_path / "one.sqlite3") as one, exchange.read_export_file(file) as read:
        one.import_attempts(read)
        with ScoreStore.open(mirror) as mirrored:
            assert mirrored.report() == one.report()
            assert list(mirrored.export_texts()) == list(one.export_texts())
    assert last_pulled(mirror) is not None


def test_pulls_are_incremental_and_bring_attempts_once_they_end(
    central: Central, tmp_path: Path
) -> None:
    mirror = tmp_path / "mirror.sqlite3"
    role = central.manager("lisbon")
    first = export()
    running = export(learner="Ben Ode", status="in_progress", right=(True, None, None))
    _push(central, "lisbon", first)
    _push(central, "lisbon", running)
    assert _pull(central, role, mirror) == (1, 1, 0)  # the running one is not mirrored
    assert _pull(central, role, mirror) == (0, 0, 0)  # nothing new: nothing read
    ended = export(learner="Ben Ode", attempt_id=str(running["id"]), right=(True, True, True))
    _push(central, "lisbon", ended)
    _push(central, "lisbon", first)  # sent again: unchanged, not read again
    assert _pull(central, role, mirror) == (1, 1, 0)
    with ScoreStore.open(mirror) as mirrored:
        assert sorted(a.id for a in mirrored.list_attempts()) == sorted(
            [str(first["id"]), str(running["id"])]
        )


def test_a_forgotten_learner_leaves_the_mirror_too(central: Central, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror.sqlite3"
    role = central.manager("lisbon")
    _push(central, "lisbon", export(learner="Ana Ruiz"))
    _push(central, "lisbon", export(learner="Ben Ode"))
    assert _pull(central, role, mirror) == (2, 2, 0)
    with central.connect(role) as connection:
        connection.execute("SELECT quiz.forget_learner('ana ruiz')")
        connection.commit()
    _read, imported, forgotten = _pull(central, role, mirror)
    assert (imported, forgotten) == (0, 1)
    with ScoreStore.open(mirror) as mirrored:
        assert [lr.name for lr in mirrored.list_learners()] == ["Ben Ode"]
    # Applied once: the next pull reads everything again (the watermark was reset) and
    # forgets nobody more.
    assert _pull(central, role, mirror) == (1, 0, 0)


def test_the_tombstone_hash_is_the_servers(central: Central) -> None:
    (row,) = central.rows("SELECT quiz.tombstone_hash('lisbon', 'ana ruiz')")
    assert bytes(row[0]) == tombstone_hash("lisbon", "ana ruiz")


def test_each_server_and_role_has_its_own_mirror(central: Central) -> None:
    paths = {mirror_path(central.server(r)) for r in (central.group, central.manager("porto"))}
    assert len(paths) == 2
    assert all("cache" in str(p) for p in paths)
