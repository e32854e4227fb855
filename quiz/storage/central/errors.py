"""What can go wrong with the central store, as a QuizError naming the server.

No psycopg here: the commands and the app catch these by type without loading it.
A message never holds a password: the server is named by `ServerName`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quiz.errors import QuizError

CentralErrorKind = Literal[
    "url",  # not a PostgreSQL URL
    "unreachable",  # no server answered (down, wrong host or port, network)
    "password",  # the server refused the password (or none was given)
    "database",  # the database does not exist
    "not_initialised",  # no quiz schema: `quiz central init` has not been run
    "schema",  # a schema of another version
    "role",  # the role may not do this (not a clinic's terminal, manager...)
    "forgotten",  # the attempt is of a learner forgotten there
    "conflict",  # the id is another clinic's attempt, or a different attempt
    "rejected",  # the server refused the attempt's content
    "other",
]


@dataclass(frozen=True)
class ServerName:
    """A server as a person is shown it: user@host:port/database, no password."""

    user: str
    host: str
    port: str
    database: str

    def __str__(self) -> str:
        user = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"{user}{self.host or 'localhost'}{port}/{self.database}"


class CentralError(QuizError):
    """A problem with the central store. `message` names the server and what to do."""

    def __init__(self, kind: CentralErrorKind, server: ServerName | None, message: str) -> None:
        super().__init__(message)
        self.kind: CentralErrorKind = kind
        self.server = server

    @property
    def retryable(self) -> bool:
        """Whether trying again later may succeed (the outbox keeps the attempt)."""
        return self.kind in ("unreachable", "other")
