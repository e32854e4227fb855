"""`quiz certificate ATTEMPT_ID` as a manager runs it, read back with pdftotext (Debian's
poppler-utils; these tests skip without it, except under CI, where they fail): a
passed exam's certificate, a failed one's result statement, no certificate for
practice, names in Vietnamese (typed decomposed), Cyrillic and Greek printed as typed,
an Arabic name refused with a message naming its letters, and no file replaced
without --force."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from quiz.domain.records import AttemptResult, AttemptStatus
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.store_records import answer, completed, fill_store, make_start

VIETNAMESE = "Nguyễn Thị Thu Hương"
CYRILLIC = "Анна Кузнецова"
GREEK = "Ελένη Παπαδοπούλου"
ARABIC = "فاطمة الزهراء"


def pdftotext(pdf: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is needed under CI")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(
        [tool, "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode("utf-8")


def exam_of(path: Path, learner: str, *, right: int = 4) -> str:
    """One finished exam of `learner` (the first `right` answers right); its id."""
    with ScoreStore.open(path) as store:
        attempt = store.start_attempt(make_start(learner))
        for position in range(4):
            store.record_answer(attempt, answer(position, right=position < right))
        passed = right * 100 >= 75 * 4 and right == 4  # the critical one is the last
        store.finish_attempt(attempt, completed(right, passed=passed))
    return attempt


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_a_passed_exam_gets_a_certificate_with_everything_on_it(
    tmp_path: Path, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    exam, _practice = fill_store(path)
    status, out, err = run_cli(["certificate", exam[:8], "--db", str(path)], capsys)
    assert status == 0, err
    written = here / "certificate-Ana-Ruiz-2026-11-23.pdf"
    assert out.startswith(f"wrote {written}: the certificate of Ana Ruiz's exam\n")
    code = out.split("verification code ")[1].split()[0]
    text = pdftotext(written)
    for expected in (
        "CERTIFICATE",
        "Ana Ruiz",
        "passed the exam",
        "laser-skin-tightening",
        "staff-check",
        "name typed (not checked)",
        "2026-11-23 10:00 (UTC",
        "4/4 (100.00%)",
        "75%",
        "no critical question missed",
        exam,
        "quiz 0.1.0",
        "Manager's signature",
        code,
        f"quiz verify {code}",
    ):
        assert expected in text, expected
    assert "Valid until" not in text  # the preset sets no validity
    # The code on the page is the stored one, and it verifies.
    assert run_cli(["verify", code, "--db", str(path)], capsys)[0] == 0


def test_no_file_is_replaced_without_force(
    tmp_path: Path, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    exam, _practice = fill_store(path)
    target = here / "mine.pdf"
    target.write_bytes(b"my own file")
    status, _out, err = run_cli(
        ["certificate", exam, "--out", str(target), "--db", str(path)], capsys
    )
    assert status == 1 and "already exists and was not replaced: give --force" in err
    assert target.read_bytes() == b"my own file"
    status, out, _err = run_cli(
        ["certificate", exam, "--out", str(target), "--force", "--db", str(path)], capsys
    )
    assert status == 0 and out.startswith(f"replaced {target}")
    assert target.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in here.iterdir()] == ["mine.pdf"]  # no temporary file left


def test_a_failed_exam_gets_a_result_statement(
    tmp_path: Path, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    exam = exam_of(path, "Ben Ode", right=3)
    status, out, err = run_cli(["certificate", exam, "--db", str(path)], capsys)
    assert status == 0, err
    assert "result statement (not passed)" in out
    text = pdftotext(here / "result-statement-Ben-Ode-2026-11-23.pdf")
    assert "RESULT STATEMENT" in text and "CERTIFICATE" not in text
    assert "not passed" in text and "did not pass" in text
    assert "critical questions missed: drugs-pregnancy-03" in text


@pytest.mark.parametrize("kind", ["practice", "paused", "in_progress"])
def test_practice_paused_and_unfinished_attempts_get_none(
    tmp_path: Path, here: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "scores.sqlite3"
    _exam, practice = fill_store(path)
    attempt = practice
    if kind != "practice":
        with ScoreStore.open(path) as store:
            # Started now: opening the store must not find it past its time.
            now = datetime.now(UTC)
            attempt = store.start_attempt(make_start(started_at=now))
            if kind == "paused":
                store.finish_attempt(
                    attempt, AttemptResult(AttemptStatus.PAUSED, now, 0, 4, 0.0, None)
                )
            status, _out, err = run_cli(["certificate", attempt, "--db", str(path)], capsys)
    else:
        status, _out, err = run_cli(["certificate", attempt, "--db", str(path)], capsys)
    assert status == 1
    expected = {
        "practice": "it is a practice round, not an exam",
        "paused": "the exam is paused, not finished",
        "in_progress": "the exam is still in progress",
    }[kind]
    assert f"attempt {attempt} has no certificate: {expected}" in err
    assert list(here.iterdir()) == []


def test_an_unknown_or_ambiguous_id(
    tmp_path: Path, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    fill_store(path)
    status, _out, err = run_cli(["certificate", "ffffffff", "--db", str(path)], capsys)
    assert status == 1 and "no attempt in" in err and "starting 'ffffffff'" in err
    status, _out, err = run_cli(["certificate", "Ana", "--db", str(path)], capsys)
    assert status == 2 and "is not an attempt id" in err


@pytest.mark.parametrize(
    ("typed", "printed", "file_name"),
    [
        (unicodedata.normalize("NFD", VIETNAMESE), VIETNAMESE, "Nguyễn-Thị-Thu-Hương"),
        (CYRILLIC, CYRILLIC, "Анна-Кузнецова"),
        (GREEK, GREEK, "Ελένη-Παπαδοπούλου"),
    ],
    ids=["vietnamese-nfd", "cyrillic", "greek"],
)
def test_names_print_as_typed(
    tmp_path: Path,
    here: Path,
    capsys: pytest.CaptureFixture[str],
    typed: str,
    printed: str,
    file_name: str,
) -> None:
    path = tmp_path / "scores.sqlite3"
    exam = exam_of(path, typed)
    status, out, err = run_cli(["certificate", exam, "--db", str(path)], capsys)
    assert status == 0, err
    [written] = here.iterdir()
    assert written.name == unicodedata.normalize("NFC", f"certificate-{file_name}-2026-11-23.pdf")
    text = unicodedata.normalize("NFC", pdftotext(written))
    assert text.count(printed) == 2  # the name line and the Learner line
    assert printed in out


def test_an_arabic_name_is_refused_naming_its_letters(
    tmp_path: Path, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    exam = exam_of(path, ARABIC)
    status, out, err = run_cli(["certificate", exam, "--db", str(path)], capsys)
    assert status == 1 and out == ""
    assert f"The certificate was not made: the learner's name {ARABIC!r} has characters" in err
    assert "(Arabic needs shaping, which this certificate cannot do: 'ف' U+0641 ARABIC " in err
    assert "'ز' U+0632 ARABIC LETTER ZAIN" in err
    assert list(here.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("שרה כהן", "Hebrew needs shaping"),
        ("प्रिया", "Devanagari needs shaping"),
        ("ܐܒܓ", "Syriac needs shaping"),
        ("สมชาย", "Thai needs shaping"),
        ("王芳", "not in the certificate's font (DejaVu Sans)"),
        ("Ann\u200dLee", "joining or direction controls"),
    ],
)
def test_names_that_cannot_print_are_told_why(name: str, why: str) -> None:
    from quiz.tables.certificate_pdf import unprintable

    assert [reason.split(",")[0] for reason in unprintable(name)] == [why]


@pytest.mark.parametrize(
    "name",
    [VIETNAMESE, unicodedata.normalize("NFD", VIETNAMESE), CYRILLIC, GREEK, "Zoë O'Brien-Łukasz"],
)
def test_latin_greek_and_cyrillic_names_print(name: str) -> None:
    from quiz.tables.certificate_pdf import unprintable

    assert unprintable(name) == {}


def test_an_exam_from_before_codes_gets_one_with_its_certificate(
    tmp_path: Path, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    path = tmp_path / "scores.sqlite3"
    exam, _practice = fill_store(path)
    with sqlite3.connect(path) as connection:  # as an exam finished before version 8
        connection.execute("UPDATE attempt SET verify_code = NULL")
    status, out, _err = run_cli(["verify", "--store", "--db", str(path)], capsys)
    assert status == 0 and "1 finished exam without a code, not checked" in out
    status, out, err = run_cli(["certificate", exam, "--db", str(path)], capsys)
    assert status == 0, err
    code = out.split("verification code ")[1].split()[0]
    assert code in pdftotext(here / "certificate-Ana-Ruiz-2026-11-23.pdf")
    assert run_cli(["verify", code, "--db", str(path)], capsys)[0] == 0
