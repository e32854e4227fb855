"""The choices of a question, labelled A, B, C...; a letter or a click picks one.

Each row says its state in characters, not colour alone: `( )`/`(•)` for one answer,
`[ ]`/`[x]` for several, and after practice feedback "right answer" / "your answer".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import events
from textual.containers import VerticalGroup
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from quiz.domain.answers import letter, picked_indexes, response_for
from quiz.domain.kinds import kind_of
from quiz.domain.records import AskedQuestion, Response
from quiz.ui.literal import literal
from quiz.ui.widgets.answer import AnswerWidget
from quiz.ui.widgets.redraw import update_content


class ChoiceRow(Static):
    """One choice.

    Its look for its state (picked; right or wrong after practice feedback) is in its
    component classes, and set on the row itself (inline) when the state changes:
    changing a CSS class would match the row against the whole stylesheet again, which
    costs more than the rest of a keypress.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-row--picked",
        "choice-row--right",
        "choice-row--wrong",
    }

    DEFAULT_CSS = """
    ChoiceRow {
        height: auto;
        padding: 0 1;
    }

    ChoiceRow:hover {
        background: $boost;
    }

    ChoiceRow > .choice-row--picked {
        background: $accent 30%;
        text-style: bold;
    }

    ChoiceRow > .choice-row--right {
        color: $text-success;
    }

    ChoiceRow > .choice-row--wrong {
        color: $text-error;
    }
    """

    def __init__(self, index: int) -> None:
        super().__init__(markup=False, classes="choice")
        self.index = index
        self.text = ""
        self.picked = False
        self.verdict: str | None = None
        """"right" or "wrong" after practice feedback, else None."""
        self._styled: tuple[bool, str | None] = (False, None)

    def show(
        self,
        text: str,
        *,
        multiple: bool,
        picked: bool,
        verdict: str | None = None,
    ) -> None:
        """Draw the row; `verdict` is "right" or "wrong" after practice feedback."""
        self.text = text
        if multiple:
            mark = "[x]" if picked else "[ ]"
        else:
            mark = "(•)" if picked else "( )"
        parts: list[Content | str | tuple[str, str]] = [
            (f"{letter(self.index)}", "bold"),
            f" {mark} ",
            literal(text),
        ]
        if verdict is not None:
            words = "right answer" if verdict == "right" else "your answer, not right"
            parts.append((f"  ← {words}", "bold"))
        update_content(self, Content.assemble(*parts))
        self.picked = picked
        self.verdict = verdict
        self._restyle()

    def on_mount(self) -> None:
        self._restyle()

    def _restyle(self) -> None:
        """Give the row the look of its state, if it has not got it already."""
        state = (self.picked, self.verdict)
        if state == self._styled:
            return
        try:
            picked = self.get_component_styles("choice-row--picked") if self.picked else None
            verdict = (
                self.get_component_styles(f"choice-row--{self.verdict}") if self.verdict else None
            )
        except KeyError:  # not styled yet (a row being mounted): on_mount comes back
            return
        # None clears the row's own rule: its CSS (and :hover) applies again.
        styles = self.styles
        styles.background = picked.background if picked else None
        styles.text_style = picked.text_style if picked else None
        styles.color = verdict.color if verdict else None
        self._styled = state

    def on_click(self, event: events.Click) -> None:
        event.stop()
        choice_list = self.parent
        if isinstance(choice_list, ChoiceList):
            choice_list.pick(self.index)


class ChoiceList(VerticalGroup, AnswerWidget):
    """A question's choices. Posts `Picked` when the learner picks or toggles one.

    The answer widget of every kind that shows choices (single, multiple, true_false)."""

    class Picked(Message):
        """The picked set changed."""

        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices: tuple[str, ...] = ()
        self.multiple = False
        self.picked: set[int] = set()
        self.locked = False
        self._verdicts: dict[int, str] = {}

    def set_choices(
        self, choices: Iterable[str], *, multiple: bool, picked: Iterable[int] = ()
    ) -> None:
        """Show new choices (rows are reused, so moving between questions stays cheap)."""
        self.choices = tuple(choices)
        self.multiple = multiple
        self.picked = set(picked)
        self.locked = False
        self._verdicts = {}
        # Rows are kept and hidden rather than removed: mounting costs more than showing.
        rows = list(self.query_children(ChoiceRow))
        for row in rows:
            row.display = row.index < len(self.choices)
        new_rows = [ChoiceRow(i) for i in range(len(rows), len(self.choices))]
        if new_rows:
            self.mount_all(new_rows)
        self._redraw(rows[: len(self.choices)] + new_rows)

    def show_answer(self, asked: AskedQuestion, response: Response) -> None:
        kind = kind_of(asked.type)
        self.set_choices(
            kind.shown_choices(asked),
            multiple=kind.picks_several,
            picked=picked_indexes(asked, response),
        )

    def hide_answer(self) -> None:
        self.set_choices((), multiple=False)

    def read_response(self, asked: AskedQuestion) -> Response:
        return response_for(asked, self.picked)

    def freeze(self, right: Iterable[int] | None = None) -> None:
        if right is not None:
            self.show_verdicts(right)
        else:
            self.locked = True

    def _rows(self) -> list[ChoiceRow]:
        return [row for row in self.query_children(ChoiceRow) if row.index < len(self.choices)]

    def _redraw(self, rows: list[ChoiceRow] | None = None) -> None:
        for row in rows if rows is not None else self._rows():
            row.show(
                self.choices[row.index],
                multiple=self.multiple,
                picked=row.index in self.picked,
                verdict=self._verdicts.get(row.index),
            )

    def pick(self, index: int, *, announce: bool = True) -> bool:
        """Pick choice `index` (toggle it for several answers). False if there is no such choice.

        A key's action records the pick itself, at once (`announce=False`); a click
        is announced with `Picked`."""
        if self.locked or not 0 <= index < len(self.choices):
            return False
        if self.multiple:
            self.picked ^= {index}
        else:
            self.picked = {index}
        self._redraw()
        if announce:
            self.post_message(self.Picked(self))
        return True

    def show_verdicts(self, right: Iterable[int]) -> None:
        """After feedback: mark the right choices and the learner's wrong ones; no more picks."""
        right_set = set(right)
        self._verdicts = {i: "right" for i in right_set}
        for i in self.picked - right_set:
            self._verdicts[i] = "wrong"
        self.locked = True
        self._redraw()
