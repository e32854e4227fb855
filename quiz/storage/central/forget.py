"""Forgetting a learner on the central store (`quiz learners forget NAME --db
postgresql://…`, as a clinic's manager role): quiz.forget_learner deletes the clinic's
attempts of the learner and keeps a tombstone; the mirror of that server forgets them
at its next pull (quiz.storage.central.pull)."""

from __future__ import annotations

from quiz.storage.central.errors import CentralError


def forget_central(url: str, key: str) -> tuple[int, str]:
    """Forget the learner of learner key `key` at the connecting manager's clinic; the
    attempts deleted and the server's name. Raises CentralError."""
    import psycopg

    from quiz.storage.central.connection import connect, server_name
    from quiz.storage.central.push import ingest_error

    server = server_name(url)
    with connect(url) as connection:
        try:
            with connection.transaction():
                row = connection.execute("SELECT quiz.forget_learner(%s)", (key,)).fetchone()
        except psycopg.Error as error:
            found = ingest_error(error, server, "(forget)")
            if found.kind == "role":
                raise CentralError(
                    "role",
                    server,
                    f"the central store {server}: only a clinic's manager role may forget "
                    "a learner there (connect as your clinic's manager login).",
                ) from None
            raise found from None
    assert row is not None
    return int(row[0]), str(server)
