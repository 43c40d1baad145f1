"""Chart geometry for the insights tables: what an SVG template draws (no markup here, so the template escapes
every label). Each chart is drawn in a fixed view box that scales to the page's width."""

from __future__ import annotations

from dataclasses import dataclass, field

from moderation.services.insights.figures import Table

WIDTH = 640
HEIGHT = 220
_LEFT, _BOTTOM, _TOP = 44, 24, 10
_BAR_ROW = 24
_LABEL_W = 220


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    series: int
    title: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass
class Chart:
    """One drawn chart: its view box, shapes and labels, and the series names for the legend."""

    table: Table
    height: int
    rects: list[Rect] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # polyline point lists, one per series
    texts: list[Text] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    width: int = WIDTH


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _nice(top: float) -> float:
    """A round axis maximum at or above `top`."""
    if top <= 0:
        return 1.0
    step = 10 ** (len(str(int(top))) - 1)
    return float(-(-top // step) * step)


def _day_axis(chart: Chart, labels: list[str], plot_w: float) -> None:
    if not labels:
        return
    picks = sorted({0, len(labels) // 2, len(labels) - 1})
    for i in picks:
        x = _LEFT + plot_w * (i + 0.5) / len(labels)
        chart.texts.append(Text(x, HEIGHT - 6, labels[i][5:] if len(labels[i]) == 10 else labels[i], "middle"))


def draw(table: Table) -> Chart:
    """The chart for `table`, by its kind."""
    if table.kind == "bars":
        return _bars(table)
    return _over_days(table)


def _over_days(table: Table) -> Chart:
    chart = Chart(table, HEIGHT, legend=list(table.columns[1:]))
    plot_w, plot_h = WIDTH - _LEFT - 8, HEIGHT - _TOP - _BOTTOM
    n = max(len(table.rows), 1)
    stacked = table.kind == "stacked"
    top = _nice(max((sum(_num(v) for v in r[1:]) if stacked else max((_num(v) for v in r[1:]), default=0))
                    for r in table.rows) if table.rows else 0)
    chart.texts += [Text(_LEFT - 4, _TOP + 4, f"{top:g}", "end"), Text(_LEFT - 4, HEIGHT - _BOTTOM, "0", "end")]
    scale = plot_h / top
    if stacked:
        width = plot_w / n
        for i, row in enumerate(table.rows):
            y = float(HEIGHT - _BOTTOM)
            for s, value in enumerate(row[1:]):
                h = _num(value) * scale
                if h > 0:
                    y -= h
                    chart.rects.append(Rect(round(_LEFT + i * width + width * 0.1, 2), round(y, 2),
                                            round(width * 0.8, 2), round(h, 2), s,
                                            f"{row[0]}: {table.columns[s + 1]} {value}"))
    else:
        for s in range(len(table.columns) - 1):
            points = [f"{_LEFT + plot_w * (i + 0.5) / n:.1f},{HEIGHT - _BOTTOM - _num(r[s + 1]) * scale:.1f}"
                      for i, r in enumerate(table.rows)]
            chart.lines.append(" ".join(points))
    _day_axis(chart, [str(r[0]) for r in table.rows], plot_w)
    return chart


def _bars(table: Table) -> Chart:
    height = max(len(table.rows), 1) * _BAR_ROW + 8
    chart = Chart(table, height, legend=[table.columns[1]])
    top = max((_num(r[1]) for r in table.rows), default=0) or 1.0
    plot_w = WIDTH - _LABEL_W - 60
    for i, row in enumerate(table.rows):
        y = 4 + i * _BAR_ROW
        label = str(row[0])
        chart.texts.append(Text(_LABEL_W - 6, y + 15, label if len(label) <= 34 else label[:33] + "…", "end"))
        w = _num(row[1]) / top * plot_w
        chart.rects.append(Rect(_LABEL_W, y + 3, round(w, 2), _BAR_ROW - 8, 0, f"{label}: {row[1]}"))
        chart.texts.append(Text(_LABEL_W + w + 4, y + 15, f"{row[1]}"))
    return chart
