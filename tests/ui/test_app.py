"""The app around the attempts: home, loading off the event loop, the command line's
options, start-up failures, markup shown literally, small windows, signals and errors."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input, Static

from quiz.domain.model import CourseLoad
from quiz.domain.records import AttemptStatus, Mode
from quiz.errors import StoreError
from quiz.launch import AppOptions
from quiz.settings import load_settings
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import StoreThread
from quiz.ui.screens.dialogs import ConfirmDialog, NameDialog
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.screens.results import ResultsScreen
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.screens.source import SourceReaderScreen
from quiz.ui.widgets.choices import ChoiceRow
from quiz.ui.window import MIN_HEIGHT, MIN_WIDTH, TooSmall
from tests.support.app import build_app, right_keys, settle, start, text_of, wrong_key
from tests.support.courses import MARKUP, MARKUP_COURSE, course_load, write_course
from tests.support.fakes import FakeStore, FixedClock
from tests.support.paths import MINI
from tests.support.waiting import shown, wait_for


async def test_home_shows_the_course_and_starts_a_practice_round(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    app = build_app(settings_path=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert text_of(home.query_one("#home-title", Static)) == "Mini course"
        assert app.focused is home.query_one("#learner", Input)
        await pilot.press("ctrl+s")
        assert "Type your name first" in text_of(home.query_one("#home-problem", Static))
        await pilot.press(*"Bea")
        await pilot.press("ctrl+s")
        screen = await shown(pilot, PracticeScreen)  # once no paused exam stands in the way
        assert len(screen.session.asked) == 5
        await settle(pilot, app)
    assert load_settings(settings).last_learner == "Bea"


async def test_a_widget_is_styled_when_mounted_not_each_time_its_classes_are_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QuizApp.update_styles: a widget made with classes (a button's variant, style and
    compact look) is matched against the stylesheet once, as it is mounted, and then has
    every style it would have had; a class changed once mounted restyles it."""
    from textual.widgets import Button

    app = build_app()
    async with app.run_test() as pilot:
        await settle(pilot, app)
        applied: list[object] = []
        apply = app.stylesheet.apply

        def counting(node: Any, **kwargs: Any) -> None:
            applied.append(node)
            apply(node, **kwargs)

        monkeypatch.setattr(app.stylesheet, "apply", counting)
        button = Button("Go", variant="primary", compact=True)
        button.add_class("extra")
        assert button not in applied
        await app.screen.mount(button)
        assert applied.count(button) == 1
        mounted = button.styles.get_render_rules()
        assert mounted["background"] != app.screen.styles.background  # the -primary look
        apply(button)  # matched again, from nothing: nothing was missed
        assert button.styles.get_render_rules() == mounted
        button.add_class("-active")
        assert applied.count(button) == 2


async def test_home_remembers_the_last_name_and_starts_an_exam_preset(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text('{"last_learner": "Cy"}', encoding="utf-8")
    app = build_app(settings_path=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert home.query_one("#learner", Input).value == "Cy"
        home.query_one("#time-limit", Input).value = "5 minutes"
        await pilot.press("ctrl+s")
        assert "not a duration" in text_of(home.query_one("#home-problem", Static))
        home.query_one("#time-limit", Input).value = ""
        from textual.widgets import RadioButton, RadioSet

        preset = next(b for b in home.query(RadioButton) if b.name == "check")
        preset.value = True  # the "Quick check" preset
        kind = home.query_one("#kind", RadioSet)
        await wait_for(pilot, lambda: kind.pressed_button is preset, what="the preset chosen")
        await pilot.press("ctrl+s")
        screen = await shown(pilot, ExamScreen)
        session = screen.session
        assert session.exam == "check" and session.time_limit_seconds == 90
        assert len(session.asked) == 3 and any(a.critical for a in session.asked)


async def test_the_course_loads_in_a_thread_while_keys_are_answered() -> None:
    release = threading.Event()

    def slow_loader(folder: Path) -> list[CourseLoad]:
        release.wait(10)
        return [course_load(MINI)]

    options = AppOptions(questions_dir=MINI, db_path=Path("unused"))
    app = make_app(options, store=FakeStore(), clock=FixedClock(), loader=slow_loader)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen) and home.query_one("#home-loading").display
        assert "Loading the course" in text_of(home.query_one("#home-loading", Static))
        # The title is read without the loader, so the first frame names the course.
        assert text_of(home.query_one("#home-title", Static)) == "Mini course"
        assert not home.query("#sections")
        await pilot.press("Z", "e", "d")
        assert home.query_one("#learner", Input).value == "Zed"
        await pilot.press("ctrl+s")
        assert "still loading" in text_of(home.query_one("#home-problem", Static))
        release.set()
        await app.workers.wait_for_complete()
        await wait_for(
            pilot,
            lambda: not home.query_one("#home-loading").display and home.query("#sections"),
            what="the loaded course shown",
        )
        assert text_of(home.query_one("#home-title", Static)) == "Mini course"


async def test_the_command_line_opens_straight_into_a_quiz() -> None:
    learner = "Dee\x1b]0;pwned\x07"  # an escape sequence in a name never reaches the screen
    app = build_app(mode="practice", learner=learner, sections=("swelling",), count=2, seed=9)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(pilot, PracticeScreen)
        assert screen.attempt.learner == "Dee]0;pwned" and screen.session.seed == 9
        assert [a.section for a in screen.session.asked] == ["swelling", "swelling"]


async def test_the_same_seed_gives_the_same_attempt() -> None:
    asked = []
    for _ in range(2):
        app = build_app(exam="check", learner="Dee", seed=4)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await shown(pilot, ExamScreen)
            asked.append(screen.session.asked)
    assert asked[0] == asked[1]


async def test_without_a_learner_the_name_is_asked_first() -> None:
    app = build_app(mode="exam", count=100, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, NameDialog)
        await pilot.press("enter")
        assert "Type a name first" in text_of(app.screen.query_one("#name-problem", Static))
        await pilot.press(*"Eve", "enter")
        screen = await shown(pilot, ExamScreen)
        assert screen.attempt.learner == "Eve"
        assert len(screen.session.asked) == 5  # a count larger than the pool: the whole pool
        assert [n.message for n in app._notifications] == [
            "Only 5 questions in this course; using all 5."
        ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"exam": "nope"}, "no exam preset 'nope'; this course's presets: check"),
        ({"mode": "practice", "sections": ("nowhere",)}, "unknown section 'nowhere'"),
    ],
)
async def test_an_unknown_preset_or_section_is_a_usage_error(
    options: dict[str, Any], message: str
) -> None:
    app = build_app(learner="Ann", **options)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to stop")
    assert app.return_code == 2
    assert message in app.exit_lines[0]


async def test_no_usable_course_stops_with_the_problems(tmp_path: Path) -> None:
    broken = write_course(tmp_path / "broken", {"course.yaml": "format: 1\nid: [\n"})
    options = AppOptions(questions_dir=broken, db_path=Path("unused"))
    app = make_app(options, store=FakeStore(), clock=FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to stop")
    assert app.return_code == 1
    assert app.exit_lines[0].startswith("quiz: no usable course")
    assert any("course.yaml:" in line for line in app.exit_lines)
    assert "quiz check" in app.exit_lines[-1]


async def test_bank_and_source_text_is_shown_literally(tmp_path: Path) -> None:
    folder = write_course(tmp_path / "markup", MARKUP_COURSE)
    app = build_app(folder)
    async with app.run_test(size=(100, 40)) as pilot:
        assert "Markup [b]course[/b]" in text_of(app.screen.query_one("#home-title", Static))
        start(app, seed=1)
        screen = await shown(pilot, PracticeScreen)
        prompt = text_of(screen.query_one("#question-prompt", Static))
        assert prompt == f"Which is right? {MARKUP}"
        rows = [str(row.render()) for row in screen.query(ChoiceRow)]
        assert any(row.endswith(MARKUP) for row in rows)
        await pilot.press(wrong_key(screen.session.asked[0]), "enter")
        assert screen.feedback is not None and not screen.feedback.correct
        on_screen = " ".join(str(w.render()) for w in screen.query(Static))
        assert f"Because {MARKUP}." in on_screen
        assert "Feedback [bold]x[/] [@click=app.quit]quit[/] [/]" in on_screen
        assert f"The text says {MARKUP} and carries on." in on_screen
        # Clicking the bracketed text runs nothing: the app is still here.
        await pilot.click("#question-prompt")
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_feedback_and_results_say_it_in_words_with_no_color(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=3, count=2, time_limit_seconds=60)
        screen = await shown(pilot, ExamScreen)
        assert "unanswered" in text_of(screen.query_one("#status", Static))
        await pilot.press("ctrl+s", "y")
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert "FAIL" in text_of(results.query_one("#results-title", Static))
        await pilot.press("r")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert "Unanswered" in text_of(review.query_one(".verdict", Static))
        assert "?" in text_of(review.query_one("#strip", Static))


@pytest.mark.parametrize("size", [(1, 1), (6, 3), (20, 8), (MIN_WIDTH - 1, 30), (80, 24)])
async def test_any_window_size_works_and_a_small_one_says_make_it_larger(
    size: tuple[int, int],
) -> None:
    app = build_app()
    too_small = size[0] < MIN_WIDTH or size[1] < MIN_HEIGHT

    def notice_as_it_should_be() -> bool:
        notices = app.screen.query(TooSmall)
        return (
            app.has_class("-too-small") == too_small
            and bool(notices)
            and notices.first().display == too_small
        )

    async with app.run_test(size=size) as pilot:
        screen_types: tuple[type[Screen[Any]], ...] = (HomeScreen, ExamScreen, SourceReaderScreen)
        for step, screen_type in enumerate(screen_types):
            if step == 1:
                start(app, Mode.EXAM, seed=1, time_limit_seconds=60)
            if step == 2:
                assert app.course is not None
                app.push_screen(SourceReaderScreen(app.course))
            await shown(pilot, screen_type)
            await wait_for(
                pilot, notice_as_it_should_be, what=f"the too-small notice right at {size}"
            )
            notices = app.screen.query(TooSmall)
            assert app.has_class("-too-small") == too_small
            assert notices and notices.first().display == too_small
            if too_small:
                assert "Make the window larger" in str(notices.first().render())
        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: not app.has_class("-too-small"), what="the notice gone")


async def test_keys_do_nothing_while_the_window_is_too_small() -> None:
    app = build_app()
    async with app.run_test(size=(30, 10)) as pilot:
        start(app, seed=1, sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        await pilot.press("a", "enter")
        assert screen.feedback is None


async def test_a_signal_saves_the_answers_and_exits_128_plus_n() -> None:
    store = FakeStore()
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=1, time_limit_seconds=600)
        screen = await shown(pilot, ExamScreen)
        await pilot.press(*right_keys(screen.session.asked[0]))
        app.shutdown.signal_received(signal.SIGTERM)
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to stop")
    app.shutdown.cancel_watchdog()
    assert app.return_code == 128 + signal.SIGTERM
    saved = store.only
    assert len(saved.answers) == 1
    assert saved.result is not None and saved.result.status is AttemptStatus.ABANDONED


async def test_an_internal_error_is_kept_for_the_log_not_printed() -> None:
    app = build_app()
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            app.call_later(lambda: 1 / 0)
            await pilot.pause()
    assert app.return_code == 1
    assert app.internal_error is not None and "ZeroDivisionError" in app.internal_error


async def test_a_damaged_store_is_set_aside_only_when_the_learner_agrees(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    moved: list[Path] = []
    new_store = FakeStore()

    def open_store() -> FakeStore:
        if not moved:  # damaged until it is set aside
            raise StoreError("corrupt", path, "the score store is damaged")
        return new_store

    def set_aside(path: Path) -> list[Path]:
        moved.append(path)
        return [path.with_suffix(".damaged")]

    def build() -> QuizApp:
        options = AppOptions(questions_dir=MINI, db_path=path)
        return make_app(
            options,
            open_store=open_store,
            store_thread=StoreThread(),
            clock=FixedClock(),
            course_loads=[course_load(MINI)],
            set_aside=set_aside,
        )

    app = build()
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, ConfirmDialog)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to stop")
    assert app.return_code == 1 and moved == []
    assert "the score store is damaged" in app.exit_lines[0]

    app = build()
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, ConfirmDialog)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: app.store is new_store, what="the new store in use")
        assert moved == [path]
        assert app.store is new_store
        assert any("scores.damaged" in n.message for n in app._notifications)
