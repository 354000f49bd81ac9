"""Dates as planners type them: every accepted way, and every wrong date with its reason."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from services.calendar.dates import DateInputError, DateProblem, parse_date, read_moment

TODAY = date(2026, 11, 29)  # a Sunday, while Bappeda prepares the 2027 season
WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(
    ("typed", "day", "clock"),
    [
        ("15 Jan 2027 16.00", date(2027, 1, 15), time(16, 0)),
        ("15/1/2027", date(2027, 1, 15), None),
        ("15-01-2027 16:00", date(2027, 1, 15), time(16, 0)),
        ("15 Januari 2027", date(2027, 1, 15), None),
        ("15 januari 2027", date(2027, 1, 15), None),
        ("15 JANUARI 2027 PUKUL 16.00 WIB", date(2027, 1, 15), time(16, 0)),
        ("15 Jan. 2027", date(2027, 1, 15), None),
        ("15-Jan-2027", date(2027, 1, 15), None),
        ("15 jan 27", date(2027, 1, 15), None),
        ("15.01.2027", date(2027, 1, 15), None),
        ("15/1/27", date(2027, 1, 15), None),
        ("1/2/2027", date(2027, 2, 1), None),
        ("2027-01-15", date(2027, 1, 15), None),
        ("2027-01-15T16:00", date(2027, 1, 15), time(16, 0)),
        ("2027-01-15 16:00:00", date(2027, 1, 15), time(16, 0)),
        ("2027/01/15", date(2027, 1, 15), None),
        ("Jumat, 15 Januari 2027", date(2027, 1, 15), None),
        ("jum'at 15 januari 2027 jam 16.00", date(2027, 1, 15), time(16, 0)),
        ("tanggal 15 Januari 2027", date(2027, 1, 15), None),
        ("tgl 15/1/2027 pkl. 16.00", date(2027, 1, 15), time(16, 0)),
        ("pukul 16.00, 15 Januari 2027", date(2027, 1, 15), time(16, 0)),
        ("15 Feb 2027 jam 9", date(2027, 2, 15), time(9, 0)),
        ("15 Feb 2027 jam 4 sore", date(2027, 2, 15), time(16, 0)),
        ("15 Feb 2027 jam 1 siang", date(2027, 2, 15), time(13, 0)),
        ("15 Feb 2027 jam 8 malam", date(2027, 2, 15), time(20, 0)),
        ("15 Feb 2027 jam 7 pagi", date(2027, 2, 15), time(7, 0)),
        ("31 Jan 2027 24.00", date(2027, 2, 1), time(0, 0)),
        ("17 Agustus 2027", date(2027, 8, 17), None),
        ("17 agt 2027", date(2027, 8, 17), None),
        ("1 Pebruari 2027", date(2027, 2, 1), None),
        ("5 Nopember 2027", date(2027, 11, 5), None),
        ("1 Mei 2027", date(2027, 5, 1), None),
        ("1 Okt 2027", date(2027, 10, 1), None),
        ("1 Des 2026", date(2026, 12, 1), None),
        ("January 15, 2027", date(2027, 1, 15), None),
        ("29 Feb 2028", date(2028, 2, 29), None),
        ("15 Jan", date(2027, 1, 15), None),
        ("10 nov", date(2026, 11, 10), None),
        ("15/1", date(2027, 1, 15), None),
        ("hari ini", TODAY, None),
        ("besok", date(2026, 11, 30), None),
        ("besok 16.00", date(2026, 11, 30), time(16, 0)),
        ("lusa jam 10.30", date(2026, 12, 1), time(10, 30)),
        ("  15   Jan   2027   16.00  ", date(2027, 1, 15), time(16, 0)),
    ],
)
def test_parse_date_reads_the_way_people_write(typed, day, clock):
    parsed = parse_date(typed, today=TODAY)
    assert (parsed.day, parsed.clock) == (day, clock)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", DateProblem.EMPTY),
        ("   ", DateProblem.EMPTY),
        ("kapan-kapan", DateProblem.UNREADABLE),
        ("15 13 2027", DateProblem.UNREADABLE),
        ("15/1/202", DateProblem.UNREADABLE),
        ("16.00", DateProblem.TIME_ONLY),
        ("pukul 16.00", DateProblem.TIME_ONLY),
        ("15 Jan 2027 16", DateProblem.NO_MINUTES),
        ("15 Jan 2027 25.00", DateProblem.BAD_TIME),
        ("15 Jan 2027 16.75", DateProblem.BAD_TIME),
        ("15 Jan 2027 24.30", DateProblem.BAD_TIME),
        ("15 Jan 2027 16.00 WITA", DateProblem.OTHER_ZONE),
        ("15 Jan 2027 16.00 wit", DateProblem.OTHER_ZONE),
        ("15 Jnauari 2027", DateProblem.UNKNOWN_MONTH),
        ("15 Blah 2027", DateProblem.UNKNOWN_MONTH),
        ("15/13/2027", DateProblem.BAD_MONTH),
        ("1/15/2027", DateProblem.BAD_MONTH),
        ("2027-13-01", DateProblem.BAD_MONTH),
        ("15/0/2027", DateProblem.BAD_MONTH),
        ("31/2/2027", DateProblem.BAD_DAY),
        ("29 Feb 2027", DateProblem.BAD_DAY),
        ("31 April 2027", DateProblem.BAD_DAY),
        ("0/1/2027", DateProblem.BAD_DAY),
        ("32 Jan 2027", DateProblem.BAD_DAY),
        ("31/2", DateProblem.BAD_DAY),
        ("Januari 2027", DateProblem.MISSING_DAY),
        ("15 Jan 2207", DateProblem.YEAR_OUT_OF_RANGE),
        ("15 Jan 1927", DateProblem.YEAR_OUT_OF_RANGE),
        ("15/1/2099", DateProblem.YEAR_OUT_OF_RANGE),
        ("Senin, 15 Januari 2027", DateProblem.WRONG_WEEKDAY),
    ],
)
def test_parse_date_refuses_wrong_dates_with_the_reason(typed, problem):
    with pytest.raises(DateInputError) as raised:
        parse_date(typed, today=TODAY)
    assert raised.value.problem is problem
    assert raised.value.message()


def test_unknown_month_suggests_the_closest_one():
    with pytest.raises(DateInputError) as raised:
        parse_date("15 Jnauari 2027", today=TODAY)
    assert raised.value.details["suggestion"] == 1


def test_read_moment_reads_wib_and_stores_utc():
    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    moment = read_moment("15 Jan 2027 16.00", now=now, zone=WIB, default_time=time(23, 59))
    assert moment == datetime(2027, 1, 15, 9, 0, tzinfo=UTC)


def test_read_moment_without_time_takes_the_default():
    now = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    moment = read_moment("15/1/2027", now=now, zone=WIB, default_time=time(23, 59))
    assert moment == datetime(2027, 1, 15, 16, 59, tzinfo=UTC)


def test_besok_late_in_the_evening_is_the_next_day_in_wib():
    late = datetime(2026, 11, 29, 16, 30, tzinfo=UTC)  # 23:30 WIB, still the 29th
    moment = read_moment("besok 08.00", now=late, zone=WIB, default_time=time(0, 0))
    assert moment == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "indonesian"),
    [
        (
            "31/2/2027",
            "Bulan Februari 2027 hanya sampai tanggal 28, jadi tanggal 31 Februari 2027 tidak "
            "ada. Silakan periksa tanggalnya.",
        ),
        (
            "15/13/2027",
            "Tidak ada bulan ke-13. Tanggal ditulis hari/bulan/tahun, misalnya 15/1/2027 untuk "
            "15 Januari 2027.",
        ),
        (
            "Senin, 15 Januari 2027",
            "15 Januari 2027 jatuh pada hari Jumat, bukan Senin. Silakan periksa tanggalnya.",
        ),
        (
            "15 Jnauari 2027",
            'Bulan "jnauari" tidak saya kenal. Maksud Anda Januari? Silakan ketik ulang '
            "tanggalnya.",
        ),
        ("15 Jan 2027 16", "Tulis jamnya lengkap dengan menit, misalnya 16.00, bukan 16 saja."),
        ("15 Jan 2027 9", "Tulis jamnya lengkap dengan menit, misalnya 09.00, bukan 9 saja."),
        (
            "kapan-kapan",
            "Maaf, tanggal itu tidak bisa saya baca. Tulis seperti ini: 15 Jan 2027 16.00, "
            "15/1/2027 atau 15-01-2027 16:00.",
        ),
    ],
)
def test_wrong_dates_are_explained_in_plain_indonesian(typed, indonesian):
    with pytest.raises(DateInputError) as raised:
        parse_date(typed, today=TODAY)
    assert raised.value.message() == indonesian
