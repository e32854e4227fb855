"""What each role may do (issue 16, §6): a terminal sends and nothing else, a manager
reads and forgets at its clinic only, nobody deletes but through forget_learner."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from quiz.storage.central.errors import CentralError
from quiz.storage.central.pull import pull
from quiz.storage.central.push import push_attempt
from quiz.storage.scores import ScoreStore
from tests.support.central import Central, export

TABLES = (
    "clinic",
    "attempt",
    "attempt_item",
    "asked_question",
    "answer",
    "summary",
    "course_seen",
    "tombstone",
    "settings",
    "schema_version",
)


def _push(central: Central, clinic: str, attempt: dict[str, object]) -> str:
    role = central.terminal(clinic)
    with central.connect(role) as connection:
        return push_attempt(connection, attempt, server=central.server(role))


@pytest.mark.parametrize("table", TABLES)
def test_a_terminal_role_cannot_select_anything(central: Central, table: str) -> None:
    _push(central, "lisbon", export())
    with (
        central.connect(central.terminal("lisbon")) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute(f"SELECT * FROM quiz.{table}")


def test_a_terminal_role_cannot_run_anything_but_ingest(central: Central) -> None:
    with central.connect(central.terminal("lisbon")) as connection:
        for call in (
            "SELECT quiz.forget_learner('ana ruiz')",
            "SELECT quiz.add_clinic('faro')",
            "SELECT quiz.readable_clinics()",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(call)
            connection.rollback()


def test_a_terminal_ingests_for_its_own_clinic_whatever_the_payload_says(
    central: Central,
) -> None:
    claimed = export()
    claimed["clinic"] = "porto"  # ignored: the clinic is the calling role's
    _push(central, "lisbon", claimed)
    assert central.rows(
        "SELECT c.code FROM quiz.attempt a JOIN quiz.clinic c ON c.id = a.clinic"
    ) == [("lisbon",)]
    # An attempt of porto's cannot be written over from lisbon.
    porto = export(learner="Rui Sá")
    _push(central, "porto", porto)
    with pytest.raises(CentralError) as caught:
        _push(central, "lisbon", porto)
    assert caught.value.kind == "conflict"
    assert central.rows(
        "SELECT c.code FROM quiz.attempt a JOIN quiz.clinic c ON c.id = a.clinic WHERE a.uuid = %s",
        porto["id"],
    ) == [("porto",)]


def test_a_manager_or_group_role_cannot_ingest(central: Central) -> None:
    for role in (central.manager("lisbon"), central.group):
        with central.connect(role) as connection, pytest.raises(CentralError) as caught:
            push_attempt(connection, export(), server=central.server(role))
        assert caught.value.kind == "role"
    assert central.rows("SELECT count(*) FROM quiz.attempt") == [(0,)]


def test_a_login_role_of_two_clinics_is_refused(central: Central) -> None:
    with central.owner() as owner:
        owner.execute(
            f"CREATE ROLE {central.prefix}_both LOGIN IN ROLE "
            f"{central.prefix}_t_lisbon, {central.prefix}_t_porto"
        )
    role = f"{central.prefix}_both"
    with central.connect(role) as connection, pytest.raises(CentralError) as caught:
        push_attempt(connection, export(), server=central.server(role))
    assert caught.value.kind == "role"
    assert "exactly one" in caught.value.message


def _fill_two_clinics(central: Central) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    lisbon = [export(learner="Ana Ruiz"), export(learner="Ben Ode", right=(False, True, True))]
    porto = [export(learner="Rui Sá", right=(True, False, None)), export(learner="Ana Ruiz")]
    for attempt in lisbon:
        _push(central, "lisbon", attempt)
    for attempt in porto:
        _push(central, "porto", attempt)
    return lisbon, porto


def test_a_manager_reads_its_clinic_only(central: Central) -> None:
    _lisbon, porto = _fill_two_clinics(central)
    with central.connect(central.manager("porto")) as connection:
        seen = connection.execute("SELECT uuid FROM quiz.attempt ORDER BY uuid").fetchall()
        answers = connection.execute("SELECT DISTINCT attempt FROM quiz.answer").fetchall()
        clinics = connection.execute("SELECT code FROM quiz.clinic").fetchall()
        summary = connection.execute("SELECT DISTINCT clinic FROM quiz.summary").fetchall()
    assert seen == sorted((str(a["id"]),) for a in porto)
    assert len(answers) == 2
    assert clinics == [("porto",)]
    assert len(summary) == 1
    with central.connect(central.group) as connection:
        everything = connection.execute("SELECT count(*) FROM quiz.attempt").fetchone()
    assert everything == (4,)


def test_a_managers_mirror_holds_its_clinic_and_reports_as_its_attempts_alone(
    central: Central, tmp_path: Path
) -> None:
    import json

    lisbon, _porto = _fill_two_clinics(central)
    role = central.manager("lisbon")
    with central.connect(role) as connection:
        outcome = pull(connection, central.server(role), tmp_path / "mirror.sqlite3")
    assert (outcome.read, outcome.imported) == (2, 2)
    exported = tmp_path / "lisbon.json"
    exported.write_text(json.dumps(lisbon), encoding="utf-8")
    from quiz.storage import exchange

    with ScoreStore.open(tmp_path / "alone.sqlite3") as alone:
        with exchange.read_export_file(exported) as attempts:
            alone.import_attempts(attempts)
        with ScoreStore.open(tmp_path / "mirror.sqlite3") as mirror:
            assert sorted(a.id for a in mirror.list_attempts()) == sorted(
                str(a["id"]) for a in lisbon
            )
            assert mirror.report() == alone.report()
            assert [lr.name for lr in mirror.list_learners()] == ["Ana Ruiz", "Ben Ode"]


@pytest.mark.parametrize("kind", ["terminal", "manager", "group"])
def test_delete_is_refused_to_every_role(central: Central, kind: str) -> None:
    _fill_two_clinics(central)
    role = {
        "terminal": central.terminal("lisbon"),
        "manager": central.manager("lisbon"),
        "group": central.group,
    }[kind]
    with central.connect(role) as connection:
        for table in ("attempt", "answer", "attempt_item", "tombstone", "summary"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(f"DELETE FROM quiz.{table}")
            connection.rollback()
    assert central.rows("SELECT count(*) FROM quiz.attempt") == [(4,)]


def test_even_the_owner_deletes_only_through_forget(central: Central) -> None:
    _fill_two_clinics(central)
    with central.owner() as owner:
        for table in ("attempt", "answer", "attempt_item"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
                owner.execute(f"DELETE FROM quiz.{table}")
            assert "forget_learner" in str(caught.value)
    assert central.rows("SELECT count(*) FROM quiz.answer") == [(11,)]


def test_a_manager_forgets_at_its_own_clinic_only(central: Central) -> None:
    _fill_two_clinics(central)  # Ana Ruiz at both clinics
    with central.connect(central.manager("porto")) as connection:
        row = connection.execute("SELECT quiz.forget_learner('ana ruiz')").fetchone()
        assert row is not None
        (deleted,) = row
        connection.commit()
    assert deleted == 1
    assert central.rows(
        "SELECT c.code, a.learner FROM quiz.attempt a JOIN quiz.clinic c ON c.id = a.clinic "
        "ORDER BY 1, 2"
    ) == [("lisbon", "Ana Ruiz"), ("lisbon", "Ben Ode"), ("porto", "Rui Sá")]
    kept = central.rows("SELECT * FROM quiz.summary WHERE attempts <> 0 ORDER BY 1, 2, 3, 4")
    assert kept == central.rows("SELECT * FROM quiz.summary_rebuilt ORDER BY 1, 2, 3, 4")
    # The group role is no clinic's manager: it cannot forget.
    with (
        central.connect(central.group) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute("SELECT quiz.forget_learner('ben ode')")
