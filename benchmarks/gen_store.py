"""Generate a large score store: a clinic group's history, in the store's own schema.

    python benchmarks/gen_store.py OUT.sqlite3 [--attempts 100000] [--answers-per-attempt 20]

The file is made by `ScoreStore.open` (its schema, pragmas and version), then filled
in bulk inside one transaction straight into the store's tables (writing 2 million
answers one commit at a time would take an hour): 300 learners over two years take
practice rounds and exams of the bundled course, each question asked with its choices
shuffled as the app does (every order is its own `asked_question` row), one answer a
question, some attempts abandoned or timed out. The report summaries are then built
with the store's own `summaries.rebuild`, and the drill's cards with `cards.rebuild_all`.
Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, ensure_importable

LEARNERS = 300
DAYS = 730


def generate(
    out: Path,
    *,
    attempts: int = 100_000,
    answers_per_attempt: int = 20,
    seed: int = 1,
    verbose: bool = False,
) -> Path:
    ensure_importable()
    from quiz.domain.loader import load_course
    from quiz.domain.model import QuestionType
    from quiz.domain.records import AskedQuestion
    from quiz.domain.text import learner_key
    from quiz.storage import cards, db, liveness, summaries
    from quiz.storage.codec import asked_digest, dump_texts, pack_ints
    from quiz.storage.scores import ScoreStore

    started = time.perf_counter()
    rng = random.Random(seed)
    course = load_course(ROOT / "questions" / "laser-skin-tightening").course
    assert course is not None
    questions = list(course.questions)
    sections = [s.id for s in course.source.sections]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    ScoreStore.open(out).close()  # the schema, exactly as the app makes it

    connection = sqlite3.connect(out, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = OFF")  # bulk load; the app's writes use FULL
    connection.execute("PRAGMA cache_size = -200000")
    connection.execute("BEGIN IMMEDIATE")
    course_row = connection.execute("INSERT INTO course (code) VALUES (?)", (course.id,)).lastrowid
    version_row = connection.execute(
        "INSERT INTO course_version (course, hash) VALUES (?, ?)", (course_row, course.version)
    ).lastrowid
    section_rows = {
        s: connection.execute(
            "INSERT INTO section (course, code) VALUES (?, ?)", (course_row, s)
        ).lastrowid
        for s in sections
    }
    question_rows = {
        q.id: connection.execute(
            "INSERT INTO question (course, code) VALUES (?, ?)", (course_row, q.id)
        ).lastrowid
        for q in questions
    }
    host_row = connection.execute(
        "INSERT INTO host (name) VALUES (?)", (liveness.this_host(),)
    ).lastrowid
    names = [f"Trainee {number:03d}" for number in range(1, LEARNERS + 1)]
    learner_rows = [
        connection.execute(
            "INSERT INTO learner (key, name) VALUES (?, ?)", (learner_key(name), name)
        ).lastrowid
        for name in names
    ]
    spelling_rows = [
        connection.execute(
            "INSERT INTO learner_name (learner, name) VALUES (?, ?)", (learner, name)
        ).lastrowid
        for learner, name in zip(learner_rows, names, strict=True)
    ]
    skill = [rng.uniform(0.45, 0.95) for _ in names]
    asked_rows: dict[bytes, int] = {}

    def asked_row(question_index: int, position: int) -> tuple[int, AskedQuestion]:
        question = questions[question_index]
        choices = list(question.choices)
        rng.shuffle(choices)
        asked = AskedQuestion(
            position=position,
            question_id=question.id,
            section=question.section,
            type=str(question.type),
            prompt=question.prompt,
            choices=tuple(choices),
            answer=question.answer,
            critical=question.critical,
        )
        digest = asked_digest(course.id, asked)  # the position is not part of it
        row = asked_rows.get(digest)
        if row is None:
            row = connection.execute(
                """INSERT INTO asked_question (digest, question, section, type, critical,
                       prompt, choices, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    digest,
                    question_rows[question.id],
                    section_rows[question.section],
                    str(question.type),
                    int(question.critical),
                    question.prompt,
                    dump_texts(asked.choices),
                    dump_texts(asked.answer),
                ),
            ).lastrowid
            assert row is not None
            asked_rows[digest] = row
        return row, asked

    def response(asked: AskedQuestion, right: bool) -> int | str:
        kind = asked.type
        if kind == QuestionType.TRUE_FALSE:
            truth = asked.answer[0] == "true"
            return int(truth if right else not truth)
        if kind == QuestionType.SHORT:
            return asked.answer[0] if right else rng.choice(["not sure", "swelling", "red"])
        mask = 0
        for text in asked.answer:
            mask |= 1 << asked.choices.index(text)
        if right:
            return mask
        wrong = rng.randrange(1, 1 << len(asked.choices))
        return wrong if wrong != mask else mask ^ 1

    first_day = datetime(2024, 1, 1, tzinfo=UTC).timestamp() * 1000
    answers_batch: list[tuple[int, int, int, int | str, int, int, int]] = []
    insert_answers = (
        "INSERT INTO answer (attempt, item, rev, response, correct, ms, at_ds) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)"
    )
    for number in range(attempts):
        learner = rng.randrange(LEARNERS)
        mode = "exam" if rng.random() < 0.3 else "practice"
        start_ms = int(
            first_day + (number / attempts) * DAYS * 86_400_000 + rng.randrange(3_600_000)
        )
        picked = rng.sample(range(len(questions)), answers_per_attempt)
        items = [asked_row(index, position) for position, index in enumerate(picked)]
        roll = rng.random()
        status = "abandoned" if roll < 0.03 else "timed_out" if roll < 0.05 else "completed"
        correct = 0
        elapsed = 0
        attempt_answers = []
        for item, (_row, asked) in enumerate(items):
            right = rng.random() < skill[learner]
            correct += right
            spent = rng.randrange(4_000, 60_000)
            elapsed += spent
            attempt_answers.append((item, response(asked, right), int(right), spent, elapsed))
        total = len(items)
        percent = 100.0 * correct / total
        finished = status != "abandoned"
        attempt_row = connection.execute(
            """INSERT INTO attempt (uuid, learner, learner_name, course_version, mode, exam,
                   sections, seed, started_at, time_limit, deadline_at, pass_mark, items, status,
                   finished_at, correct, total, percent, passed, pid, host, heartbeat_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                f"{rng.getrandbits(128):032x}",
                learner_rows[learner],
                spelling_rows[learner],
                version_row,
                mode,
                "staff-check" if mode == "exam" else None,
                pack_ints(sorted(section_rows.values())),
                rng.randrange(1 << 31),
                start_ms,
                900 if mode == "exam" else None,
                start_ms + 900_000 if mode == "exam" else None,
                80 if mode == "exam" else None,
                pack_ints(row for row, _ in items),
                status,
                start_ms + elapsed if finished else None,
                correct if finished else None,
                total,
                percent if finished else None,
                (int(percent >= 80) if mode == "exam" else None) if finished else None,
                None,
                host_row,
                None,  # the heartbeat is cleared when an attempt ends
            ),
        ).lastrowid
        assert attempt_row is not None
        answers_batch.extend(
            (attempt_row, item, 0, value, right, spent, at // 100)
            for item, value, right, spent, at in attempt_answers
        )
        if len(answers_batch) >= 100_000:
            connection.executemany(insert_answers, answers_batch)
            answers_batch.clear()
            if verbose:
                print(f"  {number + 1} attempts", file=sys.stderr, flush=True)
    if answers_batch:
        connection.executemany(insert_answers, answers_batch)
    register = getattr(db, "register_functions", None)
    if register is not None:
        register(connection)  # SQL functions the store's own queries use
    summaries.rebuild(connection)
    cards.rebuild_all(connection)  # the drill's cards, as the store keeps them
    connection.execute("COMMIT")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    db.connect(out).close()  # the store still opens: probe, schema version
    if verbose:
        print(f"generated {out} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--answers-per-attempt", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(
        args.out,
        attempts=args.attempts,
        answers_per_attempt=args.answers_per_attempt,
        seed=args.seed,
        verbose=True,
    )


if __name__ == "__main__":
    main()
