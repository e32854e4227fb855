"""`quiz check` as a user runs it: exit codes and what it prints."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quiz.cli import main
from tests.support.paths import FIXTURES


def test_check_lists_the_five_sections_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    for section in ("procedure", "skin-colour", "swelling", "bruising", "drugs-pregnancy"):
        assert f"  {section} " in out
    assert "no problems" in out
    assert max(len(line) for line in out.splitlines()[1:]) <= 80


def test_check_reports_problems_with_path_line_col_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", course)
    shutil.copy(FIXTURES / "bad" / "unknown-field.yaml", course)
    assert main(["check", str(course)]) == 1
    out = capsys.readouterr().out
    assert f"{course / 'unknown-field.yaml'}:7:5: unknown field 'promt'" in out


def test_check_a_single_bank_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", course)
    shutil.copy(FIXTURES / "bad" / "tab.yaml", course)
    assert main(["check", str(course / "swelling.yaml")]) == 0
    assert main(["check", str(course / "tab.yaml")]) == 1
    assert "tab character" in capsys.readouterr().out


def test_questions_flag_before_or_after_the_command(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    assert main(["--questions", str(tmp_path), "check"]) == 0
    assert main(["check", "--questions", str(tmp_path / "mini")]) == 0


def test_questions_env_var_and_flag_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    monkeypatch.setenv("QUIZ_QUESTIONS", str(tmp_path / "missing"))
    assert main(["check"]) == 2
    assert main(["check", "--questions", str(tmp_path)]) == 0
    assert "mini: Mini course" in capsys.readouterr().out


def test_coverage_lists_uncited_paragraphs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    assert main(["check", "--coverage", str(tmp_path / "mini")]) == 0
    out = capsys.readouterr().out
    assert "swelling paragraph 2 (source.md line 7): A cold compress" in out


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "nothing-here")]) == 2
    with pytest.raises(SystemExit) as stop:
        main(["check", "--no-such-flag"])
    assert stop.value.code == 2
    with pytest.raises(SystemExit) as stop:
        main(["check", "--mode", "exam"])
    assert stop.value.code == 2


def test_a_malformed_bank_never_shows_a_traceback(tmp_path: Path) -> None:
    course = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", course)
    for bad in (FIXTURES / "bad").glob("*.yaml"):
        shutil.copy(bad, course)
    result = subprocess.run(
        [sys.executable, "-m", "quiz", "check", str(course)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.count(str(course)) >= len(list((FIXTURES / "bad").glob("*.yaml")))
