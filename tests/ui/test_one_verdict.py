"""One pass rule (quiz.domain.grading), three ways to end an attempt.

The same exam attempt is finished in the app, closed by crash recovery after its
deadline, and imported from an export whose `passed` was emptied (as an older or
hand-edited file has it). The results screen, My scores, `quiz scores` and `quiz report`
(from the summaries, and for one learner from the attempts) must all give the verdict
the rule gives. Both cases score 2 of 3 (67%) against a pass mark of 50: with the
critical question wrong it is a FAIL everywhere, with a plain question wrong a PASS.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from quiz.cli import main
from quiz.domain.answers import response_for, right_indexes
from quiz.domain.records import AnswerRecord, AttemptStart, AttemptStatus, Mode
from quiz.launch import AppOptions
from quiz.storage.attempts import AttemptDetail
from quiz.storage.scores import ScoreStore
from quiz.ui.app import QuizApp, make_app
from quiz.ui.attempt import new_session
from quiz.ui.saving import StoreThread
from quiz.ui.screens.dialogs import ConfirmDialog
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.results import ResultsScreen
from quiz.ui.screens.scores import MyScoresScreen
from tests.support.app import right_keys, settle, start, wrong_index, wrong_key
from tests.support.courses import course_load
from tests.support.fakes import FixedClock
from tests.support.local_time import local_timezone
from tests.support.paths import MINI
from tests.support.waiting import shown as screen_shown
from tests.support.waiting import wait_for

LEARNER = "Ann Lee"


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    with local_timezone("UTC"):
        yield


@pytest.fixture
def course_folder(tmp_path: Path) -> Path:
    """The mini course, its exam (3 questions, the critical one included) at 50%."""
    folder = tmp_path / "course"
    shutil.copytree(MINI, folder)
    course_yaml = folder / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    assert "pass_mark: 80" in text
    course_yaml.write_text(text.replace("pass_mark: 80", "pass_mark: 50"), encoding="utf-8")
    return folder


def cli(args: list[str]) -> tuple[int, str]:
    """Run a command; its exit code and what it printed. (Not capsys: inside
    `run_test` Textual holds sys.stdout.)"""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue()


def ended_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def closed_by_recovery(detail: AttemptDetail, path: Path) -> str:
    """The attempt of `detail` saved as it happened by a process that then died;
    opening the store afterwards closes it (its deadline has long passed)."""
    summary = detail.summary
    start_record = AttemptStart(
        learner=summary.learner,
        course_id=summary.course,
        course_version=summary.course_version,
        mode=summary.mode,
        sections=summary.sections,
        exam=summary.exam,
        seed=summary.seed,
        started_at=summary.started_at,
        time_limit_seconds=summary.time_limit_seconds,
        deadline_at=summary.deadline_at,
        pass_mark=summary.pass_mark,
        questions=detail.questions,
    )
    with ScoreStore.open(path) as store:
        attempt_id = store.start_attempt(start_record)
        for entry in detail.history:
            store.record_answer(
                attempt_id,
                AnswerRecord(
                    entry.question_id,
                    entry.response,
                    entry.correct,
                    entry.seconds,
                    entry.answered_at,
                ),
            )
    connection = sqlite3.connect(path)
    connection.execute("UPDATE attempt SET pid = ? WHERE uuid = ?", (ended_pid(), attempt_id))
    connection.commit()
    connection.close()
    with ScoreStore.open(path) as store:  # recovery
        recovered = store.get_attempt(attempt_id)
    assert recovered is not None and recovered.summary.status is AttemptStatus.TIMED_OUT
    return attempt_id


def imported_without_passed(
    source: Path,
    target: Path,
    tmp_path: Path,
) -> tuple[str, str]:
    """The attempts of `source` exported, `passed` emptied, imported into `target`;
    returns the attempt's id and what `quiz import` printed."""
    code, out = cli(["scores", "--db", str(source), "--format", "json"])
    assert code == 0
    exported = json.loads(out)
    assert len(exported) == 1
    exported[0]["passed"] = None
    file = tmp_path / "emptied.json"
    file.write_text(json.dumps(exported), encoding="utf-8")
    code, out = cli(["import", "--db", str(target), str(file)])
    assert code == 0, out
    return str(exported[0]["id"]), out


def verdicts_from_the_commands(path: Path) -> list[str]:
    """The verdict of the store's one exam as each command shows it."""
    shown = []
    code, out = cli(["scores", "--db", str(path), "--format", "json"])
    assert code == 0
    [attempt] = json.loads(out)
    shown.append({True: "passed", False: "failed", None: "none"}[attempt["passed"]])
    code, out = cli(["scores", "--db", str(path)])
    assert code == 0
    row = out.splitlines()[1]
    shown.append(row.split()[-1])
    assert "2/3 67%" in row
    for only in ([], ["--learner", LEARNER]):  # the summaries; the attempts
        code, out = cli(["report", "--db", str(path), *only])
        assert code == 0
        latest = out[out.index("LATEST EXAM") :]
        line = next(line for line in latest.splitlines() if line.startswith(LEARNER))
        shown.append(line.split()[2] if " 67% " in line else line)
    return shown


async def verdict_on_my_scores(pilot: Pilot[Any], store: ScoreStore) -> str:
    """The Result column of the learner's one attempt on My scores, read from `store`."""
    app = pilot.app
    assert isinstance(app, QuizApp)
    screen = MyScoresScreen(store, LEARNER, app.course)
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.loaded, what="My scores loaded")
    table = screen.query_one("#my-attempts", DataTable)
    [row] = [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]
    app.pop_screen()
    await pilot.pause()
    return row[-1]


def choice_first(app: QuizApp) -> int:
    """A seed whose exam asks a choice question first."""
    assert app.course is not None
    preset = app.course.exams["check"]
    for seed in range(100):
        session = new_session(app.course, app.clock, mode=Mode.EXAM, preset=preset, seed=seed)
        if session.asked[0].type != "short":
            return seed
    raise AssertionError("every seed asks a typed answer first")


@pytest.mark.parametrize(
    ("miss_critical", "word", "headline"),
    [(True, "failed", "FAIL"), (False, "passed", "PASS")],
    ids=["2-of-3-critical-wrong", "2-of-3-plain-pass"],
)
async def test_the_app_recovery_and_import_give_one_verdict(
    course_folder: Path,
    tmp_path: Path,
    miss_critical: bool,
    word: str,
    headline: str,
) -> None:
    in_app, recovered, imported = (tmp_path / f"{n}.sqlite3" for n in ("app", "rec", "imp"))
    store = ScoreStore.open(in_app)
    app = make_app(
        AppOptions(questions_dir=course_folder, db_path=in_app),
        store=store,
        store_thread=StoreThread(),
        clock=FixedClock(),
        course_loads=[course_load(course_folder)],
        settings_path=tmp_path / "settings.json",
    )
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.course is not None
            preset = app.course.exams["check"]
            assert preset.pass_mark == 50
            # The first question is answered with the keys (the screen keeps what its
            # view holds), the others through the attempt.
            start(app, Mode.EXAM, learner=LEARNER, seed=choice_first(app), preset=preset)
            screen = await screen_shown(pilot, ExamScreen)
            assert screen.position == 0
            asked = screen.session.asked
            assert sum(a.critical for a in asked) == 1 and len(asked) == 3
            wrong = next(a for a in asked if a.critical == miss_critical)
            for question in asked[1:]:
                if question is wrong:
                    if question.type == "short":
                        response: Any = "not it"
                    else:
                        response = response_for(question, {wrong_index(question)})
                elif question.type == "short":
                    response = screen.session.questions[question.position].answer[0]
                else:
                    response = response_for(question, right_indexes(question))
                screen.attempt.answer(question.position, response)
            first = asked[0]
            await pilot.press(*([wrong_key(first)] if first is wrong else right_keys(first)))
            assert screen.session.is_answered(0)
            await pilot.press("ctrl+s")
            if isinstance(app.screen, ConfirmDialog):
                await pilot.press("y")
            results = app.screen
            assert isinstance(results, ResultsScreen)
            title = str(results.query_one("#results-title", Static).render())
            assert headline in title and ("FAIL" if headline == "PASS" else "PASS") not in title
            score = str(results.query_one("#results-score", Static).render())
            assert "Score 2 of 3 (67%)" in score and "pass mark 50%" in score
            await settle(pilot, app)

            [summary] = store.list_attempts()
            detail = store.get_attempt(summary.id)
            assert detail is not None
            assert all(item.response is not None for item in detail.items)  # none left empty
            assert [item.correct for item in detail.items if item.question.critical] == [
                not miss_critical
            ]
            closed_by_recovery(detail, recovered)
            attempt_id, said = imported_without_passed(in_app, imported, tmp_path)
            if word == "failed":  # emptied: the file said nothing, the rule says failed
                assert (
                    f"attempt {attempt_id} ({LEARNER}): file said no verdict, recomputed failed "
                    "(2 of 3 right, 66.67%; critical question" in said
                )
            else:
                assert "file said no verdict, recomputed passed (2 of 3 right, 66.67%)" in said
            assert "1 imported" in said

            for path in (recovered, imported):
                with ScoreStore.open(path) as other:
                    assert await verdict_on_my_scores(pilot, other) == word
            assert await verdict_on_my_scores(pilot, store) == word
    finally:
        store.close()

    for path in (in_app, recovered, imported):
        assert verdicts_from_the_commands(path) == [word] * 4, path
