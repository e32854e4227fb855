"""Moodle's GIFT format, read and written by Moodle's own rules (question/format/gift/
format.php in moodle/moodle), with our fields mapped as the README says.

Reading, as Moodle reads:

- questions are blocks of lines separated by blank lines (a line of only `0` ends one
  too: PHP's `empty("0")`); each line is trimmed; a line starting with `//` is a
  comment, where `[id:…]` and `[tag:…]` are found (`\\]` inside them is `]`);
- the escapes `\\\\ \\: \\# \\= \\{ \\} \\~ \\n` stand for the character (`\\n`: a new line);
  any other backslash is kept;
- `$CATEGORY: path` switches the category; `::name::` names the question;
- the answers are between the first `{` and the first `}`; with no braces the block is
  a description; `####` (the last) starts the general feedback;
- `[plain]`, `[html]`, `[moodle]` or `[markdown]` at the start of a text is its format;
- the type: `{}` essay, `{#…}` numerical, a `~` multiple choice (one answer per `=` or
  `~`, `%weight%` after `~`, `#feedback` after each; with no `=` several may be right),
  `=` with `->` matching, `T`/`TRUE`/`F`/`FALSE` true/false (`#wrong feedback#right
  feedback`), else short answer (`=a =b`, `%weight%` after `=`, `*` a wildcard).

Writing, as Moodle's writer does (escapes, `[plain]` on the question text, `~%w%` for
weights, `####` for the general feedback, a blank line after each question), with our
fields: the id as `::id::` and `[id:…]`, the section as `$CATEGORY:`, the explanation
as the general feedback followed by a `Source: "…"` line, the quote also as a
`// quiz-source:` comment (exact; Moodle drops comments), critical, difficulty, fact
and tags as `[tag:…]` (ours namespaced), a multiple question's right choices as equal
weights from Moodle's fixed list and its wrong ones as `~%-100%` (all-or-nothing, the
nearest Moodle has).

Input is untrusted: every step is a linear scan (no regular expression that can
backtrack), and every problem has its line and column.

Its parts: `syntax` (lines, blocks, escapes, formats, weights: the text rules both
directions share), `reading` (`read_gift`) and `writing` (`write_gift`).
"""
