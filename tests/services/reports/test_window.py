"""Which stretch of time "new since the previous summary" covers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.config import load_settings
from services.reports.window import summary_moment, summary_window

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("until", "since"),
    [
        (datetime(2026, 11, 30, 7, 0, tzinfo=WIB), datetime(2026, 11, 29, 7, 0, tzinfo=WIB)),
        (datetime(2026, 11, 30, 14, 0, tzinfo=WIB), datetime(2026, 11, 30, 7, 0, tzinfo=WIB)),
        (datetime(2026, 11, 30, 6, 59, tzinfo=WIB), datetime(2026, 11, 29, 7, 0, tzinfo=WIB)),
        (datetime(2026, 12, 1, 0, 30, tzinfo=WIB), datetime(2026, 11, 30, 7, 0, tzinfo=WIB)),
    ],
)
def test_summary_window_starts_at_the_last_daily_summary_before_it(until, since):
    window = summary_window(until.astimezone(UTC), load_settings())
    assert (window.since, window.until) == (since, until)


def test_summary_moment_follows_the_summary_time_setting():
    settings = load_settings(summary_time="06:30")
    moment = summary_moment(date(2026, 11, 30), settings)
    assert moment == datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert summary_window(moment, settings).since == moment - timedelta(days=1)
