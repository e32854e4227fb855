"""The HTML report's stylesheet: its one home, the heat levels' colours put in from
quiz.tables.heat (the app's too), and the rules for print (A4, black and white).

The page (quiz.tables.html_report) inlines it: the page loads nothing.
"""

from __future__ import annotations

from quiz.tables.heat import Heat

STYLE = """
:root { color-scheme: light; }
body { font: 14px/1.4 system-ui, "DejaVu Sans", sans-serif; color: #111; background: #fff;
  max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 22px 0 4px; border-bottom: 2px solid #111; }
p.note { color: #333; margin: 2px 0 8px; max-width: 80ch; }
table { border-collapse: collapse; margin: 4px 0 8px; }
th, td { border: 1px solid #888; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eee; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.heat td.cell { text-align: center; white-space: nowrap; font-variant-numeric: tabular-nums;
  min-width: 4.5em; }
table.heat th.section { font-size: 12px; max-width: 9em; }
td.weak, .legend .weak { font-weight: 700; }
td.none { background: #fff; color: #666; }
.glyph { display: inline-block; width: 1.1em; }
.legend span { display: inline-block; border: 1px solid #888; padding: 0 6px; margin-right: 6px; }
.scroll { overflow-x: auto; }
figure { margin: 6px 0 10px; }
figcaption { font-size: 12px; color: #333; max-width: 80ch; }
svg { font-family: system-ui, "DejaVu Sans", sans-serif; max-width: 100%; height: auto; }
td.exam { white-space: nowrap; }
svg text { fill: #111; }
svg .axis { stroke: #111; stroke-width: 1; }
svg .grid { stroke: #bbb; stroke-width: 1; stroke-dasharray: 3 3; }
svg .point { fill: #fff; stroke: #1f5fa8; stroke-width: 1.5; }
svg .flagged { fill: #b3261e; stroke: #111; stroke-width: 1; }
svg .learner-flagged { fill: #e8a33d; stroke: #111; stroke-width: 1; }
svg .leader { stroke: #666; stroke-width: 0.75; }
svg .leech { fill: none; stroke: #111; stroke-width: 1.5; stroke-dasharray: 2 2; }
svg .bar { fill: #7aa6d8; stroke: #111; stroke-width: 1; }
svg .rate { fill: none; stroke: #111; stroke-width: 2; }
svg .rate-dot { fill: #111; }
.bar-share { display: inline-block; height: 10px; background: #555; vertical-align: middle; }
.bar-frame { display: inline-block; width: 120px; height: 10px; border: 1px solid #111;
  vertical-align: middle; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  .scroll { overflow: visible; }
  td.weak, .legend .weak { background: #c8c8c8; }
  td.pass, .legend .pass { background: #fff; }
  td.strong, .legend .strong { background: #ececec; }
  svg .point { stroke: #111; }
  svg .flagged { fill: #111; }
  svg .learner-flagged { fill: #888; }
  svg .bar { fill: #d0d0d0; }
}
"""


def stylesheet() -> str:
    """STYLE, with each heat level's background (quiz.tables.heat: the app's too)."""
    heat = "".join(
        f"td.{h.css}, .legend .{h.css} {{ background: {h.colour}; }}\n" for h in Heat if h.colour
    )
    # The print rules come last in STYLE, so they still win over these.
    at = STYLE.index("@media print")
    return STYLE[:at] + heat + STYLE[at:]
