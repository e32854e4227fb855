"""The manager's report: staff by section, questions, sections. Read-only SQL over the store.

Which attempts count: those that ended 'completed' or 'timed_out' (not those in
progress or abandoned), practice and exams alike, started on or after `since`.
"Latest exam" looks at exam attempts only. A learner's result in a section is the
percent right of the questions of that section in one attempt; "last" is the latest
attempt that asked questions of the section, "best" the highest. A section is weak
when its last percent is below that attempt's pass mark (the exam's, or
DEFAULT_PASS_MARK for practice). Facility and discrimination are Moodle's
(quiz.domain.stats), over every counted attempt that asked the question.

Where the numbers come from:
- Without a learner filter: the report summaries (quiz.storage.summaries, described in
  quiz.storage.db), whole months from `since`'s on; when `since` is not the first of a
  month, the part month before the first whole one from its attempts
  (`summaries.compute`). What is latest (a learner's latest attempt, latest exam,
  latest result in a section) comes from the latest tables: the period never ends
  before now, so the latest attempt in it is the latest of all.
- One learner's report: from their counted attempts and answers, read in a few
  queries (the summaries do not hold questions per learner; one learner's attempts
  are few).
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from quiz.domain.grading import Verdict, verdict
from quiz.domain.model import DEFAULT_PASS_MARK
from quiz.domain.stats import ItemSums, discrimination, facility, flag_reasons
from quiz.domain.text import learner_key
from quiz.storage import summaries
from quiz.storage.codec import from_ms, load_texts, local_day_start_ms, unpack_ints

COUNTED_STATUSES = summaries.COUNTED_STATUSES
MASK_ITEMS = 62
"""Items below this position have their answers folded into an integer bitmask in SQL."""
CHOICE_TYPES = ("single", "multiple")
NOISE = 1e-9
"""A discrimination index this close to 0 is 0 (the running sums round)."""
_VARINT = re.compile(rb"[\x80-\xff]*[\x00-\x7f]")  # one packed integer (codec.pack_ints)


@dataclass(frozen=True)
class ReportFilter:
    """Which counted attempts a report covers."""

    learner: str | None = None  # matched by learner_key
    since: date | None = None  # local date: attempts started on or after it
    course: str | None = None  # course id

    @property
    def whole_store(self) -> bool:
        return self.learner is None and self.since is None and self.course is None


# --- what a report holds ----------------------------------------------------------------


@dataclass(frozen=True)
class SectionResult:
    """One learner in one section."""

    course: str
    section: str
    attempts: int  # counted attempts that asked questions of the section
    asked: int  # questions of the section asked in them
    right: int
    last_percent: float
    last_at: datetime  # when the latest of those attempts started (UTC)
    last_pass_mark: int  # the pass mark that applies to the latest attempt
    best_percent: float

    @property
    def weak(self) -> bool:
        """Below the pass mark on the latest attempt at the section."""
        return self.last_percent < self.last_pass_mark


@dataclass(frozen=True)
class ExamResult:
    """A learner's latest exam attempt."""

    exam: str | None  # the preset id
    started_at: datetime
    percent: float
    pass_mark: int | None
    passed: bool


@dataclass(frozen=True)
class LearnerReport:
    name: str  # as last typed (or as renamed)
    key: str
    attempts: int  # counted attempts
    last_at: datetime  # the latest of them started
    latest_exam: ExamResult | None
    sections: tuple[SectionResult, ...]

    @property
    def weak_sections(self) -> tuple[SectionResult, ...]:
        return tuple(s for s in self.sections if s.weak)


@dataclass(frozen=True)
class ChoicePicks:
    """A wrong choice of a multiple-choice question, and how often it was picked."""

    choice: str
    picks: int


@dataclass(frozen=True)
class QuestionReport:
    course: str
    question: str
    section: str
    type: str
    asked: int  # counted attempts that asked it
    answered: int
    right: int
    facility: float | None  # percent right of those asked
    discrimination: float | None  # -100..100
    flags: tuple[str, ...]  # quiz.domain.stats.flag_reasons
    wrong_choices: tuple[ChoicePicks, ...]  # single/multiple only; most picked first

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class SectionShare:
    """How many staff are at or above the pass mark in a section (latest attempt each)."""

    course: str
    section: str
    staff: int
    at_or_above: int

    @property
    def share(self) -> float:
        return 100.0 * self.at_or_above / self.staff if self.staff else 0.0


@dataclass(frozen=True)
class Report:
    filter: ReportFilter
    attempts: int  # counted attempts covered
    exams: int  # of which exams
    learners: tuple[LearnerReport, ...]
    questions: tuple[QuestionReport, ...]
    sections: tuple[SectionShare, ...]

    @property
    def courses(self) -> tuple[str, ...]:
        found = [s.course for s in self.sections] + [q.course for q in self.questions]
        return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class TrendPoint:
    """One attempt's result in one section."""

    attempt_id: str
    started_at: datetime
    exam: bool
    right: int
    asked: int

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class SectionTrend:
    course: str
    section: str
    points: tuple[TrendPoint, ...]  # oldest first


# --- reading ----------------------------------------------------------------------------


@contextmanager
def snapshot(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction, so the queries of a report see the same store."""
    connection.execute("BEGIN")
    try:
        yield connection
    finally:
        try:
            connection.execute("COMMIT")
        except sqlite3.Error:
            pass


@dataclass
class _Version:
    question: int
    section: int
    type: str
    choices: str  # JSON, parsed only when needed
    answer: str
    critical: bool  # a miss fails an exam (quiz.domain.grading)


@dataclass
class _Attempt:
    rowid: int
    uuid: str
    learner: int
    exam: bool
    exam_id: str | None
    started_at: int
    pass_mark: int | None
    passed: bool | None
    percent: float | None
    items: list[int]
    right: int = 0  # bit per item position: the answer that counts is right
    answered: int = 0  # bit per item position: answered
    latest_rev: dict[int, int] = field(default_factory=dict)  # items answered more than once


class _Names:
    """Ids to codes and names, read once per report."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.courses = dict(connection.execute("SELECT id, code FROM course").fetchall())
        self.sections: dict[int, tuple[int, str]] = {
            rowid: (course, code)
            for rowid, course, code in connection.execute("SELECT id, course, code FROM section")
        }
        self.questions: dict[int, tuple[int, str]] = {
            rowid: (course, code)
            for rowid, course, code in connection.execute("SELECT id, course, code FROM question")
        }
        self.learners: dict[int, tuple[str, str]] = {
            rowid: (key, name)
            for rowid, key, name in connection.execute("SELECT id, key, name FROM learner")
        }
        self.versions: dict[int, _Version] = {
            rowid: _Version(question, section, kind, choices, answer, bool(critical))
            for rowid, question, section, kind, choices, answer, critical in connection.execute(
                "SELECT id, question, section, type, choices, answer, critical FROM asked_question"
            )
        }
        self.version_section = {rowid: v.section for rowid, v in self.versions.items()}
        self._packed: dict[bytes, int] = {}

    def unpack(self, packed: bytes) -> list[int]:
        """codec.unpack_ints, quicker for the many lists of a big store: each packed
        integer's bytes are decoded once."""
        cache = self._packed
        return [
            cache[chunk] if chunk in cache else self._decode(chunk)
            for chunk in _VARINT.findall(packed)
        ]

    def _decode(self, chunk: bytes) -> int:
        value = self._packed[chunk] = unpack_ints(chunk)[0]
        return value

    def section(self, rowid: int) -> tuple[str, str]:
        course, code = self.sections.get(rowid, (0, f"#{rowid}"))
        return self.courses.get(course, "?"), code

    def question(self, rowid: int) -> tuple[str, str]:
        course, code = self.questions.get(rowid, (0, f"#{rowid}"))
        return self.courses.get(course, "?"), code


def _conditions(report_filter: ReportFilter) -> tuple[str, list[object]]:
    """SQL conditions on `attempt t` for the counted attempts the filter covers."""
    statuses = ",".join(f"'{s}'" for s in COUNTED_STATUSES)
    where = [f"t.status IN ({statuses})"]
    parameters: list[object] = []
    if report_filter.learner is not None:
        where.append("t.learner = (SELECT id FROM learner WHERE key = ?)")
        parameters.append(learner_key(report_filter.learner))
    if report_filter.since is not None:
        where.append("t.started_at >= ?")
        parameters.append(local_day_start_ms(report_filter.since))
    if report_filter.course is not None:
        where.append(
            "t.course_version IN (SELECT v.id FROM course_version v "
            "JOIN course c ON c.id = v.course WHERE c.code = ?)"
        )
        parameters.append(report_filter.course)
    return " AND ".join(where), parameters


def _answer_scope(report_filter: ReportFilter) -> tuple[str, list[object]]:
    """A condition on `answer` rows for the filtered attempts ('1' for the whole store:
    reading every answer is quicker than looking each attempt up, and the rows of
    attempts that do not count are dropped in Python)."""
    if report_filter.whole_store:
        return "1", []
    where, parameters = _conditions(report_filter)
    return f"attempt IN (SELECT t.id FROM attempt t WHERE {where})", parameters


def _counted_attempts(
    connection: sqlite3.Connection, report_filter: ReportFilter, names: _Names
) -> dict[int, _Attempt]:
    """The counted attempts, oldest first, with which of their items were answered right."""
    where, parameters = _conditions(report_filter)
    unpack = names.unpack
    attempts = {
        row[0]: _Attempt(
            rowid=row[0],
            uuid=row[1],
            learner=row[2],
            exam=bool(row[3]),
            exam_id=row[4],
            started_at=row[5],
            pass_mark=row[6],
            passed=None if row[7] is None else bool(row[7]),
            percent=row[8],
            items=unpack(row[9]),
        )
        for row in connection.execute(
            f"""SELECT t.id, t.uuid, t.learner, t.mode = 'exam', t.exam, t.started_at,
                       t.pass_mark, t.passed, t.percent, t.items
                FROM attempt t WHERE {where} ORDER BY t.started_at, t.id""",
            parameters,
        )
    }
    if not attempts:
        return attempts
    scope, scope_parameters = _answer_scope(report_filter)
    # First answers of the first MASK_ITEMS items, as bitmasks summed in SQL (most answers)...
    for attempt, right, answered in connection.execute(
        f"""SELECT attempt, sum(correct << item), sum((response IS NOT NULL) << item)
            FROM answer WHERE rev = 0 AND item < {MASK_ITEMS} AND {scope}
            GROUP BY attempt""",
        scope_parameters,
    ):
        found = attempts.get(attempt)
        if found is not None:
            found.right, found.answered = right, answered
    # ...then the rest, in order, so an answer given again replaces the earlier one.
    for attempt, item, rev, correct, given in connection.execute(
        f"""SELECT attempt, item, rev, correct, response IS NOT NULL FROM answer
            WHERE (rev > 0 OR item >= {MASK_ITEMS}) AND {scope}
            ORDER BY attempt, item, rev""",
        scope_parameters,
    ):
        found = attempts.get(attempt)
        if found is None:
            continue
        bit = 1 << item
        found.right = found.right | bit if correct else found.right & ~bit
        found.answered = found.answered | bit if given else found.answered & ~bit
        if rev:
            found.latest_rev[item] = rev
    return attempts


def _section_counts(attempt: _Attempt, names: _Names) -> dict[int, list[int]]:
    """Section id -> [asked, right] for one attempt."""
    sections = [names.version_section.get(version, -1) for version in attempt.items]
    counts = {section: [0, 0] for section in sections}
    for section in sections:
        counts[section][0] += 1
    right = attempt.right
    while right:
        lowest = right & -right
        position = lowest.bit_length() - 1
        if position < len(sections):
            counts[sections[position]][1] += 1
        right ^= lowest
    counts.pop(-1, None)
    return counts


# --- staff by section -------------------------------------------------------------------


@dataclass
class _Tally:
    attempts: int = 0
    asked: int = 0
    right: int = 0
    last_percent: float = 0.0
    last_at: int = 0
    last_pass_mark: int = DEFAULT_PASS_MARK
    best_percent: float = 0.0


def _by_section() -> defaultdict[int, dict[int, _Tally]]:
    return defaultdict(dict)


@dataclass
class _Staff:
    """By learner id, what the staff tables need (from the attempts or the summaries)."""

    attempts: Counter[int] = field(default_factory=Counter)  # counted attempts
    last_at: dict[int, int] = field(default_factory=dict)  # when the latest of them started
    latest_exam: dict[int, ExamResult] = field(default_factory=dict)
    sections: defaultdict[int, dict[int, _Tally]] = field(default_factory=_by_section)


def _staff_from_attempts(attempts: dict[int, _Attempt], names: _Names) -> _Staff:
    staff = _Staff()
    latest_exam: dict[int, _Attempt] = {}
    for attempt in attempts.values():  # oldest first
        staff.attempts[attempt.learner] += 1
        staff.last_at[attempt.learner] = attempt.started_at
        if attempt.exam:
            latest_exam[attempt.learner] = attempt
        mark = attempt.pass_mark if attempt.pass_mark is not None else DEFAULT_PASS_MARK
        by_section = staff.sections[attempt.learner]
        for section, (asked, right) in _section_counts(attempt, names).items():
            percent = 100.0 * right / asked
            tally = by_section.get(section)
            if tally is None:
                tally = by_section[section] = _Tally(best_percent=percent)
            tally.attempts += 1
            tally.asked += asked
            tally.right += right
            tally.last_percent = percent
            tally.last_at = attempt.started_at
            tally.last_pass_mark = mark
            tally.best_percent = max(tally.best_percent, percent)
    staff.latest_exam = {learner: _exam_result(a, names) for learner, a in latest_exam.items()}
    return staff


def _staff_rows(staff: _Staff, names: _Names) -> tuple[list[LearnerReport], list[SectionShare]]:
    learners = []
    shares: dict[int, list[int]] = {}
    for learner, by_section in staff.sections.items():
        if not by_section:
            continue
        key, name = names.learners.get(learner, ("", f"#{learner}"))
        rows = []
        for section in sorted(by_section):
            tally = by_section[section]
            course, code = names.section(section)
            row = SectionResult(
                course=course,
                section=code,
                attempts=tally.attempts,
                asked=tally.asked,
                right=tally.right,
                last_percent=tally.last_percent,
                last_at=from_ms(tally.last_at),
                last_pass_mark=tally.last_pass_mark,
                best_percent=tally.best_percent,
            )
            rows.append(row)
            share = shares.setdefault(section, [0, 0])
            share[0] += 1
            share[1] += not row.weak
        learners.append(
            LearnerReport(
                name=name,
                key=key,
                attempts=staff.attempts[learner],
                last_at=from_ms(staff.last_at.get(learner, 0)),
                latest_exam=staff.latest_exam.get(learner),
                sections=tuple(rows),
            )
        )
    learners.sort(key=lambda r: (r.key, r.name))
    section_shares = [
        SectionShare(*names.section(section), staff=staff_count, at_or_above=above)
        for section, (staff_count, above) in sorted(shares.items())
    ]
    return learners, section_shares


def _exam(
    exam_id: str | None,
    started_at: int,
    percent: float | None,
    pass_mark: int | None,
    passed: bool | None,
    regrade: Callable[[int], Verdict],
) -> ExamResult:
    """The stored result; where an older store left percent or passed empty, the
    verdict from the answers (`regrade(pass_mark)`: quiz.domain.grading's one rule)."""
    if percent is None or passed is None:
        outcome = regrade(pass_mark if pass_mark is not None else DEFAULT_PASS_MARK)
        percent = outcome.percent if percent is None else percent
        passed = bool(outcome.passed) if passed is None else passed
    return ExamResult(
        exam=exam_id,
        started_at=from_ms(started_at),
        percent=float(percent),
        pass_mark=pass_mark,
        passed=passed,
    )


def _critical_flags(items: list[int], names: _Names) -> list[bool]:
    """The critical flag of each question asked (by its asked_question id)."""
    versions = names.versions
    return [version in versions and versions[version].critical for version in items]


def _exam_result(attempt: _Attempt, names: _Names) -> ExamResult:
    return _exam(
        attempt.exam_id,
        attempt.started_at,
        attempt.percent,
        attempt.pass_mark,
        attempt.passed,
        partial(_regrade_counted, attempt, names),
    )


def _regrade_counted(attempt: _Attempt, names: _Names, pass_mark: int) -> Verdict:
    """The verdict of a counted attempt from its answers that count (`attempt.right`)."""
    right = [item for item in range(len(attempt.items)) if attempt.right >> item & 1]
    return verdict(_critical_flags(attempt.items, names), right, pass_mark)


# --- questions --------------------------------------------------------------------------


@dataclass
class _QuestionFigures:
    """What the question table needs (from the attempts or the summaries)."""

    sums: defaultdict[int, summaries.QuestionSums] = field(
        default_factory=lambda: defaultdict(summaries.QuestionSums)
    )
    used: set[int] = field(default_factory=set)  # the versions asked
    picks: Counter[tuple[int, str]] = field(default_factory=Counter)  # (question, wrong choice)


def _question_figures_from_attempts(
    connection: sqlite3.Connection,
    report_filter: ReportFilter,
    attempts: dict[int, _Attempt],
    names: _Names,
) -> _QuestionFigures:
    """The same sums as the summary tables keep, over these attempts only."""
    figures = _QuestionFigures()
    for attempt in attempts.values():
        total = len(attempt.items)
        right_total = bin(attempt.right).count("1")
        figures.used.update(attempt.items)
        for position, version in enumerate(attempt.items):
            info = names.versions.get(version)
            if info is None:
                continue
            right = attempt.right >> position & 1
            item = figures.sums[info.question]
            item.asked += 1
            item.answered += attempt.answered >> position & 1
            item.right += right
            if total > 1:
                rest = (right_total - right) / (total - 1)
                item.r_n += 1
                item.r_x += right
                item.r_sum += rest
                item.r_sq += rest * rest
                item.r_xr += right * rest
    figures.picks = _wrong_picks(connection, report_filter, attempts, names)
    return figures


def _wrong_picks(
    connection: sqlite3.Connection,
    report_filter: ReportFilter,
    attempts: dict[int, _Attempt],
    names: _Names,
) -> Counter[tuple[int, str]]:
    """(question id, choice text) -> times that wrong choice was picked, over the answers
    that count. A version's choices are in the order shown, so the picked positions are
    read with the version's own choices."""
    scope, parameters = _answer_scope(report_filter)
    masks: Counter[tuple[int, int]] = Counter()
    for attempt, item, rev, response in connection.execute(
        f"""SELECT attempt, item, rev, response FROM answer
            WHERE correct = 0 AND typeof(response) = 'integer' AND {scope}""",
        parameters,
    ):
        found = attempts.get(attempt)
        if found is None or found.latest_rev.get(item, 0) != rev or item >= len(found.items):
            continue
        masks[(found.items[item], response)] += 1
    picks: Counter[tuple[int, str]] = Counter()
    for (version, mask), count in masks.items():
        info = names.versions.get(version)
        if info is None or info.type not in CHOICE_TYPES:
            continue
        right = set(load_texts(info.answer))
        for position, choice in enumerate(load_texts(info.choices)):
            if mask >> position & 1 and choice not in right:
                picks[(info.question, choice)] += count
    return picks


def _question_rows(figures: _QuestionFigures, names: _Names) -> list[QuestionReport]:
    # The versions asked in the period: their sections, types and choices.
    latest_version: dict[int, int] = {}
    for version in sorted(figures.used):
        info = names.versions.get(version)
        if info is not None:
            latest_version[info.question] = version
    wrong: defaultdict[int, Counter[str]] = defaultdict(Counter)
    for version in figures.used:
        info = names.versions.get(version)
        if info is None or info.type not in CHOICE_TYPES:
            continue
        right = set(load_texts(info.answer))
        for choice in load_texts(info.choices):
            if choice not in right:
                wrong[info.question][choice] += 0  # listed even if nobody picked it
    for (question, choice), count in figures.picks.items():
        wrong[question][choice] += count
    rows = []
    for question, total in figures.sums.items():
        if total.asked <= 0:
            continue
        course, code = names.question(question)
        latest = latest_version.get(question)
        info = names.versions.get(latest) if latest is not None else None
        section = names.section(info.section)[1] if info is not None else ""
        facility_percent = facility(total.right, total.asked)
        index = discrimination(ItemSums(total.r_n, total.r_x, total.r_sum, total.r_sq, total.r_xr))
        if index is not None and abs(index) < NOISE:
            index = 0.0  # rounding in the running sums, not a negative index
        picks = wrong.get(question, Counter())
        rows.append(
            (
                (info.section if info is not None else 1 << 62, question),
                QuestionReport(
                    course=course,
                    question=code,
                    section=section,
                    type=info.type if info is not None else "",
                    asked=total.asked,
                    answered=total.answered,
                    right=total.right,
                    facility=facility_percent,
                    discrimination=index,
                    flags=tuple(flag_reasons(facility_percent, index)),
                    wrong_choices=tuple(
                        ChoicePicks(choice, count)
                        for choice, count in sorted(picks.items(), key=lambda p: (-p[1], p[0]))
                    ),
                ),
            )
        )
    rows.sort(key=lambda pair: pair[0])
    return [row for _order, row in rows]


# --- from the summaries -----------------------------------------------------------------


def _period(since: date | None) -> tuple[int, tuple[int, int] | None]:
    """For a period from `since` on: the first month (YYYYMM) the summaries give whole,
    and the [start, end) milliseconds of the part month before it, if `since` is not
    the first of a month."""
    if since is None:
        return 0, None
    if since.day == 1:
        return since.year * 100 + since.month, None
    following = date(since.year + since.month // 12, since.month % 12 + 1, 1)
    part = (local_day_start_ms(since), local_day_start_ms(following))
    return following.year * 100 + following.month, part


class _Scope:
    """Which rows of the summaries a report covers: those of one course, or all."""

    def __init__(self, names: _Names, course: int | None) -> None:
        self.names = names
        self.course = course

    def has_course(self, course: int) -> bool:
        return self.course is None or course == self.course

    def has_section(self, section: int) -> bool:
        return self.course is None or self.names.sections.get(section, (0, ""))[0] == self.course

    def has_question(self, question: int) -> bool:
        return self.course is None or self.names.questions.get(question, (0, ""))[0] == self.course

    def has_version(self, version: int) -> bool:
        info = self.names.versions.get(version)
        return self.course is None or (info is not None and self.has_question(info.question))


def _report_from_summaries(
    connection: sqlite3.Connection, report_filter: ReportFilter, names: _Names
) -> Report:
    course: int | None = None
    if report_filter.course is not None:
        row = connection.execute(
            "SELECT id FROM course WHERE code = ?", (report_filter.course,)
        ).fetchone()
        if row is None:
            return Report(report_filter, 0, 0, (), (), ())
        course = int(row[0])
    scope = _Scope(names, course)
    first_month, part_range = _period(report_filter.since)
    part = summaries.Totals()
    if part_range is not None:  # the part month: from its attempts
        part = summaries.compute(connection, since_ms=part_range[0], until_ms=part_range[1])
    staff, attempts, exams = _staff_from_summaries(connection, first_month, part, scope)
    figures = _question_figures_from_summaries(connection, first_month, part, scope)
    learners, shares = _staff_rows(staff, names)
    return Report(
        filter=report_filter,
        attempts=attempts,
        exams=exams,
        learners=tuple(learners),
        questions=tuple(_question_rows(figures, names)),
        sections=tuple(shares),
    )


def _staff_from_summaries(
    connection: sqlite3.Connection, first_month: int, part: summaries.Totals, scope: _Scope
) -> tuple[_Staff, int, int]:
    """The staff figures, and the counted attempts and exams of the period."""
    staff = _Staff()
    counted = exams = 0
    with_exams: set[int] = set()
    rows: list[tuple[int, int, int, int]] = connection.execute(
        """SELECT learner, course, exam, sum(attempts) FROM learner_stats WHERE month >= ?
           GROUP BY learner, course, exam""",
        (first_month,),
    ).fetchall()
    rows += [(lr, c, exam, n) for (lr, c, _month, exam), n in part.learners.items()]
    for learner, course, exam, count in rows:
        if count <= 0 or not scope.has_course(course):
            continue
        staff.attempts[learner] += count
        counted += count
        if exam:
            exams += count
            with_exams.add(learner)
    # The period never ends before now: the latest attempt of a learner with attempts
    # in it is their latest of all.
    latest: dict[int, tuple[int, int]] = {}
    latest_exam: dict[int, tuple[int, int]] = {}
    for learner, course, exam, started_at, attempt in connection.execute(
        "SELECT learner, course, exam, started_at, attempt FROM learner_latest"
    ):
        if learner not in staff.attempts or not scope.has_course(course):
            continue
        order = (started_at, attempt)
        if latest.get(learner, (-1, -1)) < order:
            latest[learner] = order
        if exam and learner in with_exams and latest_exam.get(learner, (-1, -1)) < order:
            latest_exam[learner] = order
    staff.last_at = {learner: order[0] for learner, order in latest.items()}
    staff.latest_exam = _exam_results(
        connection, {learner: order[1] for learner, order in latest_exam.items()}, scope.names
    )
    for learner, section, attempts, asked, right, best in connection.execute(
        """SELECT learner, section, sum(attempts), sum(asked), sum(right),
                  max(100.0 * best_right / best_asked)
           FROM learner_section_stats WHERE month >= ? GROUP BY learner, section""",
        (first_month,),
    ):
        if scope.has_section(section):
            staff.sections[learner][section] = _Tally(attempts, asked, right, best_percent=best)
    for (learner, section, _month, _exam), sums in part.sections.items():
        if sums.attempts <= 0 or not scope.has_section(section):
            continue
        best = 100.0 * sums.best_right / sums.best_asked
        tally = staff.sections[learner].get(section)
        if tally is None:
            staff.sections[learner][section] = _Tally(
                sums.attempts, sums.asked, sums.right, best_percent=best
            )
        else:
            tally.attempts += sums.attempts
            tally.asked += sums.asked
            tally.right += sums.right
            tally.best_percent = max(tally.best_percent, best)
    for learner, section, started_at, asked, right, pass_mark in connection.execute(
        "SELECT learner, section, started_at, asked, right, pass_mark FROM learner_section_latest"
    ):
        found = staff.sections.get(learner)
        tally = found.get(section) if found is not None else None
        if tally is None:
            continue
        tally.last_percent = 100.0 * right / asked if asked else 0.0
        tally.last_at = started_at
        tally.last_pass_mark = pass_mark if pass_mark is not None else DEFAULT_PASS_MARK
    return staff, counted, exams


def _exam_results(
    connection: sqlite3.Connection, rowids: dict[int, int], names: _Names
) -> dict[int, ExamResult]:
    """learner id -> the result of their exam attempt of id rowids[learner]."""
    found: dict[int, ExamResult] = {}
    wanted = sorted(set(rowids.values()))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for rowid, exam_id, started_at, pass_mark, passed, percent, items in connection.execute(
            f"""SELECT id, exam, started_at, pass_mark, passed, percent, items
                FROM attempt WHERE id IN ({",".join("?" * len(chunk))})""",
            chunk,
        ):
            found[rowid] = _exam(
                exam_id,
                started_at,
                percent,
                pass_mark,
                None if passed is None else bool(passed),
                partial(_regrade_stored, connection, names, rowid, items),
            )
    return {learner: found[rowid] for learner, rowid in rowids.items() if rowid in found}


def _regrade_stored(
    connection: sqlite3.Connection, names: _Names, rowid: int, items: bytes, pass_mark: int
) -> Verdict:
    """The verdict of attempt `rowid` from its answers that count (the latest of each)."""
    latest: dict[int, int] = {}
    for item, correct in connection.execute(
        "SELECT item, correct FROM answer WHERE attempt = ? ORDER BY item, rev", (rowid,)
    ):
        latest[item] = correct
    right = [item for item, correct in latest.items() if correct]
    return verdict(_critical_flags(unpack_ints(items), names), right, pass_mark)


def _question_figures_from_summaries(
    connection: sqlite3.Connection, first_month: int, part: summaries.Totals, scope: _Scope
) -> _QuestionFigures:
    figures = _QuestionFigures()
    for question, *values in connection.execute(
        """SELECT question, sum(asked), sum(answered), sum(right), sum(ms), sum(r_n),
                  sum(r_x), sum(r_sum), sum(r_sq), sum(r_xr)
           FROM question_stats WHERE month >= ? GROUP BY question""",
        (first_month,),
    ):
        if scope.has_question(question):
            figures.sums[question].add(summaries.QuestionSums(*values))
    for (question, _month, _exam), sums in part.questions.items():
        if scope.has_question(question):
            figures.sums[question].add(sums)
    figures.used = {
        version
        for (version,) in connection.execute(
            "SELECT DISTINCT asked_question FROM version_stats WHERE month >= ?", (first_month,)
        )
        if scope.has_version(version)
    }
    figures.used.update(
        version
        for (version, _month), count in part.versions.items()
        if count > 0 and scope.has_version(version)
    )
    for question, choice, picks in connection.execute(
        """SELECT question, choice, sum(picks) FROM choice_stats WHERE month >= ?
           GROUP BY question, choice""",
        (first_month,),
    ):
        if scope.has_question(question):
            figures.picks[(question, choice)] += picks
    for (question, _month, _exam, choice), picks in part.choices.items():
        if scope.has_question(question):
            figures.picks[(question, choice)] += picks
    return figures


# --- the entry points -------------------------------------------------------------------


def build_report(connection: sqlite3.Connection, report_filter: ReportFilter) -> Report:
    """The whole report (call inside `snapshot`, so every query sees the same store).

    From the summaries, except for one learner's report: that is read from their
    attempts (the summaries do not hold the questions per learner), which are few."""
    names = _Names(connection)
    if report_filter.learner is None:
        return _report_from_summaries(connection, report_filter, names)
    return _report_from_attempts(connection, report_filter, names)


def _report_from_attempts(
    connection: sqlite3.Connection, report_filter: ReportFilter, names: _Names
) -> Report:
    """The report straight from the counted attempts and their answers (any filter)."""
    attempts = _counted_attempts(connection, report_filter, names)
    staff = _staff_from_attempts(attempts, names)
    learners, shares = _staff_rows(staff, names)
    figures = _question_figures_from_attempts(connection, report_filter, attempts, names)
    return Report(
        filter=report_filter,
        attempts=len(attempts),
        exams=sum(1 for a in attempts.values() if a.exam),
        learners=tuple(learners),
        questions=tuple(_question_rows(figures, names)),
        sections=tuple(shares),
    )


def section_trends(
    connection: sqlite3.Connection, learner: str, course: str | None = None
) -> tuple[SectionTrend, ...]:
    """A learner's result in each section, attempt by attempt (counted attempts)."""
    names = _Names(connection)
    attempts = _counted_attempts(connection, ReportFilter(learner=learner, course=course), names)
    points: defaultdict[int, list[TrendPoint]] = defaultdict(list)
    for attempt in attempts.values():
        for section, (asked, right) in _section_counts(attempt, names).items():
            points[section].append(
                TrendPoint(
                    attempt_id=attempt.uuid,
                    started_at=from_ms(attempt.started_at),
                    exam=attempt.exam,
                    right=right,
                    asked=asked,
                )
            )
    return tuple(
        SectionTrend(*names.section(section), points=tuple(found))
        for section, found in sorted(points.items())
    )
