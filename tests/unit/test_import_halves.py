"""A big export file checked in two parts at once (quiz.storage.exchange.halves).

What is read is what the one way reads, attempt for attempt and question for question
(the second part's questions numbered as the first part's); where the file is cut; and
every way it is not taken — a cut inside an attempt, a problem in either part, an id in
both, a child that fails, another thread running — gives the one way's reading, or its
message, word for word. An interrupted reading leaves no child behind.
"""

from __future__ import annotations

import json
import os
import pickle
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quiz.storage import exchange
from quiz.storage.exchange import halves, spill
from quiz.storage.exchange.records import QuestionVersions
from quiz.storage.exchange.spill import ExportedAttempts, Spill
from tests.support.import_files import many_attempts_file

COUNT = 400


@pytest.fixture
def many(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return many_attempts_file(tmp_path, capsys, COUNT)


@pytest.fixture
def in_two(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any file is cut (where it can be); batches in the temporary files of 70. Threads
    that earlier tests left waiting in this process are not counted (the app's and the
    command's reading has none: the check is tested on its own, below)."""
    monkeypatch.setattr(halves, "SPLIT_BYTES", 0)
    monkeypatch.setattr(spill, "SPILL_BATCH", 70)
    monkeypatch.setattr(halves, "_other_threads", lambda: False)


def one_way(path: Path) -> ExportedAttempts:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(halves, "SPLIT_BYTES", 1 << 62)
        return exchange.read_export_file(path)


def everything(read: ExportedAttempts) -> list[Any]:
    """Every attempt as the import gets it (prepared, its questions by number), and as an
    AttemptDetail, and the questions behind the numbers."""
    batch = read[0 : len(read)]
    return [
        list(batch.attempts),
        [detail.to_export_dict() for detail in batch],
        read.versions.questions,
    ]


def parts(read: ExportedAttempts) -> int:
    return len(read._parts)


def assert_read_one_way(path: Path) -> None:
    """The file read the one way (one part), and so just as the one way reads it."""
    with one_way(path) as expected, exchange.read_export_file(path) as read:
        assert parts(read) == 1
        assert everything(read) == everything(expected)


def problem(path: Path) -> str:
    with pytest.raises(exchange.ImportFileError) as raised:
        exchange.read_export_file(path)
    return raised.value.message


def test_a_file_read_in_two_is_the_file_read_one_way(many: Path, in_two: None) -> None:
    with one_way(many) as expected, exchange.read_export_file(many) as read:
        assert parts(expected) == 1 and parts(read) == 2
        first, second = read._parts
        assert first.attempts > 0 and second.attempts > 0
        assert first.attempts + second.attempts == len(read) == COUNT
        # The second part numbered its questions from 0 in the order it met them; they
        # have the first part's numbers when read back.
        assert second.renumbered is not None
        assert second.renumbered != list(range(len(second.renumbered)))
        assert everything(read) == everything(expected)
        across = read[first.attempts - 3 : first.attempts + 3]  # a slice over the cut
        assert [d.id for d in across] == [d.id for d in expected[first.attempts - 3 :][:6]]
        assert read[-1].to_export_dict() == expected[-1].to_export_dict()


def test_questions_only_the_second_part_asks_are_numbered_after_the_first_parts(
    many: Path, in_two: None
) -> None:
    entries = json.loads(many.read_text(encoding="utf-8"))
    for entry in entries[-5:]:  # a question corrected late: a version of its own
        entry["answers"][0]["prompt"] += " (corrected)"
    many.write_text(json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8")
    with one_way(many) as expected, exchange.read_export_file(many) as read:
        assert parts(read) == 2
        assert everything(read) == everything(expected)
        assert read.versions.questions[-1].prompt.endswith(" (corrected)")


def test_the_cut_is_between_two_of_the_lists_attempts(many: Path) -> None:
    data = many.read_bytes()
    with open(many, "rb") as handle:
        cut = halves.find_cut(handle.fileno(), len(data))
    assert cut is not None
    first_stop, second_start = cut
    assert len(data) // 2 <= first_stop < second_start
    assert (
        data[first_stop - 1 : first_stop] == b"}" and data[second_start : second_start + 1] == b"{"
    )
    # The least indented place: the list's own (json.dumps indents its items by 2).
    assert data[: first_stop - 1].endswith(b"\n  ")
    first = json.loads(data[:first_stop] + b"]")
    second = json.loads(b"[" + data[second_start:])
    assert first + second == json.loads(data)


def test_a_file_without_line_breaks_is_not_cut(tmp_path: Path, many: Path, in_two: None) -> None:
    compact = tmp_path / "compact.json"
    compact.write_text(many.read_text(encoding="utf-8").replace("\n", ""), encoding="utf-8")
    with open(compact, "rb") as handle:
        assert halves.find_cut(handle.fileno(), compact.stat().st_size) is None
    with exchange.read_export_file(compact) as read:
        assert parts(read) == 1 and len(read) == COUNT


def test_a_cut_inside_an_attempt_is_not_taken(
    many: Path, in_two: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A place that looks like a cut but is between two answers of an attempt: the first
    part is no list, and the file is read the one way."""
    data = many.read_bytes()
    deep = data.index(b"\n      },\n      {", len(data) // 2)
    first_stop = deep + len(b"\n      }")
    second_start = data.index(b"{", first_stop)
    monkeypatch.setattr(halves, "find_cut", lambda fd, size: (first_stop, second_start))
    assert_read_one_way(many)


@pytest.mark.parametrize("where", ["first", "second"])
def test_a_problem_in_either_part_is_said_as_the_one_way_says_it(
    many: Path, in_two: None, where: str
) -> None:
    entries = json.loads(many.read_text(encoding="utf-8"))
    bad = entries[3] if where == "first" else entries[-3]
    answered = next(a for a in bad["answers"] if a["seconds"] is not None and a["choices"])
    answered["response"] = "Not a choice"
    many.write_text(json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8")
    said = problem(many)
    assert f"(id {bad['id']}): answer" in said and "'response'" in said
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(halves, "SPLIT_BYTES", 1 << 62)
        assert problem(many) == said


def test_an_id_in_both_parts_is_said_as_the_one_way_says_it(many: Path, in_two: None) -> None:
    entries = json.loads(many.read_text(encoding="utf-8"))
    entries[-2]["id"] = entries[1]["id"]
    many.write_text(json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8")
    said = problem(many)
    assert said == f"{many}: attempt {COUNT - 1}: id {entries[1]['id']} appears twice."


def test_a_byte_that_is_not_utf8_in_the_second_part_is_named_by_its_place(
    many: Path, in_two: None
) -> None:
    data = bytearray(many.read_bytes())
    place = data.rindex(b'"seed"') + 2  # in the last attempt
    data[place] = 0xFF
    many.write_bytes(bytes(data))
    assert f"is not UTF-8 text (byte {place})" in problem(many)


def _nothing(value: object, protocol: int | None = None) -> bytes:
    raise MemoryError  # nothing is sent


_DUMPS = pickle.dumps


def _cut_short(value: object, protocol: int | None = None) -> bytes:
    return _DUMPS(value, protocol=protocol)[:-100]  # the child killed as it wrote


@pytest.mark.parametrize("sent", [_nothing, _cut_short], ids=["nothing", "cut short"])
def test_a_child_that_fails_leaves_the_file_to_the_one_way(
    many: Path, in_two: None, monkeypatch: pytest.MonkeyPatch, sent: object
) -> None:
    monkeypatch.setattr(pickle, "dumps", sent)  # what the child sends back
    assert_read_one_way(many)


def test_no_fork_while_another_thread_runs(
    many: Path, in_two: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the thread check as it is
    monkeypatch.setattr(halves, "SPLIT_BYTES", 0)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    with exchange.read_export_file(many) as read:
        assert parts(read) == 2
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    with exchange.read_export_file(many) as read:
        assert parts(read) == 1
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    monkeypatch.undo()
    monkeypatch.setattr(halves, "SPLIT_BYTES", 0)
    other.start()
    try:
        assert halves._other_threads()
        with exchange.read_export_file(many) as read:
            assert parts(read) == 1
    finally:
        stop.set()
        other.join()


@pytest.fixture
def pipes() -> Iterator[list[tuple[int, int]]]:
    ends = [os.pipe(), os.pipe()]
    yield ends
    for pair in ends:
        for end in pair:
            os.close(end)


def test_an_interrupted_reading_leaves_no_child_behind(
    many: Path, in_two: None, pipes: list[tuple[int, int]]
) -> None:
    """Ctrl-C while the first part is read: the child checking the second is stopped and
    waited for (no process left running or unreaped), and the interrupt goes on."""
    parent = os.getpid()
    (told, telling), (never, _) = pipes
    children: list[int] = []

    def check(
        start: int, stop: int, before: bytes, after: bytes, spill: Spill
    ) -> tuple[QuestionVersions, set[str]]:
        if os.getpid() != parent:  # the child: says who it is, then waits for ever
            os.write(telling, f"{os.getpid()}\n".encode())
            os.read(never, 1)
        children.append(int(os.read(told, 64).decode()))
        raise KeyboardInterrupt

    with open(many, "rb") as handle, pytest.raises(KeyboardInterrupt):
        halves.read_in_two(many, handle.fileno(), check)
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)  # reaped already
    with pytest.raises(ProcessLookupError):
        os.kill(children[0], 0)  # and gone


def test_a_child_whose_parent_is_gone_stops_at_its_next_batch(
    many: Path, in_two: None, tmp_path: Path
) -> None:
    """(Its parent killed: it would otherwise check the rest of its part for nobody.)"""
    with exchange.read_export_file(many) as read:
        attempt = read[0:1].attempts[0]
    with open(tmp_path / "spill", "w+b") as file:
        mine = halves._ChildSpill(file, os.getppid())
        for _ in range(spill.SPILL_BATCH * 2):
            mine.add(attempt)
        assert mine.count == spill.SPILL_BATCH * 2
        orphan = halves._ChildSpill(file, os.getppid() + 1)
        for _ in range(spill.SPILL_BATCH - 1):
            orphan.add(attempt)
        with pytest.raises(SystemExit):
            orphan.add(attempt)
