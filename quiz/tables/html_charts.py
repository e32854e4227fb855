"""The HTML report's charts, as inline SVG written here (plain SVG: a chart library cost
more than it gave; see the README's "The HTML report"): the questions' facility against
discrimination, with its flagged points' labels placed in a column, and the exams by
month (with the counting of them).

Every number a person reads is in the chart as text (the SVG `<text>` labels); every
text from the store passes through quiz.tables.html_markup.text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.storage.report_model import QuestionReport
from quiz.tables.formats import index_text, percent_of, percent_text
from quiz.tables.html_markup import text

if TYPE_CHECKING:
    from quiz.storage.attempts import AttemptSummary


# --- questions: facility against discrimination ---------------------------------------------

CHART_W, CHART_H = 800, 400
LEFT, RIGHT, TOP, BOTTOM = 56, 250, 16, 44
"""The scatter chart's size and margins (the right margin holds labels)."""


def _x(facility: float) -> float:
    return LEFT + (CHART_W - LEFT - RIGHT) * facility / 100


def _y(discrimination: float) -> float:
    return TOP + (CHART_H - TOP - BOTTOM) * (100 - discrimination) / 200


def _point_name(question: QuestionReport) -> str:
    """A point's name in the chart: its id, and when it has several versions which one
    ("swelling-01 v3f2a", "swelling-01 v1b7c (older)"), short for the label column."""
    if question.versions <= 1:
        return question.question
    return f"{question.question} {question.version}" + ("" if question.current else " (older)")


def scatter_label(question: QuestionReport) -> str:
    """A flagged point's label: "swelling-01 · 38% · -12", and "· ⚑2" when learners
    flagged it twice (quiz flags lists their notes)."""
    raised = question.learner_flags
    return (
        f"{_point_name(question)} · {percent_text(question.facility)} · "
        f"{index_text(question.discrimination)}" + (f" · ⚑{raised}" if raised else "")
    )


def scatter_chart(questions: Sequence[QuestionReport], leeches: set[tuple[str, str]]) -> str:
    inner_w, inner_h = CHART_W - LEFT - RIGHT, CHART_H - TOP - BOTTOM
    out = [""]  # the <svg> tag, once the labels say how tall it is
    for tick in range(0, 101, 25):
        x = _x(tick)
        out.append(
            f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + inner_h}"/>'
        )
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{TOP + inner_h + 16}" '
            f'text-anchor="middle" font-size="11">{tick}%</text>'
        )
    for tick in range(-100, 101, 50):
        y = _y(tick)
        out.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + inner_w}" y2="{y:.1f}"/>'
        )
        out.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11">{tick}</text>'
        )
    # The flag lines: facility 50%, discrimination 0.
    out.append(
        f'<line class="axis" x1="{_x(50):.1f}" y1="{TOP}" x2="{_x(50):.1f}" y2="{TOP + inner_h}"/>'
    )
    out.append(
        f'<line class="axis" x1="{LEFT}" y1="{_y(0):.1f}" x2="{LEFT + inner_w}" y2="{_y(0):.1f}"/>'
    )
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{inner_w}" height="{inner_h}" fill="none" '
        'stroke="#111"/>'
    )
    out.append(
        f'<text x="{LEFT + inner_w / 2:.1f}" y="{CHART_H - 6}" text-anchor="middle" '
        'font-size="12">facility (percent right)</text>'
    )
    out.append(
        f'<text x="14" y="{TOP + inner_h / 2:.1f}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 14 {TOP + inner_h / 2:.1f})">discrimination</text>'
    )
    labels: list[tuple[float, float, str]] = []  # (y, x of the point, its label)
    for question in questions:
        if question.facility is None or question.discrimination is None:
            continue
        x, y = _x(question.facility), _y(question.discrimination)
        title = f"<title>{text(scatter_label(question))}</title>"
        leech = (question.course, question.question) in leeches
        if leech:
            out.append(f'<circle class="leech" cx="{x:.1f}" cy="{y:.1f}" r="9"/>')
        if question.flagged:
            out.append(
                f'<path class="flagged" d="M{x:.1f},{y - 6:.1f} L{x + 5.5:.1f},{y + 4:.1f} '
                f'L{x - 5.5:.1f},{y + 4:.1f} Z">{title}</path>'
            )
        elif question.learner_flags:  # flagged by learners only: a diamond
            out.append(
                f'<path class="learner-flagged" d="M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} '
                f'L{x:.1f},{y + 6:.1f} L{x - 6:.1f},{y:.1f} Z">{title}</path>'
            )
        else:
            out.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4">{title}</circle>')
            continue
        label = scatter_label(question) + (" · leech" if leech else "")
        labels.append((y, x, label))
    labels.sort()
    label_ys = label_positions([y for y, _x, _label in labels], TOP + 8, TOP + inner_h)
    out += _label_column(labels, label_ys, LEFT + inner_w + 10)
    height = max(CHART_H, round(label_ys[-1] + 6) if label_ys else 0)
    out[0] = (
        f'<svg id="scatter" viewBox="0 0 {CHART_W} {height}" width="{CHART_W}" '
        f'height="{height}" role="img" aria-label="Facility against discrimination">'
    )
    out.append("</svg>")
    return "".join(out)


LABEL_GAP = 13
"""The least distance between two labels of the scatter chart, in its units."""


def label_positions(wanted: Sequence[float], top: float, bottom: float) -> list[float]:
    """Where labels wanted at these heights (top to bottom) go in a column: as near as
    they can, in the same order, never closer than LABEL_GAP, none above `top`, and none
    below `bottom` unless there are more than the column holds (then the chart grows)."""
    ys: list[float] = []
    for y in wanted:
        ys.append(max(y, top, ys[-1] + LABEL_GAP if ys else top))
    for index in reversed(range(len(ys))):  # pushed past the bottom: back up, in order
        limit = bottom if index == len(ys) - 1 else ys[index + 1] - LABEL_GAP
        ys[index] = max(min(ys[index], limit), top + index * LABEL_GAP)
    return ys


def _label_column(
    labels: list[tuple[float, float, str]], ys: Sequence[float], x: float
) -> list[str]:
    """The flagged points' labels, in a column right of the chart, at `ys`, each with a
    line to its point."""
    out = []
    for y, (point_y, point_x, label) in zip(ys, labels, strict=True):
        out.append(
            f'<line class="leader" x1="{point_x + 6:.1f}" y1="{point_y:.1f}" x2="{x - 2:.1f}" '
            f'y2="{y - 4:.1f}"/>'
        )
        out.append(
            f'<text class="label" x="{x:.1f}" y="{y:.1f}" font-size="11">{text(label)}</text>'
        )
    return out


# --- exams by month -----------------------------------------------------------------------


@dataclass(frozen=True)
class MonthExams:
    """The counted exams started in one month (this computer's time) and those passed."""

    month: str  # "2026-11"
    exams: int
    passed: int

    @property
    def pass_rate(self) -> float:
        return percent_of(self.passed, self.exams)


def exam_months(attempts: Iterable[AttemptSummary]) -> tuple[MonthExams, ...]:
    """The counted exams (completed or timed out, as the report counts them) by month,
    oldest first. `attempts`: the store's, under the report's filter."""
    from quiz.domain.records import Mode
    from quiz.storage.summaries import COUNTED_STATUSES

    counts: dict[str, list[int]] = {}
    for attempt in attempts:
        if attempt.mode is not Mode.EXAM or attempt.status not in COUNTED_STATUSES:
            continue
        month = f"{attempt.started_at.astimezone():%Y-%m}"
        found = counts.setdefault(month, [0, 0])
        found[0] += 1
        found[1] += bool(attempt.passed)
    return tuple(MonthExams(m, n, p) for m, (n, p) in sorted(counts.items()))


MONTH_W, MONTH_H = 84, 220


def month_chart(months: Sequence[MonthExams]) -> str:
    left, top, bottom = 40, 28, 48
    inner_h = MONTH_H - top - bottom
    width = left + MONTH_W * len(months) + 50
    most = max(m.exams for m in months)
    out = [
        f'<svg id="month-chart" viewBox="0 0 {width} {MONTH_H}" width="{width}" '
        f'height="{MONTH_H}" role="img" aria-label="Exams and pass rate by month">',
        f'<line class="axis" x1="{left}" y1="{top + inner_h}" x2="{width - 50}" '
        f'y2="{top + inner_h}"/>',
        f'<text x="{width - 46}" y="{top + 4}" font-size="10">100%</text>',
        f'<text x="{width - 46}" y="{top + inner_h + 4}" font-size="10">0%</text>',
    ]
    rate_points = []
    for index, month in enumerate(months):
        x = left + index * MONTH_W
        bar_h = inner_h * month.exams / most
        out.append(
            f'<rect class="bar" x="{x + 12}" y="{top + inner_h - bar_h:.1f}" '
            f'width="{MONTH_W - 24}" height="{bar_h:.1f}"/>'
        )
        out.append(
            f'<text class="exams" data-month="{month.month}" x="{x + MONTH_W / 2:.1f}" '
            f'y="{top + inner_h - bar_h - 4:.1f}" text-anchor="middle" font-size="11">'
            f"{month.exams}</text>"
        )
        out.append(
            f'<text class="month" x="{x + MONTH_W / 2:.1f}" y="{top + inner_h + 15}" '
            f'text-anchor="middle" font-size="11">{month.month}</text>'
        )
        out.append(
            f'<text class="pass-rate" data-month="{month.month}" x="{x + MONTH_W / 2:.1f}" '
            f'y="{top + inner_h + 30}" text-anchor="middle" font-size="11">'
            f"{percent_text(month.pass_rate)} passed</text>"
        )
        rate_points.append((x + MONTH_W / 2, top + inner_h * (100 - month.pass_rate) / 100))
    if len(rate_points) > 1:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in rate_points)
        out.append(f'<polyline class="rate" points="{points}"/>')
    out += [f'<circle class="rate-dot" cx="{x:.1f}" cy="{y:.1f}" r="3"/>' for x, y in rate_points]
    out.append("</svg>")
    return "".join(out)
