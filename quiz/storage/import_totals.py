"""The report summaries of the attempts an import adds, summed faster (quiz.storage.importing).

`ImportTotals` is a `summary_totals.Totals` with one more way to add an attempt:
`add_plain`, for an attempt whose items were each answered once (most attempts of an
export), from its answers' columns. It adds exactly what `Totals.add` adds (the same
figures in the same order, so the sums of floats are the same to the last bit), but
keeps, for each question as asked and month, where its figures go, instead of making
the keys again for every answer. Other attempts go to `Totals.add`, in turn.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import itemgetter, not_
from typing import cast

from quiz.storage.summary_totals import (
    CountedAttempt,
    QuestionSums,
    Totals,
    Version,
    count_answer,
    rest_scores,
)

_Slot = tuple[QuestionSums, tuple[int, int], int, Version]
"""Where an asked question's figures go in one month and mode: its question sums, its
key in `Totals.versions`, its section, and the question as asked."""
_VERSION_KEY = itemgetter(1)


def wrong_pick(stored: int | str | None, right: int) -> int | None:
    """An answer's last field as `AnswerRow` holds it (summaries._answer_rows reads it
    so): its response as stored when it is wrong and stored as an integer (the choices
    picked, where its kind stores them as a mask), else None."""
    return stored if not right and type(stored) is int else None


class ImportTotals(Totals):
    """Totals, with `add_plain`."""

    def __init__(self) -> None:
        super().__init__()
        self._slots: dict[tuple[int, int], dict[int, _Slot | None]] = {}  # by (month, exam)
        self._picks: dict[tuple[int, int], tuple[tuple[int, int, str, int], ...]] = {}
        """What `Totals._add_picks` adds to `choices`, by its asked and mask: question,
        content, choice and count (the month and mode come with each pick)."""

    def _add_picks(self, asked: int, version: Version, mask: int, month: int, exam: int) -> None:
        """As `Totals._add_picks` (which works out what a pick adds the first time)."""
        picks = self._picks.get((asked, mask))
        if picks is None:
            choices, self.choices = self.choices, Counter()
            try:
                super()._add_picks(asked, version, mask, 0, 0)
                picks = self._picks[(asked, mask)] = tuple(
                    (question, content, choice, count)
                    for (question, content, _, _, choice), count in self.choices.items()
                )
            finally:
                self.choices = choices
        choices = self.choices
        for question, content, choice, count in picks:
            choices[(question, content, month, exam, choice)] += count

    def add_plain(
        self,
        attempt: CountedAttempt,
        answered: Iterable[int],
        rights: Sequence[int],
        mss: Iterable[int],
        stored: Sequence[int | str | None],
        versions: dict[int, Version],
    ) -> None:
        """`add(attempt, latest, versions)` of an attempt with one answer to each of its
        items, given as columns in item order (each as long as its items): answered
        (1/0), right (1/0), ms, and the response as stored (a wrong pick's mask is
        `wrong_pick` of it, as `AnswerRow`'s last field).

        What can be done for all the items at once is (in C: where each item's figures
        go, the versions counted, the wrong picks found), so the loop over the items
        does only what `count_answer` does."""
        month, exam, order = self.count_attempt(attempt)
        total = len(attempt.items)
        right_total = sum(rights)
        rests = rest_scores(total, right_total)
        slots = self._slots.get((month, exam))
        if slots is None:
            slots = self._slots[(month, exam)] = {}
        items: Iterable[int] = attempt.items
        found = list(map(slots.get, attempt.items))
        if None in found:
            for index, asked in enumerate(attempt.items):
                if found[index] is None:
                    found[index] = slots[asked] = self._slot(asked, month, exam, versions)
            if None in found:  # a damaged list of items: questions that cannot be counted
                counted = [slot is not None for slot in found]
                found = list(compress(found, counted))
                items = compress(items, counted)
                answered = compress(answered, counted)
                rights = list(compress(rights, counted))
                mss = compress(mss, counted)
                stored = list(compress(stored, counted))
        counting = cast(list[_Slot], found)  # each found
        self.versions.update(map(_VERSION_KEY, counting))
        wrong = map(not_, rights)
        for asked, slot, response in compress(zip(items, counting, stored, strict=False), wrong):
            if type(response) is int and response:  # wrong_pick of a wrong one, written out
                self._add_picks(asked, slot[3], response, month, exam)
        by_section: dict[int, list[int]] = {}  # section -> [asked, answered, right, ms]
        for (sums, _, section, _), answered_one, right, ms in zip(
            counting, answered, rights, mss, strict=False
        ):
            count_answer(sums, by_section, section, answered_one, right, ms, rests)
        self.add_sections(attempt, month, exam, order, by_section)

    def _slot(
        self, asked: int, month: int, exam: int, versions: dict[int, Version]
    ) -> _Slot | None:
        version = versions.get(asked)
        if version is None:
            return None
        sums = self.questions[(version.question, version.content, month, exam)]
        return sums, (asked, month), version.section, version
