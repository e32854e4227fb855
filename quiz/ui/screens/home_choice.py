"""What to take, on the home screen: the choice pressed in its radio set (practice, an
exam, the drill, a preset, or one of the learner's paused rounds), the mode and preset
it means, the placeholders of the count and time limit that follow it, the learner's
count of questions due on the drill's choice, and the paused rounds offered first in it
("Resume practice: 12 of 51 left", the first one chosen).

Made when first needed, once the form is built (after the first frame).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.widgets import Input, RadioButton, RadioSet

from quiz.domain.durations import format_duration
from quiz.domain.records import Mode
from quiz.settings import clean_name
from quiz.ui.literal import literal
from quiz.ui.screens.home_form import drill_label, resume_label

if TYPE_CHECKING:
    from quiz.domain.model import ExamPreset
    from quiz.domain.pausing import PausedAttempt
    from quiz.ui.screens.home import HomeScreen


class KindChoice:
    """The home screen's "What to take", and the paused rounds shown in it."""

    # The paused rounds are radio buttons first in the set, the first one chosen. The
    # set's own record of which button is pressed changes a message later than the
    # buttons do, so `pressed` takes a button on its way out as the practice choice.

    def __init__(self, screen: HomeScreen) -> None:
        self._screen = screen
        self._paused: dict[str, PausedAttempt] = {}
        """The paused rounds shown in "What to take", by their button's id."""
        self._generation = 0
        """Counts the times they were cleared: a mount of older ones is stale."""
        self._retired: set[str] = set()
        """The ids of their buttons taken away (each id is used once)."""

    # --- the choice ------------------------------------------------------------------

    def kind(self) -> RadioSet:
        return self._screen.query_one("#kind", RadioSet)

    def pressed(self) -> RadioButton | None:
        """The choice of "What to take" (a paused round being taken away: practice)."""
        pressed = self.kind().pressed_button
        if pressed is not None and pressed.id in self._retired:
            return self._screen.query_one("#kind-practice", RadioButton)
        return pressed

    def preset(self) -> ExamPreset | None:
        pressed = self.pressed()
        course = self._screen.course
        if course is None or pressed is None or pressed.name is None or pressed.id:
            return None
        return course.exams.get(pressed.name)

    def mode(self) -> Mode:
        paused = self.chosen_paused()
        if paused is not None:
            return paused.mode
        pressed = self.pressed()
        if pressed is not None and pressed.id == "kind-drill":
            return Mode.DRILL
        if pressed is None or pressed.id == "kind-practice":
            return Mode.PRACTICE
        return Mode.EXAM  # the exam, or a preset

    def changed(self, event: RadioSet.Changed) -> None:
        """Another choice: the count's and the time limit's placeholders follow it."""
        from quiz.domain.selection import DRILL_COUNT

        screen = self._screen
        if event.index == 0 and event.pressed.id in self._offer_ids():
            # A paused round put first and chosen: the set's highlight stayed on the
            # button that was first before (it moves only when its index changes).
            # Round the set and back, by its own keys' actions, to draw it there.
            event.radio_set.action_previous_button()
            event.radio_set.action_next_button()
        preset = self.preset()
        count = screen.query_one("#count", Input)
        limit = screen.query_one("#time-limit", Input)
        paused = self.chosen_paused()
        if paused is not None:
            count.placeholder = f"{paused.left} left (paused)"
            limit.placeholder = "none (paused)" if paused.deadline_at is None else "(paused)"
        elif self.mode() is Mode.DRILL:
            count.placeholder = f"{DRILL_COUNT} (drill)"
            limit.placeholder = "none (drill)"
        elif preset is not None:
            count.placeholder = f"{preset.questions} (preset)"
            limit.placeholder = f"{format_duration(preset.time_limit_seconds)} (preset)"
        elif screen.course is not None:
            count.placeholder = f"all ({len(screen.course.questions)})"
            limit.placeholder = "none, or 90s/10m/1h"

    def show_due(self, learner: str, due: int | None) -> None:
        """The drill's choice, with how many questions `learner` has due."""
        screen = self._screen
        buttons = screen.query("#kind-drill")
        field = screen.query_one("#learner", Input)
        if buttons and clean_name(field.value) == learner:
            buttons.first(RadioButton).label = drill_label(due)

    # --- paused rounds ------------------------------------------------------------------

    @property
    def seen(self) -> frozenset[str]:
        """The paused rounds shown (`HomeScreen.StartRequested.seen`)."""
        return frozenset(offer.attempt_id for offer in self._paused.values())

    def chosen_paused(self) -> PausedAttempt | None:
        pressed = self.pressed() if self._screen.query("#kind") else None
        return self._paused.get(pressed.id or "") if pressed is not None else None

    def show_paused(self, learner: str, paused: list[PausedAttempt]) -> None:
        """Offer `learner`'s paused rounds first in "What to take", the first chosen
        (the app found them; a name typed since makes them stale)."""
        screen = self._screen
        if not screen.query("#kind") or not screen.is_named(learner):
            return
        if {o.attempt_id for o in self._paused.values()} == {o.attempt_id for o in paused}:
            return  # as shown already
        self.clear_paused()
        if paused:
            screen.call_later(self._mount_paused, self._generation, learner, paused)

    async def _mount_paused(
        self, generation: int, learner: str, paused: list[PausedAttempt]
    ) -> None:
        from quiz.ui.widgets.marks import MarkedRadioButton

        screen = self._screen
        kinds = screen.query("#kind")
        if generation != self._generation or not kinds or not screen.is_named(learner):
            return  # cleared, or shown again, meanwhile
        offers = {}
        for number, offer in enumerate(paused):
            button = MarkedRadioButton(
                literal(resume_label(offer)),
                id=f"kind-resume-{generation}-{number}",
                classes="resume-offer",
            )
            button.can_focus = False  # the set moves between its buttons itself
            offers[button] = offer
        await kinds.first().mount(*offers, before=0)
        if generation != self._generation or not screen.is_named(learner):
            self._retire(button.id or "" for button in offers)
            return
        next(iter(offers)).value = True
        # Counted as seen by the learner (StartRequested.seen) only once chosen here.
        self._paused = {button.id or "": offer for button, offer in offers.items()}

    def clear_paused(self) -> None:
        self._generation += 1  # a mount still to come is stale
        if not self._paused:
            return
        if self.chosen_paused() is not None:
            self._screen.query_one("#kind-practice", RadioButton).value = True
        self._retire(self._paused)
        self._paused = {}

    def forget_paused(self) -> None:
        """The form is about to be built again (another course): the rounds shown in it
        go with it, and a mount still to come is stale."""
        self._paused = {}
        self._generation += 1

    def _retire(self, button_ids: Iterable[str]) -> None:
        for button_id in button_ids:
            self._retired.add(button_id)
            self._screen.query(f"#{button_id}").remove()

    def _offer_ids(self) -> set[str]:
        """The ids of the paused rounds' buttons, those shown and those on their way in."""
        return {button.id or "" for button in self._screen.query(".resume-offer")} - self._retired
