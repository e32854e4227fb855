"""A big export file checked in two parts at once, on two processors (`read_in_two`).

Checking an export's attempts is most of an import's time (each parsed, every answer
checked), and the attempts are independent of each other but for their ids and the
numbering of their questions. So a file of at least SPLIT_BYTES, where a second
processor is free, is cut in two between two attempts near its middle: a child process
(forked) checks the second part while this one checks the first, each into a temporary
file of its own (quiz.storage.exchange.spill); then the second part's ids are checked
against the first's, and its questions are given the first part's numbering (as they
are read back: spill.SpilledPart).

Where to cut: after a line break (which is never inside a JSON string), a `}`, a `,`
and a `{` with only white space between them; of the places like that near the middle,
the least indented (the list's own, in an indented file). The first part is then read
as a list of its own (`]` put after it), which it can only be if the cut is at the
list's level: anywhere deeper, its brackets do not balance. Anything else — a file too
small, compact or odd to cut, a problem anywhere in it, an id in both parts, a child
that fails or is killed, no fork — and None is returned: the file is read the one way,
from the start, so whatever is said about it is said as ever.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, NamedTuple, NoReturn

from quiz.domain.records import AskedQuestion
from quiz.storage.exchange.records import QuestionVersions
from quiz.storage.exchange.spill import ExportedAttempts, Spill, SpilledPart, new_spill_file

SPLIT_BYTES = 8 << 20
"""Files smaller than this are read the one way (the fork and the merge are not worth it:
at this size the second part takes ~0.2 s)."""
_LOOK = 1 << 20
"""Bytes looked through for a cut, from the middle on (a hundred attempts or so)."""
_CUT = re.compile(rb"\n([ \t]*)\}[ \t\r\n]*,[ \t\r\n]*\{")

CheckPart = Callable[[int, int, bytes, bytes, Spill], tuple[QuestionVersions, set[str]]]
"""Checks the attempts of the file's bytes from `start` to `stop`, with `before` put
ahead of them and `after` behind (to make a list of them), into `spill`: gives their
questions and their ids, or raises for the first problem (reader.check_entries)."""


class _PartRead(NamedTuple):
    """What the child sends back of the second part: its temporary file holds the rest."""

    attempts: int  # how many
    offsets: list[int]
    questions: list[AskedQuestion]  # by the numbers the part gave them
    ids: list[str]


def read_in_two(path: Path, fd: int, check_part: CheckPart) -> ExportedAttempts | None:
    """The file `fd` (named `path`) checked in two parts at once; None where it is not
    (see the module's docstring): then read it the one way."""
    size = os.fstat(fd).st_size
    if size < SPLIT_BYTES or not _can_fork():
        return None
    cut = find_cut(fd, size)
    if cut is None:
        return None
    first_stop, second_start = cut
    mine, theirs = new_spill_file(), new_spill_file()
    receiving, sending = os.pipe()
    parent = os.getpid()
    try:
        child = os.fork()
    except OSError:
        for handle in (mine, theirs):
            handle.close()
        for end in (receiving, sending):
            os.close(end)
        return None
    if child == 0:
        os.close(receiving)
        _check_second(check_part, second_start, size, _ChildSpill(theirs, parent), sending)
    os.close(sending)
    done = False
    try:
        spill = Spill(mine)
        try:
            versions, ids = check_part(0, first_stop, b"", b"]", spill)
        except Exception:  # a problem, or not cut between attempts: read the one way
            return None
        second = _receive(receiving)
        if second is None or not ids.isdisjoint(second.ids):
            return None
        renumbered = [versions.number(question) for question in second.questions]
        versions.done_reading()
        parts = [
            spill.part(),
            SpilledPart(
                theirs,
                second.offsets,
                second.attempts,
                None if renumbered == list(range(len(renumbered))) else renumbered,
            ),
        ]
        done = True
        return ExportedAttempts(parts, versions)
    finally:
        os.close(receiving)
        if not done:
            _stop(child)
            for handle in (mine, theirs):
                handle.close()
        os.waitpid(child, 0)


def find_cut(fd: int, size: int) -> tuple[int, int] | None:
    """Where the first part ends (just after a `}`) and the second starts (its `{`), from
    the middle of the file on; None: no place to cut."""
    middle = size // 2
    window = os.pread(fd, _LOOK, middle)
    best: re.Match[bytes] | None = None
    for match in _CUT.finditer(window):
        if best is None or len(match.group(1)) < len(best.group(1)):
            best = match
            if not match.group(1):
                break  # not indented: the least it can be
    if best is None:
        return None
    return middle + best.end(1) + 1, middle + best.end() - 1


def _can_fork() -> bool:
    """A fork is safe (no other thread may hold a lock the child would need) and worth it
    (a second processor to run it)."""
    if not hasattr(os, "fork") or _other_threads():
        return False
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) > 1
    return (os.cpu_count() or 1) > 1


def _other_threads() -> bool:
    """Whether a thread other than this one runs in the process."""
    return threading.active_count() > 1


class _ChildSpill(Spill):
    """The child's spill, which stops the child when its parent is gone (killed), so it
    does not go on for long by itself: it looks once a batch."""

    def __init__(self, file: IO[bytes], parent: int) -> None:
        super().__init__(file)
        self.parent = parent

    def _flush(self) -> None:
        if os.getppid() != self.parent:
            raise SystemExit
        super()._flush()


def _check_second(
    check_part: CheckPart, start: int, stop: int, spill: Spill, sending: int
) -> NoReturn:
    """In the child: the second part checked into `spill`, what the parent needs of it sent
    through the pipe `sending`; nothing is sent when anything goes wrong. It leaves
    without running what this process's exit would (os._exit): those are the parent's."""
    try:
        versions, ids = check_part(start, stop, b"[", b"", spill)
        part = spill.part()
        spill.file.flush()
        message = pickle.dumps(
            _PartRead(part.attempts, part.offsets, versions.questions, list(ids)),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        with open(sending, "wb", closefd=True) as pipe:
            pipe.write(message)
        os._exit(0)
    finally:  # anything raised: nothing is sent, and the parent reads the file the one way
        os._exit(1)


def _receive(receiving: int) -> _PartRead | None:
    """What the child sent once it is done; None if it sent nothing (it failed)."""
    chunks = []
    while chunk := os.read(receiving, 1 << 20):
        chunks.append(chunk)
    if not chunks:
        return None
    try:
        second = pickle.loads(b"".join(chunks))
    except Exception:  # cut short (the child killed as it wrote): read the one way
        return None
    return second if isinstance(second, _PartRead) else None


def _stop(child: int) -> None:
    try:
        os.kill(child, signal.SIGKILL)
    except ProcessLookupError:
        pass
