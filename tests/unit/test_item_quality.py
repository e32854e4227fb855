"""Cues that give an answer away, measured on the bundled course.

A test-wise trainee can pass an exam without the knowledge it checks when the form
of a question betrays its key: the key is the longest choice, absolute words mark the
wrong choices, every multiple-answer question has the same number of right answers,
or true statements copy the course text while false ones do not. STYLE.md ("Cues that
give an answer away") names these; each test below measures one and prints the figure
in its message, so a failing run says how far off the course is.

Measures, chosen to be simple and reproducible:

- Longest key: a single question counts when no other choice is longer (in characters)
  than its key. A tie for longest counts too: a trainee who picks the longest choice
  still gets there half the time or better. The mirror cue, a key that is the shortest
  choice, is measured the same way: a course that overcorrects teaches that one instead.
- Absolute words: an option counts when it contains one of ABSOLUTE_WORDS as a whole
  word (case-insensitive; "no" counts, so a "No, ..." reply does too). Rates are per
  option: options with such a word over all options, for keys and for distractors
  separately. True/false statements are measured the same way, true against false.
- Closeness to the text: a statement's word tokens (lowercase, runs of letters and
  digits with inner hyphens or apostrophes) against each sentence of its section in
  source.md, as the Jaccard index |A∩B| / |A∪B| of the two token sets; its score is
  the best sentence's. The AUC is the chance that a random true statement scores above
  a random false one (ties count a half); 0.5 means wording does not sort them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest

from quiz.domain.loader import load_course
from quiz.domain.model import Course, Question, QuestionType
from quiz.paths import bundled_questions_dir

COURSE_DIR = bundled_questions_dir() / "laser-skin-tightening"

# Words that make a claim absolute. Trainees learn that options with them are usually
# wrong, so they must not be likelier among distractors than among keys.
ABSOLUTE_WORDS = frozenset(
    {
        "all",
        "always",
        "cannot",
        "completely",
        "entirely",
        "every",
        "everyone",
        "everything",
        "guaranteed",
        "must",
        "never",
        "no",
        "nobody",
        "none",
        "nothing",
        "only",
    }
)

MAX_KEY_LENGTH_CUE_SHARE = 0.30
AUC_RANGE = (0.35, 0.65)

_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def tokens(text: str) -> set[str]:
    """Lowercase word tokens of `text`, as a set."""
    return set(_TOKEN.findall(text.lower().replace("\u2019", "'")))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def has_absolute_word(text: str) -> bool:
    return not tokens(text).isdisjoint(ABSOLUTE_WORDS)


def auc(positives: Iterable[float], negatives: Iterable[float]) -> float:
    """Chance that a random positive scores above a random negative; ties count a half."""
    pos, neg = list(positives), list(negatives)
    if not pos or not neg:
        return 0.5
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = load_course(COURSE_DIR)
    assert loaded.course is not None, [str(p) for p in loaded.problems]
    return loaded.course


def _of_type(course: Course, kind: QuestionType) -> list[Question]:
    return [q for q in course.questions if q.type is kind]


def closeness_to_text(course: Course, question: Question) -> float:
    """Best token-set Jaccard index of the statement against a sentence of its section."""
    section = course.source.section(question.section)
    assert section is not None, question.id
    statement = tokens(question.prompt)
    sentences = [s for p in section.paragraphs for s in _SENTENCE_END.split(p.text) if s.strip()]
    return max(jaccard(statement, tokens(sentence)) for sentence in sentences)


def test_the_key_is_seldom_the_longest_choice(course: Course) -> None:
    singles = _of_type(course, QuestionType.SINGLE)
    assert singles
    longest = [q.id for q in singles if all(len(q.answer[0]) >= len(c) for c in q.choices)]
    share = len(longest) / len(singles)
    assert share <= MAX_KEY_LENGTH_CUE_SHARE, (
        f"the key is the longest choice in {len(longest)} of {len(singles)} single "
        f"questions ({share:.0%}, at most {MAX_KEY_LENGTH_CUE_SHARE:.0%}): {longest}"
    )


def test_the_key_is_seldom_the_shortest_choice(course: Course) -> None:
    singles = _of_type(course, QuestionType.SINGLE)
    assert singles
    shortest = [q.id for q in singles if all(len(q.answer[0]) <= len(c) for c in q.choices)]
    share = len(shortest) / len(singles)
    assert share <= MAX_KEY_LENGTH_CUE_SHARE, (
        f"the key is the shortest choice in {len(shortest)} of {len(singles)} single "
        f"questions ({share:.0%}, at most {MAX_KEY_LENGTH_CUE_SHARE:.0%}): {shortest}"
    )


def test_absolute_words_are_no_likelier_in_distractors_than_in_keys(course: Course) -> None:
    keys: list[str] = []
    distractors: list[str] = []
    for q in course.questions:
        if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            keys += [c for c in q.choices if c in q.answer]
            distractors += [c for c in q.choices if c not in q.answer]
    assert keys and distractors
    in_keys = [k for k in keys if has_absolute_word(k)]
    in_distractors = [d for d in distractors if has_absolute_word(d)]
    key_rate = len(in_keys) / len(keys)
    distractor_rate = len(in_distractors) / len(distractors)
    assert distractor_rate <= key_rate, (
        f"absolute words in {len(in_keys)} of {len(keys)} keys ({key_rate:.1%}) but in "
        f"{len(in_distractors)} of {len(distractors)} distractors ({distractor_rate:.1%}): "
        f"{in_distractors}"
    )


def test_absolute_words_do_not_mark_false_statements(course: Course) -> None:
    """The same cue in true/false questions: "only", "never", "cannot" in false ones."""
    statements = _of_type(course, QuestionType.TRUE_FALSE)
    true = [q for q in statements if q.answer == ("true",)]
    false = [q for q in statements if q.answer == ("false",)]
    assert true and false
    in_true = [q.id for q in true if has_absolute_word(q.prompt)]
    in_false = [q.id for q in false if has_absolute_word(q.prompt)]
    true_rate, false_rate = len(in_true) / len(true), len(in_false) / len(false)
    assert false_rate <= true_rate, (
        f"absolute words in {len(in_true)} of {len(true)} true statements ({true_rate:.0%}) "
        f"but in {len(in_false)} of {len(false)} false ones ({false_rate:.0%}): {in_false}"
    )


def test_multiple_questions_vary_in_how_many_choices_are_right(course: Course) -> None:
    multiples = _of_type(course, QuestionType.MULTIPLE)
    assert multiples
    counts = {q.id: len(q.answer) for q in multiples}
    assert len(set(counts.values())) >= 2, f"right choices per multiple question: {counts}"


def test_true_and_false_statements_are_equally_close_to_the_text(course: Course) -> None:
    statements = _of_type(course, QuestionType.TRUE_FALSE)
    scores = {q.id: closeness_to_text(course, q) for q in statements}
    true = [scores[q.id] for q in statements if q.answer == ("true",)]
    false = [scores[q.id] for q in statements if q.answer == ("false",)]
    assert true and false
    measured = auc(true, false)
    low, high = AUC_RANGE
    detail = ", ".join(
        f"{q.id}={'T' if q.answer == ('true',) else 'F'}:{scores[q.id]:.2f}" for q in statements
    )
    assert low <= measured <= high, (
        f"AUC of closeness to the text, true against false statements: {measured:.2f} "
        f"(wanted {low}-{high}; {len(true)} true, {len(false)} false): {detail}"
    )


def test_no_critical_question_is_typed(course: Course) -> None:
    typed = [q.id for q in course.questions if q.critical and q.type is QuestionType.SHORT]
    assert typed == [], f"critical questions with a typed answer: {typed}"
