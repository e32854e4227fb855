"""Reading a file written by `quiz scores --format json` back, for `quiz import`.

Every problem is an ImportFileError naming the file, the attempt and the field, so
`quiz import` can say exactly what is wrong. Nothing here touches the store.

`read_export_file` checks the whole file before anything is imported (a file with a
problem adds nothing), in one pass and in bounded memory: the text is read a chunk at
a time and its list parsed an attempt at a time; each attempt is kept in the form the
store writes it (`PreparedAttempt`: stored responses, times in milliseconds, questions
as asked numbered once per file), and the attempts go to a temporary file a batch at a
time (a big file is checked in two parts at once, where a second processor is free).
What it returns is a sequence of AttemptDetails whose slices (`PreparedBatch`) are read
back from there, a batch at a time, for quiz.storage.importing to write; an
AttemptDetail is only made when one is asked for.

A file's `correct`, `percent` and `passed` are not taken on trust: `recompute` gives
the verdict of a finished attempt from its answers, which the import stores.

The parts, each the one home of its concept:
- `json_file`: the file read as JSON a chunk at a time (`read_export_file`);
- `halves`: a big file checked in two parts at once, on two processors;
- `reader`: an attempt's own fields checked (`Reader`), and every attempt of a file
  (`read_export_entries`); `answers`: its answers checked (`AnswerReader`); `fields`:
  one value checked, and `ImportFileError`;
- `records`: `PreparedAttempt` and its fields' order (`attempt_fields`), the questions
  as asked numbered (`QuestionVersions`);
- `batch`: prepared attempts and AttemptDetails made from each other (`PreparedBatch`);
- `spill`: the temporary file (`ExportedAttempts`);
- `verdicts`: `recompute`, and `RecomputedVerdict` (a file that said otherwise).
"""

from quiz.storage.exchange.batch import PreparedBatch
from quiz.storage.exchange.fields import ImportFileError
from quiz.storage.exchange.json_file import read_export_file
from quiz.storage.exchange.reader import read_export_entries
from quiz.storage.exchange.records import PreparedAttempt, question_identity
from quiz.storage.exchange.spill import ExportedAttempts
from quiz.storage.exchange.verdicts import RecomputedVerdict, recompute

__all__ = [
    "ExportedAttempts",
    "ImportFileError",
    "PreparedAttempt",
    "PreparedBatch",
    "RecomputedVerdict",
    "question_identity",
    "read_export_entries",
    "read_export_file",
    "recompute",
]
