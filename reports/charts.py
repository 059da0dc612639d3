"""Charts drawn by the server as inline SVG: the same drawing on the page and in the PDF.

WeasyPrint lays SVG text out one character at a time, which breaks Thai clusters apart; the
charts therefore carry only digits (numbers, scores, the axis), and their words stay in the
HTML around them (caption, table). Geometry is computed here; the templates only draw it.
"""

from dataclasses import dataclass
from decimal import Decimal

# The drawing's own units (its viewBox); it is scaled to the width of the page.
WIDTH, HEIGHT = 600, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 12, 52
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
TICKS = range(0, 101, 20)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    centre: float
    label: str  # under the axis: the indicator's number
    value: str  # under the number: the score (over the bar it would cross the line)
    below: bool  # under the line


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class BarChart:
    width: int
    height: int
    left: int
    right: int  # the x of the plot's right edge
    bottom: float  # the y of the axis
    label_y: float  # the baseline of the numbers under the bars
    value_y: float  # the baseline of the scores under them
    bars: list[Bar]
    ticks: list[Tick]
    line_y: float
    line_label: str


@dataclass
class Meter:
    """A percentage drawn as a bar (0–100)."""

    percent: int
    label: str


def _y(score) -> float:
    return round(TOP + PLOT_HEIGHT * (1 - float(score) / 100), 2)


def score_chart(scores: list[tuple[str, Decimal, str]], *, line: Decimal, write) -> BarChart:
    """Bars of (label, score, score as written), on 0–100, with a line at ``line``."""
    slot = PLOT_WIDTH / max(len(scores), 1)
    width = min(slot * 0.6, 40)
    bars = []
    for index, (label, score, value) in enumerate(scores):
        centre = LEFT + slot * (index + 0.5)
        y = _y(score)
        bars.append(
            Bar(
                x=round(centre - width / 2, 2),
                y=y,
                width=round(width, 2),
                height=round(TOP + PLOT_HEIGHT - y, 2),
                centre=round(centre, 2),
                label=label,
                value=value,
                below=score < line,
            )
        )
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=LEFT + PLOT_WIDTH,
        bottom=TOP + PLOT_HEIGHT,
        label_y=TOP + PLOT_HEIGHT + 20,
        value_y=TOP + PLOT_HEIGHT + 40,
        bars=bars,
        ticks=[Tick(_y(tick), write(tick)) for tick in TICKS],
        line_y=_y(line),
        line_label=write(line),
    )
