"""The rows that name things, found or added by their natural key, and cached.

Attempts point at courses, course versions, sections, questions, hosts, learners and
question versions (asked_question) by rowid. `Ids` finds each row by what it names,
adds it when missing (inside the caller's write transaction), and remembers the rowid
of the rows that are never deleted or changed, so recording an answer runs no SELECT.
The store calls `forget()` when a transaction rolls back: ids cached inside it may not
exist.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from quiz.domain.kinds import UnknownKind, kind_names, kind_of
from quiz.domain.records import AskedQuestion
from quiz.storage.codec import asked_digest, dump_texts, load_texts, pack_ints, unpack_ints
from quiz.storage.errors import StoreError


class Ids:
    """Rowids by natural key, and question versions by rowid, for one store file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ids: dict[tuple[Any, ...], int] = {}  # (table, key...) -> rowid
        self._asked: dict[int, AskedQuestion] = {}  # asked_question id -> the question
        self._sections: dict[bytes, tuple[str, ...]] = {}  # packed ids -> section codes

    def forget(self) -> None:
        """Drop the cached rowids (a transaction that may have added them rolled back)."""
        self._ids.clear()

    def row(self, connection: sqlite3.Connection, table: str, **key: Any) -> int:
        """The rowid of the row of `table` with these values, inserted if missing.

        Cached: only for the tables whose rows are never deleted or changed (course,
        course_version, section, question, host). Learners and their spellings are
        merged and forgotten, by other processes too: `learner`, `spelling`."""
        cache_key = (table, *key.values())
        cached = self._ids.get(cache_key)
        if cached is not None:
            return cached
        columns = list(key)
        condition = " AND ".join(f"{c} = ?" for c in columns)
        row = connection.execute(
            f"SELECT id FROM {table} WHERE {condition}", tuple(key.values())
        ).fetchone()
        if row is not None:
            rowid = int(row[0])
        else:
            marks = ", ".join("?" * len(columns))
            cursor = connection.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                tuple(key.values()),
            )
            assert cursor.lastrowid is not None
            rowid = cursor.lastrowid
        self._ids[cache_key] = rowid
        return rowid

    @staticmethod
    def spelling(connection: sqlite3.Connection, learner: int, name: str) -> int:
        """The learner_name row of this spelling, inserted if missing. Read every time,
        never cached: another process may have moved or deleted it (a merge, a forget),
        and its id may since name another spelling."""
        row = connection.execute(
            "SELECT id FROM learner_name WHERE learner = ? AND name = ?", (learner, name)
        ).fetchone()
        if row is not None:
            return int(row[0])
        cursor = connection.execute(
            "INSERT INTO learner_name (learner, name) VALUES (?, ?)", (learner, name)
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    @staticmethod
    def learner(connection: sqlite3.Connection, key: str, name: str) -> int:
        """The learner of `key`, inserted if missing; their name becomes `name` (as it
        was last typed). Never cached, like `spelling`."""
        row = connection.execute("SELECT id, name FROM learner WHERE key = ?", (key,)).fetchone()
        if row is None:
            cursor = connection.execute(
                "INSERT INTO learner (key, name) VALUES (?, ?)", (key, name)
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid
        if row[1] != name:  # the name as it was last typed
            connection.execute("UPDATE learner SET name = ? WHERE id = ?", (name, row[0]))
        return int(row[0])

    def asked(
        self, connection: sqlite3.Connection, course: int, course_code: str, asked: AskedQuestion
    ) -> int:
        """The asked_question row of this version of a question, inserted if missing.

        Raises ValueError when its type is not a registered kind (the schema does not
        check it): such a question could not be answered, nor its answers read back."""
        check_type(asked)
        digest = asked_digest(course_code, asked)
        cache_key = ("asked_question", digest)
        cached = self._ids.get(cache_key)
        if cached is not None:
            return cached
        row = connection.execute(
            "SELECT id FROM asked_question WHERE digest = ?", (digest,)
        ).fetchone()
        if row is not None:
            rowid = int(row[0])
        else:
            cursor = connection.execute(
                """INSERT INTO asked_question (digest, question, section, type, critical, prompt,
                       choices, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    digest,
                    self.row(connection, "question", course=course, code=asked.question_id),
                    self.row(connection, "section", course=course, code=asked.section),
                    str(asked.type),
                    int(asked.critical),
                    asked.prompt,
                    dump_texts(asked.choices),
                    dump_texts(asked.answer),
                ),
            )
            assert cursor.lastrowid is not None
            rowid = cursor.lastrowid
        self._ids[cache_key] = rowid
        return rowid

    def asked_question(
        self, connection: sqlite3.Connection, asked_id: int, position: int
    ) -> AskedQuestion:
        """The question version `asked_id`, as asked at `position` of an attempt."""
        question = self._asked.get(asked_id)
        if question is None:
            row = connection.execute(
                """SELECT q.code, s.code, a.type, a.critical, a.prompt, a.choices, a.answer
                   FROM asked_question a
                   JOIN question q ON q.id = a.question
                   JOIN section s ON s.id = a.section
                   WHERE a.id = ?""",
                (asked_id,),
            ).fetchone()
            if row is None:
                raise StoreError(
                    "corrupt",
                    self.path,
                    f"{self.path} is damaged: an attempt names a question version "
                    f"({asked_id}) that is not there. The file was not changed.",
                )
            code, section, kind, critical, prompt, choices, answer = row
            question = AskedQuestion(
                position=position,
                question_id=code,
                section=section,
                type=str(kind),  # kept as text: its kind may not be registered here
                prompt=prompt,
                choices=load_texts(choices),
                answer=load_texts(answer),
                critical=bool(critical),
            )
            self._asked[asked_id] = question
        return question if question.position == position else replace(question, position=position)

    def section_codes(self, connection: sqlite3.Connection, packed: bytes) -> tuple[str, ...]:
        """The codes of the sections of a packed list of section ids."""
        codes = self._sections.get(packed)
        if codes is None:
            found = dict(connection.execute("SELECT id, code FROM section").fetchall())
            codes = tuple(str(found.get(s, f"#{s}")) for s in unpack_ints(packed))
            self._sections[packed] = codes
        return codes

    def attempt_refs(
        self,
        connection: sqlite3.Connection,
        course_code: str,
        course_version: str,
        sections: Sequence[str],
        questions: Sequence[AskedQuestion],
    ) -> AttemptRefs:
        """The rows a new attempt points at, inserted where missing."""
        course = self.row(connection, "course", code=course_code)
        return AttemptRefs(
            version=self.row(connection, "course_version", course=course, hash=course_version),
            sections=pack_ints(
                [self.row(connection, "section", course=course, code=s) for s in sections]
            ),
            items=pack_ints([self.asked(connection, course, course_code, q) for q in questions]),
        )


def check_type(asked: AskedQuestion) -> None:
    """Raise ValueError, naming the type, when `asked`'s type is not a registered kind."""
    try:
        kind_of(asked.type)
    except UnknownKind:
        raise ValueError(
            f"question {asked.question_id!r} has type {str(asked.type)!r}, which is not one "
            f"of {', '.join(kind_names())}: register its kind (quiz.domain.kinds) first"
        ) from None


class AttemptRefs(NamedTuple):
    """What an attempt row points at: its course version, and its packed section and
    question version ids (codec.pack_ints)."""

    version: int
    sections: bytes
    items: bytes
