"""Two clinics' terminals pushing 200 attempts each at once, from separate processes,
with lisbon's attempts sent by two processes (a store file copied to a second
computer): nothing lost, nothing doubled, and the server's summaries equal a rebuild."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.central import Central
from tests.support.central_child import attempts
from tests.support.paths import REPO

COUNT = 200


@pytest.mark.slow
def test_two_clinics_pushing_at_once_lose_and_double_nothing(central: Central) -> None:
    senders = [
        ("lisbon", "lisbon-store"),
        ("lisbon", "lisbon-store"),  # the same attempts, from a copy of the file
        ("porto", "porto-store"),
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.central_child",
                central.url(central.terminal(clinic)),
                seed,
                str(COUNT),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        for clinic, seed in senders
    ]
    try:
        for child in children:  # every one connected before any sends
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        results = [child.communicate(timeout=300) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    for child, (_out, err) in zip(children, results, strict=True):
        assert child.returncode == 0, err
    added = [int(out.split()[-1]) for out, _ in results]
    assert added[0] + added[1] == COUNT  # each lisbon attempt added by exactly one sender
    assert added[2] == COUNT

    expected = {
        str(a["id"]): clinic
        for clinic, seed in (("lisbon", "lisbon-store"), ("porto", "porto-store"))
        for a in attempts(seed, COUNT)
    }
    stored = central.rows(
        "SELECT a.uuid, c.code FROM quiz.attempt a JOIN quiz.clinic c ON c.id = a.clinic"
    )
    assert len(stored) == 2 * COUNT
    assert dict(stored) == expected
    answers = central.rows("SELECT count(*) FROM quiz.answer")[0][0]
    # Each attempt: three answered questions, plus one earlier answer every 7th attempt.
    assert answers == 2 * (3 * COUNT + sum(1 for n in range(COUNT) if n % 7 == 0))
    assert central.rows("SELECT count(*) FROM quiz.asked_question") == [(3,)]
    kept = central.rows("SELECT * FROM quiz.summary WHERE attempts <> 0 ORDER BY 1, 2, 3, 4")
    rebuilt = central.rows("SELECT * FROM quiz.summary_rebuilt ORDER BY 1, 2, 3, 4")
    assert kept == rebuilt
    assert sum(row[4] for row in kept) == 2 * COUNT
