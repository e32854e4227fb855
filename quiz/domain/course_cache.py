"""Loaded courses kept between openings, so an unchanged course opens without YAML.

Loading a course parses and checks every bank (about 25 ms for the bundled course and
0.75 s for 10,000 questions, plus ~60 ms importing YAML and the checks). A course
changes far less often than it is opened, so the app keeps each loaded course in the
per-user cache folder and uses it while nothing it was loaded from has changed:

- what was read: every file the loader read and the course folder it listed (a bank
  added, removed or renamed changes the folder), each with its `signature`: device,
  inode, size, and modification and change times in nanoseconds, as git's index and
  make compare files. Editing, replacing or touching a file changes it;
- the loader itself: the same signature of every module of `quiz.domain` (the rules
  and the model), and the Python version.

A file changed less than `RACY_SECONDS` before the cache is written is not trusted to
show its next change in its times (a file system may keep times in steps of a few
milliseconds, and a quick second edit could keep the size): the course is then not
kept this time, as git treats a "racily clean" file.

Anything else (a cache file that is missing, unreadable, not ours, corrupt or written
by other code) means loading the course again, and writing the cache anew. Only a
course that loaded without problems is kept: one with problems is loaded (and its
problems shown) every time. `quiz check` never uses the cache.

Only the app uses it, with the cache folder its services name; the tests' apps have
none unless a test gives one.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.domain.blake import blake2b
from quiz.domain.folders import find_course_folders
from quiz.domain.gc_pause import gc_paused

if TYPE_CHECKING:
    from quiz.domain.model import CourseLoad

RACY_SECONDS = 2
"""See the module docstring."""

FORMAT = 1
"""Bump when what is pickled changes shape in a way the code stamp would not show."""

Signature = tuple[int, int, int, int, int]
"""(device, inode, size, mtime_ns, ctime_ns) of a file or folder."""
Inputs = tuple[tuple[str, Signature], ...]
"""What a course was loaded from: (path, signature) of each file read and folder listed."""


def signature(info: os.stat_result) -> Signature:
    """What identifies a file's content without reading it (see the module docstring)."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


_stamp: tuple[object, ...] | None = None


def code_stamp() -> tuple[object, ...]:
    """The loader's version: the signatures of quiz.domain's modules, Python's version."""
    global _stamp
    if _stamp is None:
        domain = Path(__file__).resolve().parent
        modules = sorted(
            (str(path.relative_to(domain)), signature(path.stat())) for path in domain.rglob("*.py")
        )
        _stamp = (FORMAT, sys.version, tuple(modules))
    return _stamp


def cache_file(cache_dir: Path, folder: Path) -> Path:
    """The cache file of the course in `folder` (one per course folder)."""
    key = blake2b(str(folder.resolve()).encode(), digest_size=16).hexdigest()
    return cache_dir / "courses" / f"{key}.pickle"


def _unchanged(inputs: Inputs) -> bool:
    for path, known in inputs:
        try:
            if signature(os.stat(path)) != known:
                return False
        except OSError:
            return False
    return True


def cached_course(cache_dir: Path, folder: Path) -> CourseLoad | None:
    """The course kept for `folder`, if nothing it was loaded from has changed."""
    from quiz.domain.model import CourseLoad

    try:
        with open(cache_file(cache_dir, folder), "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None  # written by someone else, or writable by others: not ours
            stamp, inputs = pickle.load(handle)
            if stamp != code_stamp() or not _unchanged(inputs):
                return None
            with gc_paused():
                load = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # unreadable, truncated, corrupt or stale: load the course again
        return None
    return load if isinstance(load, CourseLoad) and load.ok else None


def keep_course(cache_dir: Path, folder: Path, load: CourseLoad, inputs: Inputs) -> None:
    """Keep `load` (loaded from `inputs`) for the next opening, if it has no problems.
    Written to a temporary file and renamed into place; a failure only costs the next
    opening a load."""
    if not load.ok:
        return
    recent = time.time_ns() - RACY_SECONDS * 1_000_000_000
    if any(known[3] > recent for _path, known in inputs):
        return  # changed just now: keep it at a later opening (see RACY_SECONDS)
    keep_pickled(cache_file(cache_dir, folder), (code_stamp(), inputs), load)


def keep_pickled(target: Path, *values: object) -> bool:
    """Pickle `values`, one after another, to `target` in a cache folder (made if need
    be, for this user only): written to a temporary file beside it and renamed into
    place, so a reader never sees half a file. False, and nothing written, if that
    fails: a cache that cannot be written only costs the next run some time."""
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed before the rename)
            "wb", dir=target.parent, prefix=".keep-", delete=False
        )
        try:
            with handle:
                for value in values:
                    pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, target)
        except BaseException:
            os.unlink(handle.name)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return False
    return True


def load_courses_cached(questions_dir: Path, cache_dir: Path) -> list[CourseLoad]:
    """Every course in `questions_dir`, as `loader.load_courses` gives them, taken from
    the cache where it is up to date (the loader is imported only when needed)."""
    loads: list[CourseLoad] = []
    for folder in find_course_folders(questions_dir):
        load = cached_course(cache_dir, folder)
        if load is None:
            from quiz.domain.loader import load_course_and_inputs

            load, inputs = load_course_and_inputs(folder)
            keep_course(cache_dir, folder, load, inputs)
        loads.append(load)
    if not loads:  # no course at all: the loader says why
        from quiz.domain.loader import load_courses

        return load_courses(questions_dir)
    return loads
