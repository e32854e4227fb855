"""Generate a large valid course in the bundled course's format.

    python benchmarks/gen_course.py OUT_DIR --questions 10000 [--per-bank 500] [--seed 1]

The course has several sections of generated text; every question cites a
sentence of its section word for word, and the four question types, feedback,
critical questions, difficulty and tags all appear, so loading exercises every
rule `quiz check` applies. At most 1,000 questions go in one bank file.
Deterministic for a given seed. `quiz check OUT_DIR` finds no problem.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
from pathlib import Path

MAX_PER_BANK = 1000

_SUBJECTS = [
    "the treated skin",
    "the upper layer of skin",
    "a client's cheek",
    "the jawline",
    "the skin around the eyes",
    "the forehead",
    "the neck",
    "the tissue beneath the skin",
    "the capillaries",
    "the collagen layer",
    "the pigment cells",
    "the treated area",
]
_VERBS = [
    "may look",
    "can feel",
    "usually becomes",
    "often appears",
    "sometimes turns",
    "tends to stay",
    "may become",
    "is likely to look",
]
_STATES = [
    "red",
    "warm",
    "tender",
    "swollen",
    "tight",
    "dry",
    "blotchy",
    "pale",
    "darker",
    "lighter",
    "puffy",
    "sore",
    "flushed",
    "smooth",
    "firm",
    "itchy",
]
_TIMES = [
    "for a few hours",
    "for one to three days",
    "for about a week",
    "for two weeks",
    "until the next session",
    "for a month",
    "after the first session",
    "during healing",
]
_CAUSES = [
    "because the laser heats the tissue",
    "as the skin cells draw together",
    "while new collagen forms",
    "when melanin production changes",
    "after small blood vessels break",
    "because inflammation brings swelling",
    "as the body reacts to the disturbance",
    "when the client skips aftercare",
]
_ADVICE = [
    "Tell the client to keep the area out of strong sun.",
    "Ask the client about any prescription medicines.",
    "Check whether the client is pregnant before treating.",
    "Explain that a cool compress can ease the warmth.",
    "Record the skin condition before every session.",
    "Advise the client to avoid make-up for a day.",
    "Ask the practitioner before treating broken skin.",
    "Tell the client when to call the clinic.",
]
_TOPICS = [
    "Aftercare",
    "Consultation",
    "Skin reactions",
    "Pigment changes",
    "Healing times",
    "Contraindications",
    "Client questions",
    "Treatment planning",
    "Record keeping",
    "Sun exposure",
    "Medicines",
    "Bruising care",
    "Swelling care",
    "Collagen",
]
_TAGS = ["scenario", "aftercare", "consultation", "mechanism", "terminology", "safety"]


def _sentence(rng: random.Random, section: int, paragraph: int, index: int) -> str:
    subject = rng.choice(_SUBJECTS)
    # The marker makes every sentence unique, so each quote is found in one place only.
    return (
        f"In case {section}.{paragraph}.{index}, {subject} {rng.choice(_VERBS)} "
        f"{rng.choice(_STATES)} {rng.choice(_TIMES)} {rng.choice(_CAUSES)}."
    )


def make_source(rng: random.Random, sections: int) -> list[tuple[str, str, list[list[str]]]]:
    """(id, title, paragraphs of sentences) for each section."""
    out = []
    for number in range(1, sections + 1):
        title = f"{_TOPICS[(number - 1) % len(_TOPICS)]} {number}"
        paragraphs = []
        for p in range(1, 7):
            sentences = [_sentence(rng, number, p, i) for i in range(1, 6)]
            sentences.append(rng.choice(_ADVICE))
            paragraphs.append(sentences)
        out.append((f"section-{number:03d}", title, paragraphs))
    return out


def _distinct(rng: random.Random, pool: list[str], count: int, avoid: set[str]) -> list[str]:
    choices = [c for c in pool if c not in avoid]
    rng.shuffle(choices)
    return choices[:count]


def _choice_text(state: str, time: str) -> str:
    return f"It may look {state} {time}"


def _question(
    rng: random.Random, qid: str, kind: str, sentences: list[str], critical: bool
) -> list[str]:
    """YAML lines of one question (indented for the `questions:` list)."""
    quote = rng.choice([s for s in sentences if s.startswith("In case")])
    state = next(s for s in _STATES if f" {s} " in quote)
    time = next(t for t in _TIMES if t in quote)
    lines = [f"  - id: {qid}", f"    type: {kind}"]
    feedback: dict[str, str] = {}
    if kind == "single":
        right = _choice_text(state, time)
        wrong = [_choice_text(s, time) for s in _distinct(rng, _STATES, 3, {state})]
        choices = [right, *wrong]
        rng.shuffle(choices)
        lines.append(
            "    prompt: A client asks what the treated area will be like after treatment. "
            "According to the course text, what do you tell her?"
        )
        lines.append("    choices:")
        lines.extend(f"      - {c}" for c in choices)
        lines.append(f"    answer: {right}")
        for w in wrong[: rng.randint(0, 2)]:
            feedback[w] = f"The course text says it may look {state}, not that it stays this way."
    elif kind == "multiple":
        right = [_choice_text(state, time), f"Tell her it happens {rng.choice(_CAUSES)}"]
        wrong = [_choice_text(s, "for several months") for s in _distinct(rng, _STATES, 3, {state})]
        choices = [*right, *wrong]
        rng.shuffle(choices)
        lines.append(
            "    prompt: Which of these are correct to tell a client after treatment? "
            "Choose all that apply."
        )
        lines.append("    choices:")
        lines.extend(f"      - {c}" for c in choices)
        lines.append("    answer:")
        lines.extend(f"      - {c}" for c in right)
        for w in wrong[: rng.randint(0, 2)]:
            feedback[w] = "Nothing in the course text says it lasts several months."
    elif kind == "true_false":
        truth = rng.random() < 0.5
        shown_state = state if truth else rng.choice([s for s in _STATES if s != state])
        lines.append(f"    prompt: After treatment the area may look {shown_state} {time}.")
        lines.append(f"    answer: {'true' if truth else 'false'}")
        if rng.random() < 0.5:
            feedback["true" if not truth else "false"] = (
                f"The course text says the area may look {state} {time}."
            )
    else:  # short
        lines.append(
            f'    prompt: "After treatment the area may look ___ {time}. Type the missing word."'
        )
        lines.append(f"    answer: [{state}, very {state}]")
    lines.append(
        f"    explanation: The course text says the area may look {state} {time}. "
        "Knowing this lets you prepare the client and tell normal healing from a problem "
        "that needs the practitioner."
    )
    lines.append(f'    source: "{quote}"')
    if feedback:
        lines.append("    feedback:")
        lines.extend(f"      {key}: {text}" for key, text in feedback.items())
    if critical:
        lines.append("    critical: true")
    lines.append(f"    difficulty: {rng.randint(1, 3)}")
    tags = rng.sample(_TAGS, rng.randint(1, 3))
    lines.append(f"    tags: [{', '.join(tags)}]")
    lines.append("")
    return lines


def generate(out: Path, questions: int, *, per_bank: int = 500, seed: int = 1) -> Path:
    """Write a course of `questions` questions into `out` (replaced if it exists)."""
    if not 1 <= per_bank <= MAX_PER_BANK:
        raise ValueError(f"per_bank must be 1..{MAX_PER_BANK}")
    rng = random.Random(seed)
    sections = max(5, math.ceil(questions / per_bank))
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    source = make_source(rng, sections)
    text = [f"# Generated course of {questions} questions", ""]
    for section_id, title, paragraphs in source:
        text += [f"## {title} {{#{section_id}}}", ""]
        for sentences in paragraphs:
            text += [" ".join(sentences), ""]
    (out / "source.md").write_text("\n".join(text), encoding="utf-8")
    (out / "course.yaml").write_text(
        "format: 1\n"
        f"id: generated-{questions}\n"
        f"title: Generated course ({questions} questions)\n"
        "description: A generated course for benchmarks.\n"
        "source: source.md\n"
        "exams:\n"
        "  staff-check:\n"
        "    title: Staff knowledge check\n"
        "    questions: 20\n"
        "    include_critical: false\n"
        "    time_limit: 15m\n"
        "    pass_mark: 80\n",
        encoding="utf-8",
    )
    kinds = ["single", "single", "multiple", "true_false", "true_false", "short"]
    base, extra = divmod(questions, sections)
    number = 0
    for index, (section_id, title, paragraphs) in enumerate(source):
        count = base + (1 if index < extra else 0)
        sentences = [s for p in paragraphs for s in p]
        lines = ["format: 1", f"section: {section_id}", f"title: {title}", "questions:"]
        for _ in range(count):
            number += 1
            kind = kinds[number % len(kinds)]
            critical = number % 50 == 0
            lines += _question(rng, f"q{number:06d}", kind, sentences, critical)
        (out / f"{section_id}.yaml").write_text("\n".join(lines), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--per-bank", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.questions, per_bank=args.per_bank, seed=args.seed)
    print(args.out)


if __name__ == "__main__":
    main()
