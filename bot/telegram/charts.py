"""A month-by-month line chart as a PNG (the /stats chart of Appendix 3), drawn with matplotlib.

The caller passes every string already translated; this module only lays them out. matplotlib is
imported when the first chart is drawn (most processes never draw one, and importing it costs memory
and time), through its Agg canvas only, never pyplot, so no GUI backend or global figure state is
involved and charts can be drawn in a worker thread. Text uses the DejaVu Sans shipped in data/fonts,
which covers every Kazakh letter.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from textwrap import shorten

from bot import DATA_DIR

FONT_FILES = (DATA_DIR / "fonts" / "DejaVuSans.ttf", DATA_DIR / "fonts" / "DejaVuSans-Bold.ttf")
FONT_FAMILY = "DejaVu Sans"
WIDTH_PX, HEIGHT_PX, DPI = 1200, 675, 100
COLOURS = ("#115293", "#d1495b", "#2e8b57", "#8a5cc2")
_lock = threading.Lock()  # matplotlib's font manager is not thread-safe


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float | None]  # one per month; None leaves a gap


@dataclass(frozen=True)
class MonthlyChart:
    title: str
    subtitle: str  # what the chart covers: the office, department or country, and the year
    months: Sequence[str]  # the x-axis labels
    lines: Sequence[Line]
    y_label: str
    footnote: str = ""


def draw_monthly(chart: MonthlyChart) -> bytes:
    """The chart as a WIDTH_PX × HEIGHT_PX PNG, the y axis from 0 to 100."""
    with _lock:
        from matplotlib import font_manager, rc_context
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        for path in FONT_FILES:
            font_manager.fontManager.addfont(str(path))
        with rc_context({"font.family": FONT_FAMILY, "font.size": 13}):
            figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
            FigureCanvasAgg(figure)
            axes = figure.add_subplot()
            x = list(range(len(chart.months)))
            for i, line in enumerate(chart.lines):
                y = [math.nan if v is None else v for v in line.values]
                axes.plot(x, y, marker="o", linewidth=2.2, color=COLOURS[i % len(COLOURS)], label=line.label)
            axes.set_xticks(x, list(chart.months))
            axes.set_xlim(-0.5, max(len(x) - 0.5, 0.5))
            axes.set_ylim(0, 100)
            axes.set_ylabel(chart.y_label)
            figure.text(0.07, 0.95, shorten(chart.title, 110), fontsize=16, fontweight="bold")
            figure.text(0.07, 0.905, shorten(chart.subtitle, 150), fontsize=12, color="#3a3f4b")
            axes.grid(axis="y", alpha=0.3)
            axes.legend(loc="lower left", frameon=False, ncols=max(len(chart.lines), 1))
            if chart.footnote:
                figure.text(0.01, 0.015, chart.footnote, fontsize=10, color="#5c6370")
            figure.subplots_adjust(left=0.07, right=0.98, top=0.87, bottom=0.12)
            out = io.BytesIO()
            figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()
