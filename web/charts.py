"""The geometry of server-rendered SVG charts; the templates draw it, a table beside it holds the numbers."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

BAR_HEIGHT = 22
LABEL_WIDTH = 180
PLOT_WIDTH = 420


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the reader reads it
    x: float
    y: float
    width: float
    negative: bool


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    zero_x: float
    width: int
    height: int
    label_width: int = LABEL_WIDTH


def bar_chart(values: list[tuple[str, float, str]]) -> BarChart:
    """Horizontal bars around a zero line, for values that may be negative (net hours, settlements)."""
    low = min([0.0] + [v for _, v, _ in values])
    high = max([0.0] + [v for _, v, _ in values])
    span = (high - low) or 1.0
    scale = PLOT_WIDTH / span
    zero = LABEL_WIDTH + (-low) * scale
    bars = [
        Bar(label, v, shown, zero + min(v, 0) * scale, i * BAR_HEIGHT, abs(v) * scale, v < 0)
        for i, (label, v, shown) in enumerate(values)
    ]
    return BarChart(bars, zero, LABEL_WIDTH + PLOT_WIDTH + 80, max(1, len(bars)) * BAR_HEIGHT + 4)


@dataclass(frozen=True)
class Line:
    points: str  # "x,y x,y …" for a polyline
    label: str


@dataclass(frozen=True)
class LineChart:
    lines: list[Line]
    limit_y: float | None  # a horizontal limit (a budget), if any
    width: int
    height: int
    ticks: list[tuple[float, str]]  # x and label of the week ticks


def line_chart(series: list[tuple[str, list[float]]], limit: float | None, labels: list[str],
               width: int = 640, height: int = 240) -> LineChart:
    """Lines over the same x steps (weeks) with an optional horizontal limit; y from 0 at the bottom."""
    steps = max([len(v) for _, v in series] + [1])
    top = max([limit or 0.0] + [max(v, default=0.0) for _, v in series]) or 1.0
    left, bottom = 40.0, height - 24.0

    def x(i: int) -> float:
        return left + (width - left - 10) * (i / max(steps - 1, 1))

    def y(value: float) -> float:
        return bottom - (bottom - 10) * (value / top)

    lines = [Line(" ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values)), name)
             for name, values in series if values]
    every = max(1, steps // 8)
    ticks = [(x(i), labels[i]) for i in range(0, min(steps, len(labels)), every)]
    return LineChart(lines, y(limit) if limit is not None else None, width, height, ticks)


CELL_WIDTH = 52
CELL_HEIGHT = 24
HEAT_TOP = 34  # room for the year and week labels above the cells


@dataclass(frozen=True)
class HeatCell:
    x: int
    y: int
    text: str  # the numbers printed in the cell
    band: str  # its colour class
    title: str  # what a pointer over it says in full


@dataclass(frozen=True)
class HeatRow:
    label: str
    href: str  # where a click on the label goes
    y: int
    cells: list[HeatCell]

    def cells_svg(self, width: int, height: int) -> Markup:
        """The row's cells as SVG, drawn here rather than in the template: a large pool has thousands, and a
        template expression per attribute was most of the page's time. Only the texts need escaping."""
        return Markup("").join(
            Markup('<g><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" class="heat-cell %s"/>'
                   '<text x="%d" y="%d" text-anchor="middle" class="heat-value %s">%s</text></g>')
            % (c.title, c.x, c.y, width - 1, height - 1, c.band, c.x + width // 2, c.y + 16, c.band, c.text)
            for c in self.cells)


@dataclass(frozen=True)
class HeatColumn:
    x: int  # the centre
    label: str
    over: str  # a label above it (the year where it starts), or ""


@dataclass(frozen=True)
class Heatmap:
    rows: list[HeatRow]
    columns: list[HeatColumn]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    cell_width: int = CELL_WIDTH
    cell_height: int = CELL_HEIGHT


def heatmap(rows: list[tuple[str, str, list[tuple[str, str, str]]]], columns: list[tuple[str, str]]) -> Heatmap:
    """A grid of coloured cells with their numbers in them: rows of (label, link, cells of (text, band,
    title)), columns of (label, label above it or "")."""
    cols = [HeatColumn(LABEL_WIDTH + i * CELL_WIDTH + CELL_WIDTH // 2, label, over)
            for i, (label, over) in enumerate(columns)]
    out = []
    for r, (label, href, cells) in enumerate(rows):
        y = HEAT_TOP + r * CELL_HEIGHT
        out.append(HeatRow(label, href, y, [HeatCell(LABEL_WIDTH + i * CELL_WIDTH, y, text, band, title)
                                            for i, (text, band, title) in enumerate(cells)]))
    return Heatmap(out, cols, LABEL_WIDTH + len(columns) * CELL_WIDTH + 4, HEAT_TOP + len(rows) * CELL_HEIGHT + 4)
