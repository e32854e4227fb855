"""Reading a file written by `quiz scores --format json` back, for `quiz import`.

Every problem is an ImportFileError naming the file, the attempt and the field, so
`quiz import` can say exactly what is wrong. Nothing here touches the store.

`read_export_file` checks the whole file before anything is imported (a file with a
problem adds nothing), in one pass and in bounded memory: the text is read a chunk at
a time and its list parsed an attempt at a time (json's raw_decode); each attempt is
kept in the form the store writes it (`PreparedAttempt`: stored responses, times in
milliseconds, questions as asked numbered once per file), and the attempts go to a
temporary file a batch at a time. What it returns is a sequence of AttemptDetails
whose slices (`PreparedBatch`) are read back from there, a batch at a time, for
quiz.storage.importing to write; an AttemptDetail is only made when one is asked for
(to compare with an attempt of the same id already in the store). A file that is not
JSON, or not a list, is read again the plain way, so its message is json's own for
the whole document whatever the size; a problem with an attempt is said once the rest
of the file is known to be JSON (as that plain reading would).

A file's `correct`, `percent` and `passed` are not taken on trust: `recompute` gives
the verdict of a finished attempt from its answers and its questions as asked
(quiz.domain.grading), which the import stores; `RecomputedVerdict` is one attempt
whose file said otherwise (an older or hand-edited file), for the import to report.
"""

from __future__ import annotations

import codecs
import json
import marshal
import re
import struct
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, NamedTuple, NoReturn, overload

from quiz.domain.gc_pause import gc_paused
from quiz.domain.grading import Verdict, verdict
from quiz.domain.identity import Identification
from quiz.domain.kinds import UnknownKind, kind_names, kind_of
from quiz.domain.model import DEFAULT_PASS_MARK
from quiz.domain.records import OPEN_STATUSES, AskedQuestion, AttemptStatus, Mode, Response
from quiz.domain.text import learner_key
from quiz.storage.attempts import (
    AnswerEntry,
    AttemptDetail,
    AttemptFlag,
    AttemptItem,
    AttemptSummary,
    order_history,
)
from quiz.storage.codec import (
    EPOCH,
    decode_response,
    encode_response,
    from_ms,
    offset_ds,
    seconds_to_ms,
    to_ms,
)

SPILL_BATCH = 5000
"""Attempts kept together in the temporary file (read back together: quiz.storage.
importing.IMPORT_BATCH is the same, so each transaction reads one)."""
_CHUNK_BYTES = 1 << 22
"""Bytes of the file read at a time."""
_AHEAD = 1 << 20
"""Characters kept read ahead of the next attempt (more than any attempt of a file)."""
_RESPONSES_KEPT = 100_000
"""Responses checked once and remembered, at most (typed answers may all differ)."""


class ImportFileError(Exception):
    """A file that is not a usable export. `message` names the file and the place."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RecomputedVerdict:
    """An imported attempt whose file's verdict is not the one its answers give."""

    attempt_id: str
    learner: str  # as typed for the attempt
    file_correct: int | None  # what the file said (None: not given)
    file_passed: bool | None
    verdict: Verdict  # what was stored


def recompute(detail: AttemptDetail) -> Verdict | None:
    """The verdict of a finished attempt from its answers that count (their `correct`
    flags, graded when they were given) and the critical flags of its questions as
    asked; None for one in progress or paused. Practice and abandoned attempts have
    no pass or fail; an exam without a pass mark is held to DEFAULT_PASS_MARK, as the
    app does."""
    summary = detail.summary
    return _verdict(
        str(summary.status),
        str(summary.mode),
        summary.pass_mark,
        [item.question.critical for item in detail.items],
        [position for position, item in enumerate(detail.items) if item.correct],
    )


def _verdict(
    status: str, mode: str, pass_mark: int | None, critical: list[bool], right: list[int]
) -> Verdict | None:
    if status in OPEN_STATUSES:  # in progress or paused: not imported until it ends
        return None
    mark = None
    if mode == Mode.EXAM:
        mark = pass_mark if pass_mark is not None else DEFAULT_PASS_MARK
    return verdict(critical, right, mark, abandoned=status == AttemptStatus.ABANDONED)


def _disagreement(
    attempt_id: str, learner: str, correct: int | None, passed: bool | None, outcome: Verdict
) -> RecomputedVerdict | None:
    """What an attempt's file said, where it differs from the recomputed verdict: its
    `passed` (a missing one differs from a pass or a fail, not from no verdict), or its
    `correct` when given. None when they agree."""
    score_differs = correct is not None and correct != outcome.correct
    if passed == outcome.passed and not score_differs:
        return None
    return RecomputedVerdict(
        attempt_id=attempt_id,
        learner=learner,
        file_correct=correct,
        file_passed=passed,
        verdict=outcome,
    )


# --- attempts in the form the store writes them -----------------------------------------

AnswerRow = tuple[int, int, int | str | None, int, int, int]
"""One answer as the store keeps it (an answer row but its attempt's id): the position of
its question, its rev (0 for the first answer to it), the response as stored
(codec.encode_response), right (1/0), milliseconds taken, and when it was given
(tenths of a second after the attempt started: codec.offset_ds)."""

FIGURES = 6
"""Integers per answer in PreparedAttempt.figures: the position of its question, its rev,
right (1/0), milliseconds taken, when (codec.offset_ds) and when (ms since the epoch)."""
_MS_LIMIT = 1 << 62
"""Milliseconds taken above this are no time a learner took (and would not fit)."""


_FileFlag = tuple[str, int, str, int, str]
"""A learner's flag as PreparedAttempt keeps it: id, position, question id, when (ms), note."""


class PreparedAttempt(NamedTuple):
    """One attempt of an export file, checked: its fields as the file gives them (its
    `correct`, `percent` and `passed` too), times in milliseconds since the epoch, its
    questions by number (`QuestionVersions`), its answers as stored (`stored`, and
    FIGURES integers each, packed: `figures`; each question's in the order given, the
    questions in order), and the verdict they give (`recompute`): correct, percent,
    passed; None while in progress. Its fields are plain values: it is written to a
    temporary file with marshal, and its answers are made into rows in C (`columns`)."""

    id: str
    learner: str
    learner_key: str
    course: str
    course_version: str
    mode: str
    exam: str | None
    sections: tuple[str, ...]
    seed: int
    status: str
    started_ms: int
    finished_ms: int | None
    time_limit_seconds: int | None
    deadline_ms: int | None
    pass_mark: int | None
    correct: int | None
    total: int
    percent: float | None
    passed: bool | None
    identified: str  # an Identification ('typed' when the file has none)
    verify_code: str | None  # kept as it is (quiz.storage.verification computes it)
    clinic: str | None  # the clinic it was taken at (None: the file names none)
    utc_offset_minutes: int | None  # that terminal's UTC offset (None: not known)
    questions: tuple[int, ...]
    stored: tuple[int | str | None, ...]
    figures: bytes
    verdict: tuple[int, float, bool | None] | None
    flags: tuple[_FileFlag, ...] = ()
    """Learners' flags on its questions (quiz.storage.flags), as the file gives them."""

    def columns(self) -> tuple[array[int], ...]:
        """The FIGURES columns of its answers: positions, revs, right, ms, when (ds),
        when (ms)."""
        figures = array("q")
        figures.frombytes(self.figures)
        return tuple(figures[column::FIGURES] for column in range(FIGURES))


# Where some of an attempt's own fields are in PreparedAttempt.
_MODE = PreparedAttempt._fields.index("mode")
_SECTIONS = PreparedAttempt._fields.index("sections")
_STATUS = PreparedAttempt._fields.index("status")
_STARTED = PreparedAttempt._fields.index("started_ms")
_PASS_MARK = PreparedAttempt._fields.index("pass_mark")
_PASSED = PreparedAttempt._fields.index("passed")
_OWN_FIELDS = PreparedAttempt._fields.index("utc_offset_minutes") + 1
"""How many of PreparedAttempt's fields are the attempt's own (`quick` returns them)."""


class _Answers:
    """An attempt's answers as they are checked, gathered for its PreparedAttempt."""

    __slots__ = ("figures", "right", "stored")

    def __init__(self) -> None:
        self.figures: list[int] = []  # FIGURES a row (packed by `packed`)
        self.stored: list[int | str | None] = []
        self.right: list[int] = []  # the positions whose answer that counts is right

    def add(self, row: AnswerRow, at: int) -> None:
        position, rev, stored, right, ms, at_ds = row
        self.figures.extend((position, rev, right, ms, at_ds, at))
        self.stored.append(stored)

    def packed(self) -> bytes:
        """The figures as array("q", figures).tobytes() gives them (struct packs a list of
        integers several times faster than an array takes them)."""
        return struct.pack(f"{len(self.figures)}q", *self.figures)


def question_identity(asked: AskedQuestion) -> tuple[Any, ...]:
    """Everything of a question as asked but where: one version of it."""
    return (
        asked.question_id,
        asked.section,
        str(asked.type),
        asked.prompt,
        asked.choices,
        asked.answer,
        asked.critical,
    )


class QuestionVersions:
    """The questions as asked in some attempts, each version once, numbered."""

    def __init__(self) -> None:
        self.questions: list[AskedQuestion] = []  # by number; position 0
        self._numbers: dict[tuple[Any, ...], int] = {}  # by question_identity
        self.sections: list[str] = []  # of each, by number
        self.critical: list[bool] = []
        self.checked: dict[tuple[Any, ...], list[_Checked]] = {}
        """The fields of the questions of a file that were checked (`_Checked`), by
        `_checked_key` (several versions of a question may share one)."""
        self.responses: dict[tuple[Any, ...], int | str | None] = {}
        """Stored responses by (number, response in the file) that were checked."""

    def number(self, asked: AskedQuestion) -> int:
        identity = question_identity(asked)
        number = self._numbers.get(identity)
        if number is None:
            number = self._numbers[identity] = len(self.questions)
            self.questions.append(replace(asked, position=0) if asked.position else asked)
            self.sections.append(asked.section)
            self.critical.append(asked.critical)
        return number

    def done_reading(self) -> None:
        """Forget what only reading a file needs."""
        self.checked.clear()
        self.responses.clear()


def prepare(detail: AttemptDetail, versions: QuestionVersions) -> PreparedAttempt:
    """An AttemptDetail in the form the store writes it."""
    summary = detail.summary
    started = to_ms(summary.started_at)
    revs: dict[int, int] = {}
    rows = []
    for entry in detail.history:
        rev = revs.get(entry.position, 0)
        revs[entry.position] = rev + 1
        question = detail.items[entry.position].question
        row = (
            entry.position,
            rev,
            encode_response(question, entry.response),
            int(entry.correct),
            seconds_to_ms(entry.seconds),
            offset_ds(entry.answered_at, started),
        )
        rows.append((row, to_ms(entry.answered_at)))
    answers = _Answers()
    for row, at in sorted(rows, key=lambda pair: pair[0][:2]):  # by position, then rev
        answers.add(row, at)
    outcome = recompute(detail)
    return PreparedAttempt(
        id=summary.id,
        learner=summary.learner,
        learner_key=summary.learner_key,
        course=summary.course,
        course_version=summary.course_version,
        mode=str(summary.mode),
        exam=summary.exam,
        sections=summary.sections,
        seed=summary.seed,
        status=str(summary.status),
        started_ms=started,
        finished_ms=to_ms(summary.finished_at) if summary.finished_at else None,
        time_limit_seconds=summary.time_limit_seconds,
        deadline_ms=to_ms(summary.deadline_at) if summary.deadline_at else None,
        pass_mark=summary.pass_mark,
        correct=summary.correct,
        total=summary.total,
        percent=summary.percent,
        passed=summary.passed,
        identified=str(summary.identified),
        verify_code=summary.verify_code,
        clinic=summary.clinic,
        utc_offset_minutes=summary.utc_offset_minutes,
        questions=tuple(versions.number(item.question) for item in detail.items),
        stored=tuple(answers.stored),
        figures=answers.packed(),
        verdict=None if outcome is None else (outcome.correct, outcome.percent, outcome.passed),
        flags=tuple(
            (flag.id, flag.position, flag.question_id, to_ms(flag.flagged_at), flag.note)
            for flag in detail.flags
        ),
    )


class PreparedBatch(Sequence[AttemptDetail]):
    """Some attempts in the form the store writes them (`attempts`), with the questions
    they were asked. As a sequence, the AttemptDetail of each, made when asked for."""

    def __init__(self, attempts: list[PreparedAttempt], versions: QuestionVersions) -> None:
        self.attempts = attempts
        self.versions = versions

    @classmethod
    def of(cls, details: Iterable[AttemptDetail]) -> PreparedBatch:
        versions = QuestionVersions()
        return cls([prepare(detail, versions) for detail in details], versions)

    def __len__(self) -> int:
        return len(self.attempts)

    @overload
    def __getitem__(self, index: int) -> AttemptDetail: ...

    @overload
    def __getitem__(self, index: slice) -> PreparedBatch: ...

    def __getitem__(self, index: int | slice) -> AttemptDetail | PreparedBatch:
        if isinstance(index, slice):
            return PreparedBatch(self.attempts[index], self.versions)
        return self.detail(self.attempts[index])

    def detail(self, attempt: PreparedAttempt) -> AttemptDetail:
        """The attempt as `quiz scores` would read it back."""
        questions = [
            replace(self.versions.questions[number], position=position)
            for position, number in enumerate(attempt.questions)
        ]
        by_item: dict[int, list[AnswerEntry]] = {position: [] for position in range(len(questions))}
        positions, _, rights, mss, _, ats = attempt.columns()
        for position, stored, right, ms, at in zip(
            positions, attempt.stored, rights, mss, ats, strict=True
        ):
            asked = questions[position]
            by_item[position].append(
                AnswerEntry(
                    position=position,
                    question_id=asked.question_id,
                    response=decode_response(asked, stored),
                    correct=bool(right),
                    seconds=ms / 1000,
                    answered_at=from_ms(at),
                )
            )
        items = tuple(
            AttemptItem(question=asked, answer=by_item[position][-1] if by_item[position] else None)
            for position, asked in enumerate(questions)
        )
        summary = AttemptSummary(
            id=attempt.id,
            learner=attempt.learner,
            learner_key=attempt.learner_key,
            course=attempt.course,
            course_version=attempt.course_version,
            mode=Mode(attempt.mode),
            exam=attempt.exam,
            sections=attempt.sections,
            seed=attempt.seed,
            status=AttemptStatus(attempt.status),
            started_at=from_ms(attempt.started_ms),
            finished_at=None if attempt.finished_ms is None else from_ms(attempt.finished_ms),
            time_limit_seconds=attempt.time_limit_seconds,
            deadline_at=None if attempt.deadline_ms is None else from_ms(attempt.deadline_ms),
            pass_mark=attempt.pass_mark,
            correct=attempt.correct,
            total=attempt.total,
            percent=attempt.percent,
            passed=attempt.passed,
            identified=Identification(attempt.identified),
            verify_code=attempt.verify_code,
            clinic=attempt.clinic,
            utc_offset_minutes=attempt.utc_offset_minutes,
        )
        flags = tuple(
            AttemptFlag(flag_id, position, question_id, from_ms(flagged_ms), note)
            for flag_id, position, question_id, flagged_ms, note in attempt.flags
        )
        return AttemptDetail(
            summary=summary, items=items, history=order_history(by_item), flags=flags
        )

    def verdict(self, attempt: PreparedAttempt) -> Verdict | None:
        """`recompute` of the attempt, whole (`attempt.verdict` holds what is stored)."""
        positions, _, rights, *_ = attempt.columns()
        counts = dict(zip(positions, rights, strict=True))  # each question's last answer
        questions = self.versions.questions
        return _verdict(
            attempt.status,
            attempt.mode,
            attempt.pass_mark,
            [questions[number].critical for number in attempt.questions],
            [position for position, right in counts.items() if right],
        )

    def disagreement(self, attempt: PreparedAttempt) -> RecomputedVerdict | None:
        """What a finished attempt's file said, where it differs from its verdict."""
        assert attempt.verdict is not None
        correct, _, passed = attempt.verdict
        if attempt.passed == passed and attempt.correct in (None, correct):
            return None
        outcome = self.verdict(attempt)
        assert outcome is not None
        return _disagreement(attempt.id, attempt.learner, attempt.correct, attempt.passed, outcome)


class ExportedAttempts(Sequence[AttemptDetail]):
    """The attempts of an export file, every one checked, kept in a temporary file a
    batch at a time. A slice is a PreparedBatch read back from it (one read per batch
    when it is a batch); close it (or use `with`) to delete the file."""

    def __init__(
        self, spill: IO[bytes], offsets: list[int], count: int, versions: QuestionVersions
    ) -> None:
        self._spill = spill
        self._offsets = offsets  # where each batch of SPILL_BATCH attempts starts, and ends
        self._count = count
        self.versions = versions
        self._loaded: tuple[int, list[PreparedAttempt]] = (-1, [])

    def close(self) -> None:
        self._spill.close()

    def __enter__(self) -> ExportedAttempts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> AttemptDetail: ...

    @overload
    def __getitem__(self, index: slice) -> PreparedBatch: ...

    def __getitem__(self, index: int | slice) -> AttemptDetail | PreparedBatch:
        if isinstance(index, slice):
            wanted = range(self._count)[index]
            if wanted.step == 1:
                attempts = self._range(wanted.start, wanted.stop)
            else:
                attempts = [self._range(i, i + 1)[0] for i in wanted]
            return PreparedBatch(attempts, self.versions)
        position = range(self._count)[index]  # IndexError when out of range
        return PreparedBatch(self._range(position, position + 1), self.versions)[0]

    def _range(self, start: int, stop: int) -> list[PreparedAttempt]:
        attempts: list[PreparedAttempt] = []
        while start < stop:
            group, offset = divmod(start, SPILL_BATCH)
            taken = self._group(group)[offset : offset + stop - start]
            attempts.extend(taken)
            start += len(taken)
        return attempts

    def _group(self, group: int) -> list[PreparedAttempt]:
        if self._loaded[0] != group:
            start, end = self._offsets[group : group + 2]
            self._spill.seek(start)
            with gc_paused():  # thousands of tuples (no cycles): see _read
                rows = marshal.loads(self._spill.read(end - start))  # (marshal.load is slow)
                self._loaded = (group, [PreparedAttempt._make(row) for row in rows])
        return self._loaded[1]


class _Spill:
    """Checked attempts written to a temporary file, SPILL_BATCH at a time."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="quiz-import-")  # noqa: SIM115 (closed by ExportedAttempts)
        self.offsets: list[int] = [0]
        self.pending: list[tuple[Any, ...]] = []
        self.count = 0

    def add(self, attempt: PreparedAttempt) -> None:
        self.pending.append(tuple(attempt))  # marshal takes plain tuples only
        self.count += 1
        if len(self.pending) == SPILL_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.file.write(marshal.dumps(tuple(self.pending)))
            self.offsets.append(self.file.tell())
            self.pending = []

    def done(self, versions: QuestionVersions) -> ExportedAttempts:
        self._flush()
        versions.done_reading()
        return ExportedAttempts(self.file, self.offsets, self.count, versions)


# --- reading the file ---------------------------------------------------------------------


def read_export_file(path: Path) -> ExportedAttempts:
    """Every attempt of the file, checked (see the module's docstring)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        raise _unreadable(path, error) from None
    with handle:
        try:
            return _read(path, _Entries(_Source(path, handle)))
        except ValueError:
            pass  # not a JSON list: said as the whole-document reading says it
    return _read(path, iter(_whole_document(path)))


def read_export_entries(source: Path, entries: Iterable[object]) -> ExportedAttempts:
    """Every attempt of `entries`, already parsed from JSON (a pull from the central
    store: quiz.storage.central.pull), checked as a file's are; `source` names them in
    messages. Saves writing them out as JSON and parsing it again."""
    return _read(source, entries)


def _read(path: Path, entries: Iterable[object]) -> ExportedAttempts:
    reader = _Reader(path, QuestionVersions())
    spill = _Spill()
    try:
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
        return spill.done(reader.versions)
    except BaseException:
        spill.file.close()
        raise


def _unreadable(path: Path, error: OSError) -> ImportFileError:
    return ImportFileError(f"{path}: cannot be read ({error.strerror or error}).")


def _not_utf8(path: Path, byte: int) -> ImportFileError:
    return ImportFileError(
        f"{path}: is not UTF-8 text (byte {byte}); give a file written by "
        "'quiz scores --format json'."
    )


def _whole_document(path: Path) -> list[object]:
    """The file's list of attempts, read whole (for a file the streaming reading could
    not go through): its problem is said as json says it for the whole document."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _unreadable(path, error) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_utf8(path, error.start) from None
    del data
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); give a file "
            "written by 'quiz scores --format json'."
        ) from None
    if not isinstance(document, list):
        raise ImportFileError(
            f"{path}: expected a list of attempts (a file written by "
            f"'quiz scores --format json'), found {_kind(document)}."
        )
    return document


class _Source:
    """The file's text, a chunk at a time (a byte-order mark at the start is skipped)."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self.handle = handle
        self.pending = b""  # the start of a character cut by the end of a chunk
        self.decoded = 0  # bytes decoded so far, after the mark
        self.started = False

    def read(self) -> str:
        """More of the text; "" at the end of the file."""
        while True:
            try:
                data = self.handle.read(_CHUNK_BYTES)
            except OSError as error:
                raise _unreadable(self.path, error) from None
            if not self.started:
                self.started = True
                if data.startswith(codecs.BOM_UTF8):
                    data = data[len(codecs.BOM_UTF8) :]
            final = not data
            data = self.pending + data
            try:
                text, used = codecs.utf_8_decode(data, "strict", final)
            except UnicodeDecodeError as error:
                raise _not_utf8(self.path, self.decoded + error.start) from None
            self.decoded += used
            self.pending = data[used:]
            if text or final:
                return text


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Entries:
    """The entries of the JSON list a file holds, one at a time. Raises ValueError for
    anything else (not JSON, not a list, something after it), left to json to say."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        self.text = ""  # what is read and not yet parsed, from `at`
        self.at = 0
        self.start = 0  # where `text` starts in the whole text
        self.ended = False

    def __iter__(self) -> Iterator[object]:
        if self._next_character() != "[":
            raise ValueError("not a list")
        self.at += 1
        if self._next_character() == "]":
            self.at += 1
        else:
            while True:
                self._next_character()
                yield self._value()
                following = self._next_character()
                self.at += 1
                if following == "]":
                    break
                if following != ",":
                    raise ValueError("not a list")
        if self._next_character():
            raise ValueError("more after the list")

    def _more(self) -> bool:
        if self.ended:
            return False
        piece = self.source.read()
        if not piece:
            self.ended = True
            return False
        self.start += self.at
        self.text = self.text[self.at :] + piece
        self.at = 0
        return True

    def _next_character(self) -> str:
        """The next character that is not white space ("" at the end), not taken."""
        while True:
            self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.text):
                return self.text[self.at]
            if not self._more():
                return ""

    def _value(self) -> object:
        if len(self.text) - self.at < _AHEAD:
            self._more()  # a value cut off costs a failed parse (and json's message for it)
        failed_at = -1
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.at)
            except json.JSONDecodeError as error:
                # Cut off by the end of what was read, or wrong: the same place twice
                # (with more read after it) is wrong.
                where = self.start + error.pos
                if where == failed_at or not self._more():
                    raise ValueError(error.msg) from None
                failed_at = where
                continue
            if end == len(self.text) and self._more():
                continue  # a number or a word may go on in the next chunk
            self.at = end
            return value


_ANSWER_FIELDS = itemgetter(
    "question_id",
    "choices",
    "right_answer",
    "section",
    "type",
    "prompt",
    "seconds",
    "correct",
    "response",
    "answered_at",
)
"""The fields of an answer the quick check reads (KeyError: one is missing)."""


class _NotPlain:
    """An answer the quick check leaves to the full one."""


_NOT_PLAIN = _NotPlain()
_NUMBERS = (int, float)
_MODES = frozenset(Mode)
_STATUSES = frozenset(AttemptStatus)
_IDENTIFICATIONS = frozenset(Identification)
_MOST_OFFSET = 18 * 60  # minutes: no time zone is further from UTC
_LEARNER_KEYS_KEPT = 100_000
_MILLISECOND = timedelta(milliseconds=1)
_EPOCH_DAY = EPOCH.toordinal()
_DAY_MS = 86_400_000


def _quick_ms(text: str) -> int:
    """A time with a timezone in milliseconds since the epoch (codec.to_ms); raises
    ValueError or TypeError for anything else."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(text)
    return (moment - EPOCH) // _MILLISECOND


def _checked_key(question_id: str, choices: list[Any]) -> tuple[Any, ...]:
    """Where the checked versions of a question with these choices are kept: by a few
    short fields (hashing every field of every answer would cost more than the rest of
    its checks); the others are compared."""
    return (question_id, len(choices), choices[0], choices[-1]) if choices else (question_id,)


class _Checked(NamedTuple):
    """A question as a file gives it, checked (`_Reader.checked`), and its number."""

    fields: tuple[str, str, str, list[str], list[str]]
    """Its section, type, prompt, choices and right answer (compared as one tuple)."""
    critical: bool | None  # as the file gives it: true, false, or null / not given
    number: int


def _stored(asked: AskedQuestion, response: Response) -> int | str | None:
    """The response as the store keeps it, as given back (a multiple answer in the
    order shown) and stored again. Raises ValueError when it does not fit."""
    return encode_response(asked, decode_response(asked, encode_response(asked, response)))


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


class _Reader:
    """Checks the entries of one file, each into a PreparedAttempt."""

    def __init__(self, path: Path, versions: QuestionVersions) -> None:
        self.path = path
        self.versions = versions
        self.learner_keys: dict[str, str] = {}
        self.where = ""

    def fail(self, message: str) -> NoReturn:
        raise ImportFileError(f"{self.path}: {self.where}: {message}")

    def field(self, obj: dict[str, Any], name: str, *types: type, optional: bool = False) -> Any:
        if name not in obj:
            if optional:
                return None
            self.fail(f"'{name}' is missing")
        value = obj[name]
        if value is None and optional:
            return None
        if isinstance(value, bool) and bool not in types:
            self.fail(f"'{name}' must be {self._names(types)}, not {_kind(value)}")
        if not isinstance(value, types):
            self.fail(f"'{name}' must be {self._names(types)}, not {_kind(value)}")
        return value

    @staticmethod
    def _names(types: tuple[type, ...]) -> str:
        names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
        names[list] = "a list"
        names[dict] = "an object"
        return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))

    def time(self, obj: dict[str, Any], name: str, *, optional: bool = False) -> int | None:
        """A time, in milliseconds since the epoch."""
        text = self.field(obj, name, str, optional=optional)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"'{name}' is not a time like 2026-11-23T10:00:00Z: {text!r}")
        if moment.tzinfo is None:
            self.fail(f"'{name}' has no timezone (end it with Z): {text!r}")
        return to_ms(moment)

    def texts(self, obj: dict[str, Any], name: str) -> tuple[str, ...]:
        values = self.field(obj, name, list)
        if not all(isinstance(v, str) for v in values):
            self.fail(f"'{name}' must be a list of texts")
        return tuple(values)

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
        answers: _Answers,
        flags: tuple[_FileFlag, ...] = (),
    ) -> PreparedAttempt:
        """The attempt: its own fields (PreparedAttempt's first ones, in order), its
        answers, and the verdict they give."""
        versions = self.versions
        sections = fields[_SECTIONS] or tuple(
            dict.fromkeys(map(versions.sections.__getitem__, numbers))
        )
        outcome = _verdict(
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
        """An attempt's own fields (PreparedAttempt's, up to `passed`), checked quickly:
        None unless all are there with the right types (then `checked_attempt` says what
        is wrong)."""
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
                or mode not in _MODES
                or status not in _STATUSES
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
                identified not in _IDENTIFICATIONS
                or (verify_code is not None and type(verify_code) is not str)
                or (clinic is not None and type(clinic) is not str)
                or (utc_offset is not None and type(utc_offset) is not int)
                or (utc_offset is not None and abs(utc_offset) > _MOST_OFFSET)
            ):
                return None
            if (
                (percent is not None and type(percent) not in _NUMBERS)
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
            started_ms = _quick_ms(started)
            finished, deadline = get("finished_at"), get("deadline_at")
            finished_ms = None if finished is None else _quick_ms(finished)
            deadline_ms = None if deadline is None else _quick_ms(deadline)
        except (KeyError, TypeError, ValueError):
            return None
        if not key:
            return None
        return (
            attempt_id,
            learner,
            key,
            course,
            course_version,
            mode,
            exam,
            tuple(sections) if sections else (),
            seed or 0,
            status,
            started_ms,
            finished_ms,
            limit,
            deadline_ms,
            pass_mark,
            correct,
            total,
            None if percent is None else float(percent),
            passed,
            str(identified),
            verify_code,
            clinic,
            utc_offset,
        )

    def checked_attempt(self, entry: object) -> PreparedAttempt:
        """Every check of an attempt, in order: the first problem is said."""
        if not isinstance(entry, dict):
            self.fail(f"expected an object, found {_kind(entry)}")
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
        fields = PreparedAttempt(
            id=attempt_id,
            learner=learner,
            learner_key=key,
            course=self.field(entry, "course", str),
            course_version=self.field(entry, "course_version", str),
            mode=str(mode),
            exam=self.field(entry, "exam", str, optional=True),
            sections=tuple(sections),
            seed=self.field(entry, "seed", int, optional=True) or 0,
            status=str(status),
            started_ms=started_ms,
            finished_ms=self.time(entry, "finished_at", optional=True),
            time_limit_seconds=self.field(entry, "time_limit_seconds", int, optional=True),
            deadline_ms=self.time(entry, "deadline_at", optional=True),
            pass_mark=self.field(entry, "pass_mark", int, optional=True),
            correct=self.field(entry, "correct", int, optional=True),
            total=total,
            percent=float(percent) if percent is not None else None,
            passed=self.field(entry, "passed", bool, optional=True),
            identified=self.identified(entry),
            verify_code=self.field(entry, "verify_code", str, optional=True),
            clinic=self.field(entry, "clinic", str, optional=True),
            utc_offset_minutes=self.utc_offset(entry),
            questions=(),
            stored=(),
            figures=b"",
            verdict=None,
        )
        return self.finish(fields[:_OWN_FIELDS], numbers, prepared, self.flags(entry, total))

    def flags(self, entry: dict[str, Any], total: int) -> tuple[_FileFlag, ...]:
        """The attempt's learners' flags ('flags', optional: an export of before them,
        or of an attempt without any), each checked: a note is one clean line."""
        from quiz.domain.flags import note_problem

        found = []
        for index, flag in enumerate(self.field(entry, "flags", list, optional=True) or []):
            if not isinstance(flag, dict):
                self.fail(f"flag {index} must be an object, not {_kind(flag)}")
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
        if text not in _IDENTIFICATIONS:
            self.fail(f"'identified' is {text!r}: it must be one of {', '.join(Identification)}")
        return str(text)

    def answers(self, answers: list[Any], started_ms: int) -> tuple[tuple[int, ...], _Answers]:
        """The question numbers of an attempt's answers, and its answers as stored.

        Most answers are checked quickly, here (written out in one loop: it runs for
        every answer of a file): a question already checked in this file with these
        very fields, no history, fields of the right types, a response already seen to
        fit it, a time with a timezone. Any other has every check (`checked`), which
        says what is wrong, if anything."""
        versions = self.versions
        checked = versions.checked
        responses = versions.responses
        questions = versions.questions
        parse_time = datetime.fromisoformat
        prepared = _Answers()
        add_figures = prepared.figures.extend
        add_stored = prepared.stored.append
        add_right = prepared.right.append
        numbers: list[int] = []
        seen: set[str] = set()
        for position, answer in enumerate(answers):
            try:
                (
                    question_id,
                    choices,
                    right,
                    section,
                    kind,
                    prompt,
                    seconds,
                    correct,
                    given,
                    answered_at,
                ) = _ANSWER_FIELDS(answer)  # one call for ten lookups
                if type(choices) is not list or type(right) is not list or "history" in answer:
                    raise KeyError
                critical = answer.get("critical")
                key = (
                    (question_id, len(choices), choices[0], choices[-1])
                    if choices
                    else (question_id,)
                )
                fields = (section, kind, prompt, choices, right)
                # (by _checked_key; the `number` found is used after the loop)
                for known, known_critical, number in checked[key]:  # noqa: B007
                    if critical is known_critical and fields == known:
                        break
                else:
                    raise KeyError
                if question_id in seen:
                    raise KeyError
                if seconds is None:  # unanswered
                    if correct is not False or given is not None:
                        raise KeyError
                    seen.add(question_id)
                    numbers.append(number)
                    continue
                if type(correct) is not bool or type(seconds) not in _NUMBERS:
                    raise KeyError
                response_key = (number, type(given), tuple(given) if type(given) is list else given)
                stored = responses.get(response_key, _NOT_PLAIN)
                if isinstance(stored, _NotPlain):
                    stored = _stored(questions[number], given)  # ValueError: not plain
                    if len(responses) < _RESPONSES_KEPT:
                        responses[response_key] = stored
                moment = parse_time(answered_at)  # TypeError, ValueError
                zone = moment.tzinfo
                if zone is None:
                    raise KeyError
                if moment.microsecond:
                    at = (moment - EPOCH) // _MILLISECOND  # codec.to_ms
                elif zone is UTC:  # whole seconds in UTC (as exports write them)
                    at = (moment.toordinal() - _EPOCH_DAY) * _DAY_MS + (
                        moment.hour * 3600 + moment.minute * 60 + moment.second
                    ) * 1000
                else:  # whole seconds: the float is exact
                    at = int(moment.timestamp()) * 1000
                ms = round(float(seconds) * 1000)  # OverflowError, ValueError: not finite
                if ms > _MS_LIMIT:
                    raise KeyError
            except (KeyError, TypeError, ValueError, OverflowError):
                numbers.append(self.checked(position, answer, started_ms, seen, prepared))
                continue
            seen.add(question_id)
            numbers.append(number)
            add_stored(stored)
            if correct:
                add_right(position)
            add_figures(
                (
                    position,
                    0,
                    1 if correct else 0,
                    ms if ms > 0 else 0,
                    round((at - started_ms) / 100),  # codec.offset_ds
                    at,
                )
            )
        return tuple(numbers), prepared

    def checked(
        self,
        position: int,
        answer: Any,
        started_ms: int,
        seen: set[str],
        prepared: _Answers,
    ) -> int:
        """Every check of one answer, added to `prepared`; its question's number."""
        outer = self.where
        self.where = f"{outer}: answer {position + 1}"
        if not isinstance(answer, dict):
            self.fail(f"expected an object, found {_kind(answer)}")
        question_id = self.field(answer, "question_id", str)
        if question_id in seen:
            self.fail(f"question {question_id!r} appears twice in the attempt")
        seen.add(question_id)
        type_text = self.field(answer, "type", str)
        try:
            kind_of(type_text)  # any registered kind; kept as text
        except UnknownKind:
            self.fail(f"'type' {type_text!r} is not one of {', '.join(kind_names())}")
        asked = AskedQuestion(
            position=position,
            question_id=question_id,
            section=self.field(answer, "section", str),
            type=type_text,
            prompt=self.field(answer, "prompt", str),
            choices=self.texts(answer, "choices"),
            answer=self.texts(answer, "right_answer"),
            critical=bool(self.field(answer, "critical", bool, optional=True)),
        )
        records: list[tuple[AnswerRow, int]] = []
        for earlier in self.field(answer, "history", list, optional=True) or []:
            if not isinstance(earlier, dict):
                self.fail("'history' must be a list of objects")
            record = self.record(asked, earlier, started_ms, rev=len(records), required=True)
            assert record is not None
            records.append(record)
        latest = self.record(asked, answer, started_ms, rev=len(records), required=False)
        if latest is not None:
            records.append(latest)
        elif records:
            self.fail("has a 'history' but no latest answer ('seconds' is null)")
        for row, at in records:
            prepared.add(row, at)
        if records and records[-1][0][3]:
            prepared.right.append(position)
        number = self.versions.number(asked)
        choices, right, critical = answer["choices"], answer["right_answer"], answer.get("critical")
        version = _Checked(
            (asked.section, type_text, asked.prompt, choices, right), critical, number
        )
        known = self.versions.checked.setdefault(_checked_key(question_id, choices), [])
        if version not in known:
            known.append(version)
        self.where = outer
        return number

    def record(
        self,
        asked: AskedQuestion,
        obj: dict[str, Any],
        started_ms: int,
        *,
        rev: int,
        required: bool,
    ) -> tuple[AnswerRow, int] | None:
        """An answer's row and when it was given (ms), or None for no answer."""
        seconds = self.field(obj, "seconds", int, float, optional=True)
        response: Response = obj.get("response")
        correct = self.field(obj, "correct", bool)
        if seconds is None:
            if required:
                self.fail("an earlier answer in 'history' has no 'seconds'")
            if response is not None or correct:
                self.fail("an answered question needs 'seconds' (null means unanswered)")
            return None
        try:
            ms = seconds_to_ms(float(seconds))
        except (OverflowError, ValueError):
            ms = _MS_LIMIT + 1
        if ms > _MS_LIMIT:
            self.fail(f"'seconds' must be a number of seconds, not {seconds!r}")
        try:
            # As the store gives it back (a multiple answer in the order shown).
            stored = _stored(asked, response)
        except ValueError as error:
            self.fail(f"'response' does not fit the question: {error}")
        answered = self.time(obj, "answered_at", optional=True)
        at = started_ms if answered is None else answered
        return (asked.position, rev, stored, int(correct), ms, round((at - started_ms) / 100)), at
