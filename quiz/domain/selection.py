"""Picking the questions of an attempt: practice rounds, exams, and exam blueprints.

Everything random comes from `random.Random(seed)` (never the global generator), so
the same seed picks the same questions in the same order.

Three kinds of draw:

- a practice round, or an exam without a preset: at random from the chosen sections
  (an exam never takes two questions of one fact while other facts remain);
- a format-1 preset: spread evenly over the sections, with every critical question
  when the preset says `include_critical: true`. This draw is kept exactly as format 1
  always made it: the same seed gives the same exam it always gave;
- a format-2 preset, a blueprint: a quota of questions per section (the preset's
  counts, or evenly), one question of every critical fact first, the quotas filled
  from facts not yet in the exam, then shuffled.

`blueprint_issues` says, without drawing, whether a blueprint can be met; the loader
reports what it finds, so `quiz check` and the app refuse the same presets.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quiz.domain.model import Course, CriticalMode, ExamPreset, Question
from quiz.domain.records import Mode
from quiz.domain.text import plural
from quiz.errors import SelectionError as SelectionError


@dataclass(frozen=True)
class Selection:
    """The questions picked for an attempt, in the order they will be asked."""

    questions: tuple[Question, ...]
    sections: tuple[str, ...]  # the sections drawn from, in course order
    note: str | None = None  # something the learner should be told about the pick


def resolve_sections(course: Course, sections: Iterable[str] | None) -> tuple[str, ...]:
    """The section ids asked for, checked and in course order (None: every section)."""
    known = [section.id for section in course.source.sections]
    if sections is None:
        return tuple(known)
    wanted = list(dict.fromkeys(sections))
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise SelectionError(
            f"unknown section {', '.join(repr(s) for s in unknown)}: "
            f"the course has {', '.join(known)}"
        )
    if not wanted:
        raise SelectionError("choose at least one section")
    return tuple(s for s in known if s in wanted)


DRILL_COUNT = 10
"""Questions in a drill round unless the learner asks for another number."""


def drill_selection(course: Course, due: Iterable[str], *, count: int | None = None) -> Selection:
    """A drill round: the first `count` (DRILL_COUNT) of the `due` question ids, in the
    order given (the score store orders them: critical first, then the ones least
    likely to be remembered now), skipping ids no longer in `course`."""
    if count is None:
        count = DRILL_COUNT
    if count < 1:
        raise SelectionError("the number of questions must be at least 1")
    by_id = {question.id: question for question in course.questions}
    picked = [by_id[qid] for qid in dict.fromkeys(due) if qid in by_id][:count]
    if not picked:
        raise SelectionError("no question is due for a drill")
    known = {question.section for question in picked}
    sections = tuple(s.id for s in course.source.sections if s.id in known)
    return Selection(tuple(picked), sections)


def pick_questions(
    course: Course,
    *,
    seed: int,
    sections: Iterable[str] | None = None,
    count: int | None = None,
    preset: ExamPreset | None = None,
    mode: Mode = Mode.PRACTICE,
) -> Selection:
    """Pick and order the questions for an attempt.

    With a preset, the preset's draw (see the module docstring); `sections` and `count`
    override the preset's, and either one spreads a blueprint's questions evenly over
    the chosen sections. Without one, questions are drawn at random from the sections;
    in `Mode.EXAM` no two of one fact while other facts remain. A count larger than
    can be drawn uses all there is, and the note says so.
    """
    if preset is not None and preset.is_blueprint:
        return _pick_blueprint(course, seed=seed, sections=sections, count=count, preset=preset)
    chosen_sections = resolve_sections(course, sections)
    pool = [q for q in course.questions if q.section in chosen_sections]
    if not pool:
        where = "the chosen sections" if sections is not None else "this course"
        raise SelectionError(f"there are no questions in {where}: choose other sections")
    if count is None:
        count = preset.questions if preset is not None else len(pool)
    if count < 1:
        raise SelectionError("the number of questions must be at least 1")
    rng = random.Random(seed)
    notes: list[str] = []
    if count > len(pool):
        where = "the chosen sections" if sections is not None else "this course"
        notes.append(f"only {plural(len(pool), 'question')} in {where}; using all {len(pool)}")
        count = len(pool)
    if preset is None:
        rng.shuffle(pool)
        picked = _enemies_apart(pool, count) if mode is Mode.EXAM else pool[:count]
    else:
        picked = _spread(pool, chosen_sections, count, preset.include_critical, rng, notes)
    rng.shuffle(picked)
    return Selection(tuple(picked), chosen_sections, "; ".join(notes) or None)


def _enemies_apart(shuffled: list[Question], count: int) -> list[Question]:
    """The first `count` of `shuffled`, passing over a question whose fact is already in
    while questions of other facts remain (then the passed-over ones, in order)."""
    picked: list[Question] = []
    passed_over: list[Question] = []
    facts: set[str] = set()
    for question in shuffled:
        if len(picked) == count:
            break
        if question.fact_key in facts:
            passed_over.append(question)
        else:
            facts.add(question.fact_key)
            picked.append(question)
    picked.extend(passed_over[: count - len(picked)])
    return picked


def _spread(
    pool: list[Question],
    sections: Sequence[str],
    count: int,
    include_critical: bool,
    rng: random.Random,
    notes: list[str],
) -> list[Question]:
    """Format 1: every critical question (if asked), then fill from the section with
    fewest so far. Kept as it was: format-1 courses draw the exams they always drew."""
    picked: list[Question] = []
    if include_critical:
        picked = [q for q in pool if q.critical]
        if len(picked) > count:
            notes.append(
                f"all {len(picked)} critical questions are included, "
                f"more than the {count} asked for"
            )
            return picked
    # Ties between sections are broken in an order drawn from the seed, so the
    # extra questions of an uneven split do not always go to the first sections.
    tie_order = list(sections)
    rng.shuffle(tie_order)
    rank = {section: index for index, section in enumerate(tie_order)}
    remaining: dict[str, list[Question]] = {}
    for section in sections:
        questions = [q for q in pool if q.section == section and q not in picked]
        rng.shuffle(questions)
        remaining[section] = questions
    taken = Counter(q.section for q in picked)
    while len(picked) < count:
        open_sections = [s for s in sections if remaining[s]]
        if not open_sections:
            break
        section = min(open_sections, key=lambda s: (taken[s], rank[s]))
        picked.append(remaining[section].pop())
        taken[section] += 1
    return picked


# --- blueprints (format 2) ---------------------------------------------------------------


@dataclass
class _SectionPool:
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


def _group(questions: Iterable[Question], sections: Sequence[str]) -> dict[str, _SectionPool]:
    pools = {section: _SectionPool() for section in sections}
    for question in questions:
        pool = pools.get(question.section)
        if pool is not None:
            pool.add(question)
    return pools


def _blueprint_sections(course_sections: Sequence[str], preset: ExamPreset) -> tuple[str, ...]:
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
    drawn = _blueprint_sections(sections, preset)
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
    pools = _group(questions, drawn)
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


def _pick_blueprint(
    course: Course,
    *,
    seed: int,
    sections: Iterable[str] | None,
    count: int | None,
    preset: ExamPreset,
) -> Selection:
    """A format-2 preset's draw: quotas, critical facts first, one question a fact."""
    course_sections = [s.id for s in course.source.sections]
    if sections is not None:
        chosen = resolve_sections(course, sections)
    else:
        chosen = _blueprint_sections(course_sections, preset)
    pools = _group(course.questions, chosen)
    if not any(pool.questions for pool in pools.values()):
        where = "the chosen sections" if sections is not None else "this exam's sections"
        raise SelectionError(f"there are no questions in {where}: choose other sections")
    if count is not None and count < 1:
        raise SelectionError("the number of questions must be at least 1")
    rng = random.Random(seed)
    notes: list[str] = []
    tie_order = list(chosen)
    rng.shuffle(tie_order)
    rank = {section: index for index, section in enumerate(tie_order)}
    must = {
        s: list(pools[s].critical_facts) if preset.critical is CriticalMode.FACTS else []
        for s in chosen
    }
    if preset.sections is not None and sections is None and count is None:
        quotas = {s: preset.sections[s] for s in chosen}
        target = sum(quotas.values())
        for s in chosen:
            quotas[s] = min(max(quotas[s], len(must[s])), pools[s].capacity)
    else:
        target = count if count is not None else preset.questions
        quotas = _level(target, {s: len(must[s]) for s in chosen}, pools, rank)
    drawn = sum(quotas.values())
    critical_count = sum(len(keys) for keys in must.values())
    if critical_count > target:
        notes.append(
            f"one question for each of the {critical_count} critical facts is included, "
            f"more than the {target} asked for"
        )
    elif drawn < target:
        notes.append(
            f"only {plural(drawn, 'question')} can be drawn without two questions of one "
            f"fact; using {drawn}"
        )

    picked: list[Question] = []
    for section in chosen:
        pool = pools[section]
        quota = quotas[section]
        in_exam: set[str] = set()
        for key in must[section]:
            picked.append(rng.choice(pool.by_fact[key]))
            in_exam.add(key)
        rest = [q for q in pool.questions if q.fact_key not in in_exam]
        rng.shuffle(rest)
        for question in rest:
            if len(in_exam) >= quota:
                break
            if question.fact_key not in in_exam:
                in_exam.add(question.fact_key)
                picked.append(question)
    rng.shuffle(picked)
    return Selection(tuple(picked), chosen, "; ".join(notes) or None)


def _level(
    count: int,
    floors: Mapping[str, int],
    pools: Mapping[str, _SectionPool],
    rank: Mapping[str, int],
) -> dict[str, int]:
    """Quotas as even as they can be: from each section's floor (its critical facts),
    one place at a time to the section with fewest (ties in the seed's order), never
    more than a section's facts."""
    quotas = dict(floors)
    total = sum(quotas.values())
    open_sections = [s for s in quotas if quotas[s] < pools[s].capacity]
    while total < count and open_sections:
        section = min(open_sections, key=lambda s: (quotas[s], rank[s]))
        quotas[section] += 1
        total += 1
        if quotas[section] >= pools[section].capacity:
            open_sections.remove(section)
    return quotas
