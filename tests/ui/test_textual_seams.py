"""The app's seams with Textual (quiz.ui.textual_seams) hold for the Textual installed:
these fail when an upgrade moves what they lean on. Everywhere else the app uses
Textual's public API only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.containers import VerticalScroll
from textual.css.model import Selector
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

import quiz
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.textual_seams import (
    DIMMED,
    FOOTER_KEY,
    ErrorOutput,
    FocusScroll,
    dim_footer_key,
    expect_vertical_scrollbar,
    keep_parsed_css,
    parse_css_again,
    settle_vertical_scrollbar,
    textual_version,
)
from tests.support.app import build_app, start
from tests.support.paths import BUNDLED
from tests.support.waiting import laid_out, shown, wait_for

PACKAGE = Path(quiz.__file__).resolve().parent
SEAMS = PACKAGE / "ui" / "textual_seams.py"
ROOT = PACKAGE.parent


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


# --- the question screens' body: its focus restyles itself only (FocusScroll) ---


class Body(App[None]):
    """A FocusScroll holding a line and a text field, as a question screen's body does."""

    CSS = """
    FocusScroll:focus { background: red; }
    Static.line { color: green; }
    """

    def compose(self) -> ComposeResult:
        with FocusScroll(id="body"):
            yield Static("a line", classes="line")
            yield Input(id="field")


async def test_a_focus_scroll_restyles_itself_when_its_focus_changes() -> None:
    app = Body()
    async with app.run_test(size=(40, 8)) as pilot:
        body = app.query_one(FocusScroll)
        line = app.query_one(".line", Static)
        field = app.query_one(Input)
        body.focus()
        await wait_for(pilot, lambda: body.styles.background == Color.parse("red"), what="focus")
        field.focus()
        await wait_for(pilot, lambda: body.styles.background != Color.parse("red"), what="blur")
        before = (line.styles.color, line.styles.background)
        app.update_styles(body)  # what Textual would have done: its descendants too
        assert (line.styles.color, line.styles.background) == before


async def test_no_rule_styles_a_widget_by_the_focus_of_the_question_body() -> None:
    """What makes FocusScroll right for the question screens: no rule of the app (or of
    Textual's widgets on them) has `:focus` on a selector that matches the body, followed
    by one for a widget inside it."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        await pilot.press("a", "enter")
        offenders = []
        for rule in app.stylesheet.rules:
            for selector_set in rule.selector_set:
                selectors = selector_set.selectors
                for index, selector in enumerate(selectors):
                    inside = any(later.advance for later in selectors[index + 1 :])
                    body = Selector(selector.name, type=selector.type).check(screen.body)
                    if "focus" in selector.pseudo_classes and inside and body:
                        offenders.append(selector_set.css)
        assert offenders == []


# --- a scrolling widget's scrollbar settled before its layout (settle_vertical_scrollbar) ---


class Scrolls(App[None]):
    """Two scrolling widgets with the same content: Textual settles one on its own."""

    CSS = "VerticalScroll { height: 6; }"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="settled"):
            yield Static("one line")
        with VerticalScroll(id="twin"):
            yield Static("one line")

    def show(self, text: str) -> None:
        for static in self.query(Static):
            static.update(text)


async def test_a_scrollbar_settled_before_layout_is_the_one_textual_settles_on() -> None:
    app = Scrolls()
    async with app.run_test(size=(40, 14)) as pilot:
        settled = app.query_one("#settled", VerticalScroll)
        twin = app.query_one("#twin", VerticalScroll)
        await wait_for(pilot, lambda: laid_out(settled) and laid_out(twin), what="laid out")
        for text, overflows in (("\n".join("many lines" for _ in range(12)), True), ("x", False)):
            app.show(text)
            settle_vertical_scrollbar(settled)
            assert settled.show_vertical_scrollbar is overflows  # at once, before any layout
            assert settled.vertical_scrollbar.display is overflows

            def twin_settled(expected: bool = overflows) -> bool:
                return twin.show_vertical_scrollbar is expected

            await wait_for(pilot, twin_settled, what="Textual's own scrollbar")
            for _ in range(3):
                await pilot.pause()
            assert settled.show_vertical_scrollbar is overflows, "Textual kept it"
            assert settled.scrollable_content_region.size == twin.scrollable_content_region.size


async def test_a_wrong_expectation_of_the_scrollbar_is_corrected_by_textual() -> None:
    app = Scrolls()
    async with app.run_test(size=(40, 14)) as pilot:
        settled = app.query_one("#settled", VerticalScroll)
        twin = app.query_one("#twin", VerticalScroll)
        await wait_for(pilot, lambda: laid_out(settled) and laid_out(twin), what="laid out")
        for text, overflows in (("\n".join("many lines" for _ in range(12)), True), ("x", False)):
            app.show(text)
            expect_vertical_scrollbar(settled, not overflows)  # the wrong way round

            def corrected(expected: bool = overflows) -> bool:
                return settled.show_vertical_scrollbar is expected

            await wait_for(pilot, corrected, what="Textual's correction")
            assert settled.vertical_scrollbar.display is overflows
            assert twin.show_vertical_scrollbar is overflows


# --- the rules parsed from CSS, kept between runs (keep_parsed_css) ---


async def home_screen_drawn() -> str:
    """The bundled course's home screen, its form built, as an SVG."""
    app = build_app(BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the home form shown")
        return app.export_screenshot()


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The CSS sources Textual parses from now on (its parser, as its stylesheet calls it)."""
    from textual.css import parse as parsing
    from textual.css import stylesheet

    parsed: list[str] = []
    parse = parsing.parse

    def counted(scope: str, css: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(css)
        return parse(scope, css, *args, **kwargs)

    assert getattr(stylesheet, "parse") is parse  # what the stylesheet calls  # noqa: B009
    monkeypatch.setattr(stylesheet, "parse", counted)
    return parsed


async def test_css_parsed_in_one_run_is_not_parsed_again_and_draws_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse_css_again()  # as Textual parses without the cache
    parsed = counting_parses(monkeypatch)
    plain = await home_screen_drawn()
    assert parsed, "Textual parses the app's CSS"
    folder = tmp_path / "css"
    keep_parsed_css(folder)
    try:
        parsed.clear()
        first = await home_screen_drawn()
        assert parsed, "the first run with the cache parses, and keeps what it parsed"
        assert len(list(folder.glob("*.pickle"))) == len(parsed)
        parsed.clear()
        again = await home_screen_drawn()
        assert parsed == [], "a later run parses nothing"
        for kept in folder.iterdir():  # damaged files: parsed again, and kept anew
            kept.write_bytes(b"not a pickle")
        damaged = await home_screen_drawn()
        assert parsed, "what could not be read was parsed"
        parsed.clear()
        mended = await home_screen_drawn()
        assert parsed == []
    finally:
        parse_css_again()
    assert first == plain and again == plain and damaged == plain and mended == plain


async def test_css_with_errors_is_not_kept(tmp_path: Path) -> None:
    from textual.css.stylesheet import Stylesheet, StylesheetParseError

    folder = tmp_path / "css"
    keep_parsed_css(folder)
    try:
        for _ in range(2):  # reported both times: nothing kept in between
            sheet = Stylesheet()
            sheet.add_source("Static { colour: red; }", read_from=("test", ""))
            with pytest.raises(StylesheetParseError):
                sheet.parse()
        assert not folder.exists() or not list(folder.iterdir())
    finally:
        parse_css_again()


async def test_another_theme_is_parsed_and_kept_apart(tmp_path: Path) -> None:
    from textual.css.stylesheet import Stylesheet

    folder = tmp_path / "css"
    keep_parsed_css(folder)
    try:
        css = "Static { background: $primary; }"
        colours = []
        for primary in ("#ff0000", "#00ff00", "#ff0000"):
            sheet = Stylesheet(variables={"primary": primary})
            sheet.add_source(css, read_from=("test", ""))
            (rule,) = sheet.rules
            colours.append(rule.styles.background)
        red, green = Color.parse("#ff0000"), Color.parse("#00ff00")
        assert colours == [red, green, red]
        assert len(list(folder.glob("*.pickle"))) == 2
    finally:
        parse_css_again()


def test_textual_version_is_read_from_its_dist_info_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib.metadata import version

    import quiz.ui.textual_seams as seams

    assert textual_version() == version("textual")
    # It is the folder's name that is read: one folder of another version says so.
    listing = ["textual-9.9.9.dist-info", "rich"]
    monkeypatch.setattr(seams, "os", SimpleNamespace(listdir=lambda path: listing))
    assert textual_version() == "9.9.9"


@pytest.mark.parametrize("names", [[], ["textual-1.0.dist-info", "textual-2.0.dist-info"]])
def test_textual_version_without_one_dist_info_folder_asks_importlib_metadata(
    monkeypatch: pytest.MonkeyPatch, names: list[str]
) -> None:
    from importlib.metadata import version

    import quiz.ui.textual_seams as seams

    installed = version("textual")
    monkeypatch.setattr(seams, "os", SimpleNamespace(listdir=lambda path: names))
    assert textual_version() == installed


def test_keeping_parsed_css_does_not_import_importlib_metadata(tmp_path: Path) -> None:
    # importlib.metadata (some thirty modules) cost the first frame ~20 ms; hashlib, ~1.
    code = (
        "import sys; from pathlib import Path; "
        "from quiz.ui.textual_seams import keep_parsed_css; "
        f"keep_parsed_css(Path({str(tmp_path)!r})); "
        "from textual.css.stylesheet import Stylesheet; s = Stylesheet(); "
        "s.add_source('Static { color: red; }'); s.parse(); "
        "print('importlib.metadata' in sys.modules, 'hashlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.split() == ["False", "False"]
