"""Verification codes: the canonical record and its code (quiz.domain.verification),
and the store giving each finished exam its code in the transaction that ends it
(quiz.storage.verification)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.domain.records import AttemptResult, AttemptStatus, Mode
from quiz.domain.verification import (
    ALPHABET,
    AnswerGiven,
    CodeFormatError,
    CodeKind,
    ExamRecord,
    RecordedQuestion,
    SigningKeyError,
    canonical_bytes,
    code_of,
    kind_of_code,
    make_code,
    normalise_code,
    read_signing_key,
)
from quiz.errors import StoreError
from quiz.storage.scores import ScoreStore
from tests.support.store_records import T0, answer, completed, fill_store, make_start

KEY = b"0123456789abcdef0123456789abcdef"


def a_record(**changes: object) -> ExamRecord:
    record = ExamRecord(
        attempt_id="3d58972f-19b4-48d6-b4ae-8b8d646c081d",
        learner="Ana Ruiz",
        clinic="north",
        identified="typed",
        course="laser-skin-tightening",
        course_version="sha256:" + "ab" * 32,
        preset="staff-check",
        status="completed",
        started_at="2026-11-23T10:00:00Z",
        finished_at="2026-11-23T10:05:00Z",
        utc_offset_minutes=60,
        correct=2,
        total=2,
        percent=100.0,
        pass_mark=80,
        passed=True,
        questions=(
            RecordedQuestion(
                0, "swelling-01", "v1", False, (AnswerGiven("One to three days", True),)
            ),
            RecordedQuestion(
                1,
                "drugs-03",
                "v2",
                True,
                (AnswerGiven("aspirin", False), AnswerGiven("Accutane", True)),
            ),
        ),
    )
    return dataclasses.replace(record, **changes)  # type: ignore[arg-type]


# --- the code ---------------------------------------------------------------------------


def test_the_code_is_deterministic_and_has_the_printed_form() -> None:
    code = make_code(a_record(), None)
    assert code == make_code(a_record(), None)
    prefix, *groups = code.split("-")
    assert prefix == "QZ" and [len(g) for g in groups] == [4, 4, 4]
    assert all(ch in ALPHABET for ch in "".join(groups))
    assert not set("ILOU") & set("".join(groups))


@pytest.mark.parametrize(
    "change",
    [
        {"learner": "Ana Ruiz-Lopez"},
        {"clinic": "south"},
        {"clinic": None},
        {"identified": "pin"},
        {"course": "other-course"},
        {"course_version": "sha256:" + "cd" * 32},
        {"preset": "final"},
        {"status": "timed_out"},
        {"started_at": "2026-11-23T10:00:01Z"},
        {"finished_at": "2026-11-23T10:06:00Z"},
        {"utc_offset_minutes": 0},
        {"correct": 1},
        {"total": 3},
        {"percent": 99.99},
        {"pass_mark": 75},
        {"passed": False},
        {"attempt_id": "3d58972f-19b4-48d6-b4ae-8b8d646c081e"},
    ],
)
def test_any_field_changed_changes_the_code(change: dict[str, object]) -> None:
    assert make_code(a_record(**change), None) != make_code(a_record(), None)
    assert make_code(a_record(**change), KEY) != make_code(a_record(), KEY)


def test_any_answer_changed_changes_the_code() -> None:
    base = a_record()
    first, second = base.questions
    variants = [
        (dataclasses.replace(first, answers=(AnswerGiven("A few hours", True),)), second),
        (dataclasses.replace(first, answers=(AnswerGiven("One to three days", False),)), second),
        (dataclasses.replace(first, question_id="swelling-02"), second),
        (dataclasses.replace(first, version="v9"), second),
        (dataclasses.replace(first, critical=True), second),
        (first, dataclasses.replace(second, answers=second.answers[1:])),  # history dropped
        (first,),  # a question dropped
    ]
    codes = {make_code(dataclasses.replace(base, questions=q), None) for q in variants}
    assert len(codes) == len(variants) and make_code(base, None) not in codes


def test_the_record_is_nfc_sorted_json() -> None:
    typed = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    composed = unicodedata.normalize("NFC", typed)
    assert typed != composed
    data = canonical_bytes(a_record(learner=typed))
    assert data == canonical_bytes(a_record(learner=composed))
    assert make_code(a_record(learner=typed), None) == make_code(a_record(learner=composed), None)
    parsed = json.loads(data)
    assert parsed["learner"] == composed and composed.encode() in data
    assert list(parsed) == sorted(parsed)
    assert parsed["percent"] == "100.00" and parsed["critical_missed"] == []
    compact = json.dumps(parsed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert data == compact.encode()


def test_a_signed_code_needs_the_key_and_differs_from_the_hash() -> None:
    hashed, signed = make_code(a_record(), None), make_code(a_record(), KEY)
    assert kind_of_code(hashed) is CodeKind.HASH and kind_of_code(signed) is CodeKind.HMAC
    assert signed.startswith("QK-") and hashed[3:] != signed[3:]
    assert make_code(a_record(), KEY[::-1]) != signed  # another key, another code
    assert code_of(a_record(), CodeKind.HMAC, KEY) == signed
    with pytest.raises(ValueError, match="needs the signing key"):
        code_of(a_record(), CodeKind.HMAC, None)


@pytest.mark.parametrize(
    "typed",
    [
        "QZ-7K2M-9XTA-4FQP",
        "qz-7k2m-9xta-4fqp",
        "QZ7K2M9XTA4FQP",
        " qz 7k2m 9xta 4fqp ",
        "Q-Z7K2-M9XTA4FQP",
    ],
)
def test_a_code_is_read_in_any_case_with_or_without_dashes(typed: str) -> None:
    assert normalise_code(typed) == "QZ-7K2M-9XTA-4FQP"


def test_ambiguous_letters_are_read_as_the_digits_they_look_like() -> None:
    assert normalise_code("qk-o1il-0000-0000") == "QK-0111-0000-0000"


@pytest.mark.parametrize(
    "typed", ["", "QZ-7K2M-9XTA", "XX-7K2M-9XTA-4FQP", "QZ-7K2M-9XTA-4FQU", "hello"]
)
def test_text_that_is_no_code_is_refused_with_the_form_of_one(typed: str) -> None:
    with pytest.raises(CodeFormatError, match="looks like QZ-7K2M-9XTA-4FQP"):
        normalise_code(typed)


# --- the signing key ----------------------------------------------------------------------


def test_a_key_file_is_read_without_its_trailing_newline(tmp_path: Path) -> None:
    path = tmp_path / "key"
    path.write_bytes(KEY + b"\n")
    assert read_signing_key(path) == KEY


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_bytes(b"short\n"), "holds 5 bytes: a key needs at least 16"),
        (lambda p: p.write_bytes(b"x" * 70_000), "surely not a key file"),
    ],
)
def test_an_unusable_key_file_says_why(tmp_path: Path, make: object, says: str) -> None:
    path = tmp_path / "key"
    make(path)  # type: ignore[operator]
    with pytest.raises(SigningKeyError, match=says) as raised:
        read_signing_key(path)
    assert str(path) in raised.value.message and "QUIZ_SIGNING_KEY" in raised.value.message


def test_an_unreadable_key_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import quiz.domain.verification as verification

    path = tmp_path / "key"
    path.write_bytes(KEY)
    path.chmod(0)
    if os.geteuid() == 0:  # root reads any file: the system's refusal, as others get it

        def refused(*_args: object, **_kwargs: object) -> object:
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(verification, "open", refused, raising=False)
    with pytest.raises(SigningKeyError, match="cannot be read: permission denied"):
        read_signing_key(path)


# --- the store ------------------------------------------------------------------------------


def codes(path: Path) -> dict[str, str | None]:
    with sqlite3.connect(path) as connection:
        return dict(connection.execute("SELECT uuid, verify_code FROM attempt"))


def test_a_finished_exam_gets_its_code_and_practice_none(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    exam, practice = fill_store(path)
    stored = codes(path)
    assert stored[practice] is None
    code = stored[exam]
    assert code is not None and code.startswith("QZ-")
    with ScoreStore.open(path) as store:
        found = store.check_code(code)
    assert found is not None and found.matches and found.problems == ()
    assert found.record.learner == "Ana Ruiz" and found.record.correct == 4


def test_a_signing_key_gives_signed_codes(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    [exam, _] = fill_store(path, lambda p: ScoreStore.open(p, signing_key=KEY))
    code = codes(path)[exam]
    assert code is not None and code.startswith("QK-")
    with ScoreStore.open(path, signing_key=None) as store:
        unchecked = store.check_code(code)
    assert unchecked is not None and unchecked.needs_key and not unchecked.matches
    with ScoreStore.open(path, signing_key=KEY) as store:
        checked = store.check_code(code)
    assert checked is not None and checked.matches


def test_the_environment_names_the_key_and_a_bad_one_stops_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "key"
    key.write_bytes(KEY)
    monkeypatch.setenv("QUIZ_SIGNING_KEY", str(key))
    path = tmp_path / "scores.sqlite3"
    [exam, _] = fill_store(path)
    assert str(codes(path)[exam]).startswith("QK-")
    key.write_bytes(b"tiny")
    with pytest.raises(StoreError, match="a key needs at least 16"):
        ScoreStore.open(path)


def test_a_paused_or_abandoned_exam_has_no_code(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        attempt = store.start_attempt(make_start())
        store.record_answer(attempt, answer(0))
        store.finish_attempt(
            attempt,
            AttemptResult(AttemptStatus.PAUSED, T0 + timedelta(minutes=1), 1, 4, 25.0, None),
        )
        assert codes(path)[attempt] is None
        assert store.resume_attempt(attempt) is not None
        store.finish_attempt(
            attempt,
            AttemptResult(AttemptStatus.ABANDONED, T0 + timedelta(minutes=2), 1, 4, 25.0, None),
        )
    assert codes(path)[attempt] is None


def test_a_timed_out_exam_gets_a_code_and_a_drill_none(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        exam = store.start_attempt(make_start())
        store.record_answer(exam, answer(0))
        store.finish_attempt(
            exam,
            AttemptResult(
                AttemptStatus.TIMED_OUT, T0 + timedelta(minutes=15), 1, 4, 25.0, passed=False
            ),
        )
        drill = store.start_attempt(make_start(mode=Mode.DRILL, time_limit_seconds=None))
        store.record_answer(drill, answer(0))
        store.finish_attempt(drill, completed(1, passed=None))
    stored = codes(path)
    assert str(stored[exam]).startswith("QZ-") and stored[drill] is None


def test_an_exam_closed_by_recovery_gets_its_code(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        exam = store.start_attempt(make_start(started_at=T0 - timedelta(days=1)))
        store.record_answer(exam, answer(0, at=T0 - timedelta(days=1) + timedelta(seconds=5)))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE attempt SET pid = ?", (ended.pid,))
    with ScoreStore.open(path) as store:  # recovery: past its deadline, timed out
        detail = store.get_attempt(exam)
        assert detail is not None and detail.summary.status is AttemptStatus.TIMED_OUT
        code = codes(path)[exam]
        assert code is not None
        found = store.check_code(code)
    assert found is not None and found.matches


def test_an_edit_is_found_and_told_where_the_record_disagrees(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    [exam, _] = fill_store(path)
    code = codes(path)[exam]
    assert code is not None
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE answer SET correct = 0 WHERE item = 1")
    with ScoreStore.open(path) as store:
        found = store.check_code(code)
        everything = store.check_codes()
    assert found is not None and not found.matches and found.recomputed != code
    assert found.problems == (
        "the score is 4/4, but the answers stored as right are 3",
        "the percent is 100.00, but the answers give 75.00",
    )
    assert [(c.attempt_id, c.matches) for c in everything] == [(exam, False)]


def test_an_answer_stored_as_right_that_is_not_is_named(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        exam = store.start_attempt(make_start())
        for position in range(4):
            store.record_answer(exam, answer(position, right=position != 0))
        store.finish_attempt(exam, completed(3, passed=True))
    with sqlite3.connect(path) as connection:  # a wrong pick made "right", score and all
        connection.execute("UPDATE answer SET correct = 1 WHERE item = 0")
        connection.execute("UPDATE attempt SET correct = 4, percent = 100.0")
    with ScoreStore.open(path) as store:
        [found] = store.check_codes()
    assert not found.matches
    assert found.problems == (
        "question swelling-01 (number 1) is stored as answered right, but the answer "
        "given, 'A few hours', is not a right answer",
    )


def test_forgetting_a_learner_deletes_their_codes(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    [exam, _] = fill_store(path)
    code = codes(path)[exam]
    assert code is not None
    with ScoreStore.open(path) as store:
        store.forget_learner(store.forget_plan("Ana Ruiz"))
        assert store.check_code(code) is None
    with sqlite3.connect(path) as connection:
        assert connection.execute(
            "SELECT count(*) FROM attempt WHERE verify_code = ?", (code,)
        ).fetchone() == (0,)


def test_a_code_travels_with_an_export_and_still_verifies_after_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.cli import run_cli

    source, target = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    [exam, _] = fill_store(source)
    code = codes(source)[exam]
    status, out, _err = run_cli(["scores", "--db", str(source), "--format", "json"], capsys)
    assert status == 0
    exported = {a["id"]: a for a in json.loads(out)}
    assert exported[exam]["verify_code"] == code
    assert exported[exam]["utc_offset_minutes"] is not None
    file = tmp_path / "export.json"
    file.write_text(out, encoding="utf-8")
    assert run_cli(["import", "--db", str(target), str(file)], capsys)[0] == 0
    assert codes(target)[exam] == code
    with ScoreStore.open(target) as store:
        found = store.check_code(str(code))
    assert found is not None and found.matches
