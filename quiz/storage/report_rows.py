"""From the figures both computations gather to the report's rows.

A report is computed from the summaries or straight from the attempts
(quiz.storage.report_from_summaries, quiz.storage.report_from_attempts); each fills a
`Staff` and a `QuestionFigures`, and the rows are made from those here, once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from quiz.domain.grading import verdict
from quiz.domain.identity import Identification
from quiz.domain.model import DEFAULT_PASS_MARK
from quiz.domain.stats import ItemSums, discrimination, facility, flag_reasons
from quiz.storage import summaries
from quiz.storage.codec import from_ms, version_label
from quiz.storage.report_model import (
    ChoicePicks,
    ExamResult,
    LearnerReport,
    QuestionReport,
    Report,
    ReportFilter,
    SectionResult,
    SectionShare,
    UnverifiedPass,
)
from quiz.storage.report_reading import Names, Version

NOISE = 1e-9
"""A discrimination index this close to 0 is 0 (the running sums round)."""


def report_of(
    report_filter: ReportFilter,
    attempts: int,
    exams: int,
    staff: Staff,
    figures: QuestionFigures,
    names: Names,
    unverified: tuple[UnverifiedPass, ...] = (),
) -> Report:
    """The report of the figures either computation gathered."""
    learners, shares = staff_rows(staff, names)
    return Report(
        filter=report_filter,
        attempts=attempts,
        exams=exams,
        learners=tuple(learners),
        questions=tuple(question_rows(figures, names)),
        sections=tuple(shares),
        unverified_passes=unverified,
    )


# --- staff by section -------------------------------------------------------------------


@dataclass
class Tally:
    """One learner in one section, as the figures are gathered."""

    attempts: int = 0
    asked: int = 0
    right: int = 0
    last_percent: float = 0.0
    last_at: int = 0
    last_pass_mark: int = DEFAULT_PASS_MARK
    best_percent: float = 0.0


def _by_section() -> defaultdict[int, dict[int, Tally]]:
    return defaultdict(dict)


@dataclass
class Staff:
    """By learner id, what the staff tables need (from the attempts or the summaries)."""

    attempts: Counter[int] = field(default_factory=Counter)  # counted attempts
    last_at: dict[int, int] = field(default_factory=dict)  # when the latest of them started
    latest_exam: dict[int, ExamResult] = field(default_factory=dict)
    sections: defaultdict[int, dict[int, Tally]] = field(default_factory=_by_section)


def staff_rows(staff: Staff, names: Names) -> tuple[list[LearnerReport], list[SectionShare]]:
    """The learners (by key) with their sections, and each section's share at or above
    the pass mark."""
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


Answers = Callable[[], tuple[list[int], list[int]]]
"""() -> an attempt's question versions (asked_question ids) and the positions of those
answered right (the answers that count): read only when a result must be regraded."""


def exam_result(
    exam_id: str | None,
    started_at: int,
    percent: float | None,
    pass_mark: int | None,
    passed: bool | None,
    answers: Answers,
    names: Names,
    *,
    identified: str = "typed",
    attempt_id: str | None = None,
) -> ExamResult:
    """The stored result; where an older store left percent or passed empty, the
    verdict from the answers (quiz.domain.grading's one rule)."""
    if percent is None or passed is None:
        items, right = answers()
        versions = names.versions
        critical = [version in versions and versions[version].critical for version in items]
        mark = pass_mark if pass_mark is not None else DEFAULT_PASS_MARK
        outcome = verdict(critical, right, mark)
        percent = outcome.percent if percent is None else percent
        passed = bool(outcome.passed) if passed is None else passed
    return ExamResult(
        exam=exam_id,
        started_at=from_ms(started_at),
        percent=float(percent),
        pass_mark=pass_mark,
        passed=passed,
        identified=Identification(identified),
        attempt_id=attempt_id,
    )


# --- questions --------------------------------------------------------------------------


VersionKey = tuple[int, int]
"""A version of a question, as the statistics keep them apart: question id, content key
(codec.content_key)."""


@dataclass
class QuestionFigures:
    """What the question table needs (from the attempts or the summaries), by version."""

    sums: defaultdict[VersionKey, summaries.QuestionSums] = field(
        default_factory=lambda: defaultdict(summaries.QuestionSums)
    )
    used: set[int] = field(default_factory=set)  # the asked_question rows asked
    picks: Counter[tuple[int, int, str]] = field(default_factory=Counter)
    """(question id, content key, wrong choice) -> picks."""
    months: dict[VersionKey, int] = field(default_factory=dict)
    """Every version with counted answers in the store, whatever the filter, and the
    latest month it was asked (report_reading.version_months): which is current."""
    _single: dict[int, int] | None = field(default=None, repr=False, compare=False)

    def key_of(self, info: Version) -> VersionKey:
        """The version an asked_question row is of. Its content key is hashed only for a
        question with several versions in the store (`months`); a question of one is of
        that one (hashing each of a big store's shuffles costs a report ~15 ms)."""
        if self._single is None:
            seen = Counter(question for question, _content in self.months)
            self._single = {q: c for q, c in self.months if seen[q] == 1}
        single = self._single.get(info.question)
        return (info.question, single if single is not None else info.content)


def current_versions(months: dict[VersionKey, int], names: Names) -> dict[int, int]:
    """Question id -> the content key of its current version: of its versions with
    counted answers in the store, the one asked in the latest month; of several asked
    that month (a correction made mid-month), the one that came to the store last (its
    first asked_question row is the newest). The course itself is not read: this is
    what the store can tell, whatever the period a report covers."""
    by_question: defaultdict[int, list[int]] = defaultdict(list)
    for question, content in months:
        by_question[question].append(content)
    current = {question: found[0] for question, found in by_question.items() if len(found) == 1}
    if len(current) == len(by_question):
        return current
    first_seen: dict[VersionKey, int] = {}
    for rowid, info in names.versions.items():
        if info.question in current or info.question not in by_question:
            continue
        key = (info.question, info.content)
        first_seen[key] = min(rowid, first_seen.get(key, rowid))
    for question, found in by_question.items():
        if question not in current:
            current[question] = max(
                found, key=lambda c: (months[(question, c)], first_seen.get((question, c), -1))
            )
    return current


def question_rows(figures: QuestionFigures, names: Names) -> list[QuestionReport]:
    """One row per version of a question asked (each version's figures its own, the
    current version first), in the order of its section, with its wrong choices."""
    current = current_versions(figures.months, names)
    versions = Counter(question for question, _content in figures.months)
    # The rows asked in the period: each version's section, type and choices.
    latest_row: dict[VersionKey, int] = {}
    wrong: defaultdict[VersionKey, Counter[str]] = defaultdict(Counter)
    for version in sorted(figures.used):
        info = names.versions.get(version)
        if info is None:
            continue
        key = figures.key_of(info)
        latest_row[key] = version
        for _position, choice in info.wrong_choices():
            wrong[key][choice] += 0  # listed even if nobody picked it
    for (question, content, choice), count in figures.picks.items():
        wrong[(question, content)][choice] += count
    rows = []
    for key, total in figures.sums.items():
        if total.asked <= 0:
            continue
        question, content = key
        course, code = names.question(question)
        latest = latest_row.get(key)
        info = names.versions.get(latest) if latest is not None else None
        section = names.section(info.section)[1] if info is not None else ""
        facility_percent = facility(total.right, total.asked)
        index = discrimination(ItemSums(total.r_n, total.r_x, total.r_sum, total.r_sq, total.r_xr))
        if index is not None and abs(index) < NOISE:
            index = 0.0  # rounding in the running sums, not a negative index
        picks = wrong.get(key, Counter())
        is_current = current.get(question, content) == content
        rows.append(
            (
                (
                    info.section if info is not None else 1 << 62,
                    question,
                    not is_current,
                    -figures.months.get(key, 0),
                    content,
                ),
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
                    version=version_label(content),
                    current=is_current,
                    versions=max(versions.get(question, 0), 1),
                ),
            )
        )
    rows.sort(key=lambda pair: pair[0])
    return [row for _order, row in rows]
