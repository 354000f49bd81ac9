"""Dates, times and numbers in the person's language and the TZ zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.formatting import format_date, format_datetime, format_number, local_time
from core.i18n import use_locale

WIB = ZoneInfo("Asia/Jakarta")
FORUM = datetime(2027, 1, 15, 9, 0, tzinfo=UTC)  # 16.00 WIB


def test_local_time_reads_naive_times_as_utc():
    assert local_time(datetime(2024, 1, 15, 2, 30), WIB).hour == 9  # noqa: DTZ001
    assert local_time(datetime(2024, 1, 15, 2, 30, tzinfo=UTC), WIB).hour == 9


@pytest.mark.parametrize(("locale", "written"), [("id", "16 Jan 2024"), ("en", "Jan 16, 2024")])
def test_format_date_writes_the_local_day(locale, written):
    late_evening_utc = datetime(2024, 1, 15, 20, 0, tzinfo=UTC)  # already the 16th in WIB
    with use_locale(locale):
        assert format_date(late_evening_utc, WIB) == written


@pytest.mark.parametrize(
    ("locale", "written"),
    [("id", "15 Jan 2027 16.00 WIB"), ("en", "Jan 15, 2027, 4:00\u202fPM WIB")],
)
def test_format_datetime_writes_day_time_and_zone(locale, written):
    with use_locale(locale):
        assert format_datetime(FORUM, WIB) == written


def test_format_datetime_names_the_zone_of_the_tz_setting():
    with use_locale("id"):
        assert format_datetime(FORUM, ZoneInfo("Asia/Makassar")) == "15 Jan 2027 17.00 WITA"


@pytest.mark.parametrize(
    ("value", "indonesian", "english"),
    [
        (1200, "1.200", "1,200"),
        (1.5, "1,5", "1.5"),
        (1200.5, "1.200,5", "1,200.5"),
        (0.25, "0,25", "0.25"),
        (2, "2", "2"),
        (2.999, "3", "3"),
    ],
)
def test_format_number_uses_the_separators_of_the_language(value, indonesian, english):
    with use_locale("id"):
        assert format_number(value) == indonesian
    with use_locale("en"):
        assert format_number(value) == english
