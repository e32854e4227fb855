"""My scores (the learner's own attempts and a trend per section) and All staff (the
manager's report: staff by section, questions, sections): the two screens the app
opens to show scores, one module each (my_scores, all_staff) over what they share
(score_screen).

Both are given the store the app holds and read it as a ScoreReader on the app's store
thread; their tables are the specs `quiz scores` and `quiz report` print
(quiz.tables), so the columns, words and numbers are the same. Every name and text
from the store is shown literally, without control characters.
"""

from __future__ import annotations

from quiz.ui.screens.all_staff import NOTICE, AllStaffScreen, question_detail
from quiz.ui.screens.my_scores import MyScoresScreen, sparkline
from quiz.ui.screens.score_screen import LOADING, ScoresScreen

__all__ = [
    "LOADING",
    "NOTICE",
    "AllStaffScreen",
    "MyScoresScreen",
    "ScoresScreen",
    "question_detail",
    "sparkline",
]
