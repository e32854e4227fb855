"""Checking hand-written YAML: problems with their line and column, collected, not raised.

Each check appends `Problem`s (with the line and column of the offending value) and
returns what could be built, so that one run reports every problem. The course rules
(quiz.domain.course_rules), the question rules (quiz.domain.question_rules) and each
question kind's own rules (quiz.domain.kinds) read their fields through a `Checker`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from quiz.domain.model import Problem, Severity
from quiz.domain.text import find_control
from quiz.domain.yamlsafe import Node

FORMAT = 2  # the newest format this version reads (it reads every one before it too)
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Place:
    """Where something is written: a line and a column, 1-based."""

    line: int
    column: int


class Checker:
    """Problem-collecting helpers for one file (question kinds check their fields with it)."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def add(
        self,
        node: Node | None,
        message: str,
        *,
        line: int = 0,
        column: int = 0,
        severity: Severity = Severity.ERROR,
    ) -> None:
        if node is not None and not line:
            line, column = node.line, node.column
        self.problems.append(Problem(self.path, line or 1, column or 1, message, severity))

    def warn(self, node: Node | None, message: str) -> None:
        self.add(node, message, severity=Severity.WARNING)

    def format_2_only(
        self,
        mapping: Node,
        found: dict[str, Node],
        names: tuple[str, ...],
        file_format: int,
        where: str,
    ) -> None:
        """Refuse (and drop) the format-2 fields `names` in a format-1 file."""
        if file_format >= 2:
            return
        for name in [n for n in names if n in found]:
            entry = mapping.value[name]
            self.add(
                None,
                f"{name!r} is new in format 2: write `format: 2` at the top of {where} to use it",
                line=entry.key_line,
                column=entry.key_column,
            )
            del found[name]

    def fields(self, node: Node, spec: Mapping[str, bool], what: str) -> dict[str, Node] | None:
        """The entries of mapping `node`, after reporting unknown and missing fields."""
        if node.kind != "mapping":
            self.add(node, f"{what} must be a mapping of `field: value` lines")
            return None
        found: dict[str, Node] = {}
        for key, entry in node.value.items():
            if key not in spec:
                close = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
                hint = (
                    f"did you mean {close[0]!r}?" if close else "known fields: " + ", ".join(spec)
                )
                self.add(
                    None,
                    f"unknown field {key!r} in {what}: {hint}",
                    line=entry.key_line,
                    column=entry.key_column,
                )
                continue
            found[key] = entry.node
        for name, required in spec.items():
            if required and (name not in found or found[name].value is None):
                where = found.get(name) or node
                self.add(where, f"{what} is missing {name!r}: add `{name}: ...`")
        return found

    def file_fields(
        self, node: Node, spec: Mapping[str, bool], what: str
    ) -> tuple[dict[str, Node], int] | None:
        """The fields of a whole file (`fields`) and its format (`file_format`); None
        when the file cannot be read further."""
        found = self.fields(node, spec, what)
        if found is None:
            return None
        file_format = self.file_format(found.get("format"))
        if file_format is None:
            return None
        return found, file_format

    def text(self, node: Node | None, name: str, *, required: bool = True) -> str | None:
        """A text field: a scalar, not empty, without control characters."""
        if node is None or node.value is None:
            return None  # missing: reported by fields()
        if node.kind != "scalar":
            self.add(node, f"{name!r} must be text, not a {node.kind}")
            return None
        value: str = node.value
        if required and not value.strip():
            self.add(node, f"{name!r} is empty: write the text")
            return None
        self.no_control(node, value, name)
        return value

    def no_control(self, node: Node, value: str, name: str) -> None:
        index = find_control(value)
        if index is not None:
            self.add(
                node,
                f"{name!r} holds a control character (U+{ord(value[index]):04X}) at character "
                f"{index + 1}: remove it; terminal escape sequences are not allowed in text",
            )

    def integer(self, node: Node | None, name: str, low: int, high: int) -> int | None:
        if node is None or node.value is None:
            return None
        if node.kind != "scalar" or not re.fullmatch(r"[0-9]+", str(node.value).strip()):
            self.add(node, f"{name!r} must be a whole number from {low} to {high}")
            return None
        number = int(node.value)
        if not low <= number <= high:
            self.add(node, f"{name!r} is {number}: it must be from {low} to {high}")
            return None
        return number

    def boolean(self, node: Node | None, name: str) -> bool | None:
        if node is None or node.value is None:
            return None
        if node.kind == "scalar" and node.value in ("true", "false"):
            return bool(node.value == "true")
        self.add(node, f"{name!r} must be true or false")
        return None

    def text_list(self, node: Node | None, name: str) -> list[tuple[str, Node]] | None:
        if node is None or node.value is None:
            return None
        if node.kind != "sequence":
            self.add(node, f"{name!r} must be a list, like [first, second]")
            return None
        items: list[tuple[str, Node]] = []
        for item in node.value:
            value = self.text(item, name)
            if value is not None:
                items.append((value, item))
        return items

    def file_format(self, node: Node | None) -> int | None:
        """The file's format number; None when this version cannot read it."""
        if node is None or node.value is None:
            return 1  # missing: reported by fields()
        text = str(node.value).strip() if node.kind == "scalar" else ""
        readable = "formats 1 and 2" if FORMAT == 2 else f"formats 1 to {FORMAT}"
        if not re.fullmatch(r"[0-9]+", text):
            self.add(node, f"'format' must be a whole number (this version reads {readable})")
            return None
        number = int(text)
        if number > FORMAT:
            self.add(
                node,
                f"made for a newer version of quiz (format {number}); this version reads "
                f"{readable}: update quiz to use this file",
            )
            return None
        if number < 1:
            self.add(node, f"format {number} does not exist: write `format: {FORMAT}`")
            return None
        return number
