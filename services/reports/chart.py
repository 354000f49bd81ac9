"""The summary chart: proposals per kecamatan stacked by bidang, readable on a phone."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from core.i18n import _, use_locale
from services.reports import formatting
from services.reports.statuses import BIDANG_ORDER, bidang_label

if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from services.reports.figures import KecamatanCounts

WIDTH_INCHES = 8.0
MIN_HEIGHT_INCHES = 10.0
INCHES_PER_KECAMATAN = 0.62
FIXED_HEIGHT_INCHES = 2.6
DPI = 150
# Colour-blind safe (Okabe-Ito): blue, orange, green.
COLOURS = ("#0072B2", "#E69F00", "#009E73")
TITLE_POINTS = 22
LABEL_POINTS = 17
COUNT_POINTS = 16
LEGEND_POINTS = 16


def chart_size(kecamatan: int) -> tuple[int, int]:
    """Return the chart's width and height in pixels for this many kecamatan."""
    height = max(MIN_HEIGHT_INCHES, FIXED_HEIGHT_INCHES + INCHES_PER_KECAMATAN * kecamatan)
    return round(WIDTH_INCHES * DPI), round(height * DPI)


def render_chart(
    rows: tuple[KecamatanCounts, ...], *, until: datetime, zone: tzinfo, locale: str
) -> bytes:
    """Return a PNG of horizontal bars, one per kecamatan, split by bidang, totals at the end."""
    with use_locale(locale):
        return _draw(rows, until=until, zone=zone, locale=locale)


def _draw(
    rows: tuple[KecamatanCounts, ...], *, until: datetime, zone: tzinfo, locale: str
) -> bytes:
    width, height = chart_size(len(rows))
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    names = [row.name for row in rows]
    positions = list(range(len(rows)))
    left = [0] * len(rows)
    for bidang, colour in zip(BIDANG_ORDER, COLOURS, strict=True):
        values = [row.by_bidang[bidang] for row in rows]
        axes.barh(
            positions, values, left=left, color=colour, label=bidang_label(bidang), height=0.7
        )
        left = [start + value for start, value in zip(left, values, strict=True)]
    largest = max(left, default=0)
    axes.set_xlim(0, max(largest, 1) * 1.18)
    for position, total in zip(positions, left, strict=True):
        axes.text(
            total + max(largest, 1) * 0.015,
            position,
            formatting.count(total, locale),
            va="center",
            fontsize=COUNT_POINTS,
        )
    axes.set_yticks(positions, names, fontsize=LABEL_POINTS)
    axes.invert_yaxis()
    axes.tick_params(axis="x", labelsize=COUNT_POINTS - 2)
    axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _position: formatting.count(int(value), locale))
    )
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlabel(_("Number of proposals"), fontsize=LABEL_POINTS)
    if not largest:
        axes.text(
            0.5,
            0.5,
            _("No proposal yet"),
            transform=axes.transAxes,
            ha="center",
            va="center",
            fontsize=TITLE_POINTS,
            color="#555555",
        )
    figure.suptitle(
        _("Proposals per kecamatan") + "\n" + formatting.day_and_time(until, zone, locale),
        fontsize=TITLE_POINTS,
    )
    figure.legend(
        loc="outside lower center", ncols=len(BIDANG_ORDER), fontsize=LEGEND_POINTS, frameon=False
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
