"""Attempt rows: read back as `AttemptSummary` and `AttemptDetail` (`reading`: the SQL of
`quiz scores`, My scores, a review and an export, and the one INSERT of an answer), and
streamed as the export, `quiz scores --format json` (`export`: one attempt's JSON text
at a time, byte for byte what `json_text(detail.to_export_dict())` gives, its pieces
written by `json_parts`).
"""

from quiz.storage.attempt_rows.export import export_texts
from quiz.storage.attempt_rows.reading import INSERT_ANSWER, find_detail, list_attempts

__all__ = ["INSERT_ANSWER", "export_texts", "find_detail", "list_attempts"]
