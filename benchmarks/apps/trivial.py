"""The floor for first paint and memory: a Textual app with one Static.

python benchmarks/apps/trivial.py
"""

from textual.app import App, ComposeResult
from textual.widgets import Static

READY_TEXT = "Trivial app ready"


class TrivialApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(READY_TEXT)


if __name__ == "__main__":
    TrivialApp().run()
