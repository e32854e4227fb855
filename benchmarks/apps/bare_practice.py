"""The floor for answering a question: a bare Textual screen with the practice screen's
widgets, answered with the same keys, and no quiz code at all.

    python benchmarks/apps/bare_practice.py [QUESTIONS]

A top bar, a scrolling body holding the question (meta, prompt, hint, one Static per
choice, a text field for typed answers) and a feedback area, a status line and a
footer. A letter picks a choice, Enter submits (the feedback panel is mounted:
verdict, right answer, explanation, the cited passage), Enter again shows the next
question in the same widgets. Every sixth question is a typed answer, as in the
bundled course. Screen texts match the quiz's: "Question N of M", "✓ Correct".
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Input, Static

PROMPT = (
    "A client asks how soon swelling usually eases after laser skin tightening. "
    "What do you tell her?"
)
CHOICES = (
    "Within a few hours",
    "Within one to three days",
    "Within about two weeks",
    "Within several months",
)
PASSAGE = (
    "Laser skin tightening disturbs tissue beneath the skin. Damage to tissue can cause "
    "inflammation, and inflammation brings swelling. Swelling usually eases within one to "
    "three days. The treated area may also be tender to the touch."
)
LETTERS = "abcd"

CSS = """
#topbar { height: 1; background: $panel; }
#body { height: 1fr; }
#question { height: auto; padding: 0 1; }
.choice { height: auto; }
#short-answer { display: none; }
#feedback-area { height: auto; }
.feedback { height: auto; padding: 0 1; border-top: solid $primary; }
#status { height: auto; background: $panel; padding: 0 1; }
"""


class BarePracticeApp(App[None]):
    CSS = CSS
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [  # noqa: RUF012
        *(Binding(k, f"pick({i})", "Choose", show=i == 0) for i, k in enumerate(LETTERS)),
        Binding("enter", "enter", "Submit"),
    ]

    def __init__(self, total: int) -> None:
        super().__init__()
        self.total = total
        self.position = 0
        self.picked: int | None = None
        self.answered = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("Practice · Laser skin tightening · Bench", id="top-title")
        with VerticalScroll(id="body"):
            with VerticalGroup(id="question"):
                yield Static("", id="meta", markup=False)
                yield Static("", id="prompt", markup=False)
                yield Static("", id="hint", markup=False)
                with VerticalGroup(id="choices"):
                    for index in range(len(CHOICES)):
                        yield Static("", classes="choice", id=f"choice-{index}", markup=False)
                yield Input(placeholder="Type your answer here", id="short-answer")
            yield VerticalScroll(id="feedback-area")
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_question()

    @property
    def is_short(self) -> bool:
        return self.position % 6 == 5

    def show_question(self) -> None:
        self.picked = None
        self.answered = False
        self.query_one("#feedback-area").remove_children()
        self.query_one("#meta", Static).update(
            f"Question {self.position + 1} of {self.total} · Swelling"
        )
        self.query_one("#prompt", Static).update(PROMPT)
        short = self.is_short
        self.query_one("#hint", Static).update(
            "Type your answer in the box."
            if short
            else "Choose one answer: press its letter (A–D) or click it."
        )
        self.query_one("#choices").display = not short
        field = self.query_one("#short-answer", Input)
        field.display = short
        field.disabled = False
        field.value = ""
        self.draw_choices()
        self.query_one("#body").scroll_home(animate=False)
        if short:
            field.focus()
        else:
            self.query_one("#body").focus()
        self.query_one("#status", Static).update(
            "Answer, then press Enter to submit. Esc goes back to the start."
        )

    def draw_choices(self, verdicts: dict[int, str] | None = None) -> None:
        for index, text in enumerate(CHOICES):
            mark = "(•)" if index == self.picked else "( )"
            parts: list[str | tuple[str, str]] = [
                (LETTERS[index].upper(), "bold"),
                f" {mark} ",
                text,
            ]
            if verdicts and index in verdicts:
                parts.append((f"  ← {verdicts[index]}", "bold"))
            self.query_one(f"#choice-{index}", Static).update(Content.assemble(*parts))

    def action_pick(self, index: int) -> None:
        if self.answered or self.is_short:
            return
        self.picked = index
        self.draw_choices()
        self.query_one("#status", Static).update(
            "Answer, then press Enter to submit. Esc goes back to the start."
        )

    def on_input_submitted(self) -> None:
        self.action_enter()

    def action_enter(self) -> None:
        if self.answered:
            if self.position + 1 < self.total:
                self.position += 1
                self.show_question()
            return
        if self.is_short:
            typed = self.query_one("#short-answer", Input).value.strip()
            if not typed:
                self.bell()
                return
            correct = typed.casefold() == "tender"
            self.query_one("#short-answer", Input).disabled = True
        else:
            if self.picked is None:
                self.bell()
                return
            correct = self.picked == 1
            verdicts = {1: "right answer"}
            if not correct:
                verdicts[self.picked] = "your answer, not right"
            self.draw_choices(verdicts)
        self.answered = True
        panel = VerticalGroup(
            Static("✓ Correct" if correct else "✗ Incorrect", markup=False),
            Static(Content.assemble(("The right answer: ", "bold"), CHOICES[1])),
            Static(Content.assemble(("Why: ", "bold"), "Swelling usually eases within days.")),
            Static("From the course text:", markup=False),
            Static(PASSAGE, markup=False),
            classes="feedback",
        )
        self.query_one("#feedback-area").mount(panel)
        self.query_one("#body").focus()
        self.call_after_refresh(panel.scroll_visible, animate=False, top=True)
        verdict = "Correct." if correct else "Incorrect."
        self.query_one("#status", Static).update(
            f"{verdict} Press Enter to go to the next question; s shows the passage."
        )


if __name__ == "__main__":
    BarePracticeApp(int(sys.argv[1]) if len(sys.argv) > 1 else 51).run()
