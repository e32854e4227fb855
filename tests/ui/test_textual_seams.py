"""The app's seams with Textual (quiz.ui.textual_seams) hold for the Textual installed:
these fail when an upgrade moves what they lean on. Everywhere else the app uses
Textual's public API only."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Footer

import quiz
from quiz.ui.textual_seams import DIMMED, FOOTER_KEY, ErrorOutput, dim_footer_key
from tests.support.waiting import wait_for

PACKAGE = Path(quiz.__file__).resolve().parent
SEAMS = PACKAGE / "ui" / "textual_seams.py"


class Keys(App[None]):
    """A footer with two keys; `b` is off (Textual dims it itself)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "pick(0)", "Choose"),
        Binding("b", "other", "Other"),
    ]

    def compose(self) -> ComposeResult:
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "other" else True

    def action_pick(self, index: int) -> None:
        pass


def footer_keys(app: App[None], action: str) -> list[Widget]:
    return [k for k in app.screen.query(FOOTER_KEY) if getattr(k, "action", "") == action]


def footer_key(app: App[None], action: str) -> Widget:
    (key,) = footer_keys(app, action)
    return key


async def test_a_footer_key_dimmed_in_place_looks_like_one_textual_dims() -> None:
    app = Keys()
    async with app.run_test(size=(60, 5)) as pilot:
        await wait_for(
            pilot,
            lambda: footer_keys(app, "other") and footer_keys(app, "pick(0)"),
            what="the footer's keys drawn",
        )
        dimmed_by_textual = footer_key(app, "other")
        assert dimmed_by_textual.has_class(DIMMED), "Textual marks a key that does nothing"
        choose = footer_key(app, "pick(0)")
        assert not choose.has_class(DIMMED)
        dim_footer_key(app.screen, "pick(0)", True)
        assert choose.has_class(DIMMED)
        await wait_for(
            pilot,
            lambda: choose.styles.color == dimmed_by_textual.styles.color,
            what="the dimmed key restyled like Textual's",
        )
        dim_footer_key(app.screen, "pick(0)", False)
        assert not choose.has_class(DIMMED)


class Broken(App[None]):
    def on_mount(self) -> None:
        self.error_output = ErrorOutput()
        self.error_console = self.error_output.console
        self.call_later(lambda: 1 / 0)


async def test_an_unexpected_error_is_printed_on_the_error_console_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = Broken()
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(60, 5)) as pilot:
            await pilot.pause()
    text = app.error_output.text
    assert text is not None and "ZeroDivisionError" in text and "\x1b" not in text
    assert "ZeroDivisionError" not in capsys.readouterr().err


PRIVATE_NAMES = {"_handle_exception", "_print_error_renderables", "_exit_renderables", "_button"}


def test_no_module_but_the_seams_leans_on_private_textual_api() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] == "textual" and any(p.startswith("_") for p in parts):
                    offenders.append(f"{path}: from {node.module}")
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE_NAMES:
                offenders.append(f"{path}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.Constant) and node.value == FOOTER_KEY and path != SEAMS:
                offenders.append(f"{path}:{node.lineno}: {FOOTER_KEY!r}")
    assert offenders == []
