"""Toggles show their state in the glyph, so it survives NO_COLOR and monochrome terminals."""

from __future__ import annotations

import html
import re

from tests.ui.helpers import build_app


def _screen_text(svg: str) -> list[str]:
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ").splitlines()


async def test_an_unchosen_section_and_radio_show_a_blank_mark() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "space")  # the sections list: turn the first one off
        await pilot.pause()
        lines = _screen_text(app.export_screenshot())
        swelling = next(line for line in lines if "Swelling (" in line)
        medicines = next(line for line in lines if "Medicines (" in line)
        assert "X" not in swelling.split("Swelling")[0]
        assert "X" in medicines.split("Medicines")[0]
        practice = next(line for line in lines if "Practice:" in line)
        exam = next(line for line in lines if "Exam:" in line)
        assert "●" in practice and "●" not in exam
