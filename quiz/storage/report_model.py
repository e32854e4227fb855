"""What a manager's report holds: frozen dataclasses, no SQL.

`quiz.storage.reports` computes a `Report` (from the summaries, or straight from the
attempts); `quiz.tables.report` says how each of its tables is shown. This module
imports neither sqlite3 nor Textual, so the app's screens and the commands can use
the report without loading the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from quiz.domain.identity import Identification
from quiz.domain.validity import Validity
from quiz.storage.codec import is_choice_mask


@dataclass(frozen=True)
class ReportFilter:
    """Which counted attempts a report covers."""

    learner: str | None = None  # matched by learner_key
    since: date | None = None  # local date: attempts started on or after it
    course: str | None = None  # course id
    clinic: str | None = None  # attempts taken at this clinic only (leeches: its learners')

    @property
    def whole_store(self) -> bool:
        return (
            self.learner is None
            and self.since is None
            and self.course is None
            and self.clinic is None
        )


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
    identified: Identification = Identification.TYPED  # how the learner was known
    attempt_id: str | None = None  # the attempt's id (None where it was not read)


@dataclass(frozen=True)
class UnverifiedPass:
    """A learner's latest pass of an exam preset whose learner was known by a typed
    name only (quiz.domain.identity): proof that rests on trust."""

    learner: str  # name as last typed
    key: str
    course: str
    exam: str | None  # the preset id
    attempt_id: str
    started_at: datetime  # UTC
    percent: float


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
    wrong_choices: tuple[ChoicePicks, ...]  # see counts_choices; most picked first
    learner_flags: int = 0
    """Learners' flags on it (quiz.storage.flags) that may be shown, raised in the
    report's period; not a statistic of the answers (the two computations leave it
    0: `reports.build_report` counts them)."""
    version: str = ""  # the content version the figures are of ("v3f2a": codec.version_label)
    current: bool = True  # the question's current version (report_rows.current_versions)
    versions: int = 1  # the question's versions with counted answers in the store

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def label(self) -> str:
        """The question as a report names the row: its id, and when the store holds
        answers to several versions of it, which one ("procedure-04 (v3f2a, current)",
        "procedure-04 (v1b7c, older version)")."""
        if self.versions <= 1:
            return self.question
        return f"{self.question} ({self.version_text})"

    @property
    def version_text(self) -> str:
        """Which version, and whether current: "v3f2a, current", "v1b7c, older version"."""
        return f"{self.version}, {'current' if self.current else 'older version'}"

    @property
    def counts_choices(self) -> bool:
        """Whether its wrong choices are counted (its kind's response is a pick of the
        choices shown: single, multiple), so no `wrong_choices` means none was picked."""
        return is_choice_mask(self.type)


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
class DrillActivity:
    """A learner's drill rounds in the period (counted apart: a drill picks weak
    questions on purpose, so its answers are in no other table of the report)."""

    learner: str
    key: str
    rounds: int  # drill rounds that ended completed or timed out
    questions: int  # questions asked in them
    right: int  # of those, right by the end of the round
    last_at: datetime  # when the latest of them started (UTC)


@dataclass(frozen=True)
class LeechReport:
    """A question that is a leech (forgotten again and again) for one learner or more:
    for several, probably a problem of the question or the course text."""

    course: str
    question: str
    section: str
    learners: tuple[str, ...]  # their names, most lapses first
    lapses: tuple[int, ...]  # each one's lapses, in the same order


@dataclass(frozen=True)
class ValidPreset:
    """An exam preset whose pass stays valid for a while (course.yaml `valid_for`)."""

    course: str  # course id
    exam: str  # preset id
    title: str
    validity: Validity


@dataclass(frozen=True)
class PassValidity:
    """A learner's last pass of a preset with a validity, and until when it holds
    (quiz.domain.validity: `valid_until` is the first day without it)."""

    preset: ValidPreset
    learner: str  # name as last typed
    key: str
    passed_at: datetime  # when the pass finished (UTC)
    passed_on: date  # its day, in the attempt's own offset
    valid_until: date  # in the attempt's own offset
    expired: bool  # at the time asked


@dataclass(frozen=True)
class RecertificationDue:
    """A learner due for recertification in a preset: the last pass has expired
    (`expired_on` is its valid_until date), or there was never one (both None)."""

    preset: ValidPreset
    learner: str  # name as last typed
    key: str
    passed_at: datetime | None  # the last pass finished (UTC); None: never passed
    passed_on: date | None  # its day, in the attempt's own offset
    expired_on: date | None


@dataclass(frozen=True)
class Report:
    filter: ReportFilter
    attempts: int  # counted attempts covered (not drill rounds)
    exams: int  # of which exams
    learners: tuple[LearnerReport, ...]
    questions: tuple[QuestionReport, ...]
    sections: tuple[SectionShare, ...]
    drill: tuple[DrillActivity, ...] = ()
    leeches: tuple[LeechReport, ...] = ()  # as the cards are now, whatever the period
    leech_threshold: int = 4  # the lapses that make a leech (the store's setting)
    valid_presets: tuple[ValidPreset, ...] = ()  # the presets the recertification list covers
    recertification: tuple[RecertificationDue, ...] = ()  # at recertification_as_of
    recertification_as_of: datetime | None = None  # the clock's "now" when it was made
    unverified_passes: tuple[UnverifiedPass, ...] = ()  # newest first (reports.unverified)

    @classmethod
    def empty(cls, report_filter: ReportFilter) -> Report:
        """The report of no attempts."""
        return cls(report_filter, 0, 0, (), (), ())

    @property
    def courses(self) -> tuple[str, ...]:
        found = [s.course for s in self.sections] + [q.course for q in self.questions]
        return tuple(dict.fromkeys(found))

    def section_label(self, course: str, section: str) -> str:
        """A section as the report names it: `course:section` when it covers several courses."""
        return section if len(self.courses) <= 1 else f"{course}:{section}"


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
