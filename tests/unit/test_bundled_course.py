"""The bundled course: no problems, every quote found in its section, the exam preset sane."""

from __future__ import annotations

from collections import Counter

from quiz.domain.loader import load_course
from quiz.domain.model import CriticalMode, QuestionType
from quiz.domain.text import fold
from quiz.paths import bundled_questions_dir

COURSE_DIR = bundled_questions_dir() / "laser-skin-tightening"
SECTIONS = ["procedure", "skin-colour", "swelling", "bruising", "drugs-pregnancy"]


def test_the_bundled_course_has_no_problems() -> None:
    loaded = load_course(COURSE_DIR)
    assert [str(p) for p in loaded.problems] == []
    assert loaded.course is not None
    assert [s.id for s in loaded.course.source.sections] == SECTIONS


def test_every_quote_is_found_in_its_own_section() -> None:
    course = load_course(COURSE_DIR).course
    assert course is not None
    for question in course.questions:
        section = course.source.section(question.section)
        assert section is not None, question.id
        paragraph = section.paragraphs[question.source_ref.paragraph_index]
        ref = question.source_ref
        assert ref.section_id == question.section
        assert fold(paragraph.text[ref.start : ref.end]) == fold(question.source), question.id


def test_the_course_meets_its_brief() -> None:
    course = load_course(COURSE_DIR).course
    assert course is not None
    questions = course.questions
    assert len(questions) >= 40
    per_section = Counter(q.section for q in questions)
    assert all(per_section[s] >= 8 for s in SECTIONS), per_section
    assert {q.type for q in questions} == set(QuestionType)
    assert all(q.explanation and q.source for q in questions)
    scenarios = [q for q in questions if "scenario" in q.tags]
    assert len(scenarios) * 3 >= len(questions)
    # Critical only where a wrong answer could harm a client, and the flag lives on facts.
    critical_facts = {f.id for f in course.facts.values() if f.critical}
    assert critical_facts
    critical = {q.id for q in questions if q.critical}
    assert critical == {q.id for q in questions if q.fact in critical_facts}
    assert not {"drugs-pregnancy-02", "drugs-pregnancy-09"} & critical, "mechanism questions"
    assert all(q.type is not QuestionType.SHORT for q in questions if q.critical)
    asked_per_fact = Counter(q.fact for q in questions)
    assert all(asked_per_fact[f] >= 2 for f in critical_facts), asked_per_fact
    assert all(q.fact for q in questions), "every question names its fact"
    preset = course.exams["staff-check"]
    assert (preset.questions, preset.time_limit_seconds, preset.pass_mark) == (20, 900, 80)
    assert preset.critical is CriticalMode.FACTS


def test_every_paragraph_is_cited() -> None:
    course = load_course(COURSE_DIR).course
    assert course is not None
    cited = {(q.source_ref.section_id, q.source_ref.paragraph_index) for q in course.questions}
    for section in course.source.sections:
        for paragraph in section.paragraphs:
            assert (section.id, paragraph.index) in cited, (section.id, paragraph.text[:40])
