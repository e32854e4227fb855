"""Source drift: questions whose cited paragraph changed since they were last reviewed.

A course folder may hold a lock file, `course.lock` (YAML, committed with the course),
written only by `quiz check --accept ID…` / `--accept-all`. For each question it keeps,
as of its last review: the hash of the paragraph its quote cites and that paragraph's
text (to show what changed), the question's content version (its answer and choices:
`quiz.domain.versions.content_version`), and the date. `quiz check` then warns about
each question whose cited paragraph is no longer the one reviewed (the quote may still
be found; the meaning may not hold), with a word diff, and about each question the
lock does not hold yet. The app never reads the lock.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from quiz.domain import yamlsafe
from quiz.domain.model import Course, Problem, Question, Severity
from quiz.domain.versions import content_version

LOCK_FILE = "course.lock"
LOCK_FORMAT = 1
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HASH = re.compile(r"sha256:[0-9a-f]{64}")


@dataclass(frozen=True)
class Review:
    """What a question was reviewed against, as the lock records it."""

    paragraph: str  # "sha256:…" of the cited paragraph's text
    text: str  # that paragraph's text
    answer: str  # the question's content version then
    reviewed: str  # YYYY-MM-DD


@dataclass(frozen=True)
class Drift:
    """A question whose cited paragraph changed since its review."""

    question: Question
    review: Review
    now: str  # the paragraph's text now
    answer_changed: bool

    def warning(self, source_name: str, line: int) -> Problem:
        question = self.question
        also = "; its answer or choices changed too" if self.answer_changed else ""
        return Problem(
            question.path,
            question.line,
            1,
            f"question {question.id}: the paragraph it cites ({source_name} line {line}) "
            f"changed since its review on {self.review.reviewed}{also}: check that the "
            f"question still holds, then `quiz check --accept {question.id}`",
            Severity.WARNING,
        )


def lock_path(folder: Path) -> Path:
    return folder / LOCK_FILE


def text_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def cited_paragraph(course: Course, question: Question) -> tuple[str, int]:
    """The text of the paragraph the question's quote cites, and its line."""
    ref = question.source_ref
    section = course.source.section(ref.section_id)
    if section is None or ref.paragraph_index >= len(section.paragraphs):
        return "", 0
    paragraph = section.paragraphs[ref.paragraph_index]
    return paragraph.text, paragraph.line


def review_of(course: Course, question: Question, today: date) -> Review:
    """The review of `question` done `today`, against the course as it is now."""
    text, _line = cited_paragraph(course, question)
    return Review(text_hash(text), text, content_version(question), today.isoformat())


def read_lock(path: Path) -> tuple[dict[str, Review] | None, list[Problem]]:
    """The reviews the lock holds, by question id; None when there is no lock."""
    if not os.path.lexists(path):
        return None, []
    problems: list[Problem] = []
    try:
        with open(path, "rb") as handle:
            data = handle.read(yamlsafe.MAX_BYTES + 1)
    except OSError as error:
        return {}, [Problem(path, 1, 1, f"cannot read the lock file: {error.strerror}")]
    if len(data) > yamlsafe.MAX_BYTES:
        return {}, [Problem(path, 1, 1, "the lock file is over the 4 MiB limit")]
    try:
        node = yamlsafe.parse(yamlsafe.decode(data))
    except yamlsafe.YamlRefused as refused:
        return {}, [Problem(path, i.line, i.column, i.message) for i in refused.issues]
    reviews: dict[str, Review] = {}
    redo = "; write it again with `quiz check --accept-all` after a review"
    if node is None or node.kind != "mapping" or "questions" not in node.value:
        return {}, [Problem(path, 1, 1, f"not a quiz lock file{redo}")]
    format_node = node.value.get("format")
    if format_node is None or format_node.node.value != str(LOCK_FORMAT):
        return {}, [Problem(path, 1, 1, f"a lock file of another format{redo}")]
    questions = node.value["questions"].node
    if questions.kind != "mapping":
        return {}, [
            Problem(path, questions.line, questions.column, f"'questions' is not a mapping{redo}")
        ]
    for question_id, entry in questions.value.items():
        item = entry.node
        fields = item.value if item.kind == "mapping" else {}
        values = {
            name: fields[name].node.value
            for name in ("paragraph", "text", "answer", "reviewed")
            if name in fields and fields[name].node.kind == "scalar"
        }
        if (
            len(values) != 4
            or not _HASH.fullmatch(str(values["paragraph"]))
            or not _HASH.fullmatch(str(values["answer"]))
            or not _DATE.fullmatch(str(values["reviewed"]))
        ):
            problems.append(
                Problem(
                    path,
                    entry.key_line,
                    entry.key_column,
                    f"the review of {question_id!r} needs paragraph, text, answer and reviewed"
                    + redo,
                )
            )
            continue
        reviews[question_id] = Review(
            str(values["paragraph"]),
            str(values["text"]),
            str(values["answer"]),
            str(values["reviewed"]),
        )
    return reviews, problems


def write_lock(path: Path, reviews: dict[str, Review]) -> None:
    """Write the lock: questions by id, atomically (a temporary file renamed into place).
    Raises OSError."""
    import yaml

    document = {
        "format": LOCK_FORMAT,
        "questions": {
            question_id: {
                "paragraph": review.paragraph,
                "answer": review.answer,
                "reviewed": review.reviewed,
                "text": review.text,
            }
            for question_id, review in sorted(reviews.items())
        },
    }
    body = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )
    header = (
        "# What each question's cited paragraph said when the question was last reviewed.\n"
        "# Written by `quiz check --accept ID` / `--accept-all`; commit it with the course.\n"
    )
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed before the rename)
        "w", encoding="utf-8", dir=path.parent, prefix=".course-lock-", delete=False
    )
    try:
        with handle:
            handle.write(header + body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
        raise


def accept(
    course: Course, reviews: dict[str, Review], ids: list[str], today: date
) -> dict[str, Review]:
    """The lock after reviewing `ids` today; reviews of questions no longer in the course
    are dropped."""
    kept = {qid: review for qid, review in reviews.items() if course.question(qid) is not None}
    for question_id in ids:
        question = course.question(question_id)
        if question is not None:
            kept[question_id] = review_of(course, question, today)
    return kept


def find_drift(course: Course, reviews: dict[str, Review]) -> tuple[list[Drift], list[Question]]:
    """The questions whose cited paragraph changed since their review, and the questions
    the lock holds no review of."""
    drifted: list[Drift] = []
    unreviewed: list[Question] = []
    for question in course.questions:
        review = reviews.get(question.id)
        if review is None:
            unreviewed.append(question)
            continue
        text, _line = cited_paragraph(course, question)
        if text_hash(text) != review.paragraph:
            changed = content_version(question) != review.answer
            drifted.append(Drift(question, review, text, changed))
    return drifted, unreviewed


def unreviewed_warning(question: Question) -> Problem:
    return Problem(
        question.path,
        question.line,
        1,
        f"question {question.id} has no review in {LOCK_FILE}: check it against the "
        f"paragraph it cites, then `quiz check --accept {question.id}`",
        Severity.WARNING,
    )


def word_diff(before: str, after: str) -> str:
    """`after` with the words taken out of `before` as `[-…-]` and those put in as `{+…+}`."""
    old, new = before.split(), after.split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(old[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(old[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(new[j1:j2]) + "+}")
    return " ".join(out)
