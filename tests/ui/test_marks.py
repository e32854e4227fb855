"""Toggles show their state in the glyph, so it survives NO_COLOR and monochrome terminals."""

from __future__ import annotations

import html
import re

from quiz.ui.screens.home import HomeScreen
from tests.support.app import build_app
from tests.support.waiting import shown, wait_for


def _screen_text(svg: str) -> list[str]:
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ").splitlines()


async def test_an_unchosen_section_and_radio_show_a_blank_mark() -> None:
    app = build_app()

    def swelling_mark() -> str | None:
        """What is drawn before "Swelling" on its line (None until the list is drawn)."""
        lines = _screen_text(app.export_screenshot())
        line = next((line for line in lines if "Swelling (" in line), None)
        return None if line is None else line.split("Swelling")[0]

    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, HomeScreen)
        await wait_for(pilot, lambda: "X" in (swelling_mark() or ""), what="Swelling drawn chosen")
        await pilot.press("tab", "space")  # the sections list: turn the first one off
        await wait_for(
            pilot, lambda: "X" not in (swelling_mark() or "X"), what="Swelling drawn unchosen"
        )
        lines = _screen_text(app.export_screenshot())
        swelling = next(line for line in lines if "Swelling (" in line)
        medicines = next(line for line in lines if "Medicines (" in line)
        assert "X" not in swelling.split("Swelling")[0]
        assert "X" in medicines.split("Medicines")[0]
        practice = next(line for line in lines if "Practice:" in line)
        exam = next(line for line in lines if "Exam:" in line)
        assert "●" in practice and "●" not in exam
