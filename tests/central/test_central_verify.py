"""Verification codes through the central store: a terminal's exams keep their codes
when sent, and `quiz verify --db postgresql://…` checks them in the mirror (the record
there, with the clinic the server records and the terminal's UTC offset, still gives
each code)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.central.test_central_mirror_cli import terminal
from tests.support.central import Central
from tests.support.cli import run_cli


def test_codes_sent_to_the_central_store_verify_there(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lisbon = terminal(central, tmp_path, "lisbon", ["Ana Ruiz", "Ben Ode"])
    with sqlite3.connect(lisbon) as connection:
        codes = [
            str(code)
            for (code,) in connection.execute(
                "SELECT verify_code FROM attempt WHERE mode = 'exam' ORDER BY started_at"
            )
        ]
    assert len(codes) == 2 and all(code.startswith("QZ-") for code in codes)
    url = central.url(central.manager("lisbon"))
    status, out, err = run_cli(["verify", "--store", "--db", url], capsys)
    assert status == 0, out + err
    assert "2 finished exams checked" in out and "2 match their code, 0 changed" in out
    status, out, err = run_cli(["verify", codes[0].lower(), "--db", url], capsys)
    assert status == 0, out + err
    assert out.startswith(f"{codes[0]}: verified.") and "Clinic:              lisbon" in out
