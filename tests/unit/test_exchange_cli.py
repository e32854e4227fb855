"""`quiz export-questions` and `quiz import-questions` as an author runs them: drafts,
missing quotes by line, nothing overwritten, hostile files refused with messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.domain.loader import load_course
from tests.support.paths import BUNDLED, FIXTURES, MINI

SAMPLE = FIXTURES / "gift" / "moodle-sample.gift"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return Path(shutil.copytree(MINI, tmp_path / "mini"))


def test_a_moodle_file_imports_as_a_draft_with_every_missing_quote_by_line(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-questions", str(SAMPLE), "--into", str(mini)]) == 0
    out = capsys.readouterr().out
    draft = mini / "swelling.draft.yaml"
    assert f"wrote {draft}: 5 questions, a draft" in out
    assert f"{SAMPLE}:45:1: skipped Partial credit: partial credit" in out
    missing = [line for line in out.splitlines() if "missing 'source'" in line]
    assert [line.split(": ")[0] for line in missing] == [
        f"{draft}:{line}:3" for line in (7, 21, 29, 39, 52)
    ]
    # The draft never breaks its course; `quiz check` checks it.
    assert load_course(mini).ok
    assert main(["check", str(mini)]) == 1
    checked = capsys.readouterr().out
    assert all(line in checked for line in missing)
    assert main(["check", str(draft)]) == 1


def test_an_existing_file_is_never_overwritten(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-questions", str(SAMPLE), "--into", str(mini)]) == 0
    draft = mini / "swelling.draft.yaml"
    draft.write_text("mine", encoding="utf-8")
    capsys.readouterr()
    assert main(["import-questions", str(SAMPLE), "--into", str(mini)]) == 1
    out = capsys.readouterr().out
    assert "swelling.draft.yaml already exists and is never overwritten: move it away" in out
    assert draft.read_text(encoding="utf-8") == "mine"


def test_section_flag_and_unknown_sections(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aiken = tmp_path / "q.txt"
    aiken.write_text("Which?\nA. one\nB. two\nANSWER: B\n", encoding="utf-8")
    assert main(["import-questions", str(aiken), "--into", str(mini)]) == 1
    assert "give --section ID" in capsys.readouterr().out
    assert main(["import-questions", str(aiken), "--into", str(mini), "--section", "nope"]) == 2
    assert (
        main(["import-questions", str(aiken), "--into", str(mini), "--section", "medicines"]) == 0
    )
    assert (mini / "medicines.draft.yaml").exists()


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("::a::Q {=a ~b\n", ":1:8: a `{` without its `}`"),
        ("x" * 10 + "\n" + ("{\\}\\\\" * 250_000), ":2:1:"),
        ("ok\n\n\ufdd0", ":3:1: U+FDD0"),
    ],
    ids=["unterminated", "megabyte-of-braces", "noncharacter"],
)
def test_hostile_files_get_messages_not_tracebacks(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, where: str
) -> None:
    hostile = tmp_path / "hostile.gift"
    hostile.write_text(content, encoding="utf-8")
    code = main(["import-questions", str(hostile), "--into", str(mini)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "internal error" not in captured.err
    if where == ":2:1:":  # a megabyte of braces is one question: skipped or refused, quickly
        assert code in (0, 1)
        assert str(hostile) in captured.out
    else:
        assert code == 1
        assert f"{hostile}{where}" in captured.out
    assert not list(mini.glob("*.draft.yaml")) or code == 0


def test_oversized_and_invalid_files(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.gift"
    big.write_bytes(b"x" * (4 * 1024 * 1024 + 1))
    assert main(["import-questions", str(big), "--into", str(mini)]) == 1
    assert "over the 4 MiB limit" in capsys.readouterr().out
    bad = tmp_path / "bad.gift"
    bad.write_bytes(b"::a::Q{T}\n\xff\n")
    assert main(["import-questions", str(bad), "--into", str(mini)]) == 1
    assert f"{bad}:2:1:" in capsys.readouterr().out


def test_export_then_import_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "course.gift"
    assert (
        main(
            ["export-questions", "--questions", str(BUNDLED), "--format", "gift", "--out", str(out)]
        )
        == 0
    )
    assert "55 questions of laser-skin-tightening written as GIFT" in capsys.readouterr().err
    assert (
        main(
            ["export-questions", "--questions", str(BUNDLED), "--format", "gift", "--out", str(out)]
        )
        == 1
    )
    assert "already exists and is never overwritten" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    for name in ("course.yaml", "source.md"):
        shutil.copy(BUNDLED / name, empty / name)
    assert main(["import-questions", str(out), "--into", str(empty)]) == 0
    assert sorted(p.name for p in empty.glob("*.yaml")) == sorted(
        p.name for p in BUNDLED.glob("*.yaml")
    )
    assert main(["check", "--strict", str(empty)]) == 0


def test_aiken_export_lists_what_it_leaves_out(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export-questions", "laser-skin-tightening", "--format", "aiken"]) == 0
    captured = capsys.readouterr()
    assert "ANSWER: " in captured.out
    assert "30 left out:" in captured.err
    assert "left out procedure-01: a short question" in captured.err
    assert main(["export-questions", "nope", "--format", "aiken"]) == 2


def test_a_category_that_is_no_section_writes_nothing(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gift = tmp_path / "c.gift"
    gift.write_text("$CATEGORY: $course$/top/Other/unknown\n\n::q::Q{T}\n", encoding="utf-8")
    assert main(["import-questions", str(gift), "--into", str(mini)]) == 1
    out = capsys.readouterr().out
    assert f"{gift}:1:1: category 'unknown' is not a section of the course text" in out
    assert not list(mini.glob("*.draft.yaml"))


def test_check_lists_a_drafts_unmatched_quote(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = mini / "swelling.draft.yaml"
    draft.write_text(
        "format: 2\nsection: swelling\ntitle: Swelling\nquestions:\n"
        "  - id: d-1\n    type: true_false\n    prompt: Swelling lasts days.\n"
        "    answer: true\n    explanation: It does.\n    source: lasts for ever\n",
        encoding="utf-8",
    )
    assert main(["check", str(mini)]) == 1
    assert f"{draft}:10:13: the source quote is not found" in capsys.readouterr().out
