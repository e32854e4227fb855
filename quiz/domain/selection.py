"""Picking the questions of an attempt: practice rounds, exams, and exam blueprints;
the attempt's seed and each question's choice order (`ask_question`); a paused
attempt's questions found again (`selection_as_asked`).

Everything random comes from `random.Random(seed)` (never the global generator), so
the same seed picks the same questions in the same order, with the same choice order.

Three kinds of draw:

- a practice round, or an exam without a preset: at random from the chosen sections
  (an exam never takes two questions of one fact while other facts remain);
- a format-1 preset: spread evenly over the sections, with every critical question
  when the preset says `include_critical: true`. This draw is kept exactly as format 1
  always made it: the same seed gives the same exam it always gave;
- a format-2 preset, a blueprint: a quota of questions per section (the preset's
  counts, or evenly), one question of every critical fact first, the quotas filled
  from facts not yet in the exam, then shuffled.

Whether a blueprint can be met at all (`blueprint_issues`, shared by `quiz check` and
the loader) and its sections' pools of facts are quiz.domain.blueprint's.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from quiz.domain.blueprint import SectionPool, blueprint_sections, section_pools
from quiz.domain.model import Course, CriticalMode, ExamPreset, Question
from quiz.domain.records import AskedQuestion, Mode
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
        chosen = blueprint_sections(course_sections, preset)
    pools = section_pools(course.questions, chosen)
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
    pools: Mapping[str, SectionPool],
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


# --- the seed, each question as asked, and the questions asked again ---------------------


def new_seed() -> int:
    """A fresh seed for an attempt that was not given one (saved with the attempt)."""
    return random.SystemRandom().randrange(1, 2**31)


def ask_question(position: int, question: Question, seed: int) -> AskedQuestion:
    """`question` as the attempt with `seed` asks it at `position` (its choices shuffled)."""
    choices = list(question.choices)
    # One generator per question, seeded from the attempt's seed and the question's
    # id: its choice order does not depend on which other questions were picked.
    random.Random(f"{seed}:{question.id}").shuffle(choices)
    return AskedQuestion(
        position=position,
        question_id=question.id,
        section=question.section,
        type=str(question.type),
        prompt=question.prompt,
        choices=tuple(choices),
        answer=question.answer,
        critical=question.critical,
    )


def selection_as_asked(
    course: Course, asked: Iterable[AskedQuestion], sections: tuple[str, ...]
) -> Selection:
    """A paused attempt's questions found again in `course`, in the order asked, and its
    sections (else its questions'). Raises SelectionError if `course` lacks one."""
    questions = []
    for one in asked:
        question = course.question(one.question_id)
        if question is None:
            raise SelectionError(
                f"the course has no question {one.question_id!r} any more: the "
                "paused attempt cannot be taken up again"
            )
        questions.append(question)
    sections = sections or tuple(dict.fromkeys(q.section for q in questions))
    return Selection(tuple(questions), sections)
