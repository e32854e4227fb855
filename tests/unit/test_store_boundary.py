"""The rule of quiz.storage for the UI, kept: quiz.ui (and quiz.tables, which the UI and
the commands share) import no module of the store that loads sqlite3; the modules of
plain data they may import (quiz.storage.SQLITE_FREE) load none.

The store itself is reached through the object the app is given (a ScoreReader for
the scores screens); a store module imported inside a function, when the app opens
the store, is not an import of the module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator

import pytest

from quiz.storage import SQLITE_FREE
from tests.support.paths import REPO

PACKAGE = REPO / "quiz"


def _loaded_in_fresh_python(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(result.stdout.split())


def _module_level_imports(node: ast.AST) -> Iterator[str]:
    """The modules imported when the module of `node` is imported: not in a function,
    not for typing only."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            continue
        if isinstance(child, ast.Import):
            yield from (alias.name for alias in child.names)
        elif isinstance(child, ast.ImportFrom) and child.module:
            yield child.module
        else:
            yield from _module_level_imports(child)


@pytest.mark.parametrize("module", SQLITE_FREE)
def test_the_plain_data_modules_load_no_sqlite(module: str) -> None:
    assert "sqlite3" not in _loaded_in_fresh_python(module)


def test_the_ui_and_the_tables_import_only_the_plain_data_modules_of_the_store() -> None:
    offenders = []
    for folder in ("ui", "tables"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for name in _module_level_imports(tree):
                if name.startswith("quiz.storage.") and name not in SQLITE_FREE:
                    offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert offenders == []


@pytest.mark.parametrize(
    "module", ["quiz.ui.screens.scores", "quiz.tables.report", "quiz.tables.attempts"]
)
def test_the_scores_screens_and_the_tables_load_no_sqlite(module: str) -> None:
    loaded = _loaded_in_fresh_python(module)
    assert "sqlite3" not in loaded
    assert (
        not {m for m in loaded if m.startswith("quiz.storage.")}
        - set(SQLITE_FREE)
        - {
            "quiz.storage.codec"  # quiz.storage.attempts formats times with it; no SQL
        }
    )
