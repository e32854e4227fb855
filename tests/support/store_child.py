"""A quiz process for the store tests: `python -m tests.support.store_child MODE DB ...`.

answer DB N [DEADLINE_OFFSET]: start an attempt, print `attempt <id>`, then record N
    answers printing `saved <n>` after each commit, then block until killed. With
    DEADLINE_OFFSET (seconds, may be negative) the attempt has that deadline.
writer DB TAG ATTEMPTS ANSWERS: open the store, print `ready`, wait for a line on
    stdin (so two writers start together), then write ATTEMPTS attempts of ANSWERS
    answers each; print `done`.
fill DB ROOM: once the attempt has started, limit files to ROOM bytes more than the
    biggest of the store's files (RLIMIT_FSIZE, as on a full disk), record answers
    until the store refuses, and print one JSON line saying what happened.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quiz.domain.model import QuestionType
from quiz.domain.records import AnswerRecord, AskedQuestion, AttemptStart, Mode
from quiz.storage.scores import ScoreStore, StoreError


def _questions(count: int, kind: QuestionType = QuestionType.SINGLE) -> tuple[AskedQuestion, ...]:
    choices = ("One to three days", "About two weeks") if kind is QuestionType.SINGLE else ()
    return tuple(
        AskedQuestion(
            position=i,
            question_id=f"q-{i:03d}",
            section=("swelling", "bruising")[i % 2],
            type=kind,
            prompt=f"Question {i}",
            choices=choices,
            answer=("One to three days",) if choices else ("three",),
        )
        for i in range(count)
    )


def _start(
    learner: str, questions: tuple[AskedQuestion, ...], deadline: float | None
) -> AttemptStart:
    now = datetime.now(UTC)
    return AttemptStart(
        learner=learner,
        course_id="laser-skin-tightening",
        course_version="sha256:" + "cd" * 32,
        mode=Mode.EXAM,
        sections=("swelling", "bruising"),
        exam="staff-check",
        seed=7,
        started_at=now,
        time_limit_seconds=900 if deadline is not None else None,
        deadline_at=now + timedelta(seconds=deadline) if deadline is not None else None,
        pass_mark=50,
        questions=questions,
    )


def _answer(question: AskedQuestion, response: str) -> AnswerRecord:
    return AnswerRecord(
        question_id=question.question_id,
        response=response,
        correct=response in question.answer,
        seconds=2.5,
        answered_at=datetime.now(UTC),
    )


def answer(db: Path, count: int, deadline: float | None) -> None:
    questions = _questions(count + 2)  # two are never answered
    store = ScoreStore.open(db)
    attempt_id = store.start_attempt(_start("Child Process", questions, deadline))
    print(f"attempt {attempt_id}", flush=True)
    for number, question in enumerate(questions[:count], start=1):
        store.record_answer(attempt_id, _answer(question, "One to three days"))
        print(f"saved {number}", flush=True)
    sys.stdin.read()  # block until killed


def writer(db: Path, tag: str, attempts: int, answers: int) -> None:
    questions = _questions(answers)
    store = ScoreStore.open(db)
    print("ready", flush=True)
    sys.stdin.readline()
    for number in range(attempts):
        attempt_id = store.start_attempt(_start(f"Writer {tag} {number}", questions, None))
        for question in questions:
            store.record_answer(attempt_id, _answer(question, "One to three days"))
    store.close()
    print("done", flush=True)


def fill(db: Path, room: int) -> None:
    questions = _questions(2000, QuestionType.SHORT)
    store = ScoreStore.open(db)
    attempt_id = store.start_attempt(_start("Full Disk", questions, None))
    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
    limit = max(f.stat().st_size for f in files if f.exists()) + room
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    saved = 0
    outcome: dict[str, object] = {"kind": None}
    for question in questions:
        try:
            store.record_answer(attempt_id, _answer(question, "x" * 3000))
        except StoreError as error:
            outcome = {"kind": error.kind, "message": error.message}
            break
        saved += 1
    outcome["saved"] = saved
    outcome["attempt"] = attempt_id
    print(json.dumps(outcome), flush=True)


def main(argv: list[str]) -> None:
    mode, db = argv[0], Path(argv[1])
    if mode == "answer":
        answer(db, int(argv[2]), float(argv[3]) if len(argv) > 3 else None)
    elif mode == "writer":
        writer(db, argv[2], int(argv[3]), int(argv[4]))
    elif mode == "fill":
        fill(db, int(argv[2]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
