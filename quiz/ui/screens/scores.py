"""My scores (the learner's own attempts, a trend per section, and the questions due
for a drill per section) and All staff (the manager's report: staff by section,
questions, sections; and the drill: each learner's due count and leeches): the two
screens the app opens to show scores, one module each (my_scores, all_staff) over what
they share (score_screen).

Both are given the store the app holds and read it on the app's store thread (as a
ScoreReader, and for the drill's cards as a ScoreStoreLike, at the app's clock); their
tables are the specs `quiz scores` and `quiz report` print (quiz.tables), and
quiz.tables.due_counts for the drill, so the columns, words and numbers are the same.
Every name and text from the store is shown literally, without control characters.
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
