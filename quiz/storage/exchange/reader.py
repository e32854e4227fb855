"""The attempts of an export checked (`Reader`), each into a PreparedAttempt, and
`read_export_entries`, which checks them all (`check_entries`) and keeps them in a
temporary file.

An attempt's own fields are checked quickly where they are all there with the right
types (`Reader.quick`); any other attempt has every check, in order, so the first
problem is said (`checked_attempt`). Its answers are checked by the reader's base,
`AnswerReader` (quiz.storage.exchange.answers), and its verdict is recomputed from them
(`finish`).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import Any

from quiz.domain.gc_pause import gc_paused
from quiz.domain.identity import Identification
from quiz.domain.records import AttemptStatus, Mode
from quiz.domain.text import learner_key
from quiz.storage.exchange.answers import AnswerReader
from quiz.storage.exchange.fields import NUMBERS, ImportFileError, quick_ms, value_kind
from quiz.storage.exchange.records import (
    Answers,
    FileFlag,
    PreparedAttempt,
    QuestionVersions,
    attempt_fields,
)
from quiz.storage.exchange.spill import SPILL_BATCH, ExportedAttempts, Spill
from quiz.storage.exchange.verdicts import verdict_of

MODES = frozenset(Mode)
STATUSES = frozenset(AttemptStatus)
IDENTIFICATIONS = frozenset(Identification)
"""The modes, statuses and ways of identifying a learner an attempt may have."""
_MOST_OFFSET = 18 * 60  # minutes: no time zone is further from UTC
_LEARNER_KEYS_KEPT = 100_000

# Where some of an attempt's own fields are in PreparedAttempt.
_MODE = PreparedAttempt._fields.index("mode")
_SECTIONS = PreparedAttempt._fields.index("sections")
_STATUS = PreparedAttempt._fields.index("status")
_STARTED = PreparedAttempt._fields.index("started_ms")
_PASS_MARK = PreparedAttempt._fields.index("pass_mark")


def read_export_entries(path: Path, entries: Iterable[object]) -> ExportedAttempts:
    """Every attempt of `entries` (parsed from JSON: a file's list, or a pull's exports
    from the central store, quiz.storage.central.pull, which saves writing them out as
    JSON and parsing it again), checked; `path` names them in messages. Raises
    ImportFileError for the first problem, once all of `entries` is read."""
    spill = Spill()
    try:
        versions, _ = check_entries(path, entries, spill)
        return spill.done(versions)
    except BaseException:
        spill.file.close()
        raise


def check_entries(
    path: Path, entries: Iterable[object], spill: Spill
) -> tuple[QuestionVersions, set[str]]:
    """Every attempt of `entries` checked and added to `spill`: the questions they asked
    (numbered in their order), and their ids. Raises ImportFileError for the first
    problem, once all of `entries` is read."""
    reader = Reader(path, QuestionVersions())
    seen: set[str] = set()
    problem: ImportFileError | None = None
    numbered = enumerate(entries, start=1)
    more = True
    while more:
        more = False
        # The collector paused a batch at a time: reading makes millions of objects
        # (no cycles), and its passes over them find nothing to free.
        with gc_paused():
            for index, entry in islice(numbered, SPILL_BATCH):
                more = True
                if problem is not None:
                    continue  # the rest is only read through, to be sure it is JSON
                try:
                    attempt = reader.attempt(index, entry)
                    if attempt.id in seen:
                        raise ImportFileError(
                            f"{path}: attempt {index}: id {attempt.id} appears twice."
                        )
                except ImportFileError as error:
                    problem = error
                    continue
                seen.add(attempt.id)
                spill.add(attempt)
    if problem is not None:
        raise problem
    return reader.versions, seen


class Reader(AnswerReader):
    """Checks the entries of one file, each into a PreparedAttempt."""

    def __init__(self, path: Path, versions: QuestionVersions) -> None:
        super().__init__(path, versions)
        self.learner_keys: dict[str, str] = {}

    def attempt(self, index: int, entry: object) -> PreparedAttempt:
        self.where = f"attempt {index}"
        fields = self.quick(entry)
        if fields is not None:
            self.where = f"{self.where} (id {fields[0]})"
            numbers, answers = self.answers(entry["answers"], fields[_STARTED])  # type: ignore[index]
            return self.finish(fields, numbers, answers)
        return self.checked_attempt(entry)

    def finish(
        self,
        fields: tuple[Any, ...],
        numbers: tuple[int, ...],
        answers: Answers,
        flags: tuple[FileFlag, ...] = (),
    ) -> PreparedAttempt:
        """The attempt: its own fields (`attempt_fields`), its answers, and the verdict
        they give."""
        versions = self.versions
        sections = fields[_SECTIONS] or tuple(
            dict.fromkeys(map(versions.sections.__getitem__, numbers))
        )
        outcome = verdict_of(
            fields[_STATUS],
            fields[_MODE],
            fields[_PASS_MARK],
            list(map(versions.critical.__getitem__, numbers)),
            answers.right,
        )
        return PreparedAttempt._make(
            (
                *fields[:_SECTIONS],
                sections,
                *fields[_SECTIONS + 1 :],
                numbers,
                tuple(answers.stored),
                answers.packed(),
                None if outcome is None else (outcome.correct, outcome.percent, outcome.passed),
                flags,
            )
        )

    def quick(self, entry: object) -> tuple[Any, ...] | None:
        """An attempt's own fields (`attempt_fields`), checked quickly: None unless all
        are there with the right types (then `checked_attempt` says what is wrong)."""
        try:
            attempt_id = entry["id"]  # type: ignore[index]
            learner = entry["learner"]  # type: ignore[index]
            mode = entry["mode"]  # type: ignore[index]
            status = entry["status"]  # type: ignore[index]
            started = entry["started_at"]  # type: ignore[index]
            total = entry["total"]  # type: ignore[index]
            answers = entry["answers"]  # type: ignore[index]
            course = entry["course"]  # type: ignore[index]
            course_version = entry["course_version"]  # type: ignore[index]
            if (
                type(entry) is not dict
                or type(attempt_id) is not str
                or type(learner) is not str
                or mode not in MODES
                or status not in STATUSES
                or type(total) is not int
                or type(answers) is not list
                or len(answers) != total
                or type(course) is not str
                or type(course_version) is not str
                or not attempt_id.strip()
            ):
                return None
            get = entry.get
            percent, sections, exam = get("percent"), get("sections"), get("exam")
            seed, limit, pass_mark = get("seed"), get("time_limit_seconds"), get("pass_mark")
            correct, passed = get("correct"), get("passed")
            if get("flags"):  # learners' flags: rare, and checked the careful way
                return None
            identified, verify_code = get("identified", "typed"), get("verify_code")
            clinic, utc_offset = get("clinic"), get("utc_offset_minutes")
            if (
                identified not in IDENTIFICATIONS
                or (verify_code is not None and type(verify_code) is not str)
                or (clinic is not None and type(clinic) is not str)
                or (utc_offset is not None and type(utc_offset) is not int)
                or (utc_offset is not None and abs(utc_offset) > _MOST_OFFSET)
            ):
                return None
            if (
                (percent is not None and type(percent) not in NUMBERS)
                or (sections is not None and type(sections) is not list)
                or (exam is not None and type(exam) is not str)
                or (seed is not None and type(seed) is not int)
                or (limit is not None and type(limit) is not int)
                or (pass_mark is not None and type(pass_mark) is not int)
                or (correct is not None and type(correct) is not int)
                or (passed is not None and type(passed) is not bool)
                or (sections and not all(type(section) is str for section in sections))
            ):
                return None
            key = self.learner_keys.get(learner)
            if key is None:
                key = learner_key(learner)
                if len(self.learner_keys) < _LEARNER_KEYS_KEPT:
                    self.learner_keys[learner] = key
            started_ms = quick_ms(started)
            finished, deadline = get("finished_at"), get("deadline_at")
            finished_ms = None if finished is None else quick_ms(finished)
            deadline_ms = None if deadline is None else quick_ms(deadline)
        except (KeyError, TypeError, ValueError):
            return None
        if not key:
            return None
        return attempt_fields(
            attempt_id, learner, key, course, course_version, mode, exam, sections, seed,
            status, started_ms, finished_ms, limit, deadline_ms, pass_mark, correct, total,
            percent, passed, identified, verify_code, clinic, utc_offset,
        )  # fmt: skip

    def checked_attempt(self, entry: object) -> PreparedAttempt:
        """Every check of an attempt, in order: the first problem is said."""
        if not isinstance(entry, dict):
            self.fail(f"expected an object, found {value_kind(entry)}")
        attempt_id = self.field(entry, "id", str)
        if not attempt_id.strip():
            self.fail("'id' is empty")
        self.where = f"{self.where} (id {attempt_id})"
        learner = self.field(entry, "learner", str)
        key = learner_key(learner)
        if not key:
            self.fail("'learner' is empty")
        mode_text = self.field(entry, "mode", str)
        status_text = self.field(entry, "status", str)
        try:
            mode = Mode(mode_text)
        except ValueError:
            self.fail(f"'mode' must be practice or exam, not {mode_text!r}")
        try:
            status = AttemptStatus(status_text)
        except ValueError:
            self.fail(f"'status' {status_text!r} is not one of {', '.join(AttemptStatus)}")
        started_ms = self.time(entry, "started_at")
        assert started_ms is not None
        total = self.field(entry, "total", int)
        percent = self.field(entry, "percent", int, float, optional=True)
        answers = self.field(entry, "answers", list)
        if len(answers) != total:
            self.fail(f"'total' is {total} but there are {len(answers)} answers")
        sections = self.field(entry, "sections", list, optional=True) or []
        if not all(isinstance(s, str) for s in sections):
            self.fail("'sections' must be a list of section ids")
        numbers, prepared = self.answers(answers, started_ms)
        fields = attempt_fields(
            attempt_id=attempt_id,
            learner=learner,
            learner_key=key,
            course=self.field(entry, "course", str),
            course_version=self.field(entry, "course_version", str),
            mode=str(mode),
            exam=self.field(entry, "exam", str, optional=True),
            sections=sections,
            seed=self.field(entry, "seed", int, optional=True),
            status=str(status),
            started_ms=started_ms,
            finished_ms=self.time(entry, "finished_at", optional=True),
            time_limit_seconds=self.field(entry, "time_limit_seconds", int, optional=True),
            deadline_ms=self.time(entry, "deadline_at", optional=True),
            pass_mark=self.field(entry, "pass_mark", int, optional=True),
            correct=self.field(entry, "correct", int, optional=True),
            total=total,
            percent=percent,
            passed=self.field(entry, "passed", bool, optional=True),
            identified=self.identified(entry),
            verify_code=self.field(entry, "verify_code", str, optional=True),
            clinic=self.field(entry, "clinic", str, optional=True),
            utc_offset_minutes=self.utc_offset(entry),
        )
        return self.finish(fields, numbers, prepared, self.flags(entry, total))

    def flags(self, entry: dict[str, Any], total: int) -> tuple[FileFlag, ...]:
        """The attempt's learners' flags ('flags', optional: an export of before them,
        or of an attempt without any), each checked: a note is one clean line."""
        from quiz.domain.flags import note_problem

        found = []
        for index, flag in enumerate(self.field(entry, "flags", list, optional=True) or []):
            if not isinstance(flag, dict):
                self.fail(f"flag {index} must be an object, not {value_kind(flag)}")
            where = self.where
            self.where = f"{where}, flag {index}"
            flag_id = self.field(flag, "id", str)
            position = self.field(flag, "position", int)
            if not 0 <= position < total:
                self.fail(f"'position' is {position}: the attempt has {total} questions")
            question_id = self.field(flag, "question_id", str)
            flagged_ms = self.time(flag, "flagged_at")
            assert flagged_ms is not None
            note = self.field(flag, "note", str)
            problem = note_problem(note)
            if problem is not None:
                self.fail(f"'note': {problem}")
            self.where = where
            found.append((flag_id, position, question_id, flagged_ms, note))
        return tuple(found)

    def utc_offset(self, entry: dict[str, Any]) -> int | None:
        """The attempt's 'utc_offset_minutes' (None when missing: an older export)."""
        minutes: int | None = self.field(entry, "utc_offset_minutes", int, optional=True)
        if minutes is not None and abs(minutes) > _MOST_OFFSET:
            self.fail(
                f"'utc_offset_minutes' is {minutes}: an offset from UTC is at most "
                f"{_MOST_OFFSET} minutes either way"
            )
        return minutes

    def identified(self, entry: dict[str, Any]) -> str:
        """The attempt's 'identified' ('typed' when missing: an export of before it)."""
        text = self.field(entry, "identified", str, optional=True)
        if text is None:
            return str(Identification.TYPED)
        if text not in IDENTIFICATIONS:
            self.fail(f"'identified' is {text!r}: it must be one of {', '.join(Identification)}")
        return str(text)
