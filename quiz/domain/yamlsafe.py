"""Strict, bounded YAML reading for files written by hand and shared between clinics.

The file is parsed into events (libyaml's C parser when present, PyYAML's pure
parser otherwise) and built into `Node`s here, so that:

- nothing is built before the guards run: size, UTF-8, anchors and aliases
  (an alias bomb), tags, several documents and deep nesting are refused as the
  events arrive, in time and memory bounded by the file's size;
- every scalar stays the text its author wrote (no YAML 1.1 `no` -> False,
  `1.10` -> 1.1, `010` -> 8); callers convert numbers and booleans explicitly;
- duplicate keys are reported, naming both lines;
- every node keeps its line and column for messages.

No loader that can construct Python objects is ever used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml import events

try:  # libyaml's parser is about 10x faster; without it the pure parser does the same job
    from yaml._yaml import CParser as _Parser

    LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

    LIBYAML = False

MAX_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 12


@dataclass(slots=True)
class Node:
    """A YAML value with where it starts (1-based line and column)."""

    value: Any  # str | None for scalars, list[Node] for sequences, dict[str, Entry] for mappings
    line: int
    column: int
    kind: str  # "scalar" | "sequence" | "mapping"
    quoted: bool = False  # a quoted or block scalar, as opposed to a plain one


@dataclass(slots=True)
class Entry:
    """A mapping entry: the key's position and the value node."""

    key_line: int
    key_column: int
    node: Node


@dataclass(frozen=True)
class YamlIssue:
    line: int
    column: int
    message: str


class YamlRefused(Exception):
    """The file cannot be read at all; `issues` says where and why."""

    def __init__(self, issues: list[YamlIssue]) -> None:
        super().__init__(issues[0].message if issues else "unreadable YAML")
        self.issues = issues


def decode(data: bytes) -> str:
    """UTF-8 text of `data` (a leading BOM is fine); refuses invalid UTF-8 with line and column."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        raise YamlRefused(
            [
                YamlIssue(
                    line,
                    column,
                    f"this file is not valid UTF-8 (byte 0x{data[error.start]:02x}): "
                    "save it as UTF-8 in your editor",
                )
            ]
        ) from None


def _syntax_issue(error: yaml.YAMLError) -> YamlIssue:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    if "cannot start any token" in problem or "found character '\\t'" in problem:
        message = "a tab character here: YAML indents with spaces only; replace the tab with spaces"
    elif "maximum nesting depth" in problem:
        message = (
            f"nested more than {MAX_DEPTH} levels deep: a bank needs only a few levels; "
            "check the brackets and indentation"
        )
    elif "control characters are not allowed" in problem:
        message = "a control character in the file: remove it (only text, tabs and newlines)"
    else:
        detail = f"{context}, {problem}" if context else problem
        message = f"YAML syntax error: {detail}; check the indentation and quoting here"
    return YamlIssue(line, column, message)


def parse(text: str) -> Node | None:
    """Build the single document of `text` into Nodes; None for an empty file.

    Raises YamlRefused with the problems that stop the file from being read.
    """
    parser = _Parser(text)
    try:
        return _build(parser)
    except yaml.YAMLError as error:
        raise YamlRefused([_syntax_issue(error)]) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _refuse(event: Any, message: str) -> YamlRefused:
    mark = event.start_mark
    return YamlRefused([YamlIssue(mark.line + 1, mark.column + 1, message)])


def _build(parser: Any) -> Node | None:
    get_event = parser.get_event
    root: Node | None = None
    # Each open collection: [node, pending key (for mappings) or None]
    stack: list[list[Any]] = []
    documents = 0
    scalar_event = events.ScalarEvent
    mapping_start = events.MappingStartEvent
    sequence_start = events.SequenceStartEvent
    collection_end = events.CollectionEndEvent

    def attach(node: Node, event: events.Event) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        top = stack[-1]
        parent = top[0]
        if parent.kind == "sequence":
            parent.value.append(node)
            return
        pending = top[1]
        if pending is None:
            if node.kind != "scalar":
                raise _refuse(
                    event,
                    "a mapping key must be plain text: write `name: value` with a simple name",
                )
            top[1] = node
            return
        key = pending.value if pending.value is not None else ""
        existing = parent.value.get(key)
        if existing is not None:
            raise YamlRefused(
                [
                    YamlIssue(
                        pending.line,
                        pending.column,
                        f"duplicate key {key!r}: it is already set on line {existing.key_line}; "
                        "keep one of them (YAML would silently use the last)",
                    )
                ]
            )
        parent.value[key] = Entry(pending.line, pending.column, node)
        top[1] = None

    while True:
        event = get_event()
        if event is None:  # pragma: no cover - the stream always ends with StreamEndEvent
            break
        event_type = type(event)
        if event_type is scalar_event:
            if event.anchor is not None:
                raise _refuse(event, _ANCHOR_MESSAGE)
            if event.tag is not None and event.tag != "!":
                raise _refuse(event, _TAG_MESSAGE.format(tag=_short_tag(event.tag)))
            mark = event.start_mark
            plain = not event.style
            value = event.value
            attach(
                Node(
                    None if plain and value in ("", "~", "null", "Null", "NULL") else value,
                    mark.line + 1,
                    mark.column + 1,
                    "scalar",
                    not plain,
                ),
                event,
            )
        elif event_type is mapping_start or event_type is sequence_start:
            if event.anchor is not None:
                raise _refuse(event, _ANCHOR_MESSAGE)
            if event.tag is not None:
                raise _refuse(event, _TAG_MESSAGE.format(tag=_short_tag(event.tag)))
            if len(stack) >= MAX_DEPTH:
                raise _refuse(
                    event,
                    f"nested more than {MAX_DEPTH} levels deep: a bank needs only a few levels; "
                    "check the indentation",
                )
            mark = event.start_mark
            is_mapping = event_type is mapping_start
            node = Node(
                {} if is_mapping else [],
                mark.line + 1,
                mark.column + 1,
                "mapping" if is_mapping else "sequence",
            )
            attach(node, event)
            stack.append([node, None])
        elif isinstance(event, collection_end):
            stack.pop()
        elif event_type is events.AliasEvent:
            raise _refuse(event, _ANCHOR_MESSAGE)
        elif event_type is events.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _refuse(
                    event,
                    "a second YAML document (after `---`): a file holds one bank; "
                    "move the rest to its own file",
                )
        elif event_type is events.StreamEndEvent:
            break
    return root


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


_ANCHOR_MESSAGE = (
    "anchors (&name) and aliases (*name) are not allowed in a bank: write the text out in full"
)
_TAG_MESSAGE = "YAML tags such as {tag} are not allowed: remove the tag and write plain text"
