"""Exam blueprints (format-2 presets): each section's questions grouped by the fact they
test (`SectionPool`), the sections a blueprint draws from, and `blueprint_issues`, the
one home of whether a blueprint can be met. The loader reports what it finds, so
`quiz check` and the app refuse the same presets; the draw itself is
quiz.domain.selection's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from quiz.domain.model import CriticalMode, ExamPreset, Question
from quiz.domain.text import plural


@dataclass
class SectionPool:
    """One section's questions, grouped by the fact they test (in bank order)."""

    questions: list[Question] = field(default_factory=list)
    by_fact: dict[str, list[Question]] = field(default_factory=dict)
    critical_facts: list[str] = field(default_factory=list)

    def add(self, question: Question) -> None:
        self.questions.append(question)
        key = question.fact_key
        group = self.by_fact.get(key)
        if group is None:
            self.by_fact[key] = group = []
            if question.critical:
                self.critical_facts.append(key)
        group.append(question)

    @property
    def capacity(self) -> int:
        """The most questions one exam can take from it: one per fact."""
        return len(self.by_fact)


def section_pools(questions: Iterable[Question], sections: Sequence[str]) -> dict[str, SectionPool]:
    """The questions of `sections` grouped by section and fact (other sections' left out)."""
    pools = {section: SectionPool() for section in sections}
    for question in questions:
        pool = pools.get(question.section)
        if pool is not None:
            pool.add(question)
    return pools


def blueprint_sections(course_sections: Sequence[str], preset: ExamPreset) -> tuple[str, ...]:
    """The sections a blueprint draws from, in course order."""
    if preset.sections is None:
        return tuple(course_sections)
    return tuple(s for s in course_sections if s in preset.sections)


@dataclass(frozen=True)
class BlueprintIssue:
    """Why a blueprint cannot be met."""

    section: str | None  # the section it is about; None: the preset as a whole
    message: str


def blueprint_issues(
    preset: ExamPreset, sections: Sequence[str], questions: Iterable[Question]
) -> list[BlueprintIssue]:
    """Why the blueprint `preset` cannot be met by `questions`, if it cannot; [] if it can.

    `sections` are the course's section ids in order. Checks each section the preset
    draws from: its quota against its questions and its distinct facts (questions of
    one fact never share an exam), and its critical facts against its quota. Facts
    belong to one section, so a blueprint can be met exactly when every section's
    can: linear in the number of questions, with no draws.
    """
    if not preset.is_blueprint:
        return []
    issues: list[BlueprintIssue] = []
    name = f"exam {preset.id!r}"
    drawn = blueprint_sections(sections, preset)
    if preset.sections is not None:
        for section in preset.sections:
            if section not in sections:
                issues.append(
                    BlueprintIssue(
                        section,
                        f"{name} names section {section!r}, which is not in the course text: "
                        f"the sections are {', '.join(sections)}",
                    )
                )
    pools = section_pools(questions, drawn)
    critical = preset.critical is CriticalMode.FACTS
    # Per section: the fewest and the most places the blueprint can give it, what to
    # call them, and what to lower.
    quotas: dict[str, tuple[int, int]]
    if preset.sections is not None:
        quotas = {s: (preset.sections[s], preset.sections[s]) for s in drawn}

        def places(count: int) -> str:
            return f"its count of {count}"

        lower = "lower its count"
    else:
        spread = [s for s in drawn if pools[s].questions]
        if not spread:
            return [*issues, BlueprintIssue(None, f"{name} has no questions to draw from")]
        low, extra = divmod(preset.questions, len(spread))
        quotas = {s: (low, low + (1 if extra else 0)) for s in spread}
        even = (
            f"an even spread of {plural(preset.questions, 'question')} over "
            f"{plural(len(spread), 'section')}"
        )

        def places(count: int) -> str:
            return f"the {plural(count, 'place')} {even} can give it"

        lower = "lower 'questions' or give per-section counts under `sections:`"
    for section, (low, high) in quotas.items():
        pool = pools[section]
        where = f"{name} cannot be drawn: section {section!r} has"
        if len(pool.questions) < high:
            issues.append(
                BlueprintIssue(
                    section,
                    f"{where} {plural(len(pool.questions), 'question')}, fewer than "
                    f"{places(high)}: add questions or {lower}",
                )
            )
        elif pool.capacity < high:
            issues.append(
                BlueprintIssue(
                    section,
                    f"{where} {len(pool.questions)} questions on only "
                    f"{plural(pool.capacity, 'fact')}, fewer than {places(high)} (questions "
                    f"of one fact never share an exam): add questions on other facts or {lower}",
                )
            )
        if critical and len(pool.critical_facts) > low:
            issues.append(
                BlueprintIssue(
                    section,
                    f"{where} {len(pool.critical_facts)} critical facts, more than "
                    f"{places(low)} (every exam holds one question of each): give it more "
                    "places or make fewer facts critical",
                )
            )
    return issues
