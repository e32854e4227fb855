"""A terminal in its own process for the concurrency tests: `python -m
tests.support.central_child URL SEED COUNT`. It connects, says "ready", waits for a
line on standard input (so that every child starts sending at once), then sends COUNT
attempts (ids made from SEED: two children given one SEED send the same attempts, as
a store file copied to a second computer would), and prints how many the server added."""

from __future__ import annotations

import sys
import uuid
from collections import Counter

from quiz.storage.central.connection import connect, server_name
from quiz.storage.central.push import push_attempt
from tests.support.central import export

LEARNERS = ("Ana Ruiz", "Ben Ode", "Rui Sá", "Dee Park", "Cy Young")


def attempts(seed: str, count: int) -> list[dict[str, object]]:
    made = []
    for number in range(count):
        right = (number % 2 == 0, number % 3 == 0, number % 5 != 0)
        made.append(
            export(
                learner=LEARNERS[number % len(LEARNERS)],
                attempt_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{seed}/{number}")),
                right=right,
                mode="exam" if number % 4 == 0 else "practice",
                changed_first=(1,) if number % 7 == 0 else (),
            )
        )
    return made


def main(argv: list[str]) -> None:
    url, seed, count = argv[0], argv[1], int(argv[2])
    made = attempts(seed, count)
    with connect(url) as connection:
        print("ready", flush=True)
        sys.stdin.readline()
        outcomes = Counter(
            push_attempt(connection, attempt, server=server_name(url)) for attempt in made
        )
    print(f"added {outcomes['added']}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
