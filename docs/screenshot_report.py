"""Screenshots of `quiz report --format html` in headless Chromium, for the README.

    python docs/screenshot_report.py [--out-dir DIR] [--store FILE] [--readme]

Builds the demo store (docs/demo_store.py: several learners' rounds of the bundled
course) in a temporary folder unless `--store` names one, writes the HTML report with
`quiz report --format html --out`, and takes with Debian's Chromium (installed with
apt-get when missing and run as root):

- `report-desktop.png`: the page at 1280 px wide, as on a screen;
- `report-a4.png`: the page at A4 width (794 px at 96 dpi), as on a screen;
- `report-print.pdf`: the page printed (its print stylesheet, A4), and, when pdftoppm
  is there, `report-print-N.png`: its pages in grey, as a black-and-white printer
  would give them.

They go to `--out-dir` (default `benchmarks/.work/screenshots/`, not committed);
`--readme` also copies the desktop one to `docs/report.png`, the README's picture.

Not part of the tests. Chromium runs with --headless --no-sandbox (as root) and without
background networking: the page loads nothing, and nothing else is fetched either.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = (1280, 1650)  # the top of the page: heat table, shares, months, scatter
A4 = (794, 3200)  # A4 is 794 px wide at 96 dpi; tall enough for the whole page
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--virtual-time-budget=3000",  # the page is laid out and painted before the shot
)


def chromium() -> str:
    """The Chromium binary, installed from Debian's packages if it is missing."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() != 0:
        sys.exit("chromium is not installed: as root, `apt-get install chromium`, then run again")
    print("installing chromium with apt-get ...", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, check=True)
        subprocess.run(install, env=env, check=True)
    found = shutil.which("chromium")
    if not found:
        sys.exit("chromium was installed but is not on PATH")
    return found


def write_page(store: Path, page: Path, home: Path) -> None:
    """`quiz report --format html --out page` on `store` (HOME kept apart)."""
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    command = [sys.executable, "-m", "quiz", "--db", str(store), "report", "--format", "html"]
    subprocess.run([*command, "--out", str(page)], cwd=ROOT, env=env, check=True)


def shoot(browser: str, page: Path, out: Path, size: tuple[int, int], profile: Path) -> None:
    width, height = size
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
    )


def print_pdf(browser: str, page: Path, out: Path, profile: Path) -> None:
    subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out-dir", type=Path, default=ROOT / "benchmarks" / ".work" / "screenshots"
    )
    parser.add_argument("--store", type=Path, help="a score store (default: the demo store)")
    parser.add_argument(
        "--readme", action="store_true", help="copy the desktop shot to docs/report.png"
    )
    args = parser.parse_args()
    browser = chromium()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="quiz-shots-") as scratch:
        work = Path(scratch)
        store = args.store
        if store is None:
            sys.path.insert(0, str(ROOT / "docs"))
            from demo_store import build

            store = work / "demo.sqlite3"
            build(store)
        page = work / "report.html"
        write_page(store, page, work / "home")
        shutil.copy(page, args.out_dir / "report.html")
        profile = work / "chromium"
        shoot(browser, page, args.out_dir / "report-desktop.png", DESKTOP, profile)
        shoot(browser, page, args.out_dir / "report-a4.png", A4, profile)
        pdf = args.out_dir / "report-print.pdf"
        print_pdf(browser, page, pdf, profile)
        if shutil.which("pdftoppm"):
            prefix = args.out_dir / "report-print"
            subprocess.run(
                ["pdftoppm", "-png", "-gray", "-r", "70", str(pdf), str(prefix)], check=True
            )
    for name in sorted(p.name for p in args.out_dir.glob("report*")):
        print(args.out_dir / name)
    if args.readme:
        shutil.copy(args.out_dir / "report-desktop.png", ROOT / "docs" / "report.png")
        print(ROOT / "docs" / "report.png")


if __name__ == "__main__":
    main()
