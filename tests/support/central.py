"""A central store for one test: a fresh database on the throwaway cluster, initialised
with `quiz central init`'s code for two clinics (lisbon, porto), a role prefix of its
own (roles are the cluster's), and login roles for each clinic's terminal and manager
and for the group. Dropped, with its roles, when the test ends.

`export` makes one attempt of `quiz scores --format json` without a SQLite store (the
concurrency tests send hundreds)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from quiz.storage.central import migrations
from quiz.storage.central.connection import connect, server_name
from quiz.storage.central.errors import ServerName
from tests.support.postgres import Cluster

CLINICS = ("lisbon", "porto")
_numbers = itertools.count(1)


@dataclass
class Central:
    cluster: Cluster
    database: str
    prefix: str

    @property
    def owner_url(self) -> str:
        return self.cluster.url(database=self.database)

    def url(self, role: str) -> str:
        return self.cluster.url(role, self.database)

    def terminal(self, clinic: str) -> str:
        """The login role of a terminal of `clinic`."""
        return f"{self.prefix}_{clinic}_desk"

    def manager(self, clinic: str) -> str:
        return f"{self.prefix}_{clinic}_boss"

    @property
    def group(self) -> str:
        return f"{self.prefix}_head_office"

    def connect(self, role: str) -> psycopg.Connection[Any]:
        return connect(self.url(role))

    def server(self, role: str) -> ServerName:
        return server_name(self.url(role))

    def owner(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.owner_url, autocommit=True)

    def rows(self, query: str, *params: object) -> list[tuple[Any, ...]]:
        """What the owner reads (no row-level security for it)."""
        with self.owner() as connection:
            return connection.execute(query, params or None).fetchall()  # type: ignore[arg-type]


@contextmanager
def central_store(cluster: Cluster, clinics: tuple[str, ...] = CLINICS) -> Iterator[Central]:
    number = next(_numbers)
    central = Central(cluster, f"central{number}", f"t{number}")
    with psycopg.connect(cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {central.database}")
    try:
        with connect(central.owner_url, check_schema=False) as owner:
            migrations.apply(owner, central.prefix, clinics)
        with central.owner() as owner:
            p = central.prefix
            for clinic in clinics:
                owner.execute(
                    f"CREATE ROLE {central.terminal(clinic)} LOGIN IN ROLE {p}_t_{clinic}"
                )
                owner.execute(f"CREATE ROLE {central.manager(clinic)} LOGIN IN ROLE {p}_m_{clinic}")
            owner.execute(f"CREATE ROLE {central.group} LOGIN IN ROLE {p}_group")
        yield central
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {central.database} WITH (FORCE)")
            roles = [
                r[0]
                for r in admin.execute(
                    "SELECT rolname FROM pg_roles WHERE rolname LIKE %s ORDER BY rolname DESC",
                    (f"{central.prefix}\\_%",),
                )
            ]
            for role in roles:
                admin.execute(f'DROP ROLE "{role}"')


T0 = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)

QUESTIONS: tuple[dict[str, Any], ...] = (
    {
        "question_id": "swelling-01",
        "section": "swelling",
        "type": "single",
        "prompt": "How long does swelling usually last?",
        "choices": ["A few hours", "One to three days", "About two weeks"],
        "right_answer": ["One to three days"],
        "critical": False,
    },
    {
        "question_id": "bruising-02",
        "section": "bruising",
        "type": "true_false",
        "prompt": "Capillaries are small blood vessels.",
        "choices": [],
        "right_answer": ["true"],
        "critical": False,
    },
    {
        "question_id": "drugs-03",
        "section": "drugs",
        "type": "single",
        "prompt": "Which medicine rules out treatment?",
        "choices": ["Accutane", "Aspirin", "Vitamin C"],
        "right_answer": ["Accutane"],
        "critical": True,
    },
)
_RIGHT: tuple[Any, ...] = ("One to three days", True, "Accutane")
_WRONG: tuple[Any, ...] = ("A few hours", False, "Aspirin")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export(
    *,
    learner: str = "Ana Ruiz",
    attempt_id: str | None = None,
    status: str = "completed",
    right: tuple[bool | None, ...] = (True, True, False),
    started_at: datetime = T0,
    mode: str = "practice",
    changed_first: tuple[int, ...] = (),
) -> dict[str, Any]:
    """One attempt as `quiz scores --format json` writes it: QUESTIONS, each answered
    right (True), wrong (False) or not at all (None); the positions in `changed_first`
    were first answered the other way, then changed (an answer history)."""
    answers = []
    for position, (question, verdict) in enumerate(zip(QUESTIONS, right, strict=True)):
        at = started_at + timedelta(seconds=10 * (position + 1))
        entry: dict[str, Any] = dict(
            question_id=question["question_id"],
            section=question["section"],
            response=None if verdict is None else (_RIGHT if verdict else _WRONG)[position],
            correct=bool(verdict),
            seconds=None if verdict is None else 4.5,
            answered_at=None if verdict is None else _utc(at),
        )
        entry.update({k: question[k] for k in ("type", "prompt", "choices", "right_answer")})
        entry["critical"] = question["critical"]
        if position in changed_first and verdict is not None:
            entry["history"] = [
                {
                    "response": (_WRONG if verdict else _RIGHT)[position],
                    "correct": not verdict,
                    "seconds": 2.0,
                    "answered_at": _utc(at - timedelta(seconds=5)),
                }
            ]
        answers.append(entry)
    correct = sum(1 for v in right if v)
    ended = status in ("completed", "timed_out", "abandoned")
    return {
        "id": attempt_id or str(uuid.uuid4()),
        "learner": learner,
        "course": "laser-skin-tightening",
        "course_version": "sha256:" + "ab" * 32,
        "mode": mode,
        "exam": "staff-check" if mode == "exam" else None,
        "status": status,
        "started_at": _utc(started_at),
        "finished_at": _utc(started_at + timedelta(minutes=5)) if ended else None,
        "time_limit_seconds": 900 if mode == "exam" else None,
        "correct": correct,
        "total": len(QUESTIONS),
        "percent": round(100.0 * correct / len(QUESTIONS), 2),
        "passed": None,
        "answers": answers,
        "sections": ["swelling", "bruising", "drugs"],
        "seed": 7,
        "deadline_at": _utc(started_at + timedelta(seconds=900)) if mode == "exam" else None,
        "pass_mark": 75 if mode == "exam" else None,
    }
