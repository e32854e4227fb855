"""The layers stay apart: checked by importing each headless module in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.support.paths import REPO

PACKAGE = REPO / "quiz"


def _modules(subpackage: str) -> list[str]:
    folder = PACKAGE / subpackage
    return sorted(
        "quiz." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for p in folder.rglob("*.py")
    )


def _imported_in_fresh_python(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(result.stdout.split())


@pytest.mark.parametrize("module", _modules("domain"))
def test_domain_imports_no_ui_and_no_sqlite(module: str) -> None:
    loaded = _imported_in_fresh_python(module)
    assert not {"textual", "rich", "sqlite3", "quiz.ui", "quiz.storage"} & loaded


@pytest.mark.parametrize("module", _modules("storage"))
def test_storage_imports_no_ui(module: str) -> None:
    loaded = _imported_in_fresh_python(module)
    assert not {"textual", "rich", "quiz.ui"} & loaded


@pytest.mark.parametrize("module", _modules("tables"))
def test_tables_import_no_ui(module: str) -> None:
    """The report's tables and its HTML page (quiz.tables.html_report) are headless."""
    loaded = _imported_in_fresh_python(module)
    assert not {"textual", "rich", "quiz.ui"} & loaded


def test_the_cli_does_not_import_textual_until_it_opens_the_app() -> None:
    loaded = _imported_in_fresh_python("quiz.cli")
    assert "textual" not in loaded and "quiz.ui" not in loaded


def test_only_the_ui_package_mentions_textual_or_rich() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in {"textual", "rich"}:
                    offenders.append(f"{path}: {name}")
                if top == "sqlite3" and "storage" not in path.relative_to(PACKAGE).parts:
                    offenders.append(f"{path}: {name}")
    assert offenders == []


def test_building_the_command_line_imports_no_yaml_sqlite_or_textual() -> None:
    code = "import sys, quiz.cli; quiz.cli.build_parser(); print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(result.stdout.split())
    assert not {"yaml", "sqlite3", "textual", "quiz.domain.loader"} & loaded


def test_opening_the_app_configures_no_command() -> None:
    code = "import sys, quiz.cli; quiz.cli.build_parser([]); print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(result.stdout.split())
    assert not {m for m in loaded if m.startswith("quiz.commands.")}


PDF_LIBRARIES = ("fpdf", "fontTools", "PIL")
"""fpdf2 and what it loads: only quiz.tables.certificate_pdf imports them, when a
certificate is written (quiz certificate, the Results screen's key)."""


def test_only_the_certificate_writer_imports_fpdf() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).as_posix() == "tables/certificate_pdf.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path}: {n}" for n in names if n.split(".")[0] in PDF_LIBRARIES]
    assert offenders == []


@pytest.mark.parametrize(
    "code",
    [
        # the app's first screen: the command line parsed, the app and its screens
        "import quiz.cli; quiz.cli.build_parser([]); import quiz.ui.app, quiz.ui.screens.results",
        # every command configured (quiz certificate's module among them)
        "import quiz.cli; quiz.cli.build_parser()",
        # the report, as text and as its HTML page
        "import quiz.commands.report, quiz.tables.html_report, quiz.tables.certified",
    ],
    ids=["first-screen", "all-commands", "report"],
)
def test_fpdf_is_not_imported_on_the_first_screen_or_report_paths(code: str) -> None:
    script = f"import sys; {code}; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = {name.split(".")[0] for name in result.stdout.split()}
    assert not set(PDF_LIBRARIES) & loaded
    assert "quiz.tables.certificate_pdf" not in result.stdout.split()
