"""A plain, non-editable install finds the bundled course from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.support.paths import REPO


@pytest.mark.slow
def test_installed_wheel_runs_quiz_check_from_another_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("quiz-*.whl")
    env_dir = tmp_path / "venv"
    # The test venv sees this interpreter's packages (textual, pyyaml...), so the
    # install needs no network; the wheel itself is installed without dependencies.
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("QUIZ_QUESTIONS", "PYTHONPATH")}
    result = subprocess.run(
        [str(env_dir / "bin" / "quiz"), "check"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "_bundled_questions" in result.stdout
    assert "drugs-pregnancy" in result.stdout
    tcss = subprocess.run(
        [
            str(python),
            "-c",
            "import quiz, pathlib; root = pathlib.Path(quiz.__file__).parent; "
            "print(*sorted(p.relative_to(root).as_posix() for p in root.rglob('*.tcss')))",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    # Every stylesheet (the app's, each screen's CSS_PATH) is in the wheel.
    package = REPO / "quiz"
    shipped = sorted(p.relative_to(package).as_posix() for p in package.rglob("*.tcss"))
    assert "ui/app.tcss" in shipped and "ui/screens/home.tcss" in shipped
    assert tcss.stdout.split() == shipped
    # The central store's SQL migrations (package data) are in the wheel.
    sql = subprocess.run(
        [
            str(python),
            "-c",
            "from quiz.storage.central import migrations; "
            "print(*[m.name for m in migrations.migrations()])",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    shipped_sql = sorted(p.name for p in (package / "storage" / "central" / "sql").glob("*.sql"))
    assert shipped_sql and sql.stdout.split() == shipped_sql
    # The certificate's fonts and their licence (package data) are in the wheel.
    fonts = subprocess.run(
        [
            str(python),
            "-c",
            "from quiz.tables import certificate_pdf as c; "
            "files = (c.REGULAR_FONT, c.BOLD_FONT, c.FONT_DIR / 'LICENSE-DejaVu.txt'); "
            "print(*[p.name for p in files if p.is_file() and 'site-packages' in str(p)])",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert fonts.stdout.split() == ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"]
