"""psycopg is imported only by quiz.storage.central's modules, and only inside their
functions: the command line, the app and the store never load it unless a central
store is used."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.support.paths import REPO

PACKAGE = REPO / "quiz"
CENTRAL = PACKAGE / "storage" / "central"


def test_only_the_central_package_mentions_psycopg() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "psycopg" for n in names) and CENTRAL not in path.parents:
                offenders.append(str(path))
    assert offenders == []


def test_importing_the_central_modules_and_the_command_loads_no_psycopg() -> None:
    modules = sorted(
        "quiz." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for p in CENTRAL.rglob("*.py")
    )
    modules += ["quiz.commands.central", "quiz.commands.sync", "quiz.storage.outbox", "quiz.cli"]
    modules += ["quiz.commands", "quiz.ui.app", "quiz.ui.run"]  # the first screen's path
    code = (
        f"import sys, importlib; [importlib.import_module(m) for m in {modules!r}]; "
        "import quiz.cli; quiz.cli.build_parser(); "
        "print(any(m.split('.')[0] == 'psycopg' for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_the_sql_files_are_package_data() -> None:
    files = sorted(p.name for p in (CENTRAL / "sql").glob("*.sql"))
    assert files and files[0].startswith("0001_")
