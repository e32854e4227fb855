"""The rules for `course.yaml` and bank files, shared by loading and `quiz check`.

Each check appends `Problem`s (with the line and column of the offending value)
and returns what could be built, so that one run reports every problem. Some
problems are warnings: `quiz check` shows them and still passes (unless --strict),
and the app does not count them.

The rules live by concern; this module is where the loader finds them:

- quiz.domain.checker: reading fields (text, numbers, lists, the file format);
- quiz.domain.course_rules: course.yaml (facts, exam presets) and the rules across a
  course once its text and banks are read (blueprints that cannot be met);
- quiz.domain.question_rules: bank files, the fields every question has, question ids
  unique in the course;
- quiz.domain.kinds: what differs between question types (choices, answer, feedback).
"""

from __future__ import annotations

from quiz.domain.checker import FORMAT as FORMAT
from quiz.domain.checker import ID as ID
from quiz.domain.checker import Place as Place
from quiz.domain.course_rules import CourseDraft as CourseDraft
from quiz.domain.course_rules import check_course_file as check_course_file
from quiz.domain.course_rules import check_course_rules as check_course_rules
from quiz.domain.question_rules import BankDraft as BankDraft
from quiz.domain.question_rules import check_bank as check_bank
from quiz.domain.question_rules import check_cross_file as check_cross_file
