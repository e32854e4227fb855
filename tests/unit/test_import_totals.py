"""The import's faster summing of its attempts (quiz.storage.import_totals) gives exactly
what `Totals.add` gives (the sums of floats to the last bit), whatever the attempts:
one answer to each item taken from the columns, others by `Totals.add`, interleaved."""

from __future__ import annotations

import json
import random
from dataclasses import fields
from itertools import repeat
from typing import Any

from quiz.storage.codec import content_key
from quiz.storage.import_totals import ImportTotals, wrong_pick
from quiz.storage.summary_totals import AnswerRow, CountedAttempt, Totals, Version

_KINDS = ("single", "multiple", "true_false", "short")


def _versions(rng: random.Random) -> dict[int, Version]:
    found = {}
    for asked in range(1, 41):
        kind = _KINDS[asked % 4]
        choices = json.dumps([f"choice {n}" for n in range(rng.randint(2, 5))])
        answer = json.dumps(["choice 0"] if kind != "multiple" else ["choice 0", "choice 1"])
        found[asked] = Version(
            question=asked % 17,  # several versions of one question
            section=asked % 3,
            type=kind,
            choices=choices,
            answer=answer,
            content=content_key(kind, choices, answer),
        )
    return found


def _attempts(
    rng: random.Random,
) -> list[
    tuple[CountedAttempt, list[int], list[int], list[int], list[int | None], list[int | str | None]]
]:
    found = []
    for rowid in range(1, 400):
        items = rng.sample(range(1, 43), rng.randint(1, 12))  # 41, 42: no version
        answered = [rng.choice((1, 1, 1, 0)) for _ in items]
        right = [a and rng.choice((0, 1)) for a in answered]
        ms = [a * rng.randint(0, 90_000) for a in answered]
        masks: list[int | None] = [
            None if r or not a else rng.choice((None, 1, 2, 5, 6, 12))
            for a, r in zip(answered, right, strict=True)
        ]
        # The responses as stored that give these masks: a wrong pick's mask, a typed
        # answer, no answer; a right answer stored as an integer or as text.
        stored: list[int | str | None] = [
            mask
            if mask is not None
            else None
            if not a
            else "typed"
            if not r
            else rng.choice((3, "x"))
            for a, r, mask in zip(answered, right, masks, strict=True)
        ]
        assert [wrong_pick(v, r) for v, r in zip(stored, right, strict=True)] == masks
        attempt = CountedAttempt(
            rowid=rowid,
            learner=rng.randint(1, 6),
            course=rng.randint(1, 2),
            exam=rng.randint(0, 1),
            started_at=1_700_000_000_000 + rng.randint(0, 400) * 86_400_000 + rowid,
            pass_mark=rng.choice((None, 70, 80)),
            items=items,
        )
        found.append((attempt, answered, right, ms, masks, stored))
    return found


def _latest(
    attempt: CountedAttempt,
    answered: list[int],
    right: list[int],
    ms: list[int],
    masks: list[int | None],
) -> dict[int, AnswerRow]:
    return {
        item: (attempt.rowid, item, a, r, m, mask)
        for item, (a, r, m, mask) in enumerate(zip(answered, right, ms, masks, strict=True))
    }


def _state(totals: Totals) -> dict[str, dict[Any, Any]]:
    return {
        name: dict(getattr(totals, name))
        for name in ("questions", "versions", "choices", "learners", "latest", "sections")
    } | {"section_latest": dict(totals.section_latest)}


def test_plain_attempts_sum_exactly_as_totals_add_sums_them() -> None:
    rng = random.Random(7)
    versions = _versions(rng)
    attempts = _attempts(rng)
    reference, faster = Totals(), ImportTotals()
    plain = 0
    for index, (attempt, answered, right, ms, masks, stored) in enumerate(attempts):
        latest = _latest(attempt, answered, right, ms, masks)
        reference.add(attempt, latest, versions)
        if index % 5 == 4:  # some by Totals.add, in turn
            faster.add(attempt, latest, versions)
        else:
            plain += 1
            column: list[int] | repeat[int] = repeat(1) if all(answered) else answered
            faster.add_plain(attempt, column, right, ms, stored, versions)
    assert plain > 300
    mine, theirs = _state(faster), _state(reference)
    assert mine == theirs  # floats compared exactly
    for key, sums in reference.questions.items():
        assert [getattr(sums, f.name) for f in fields(sums)] == [
            getattr(faster.questions[key], f.name) for f in fields(sums)
        ]
    assert reference.choices  # wrong picks were counted
    assert any(sums.r_sum % 1 for sums in reference.questions.values())  # fractions summed
