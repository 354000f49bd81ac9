"""Dates as Indonesian planners type them ("15 Jan 2027 16.00", "15/1/2027"), read in WIB.

Accepted, in any case and with or without a weekday ("Jumat, 15 Januari 2027"):
- day, month name and year: "15 Januari 2027", "15 Jan 2027", "15-Jan-2027", "15 jan. 27";
- numbers as day/month/year: "15/1/2027", "15-01-2027", "15.01.2027", "15/1/27", or
  year first: "2027-01-15" (as in the CSV import and the command line);
- a month name first, as English writes it: "January 15, 2027";
- no year ("15 Jan"): the date nearest to today;
- "hari ini", "besok", "lusa" (today, tomorrow, the day after);
- a time after (or, with "pukul"/"jam", before) the date: "16.00", "16:00", "pukul 16.00",
  "jam 4 sore", "24.00" (midnight at the end of the day), with an optional "WIB".
Day/month order is always Indonesian: "1/2/2027" is 1 February. Anything else is refused
with a plain message saying what is wrong and how to write it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from core.i18n import N_, _

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

YEARS_BACK = 1
YEARS_AHEAD = 5
FUZZY_MONTH_SCORE = 75

MONTHS: dict[str, int] = {
    **dict.fromkeys(("januari", "jan", "january", "janu"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb", "febr", "february"), 2),
    **dict.fromkeys(("maret", "mar", "mrt", "march"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "agst", "agus", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept", "spt"), 9),
    **dict.fromkeys(("oktober", "okt", "oct", "october"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des", "dec", "december"), 12),
}
WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(("senin", "monday", "mon"), 0),
    **dict.fromkeys(("selasa", "tuesday", "tue"), 1),
    **dict.fromkeys(("rabu", "wednesday", "wed"), 2),
    **dict.fromkeys(("kamis", "thursday", "thu"), 3),
    **dict.fromkeys(("jumat", "jum'at", "jumaat", "jum", "friday", "fri"), 4),
    **dict.fromkeys(("sabtu", "saturday", "sat"), 5),
    **dict.fromkeys(("minggu", "ahad", "sunday", "sun"), 6),
}
RELATIVE_DAYS: dict[str, int] = {
    "hari ini": 0,
    "today": 0,
    "besok": 1,
    "tomorrow": 1,
    "lusa": 2,
}
MONTH_LABELS = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)
WEEKDAY_LABELS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
_FILLER = frozenset({"tanggal", "tgl", "pada", "hari", "on"})
_PART_OF_DAY = r"(?:\s*(?P<part>pagi|siang|sore|malam))?"
_TIME_AT_END = re.compile(
    r"(?:^|\s)(?:(?:pukul|pkl|jam|at)\s*)?(?P<hour>\d{1,2})[.:](?P<minute>\d{2})(?::\d{2})?"
    + _PART_OF_DAY
    + r"$"
)
_HOUR_AT_END = re.compile(r"(?:^|\s)(?:pukul|pkl|jam)\s*(?P<hour>\d{1,2})" + _PART_OF_DAY + r"$")
_TIME_AT_START = re.compile(
    r"^(?:pukul|pkl|jam)\s*(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?" + _PART_OF_DAY + r"\s"
)
_NUMERIC = re.compile(
    r"^(?P<a>\d{1,4})\s*(?P<sep>[/.-])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<c>\d+)$"
)
_NUMERIC_NO_YEAR = re.compile(r"^(?P<a>\d{1,2})\s*[/-]\s*(?P<b>\d{1,2})$")
_DAY_MONTH = re.compile(
    r"^(?P<day>\d{1,2})\s*[-/ ]?\s*(?P<month>[a-z']+)\s*[-/ ]?\s*(?P<year>\d+)?$"
)
_MONTH_DAY = re.compile(
    r"^(?P<month>[a-z]+)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+(?P<year>\d+))?$"
)
_MONTH_YEAR = re.compile(r"^(?P<month>[a-z]+)\s+(?P<year>\d{4})$")
_TRAILING_NUMBER = re.compile(r"^(?P<head>.*\S)\s+(?P<hour>\d{1,2})$")


class DateProblem(StrEnum):
    """Why a typed date cannot be used."""

    EMPTY = "empty"
    UNREADABLE = "unreadable"
    TIME_ONLY = "time_only"
    NO_MINUTES = "no_minutes"
    BAD_TIME = "bad_time"
    OTHER_ZONE = "other_zone"
    UNKNOWN_MONTH = "unknown_month"
    BAD_MONTH = "bad_month"
    BAD_DAY = "bad_day"
    MISSING_DAY = "missing_day"
    YEAR_OUT_OF_RANGE = "year_out_of_range"
    WRONG_WEEKDAY = "wrong_weekday"


class DateInputError(ValueError):
    """A typed date that cannot be read; `message()` says why in the person's language."""

    def __init__(self, problem: DateProblem, **details: Any) -> None:
        super().__init__(problem.value)
        self.problem = problem
        self.details = details

    def message(self) -> str:
        """Return what is wrong and how to write the date, in the current locale."""
        return describe_problem(self.problem, self.details)


@dataclass(frozen=True, slots=True)
class TypedDate:
    """A date read from text, and the time of day when one was typed."""

    day: date
    clock: time | None = None

    def moment(self, zone: ZoneInfo, default_time: time) -> datetime:
        """Return the moment in UTC, reading the date and time in `zone`."""
        local = datetime.combine(self.day, self.clock or default_time, tzinfo=zone)
        return local.astimezone(UTC)


def read_moment(text: str, *, now: datetime, zone: ZoneInfo, default_time: time) -> datetime:
    """Read a typed date and time in `zone` and return it in UTC.

    Raises:
        DateInputError: the text is not a date that exists.
    """
    today = now.astimezone(zone).date()
    return parse_date(text, today=today).moment(zone, default_time)


def parse_date(text: str, *, today: date) -> TypedDate:
    """Read a typed date (and time); a date without a year is the one nearest to `today`.

    Raises:
        DateInputError: the text is not a date that exists.
    """
    cleaned = _clean(text)
    if not cleaned:
        raise DateInputError(DateProblem.EMPTY)
    cleaned = _drop_zone(cleaned)
    date_part, clock, next_day = _split_time(cleaned)
    words = date_part.split()
    weekday = None
    if date_part not in RELATIVE_DAYS:
        if words and words[0] in WEEKDAYS:
            weekday = WEEKDAYS[words.pop(0)]
        date_part = " ".join(word for word in words if word not in _FILLER)
    if not date_part:
        problem = DateProblem.TIME_ONLY if clock is not None else DateProblem.UNREADABLE
        raise DateInputError(problem, text=text.strip())
    day = _read_day(date_part, today=today, original=text.strip(), has_time=clock is not None)
    if weekday is not None and day.weekday() != weekday:
        raise DateInputError(
            DateProblem.WRONG_WEEKDAY, day=day, typed_weekday=weekday, weekday=day.weekday()
        )
    if next_day:
        day += timedelta(days=1)
    return TypedDate(day=day, clock=clock)


def _clean(text: str) -> str:
    lowered = text.lower().replace(",", " ").replace("’", "'")
    lowered = re.sub(r"(?<=\d)t(?=\d)", " ", lowered)
    lowered = re.sub(r"(?<=[a-z])\.", " ", lowered)
    return " ".join(lowered.split())


def _drop_zone(cleaned: str) -> str:
    words = cleaned.split()
    if words and words[-1] in {"wita", "wit"}:
        raise DateInputError(DateProblem.OTHER_ZONE)
    if words and words[-1] == "wib":
        words.pop()
    return " ".join(words)


def _split_time(cleaned: str) -> tuple[str, time | None, bool]:
    """Return the date part, the time (if typed) and whether 24.00 moved it to the next day."""
    for pattern in (_TIME_AT_END, _HOUR_AT_END):
        match = pattern.search(cleaned)
        if match:
            clock, next_day = _clock(match)
            return cleaned[: match.start()].strip(), clock, next_day
    match = _TIME_AT_START.match(cleaned)
    if match:
        clock, next_day = _clock(match)
        return cleaned[match.end() :].strip(), clock, next_day
    return cleaned, None, False


def _clock(match: re.Match[str]) -> tuple[time, bool]:
    hour = int(match["hour"])
    minute = int(match.groupdict().get("minute") or 0)
    typed = match.group(0).strip()
    part = match.groupdict().get("part")
    if part is not None and hour <= 12:
        hour = _part_of_day_hour(hour, part)
    if hour == 24 and minute == 0:
        return time(0, 0), True
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise DateInputError(DateProblem.BAD_TIME, time=typed)
    return time(hour, minute), False


def _part_of_day_hour(hour: int, part: str) -> int:
    """Turn "jam 4 sore" into 16 and "jam 9 malam" into 21; "pagi" keeps the morning."""
    if part == "pagi":
        return 0 if hour == 12 else hour
    if part == "siang":
        return hour + 12 if hour < 6 else hour
    if part == "sore":
        return hour + 12 if hour < 12 else hour
    if hour == 12:
        return 0
    return hour + 12 if hour >= 6 else hour


def _read_day(date_part: str, *, today: date, original: str, has_time: bool) -> date:
    if date_part in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[date_part])
    match = _NUMERIC.match(date_part)
    if match:
        first, second, third = match["a"], int(match["b"]), match["c"]
        if len(first) == 4:
            return _valid_date(int(first), second, int(third), today)
        return _valid_date(_full_year(third, original), second, int(first), today)
    match = _NUMERIC_NO_YEAR.match(date_part)
    if match:
        return _nearest(int(match["a"]), int(match["b"]), today)
    match = _DAY_MONTH.match(date_part) or _MONTH_DAY.match(date_part)
    if match:
        month = _month_number(match["month"])
        if match["year"] is None:
            return _nearest(int(match["day"]), month, today)
        return _valid_date(_full_year(match["year"], original), month, int(match["day"]), today)
    match = _MONTH_YEAR.match(date_part)
    if match:
        month = _month_number(match["month"])
        raise DateInputError(DateProblem.MISSING_DAY, month=month, year=int(match["year"]))
    trailing = _TRAILING_NUMBER.match(date_part)
    if trailing and not has_time and _reads_as_date(trailing["head"], today):
        raise DateInputError(DateProblem.NO_MINUTES, hour=int(trailing["hour"]))
    raise DateInputError(DateProblem.UNREADABLE, text=original)


def _reads_as_date(text: str, today: date) -> bool:
    try:
        _read_day(text, today=today, original=text, has_time=True)
    except DateInputError:
        return False
    return True


def _full_year(typed: str, original: str) -> int:
    if len(typed) == 2:
        return 2000 + int(typed)
    if len(typed) == 4:
        return int(typed)
    raise DateInputError(DateProblem.UNREADABLE, text=original)


def _month_number(word: str) -> int:
    word = word.strip("'")
    if word in MONTHS:
        return MONTHS[word]
    best = process.extractOne(word, list(MONTHS), scorer=fuzz.ratio)
    suggestion = None
    if best is not None and best[1] >= FUZZY_MONTH_SCORE:
        suggestion = MONTHS[best[0]]
    raise DateInputError(DateProblem.UNKNOWN_MONTH, word=word, suggestion=suggestion)


def _valid_date(year: int, month: int, day: int, today: date) -> date:
    if not 1 <= month <= 12:
        raise DateInputError(DateProblem.BAD_MONTH, month=month)
    first, last = today.year - YEARS_BACK, today.year + YEARS_AHEAD
    if not first <= year <= last:
        raise DateInputError(DateProblem.YEAR_OUT_OF_RANGE, year=year, first=first, last=last)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateInputError(
            DateProblem.BAD_DAY, day=day, month=month, year=year, days_in_month=days
        )
    return date(year, month, day)


def _nearest(day: int, month: int, today: date) -> date:
    """Return the existing date with this day and month closest to `today`."""
    if not 1 <= month <= 12:
        raise DateInputError(DateProblem.BAD_MONTH, month=month)
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        if 1 <= day <= calendar.monthrange(year, month)[1]:
            candidates.append(date(year, month, day))
    if not candidates:
        raise DateInputError(DateProblem.BAD_DAY, day=day, month=month, year=None)
    return min(candidates, key=lambda candidate: abs(candidate - today))


def month_label(month: int) -> str:
    """Return the month's name in the current locale."""
    return _(MONTH_LABELS[month - 1])


def weekday_label(weekday: int) -> str:
    """Return the weekday's name (0 = Monday) in the current locale."""
    return _(WEEKDAY_LABELS[weekday])


def describe_problem(problem: DateProblem, details: dict[str, Any]) -> str:
    """Return the plain-language explanation of a date problem, with an example to copy."""
    example = _("15 Jan 2027 16.00, 15/1/2027 or 15-01-2027 16:00")
    if problem is DateProblem.EMPTY:
        return _("Please type a date, for example {example}.").format(example=example)
    if problem is DateProblem.TIME_ONLY:
        return _("That is only a time. Please add the date, for example 15 Jan 2027 16.00.")
    if problem is DateProblem.NO_MINUTES:
        return _(
            "Please write the time with its minutes, for example {hour:02d}.00 instead of {hour}."
        ).format(hour=details["hour"])
    if problem is DateProblem.BAD_TIME:
        return _(
            "{time} is not a time of day. Times go from 00.00 to 23.59, for example 16.00."
        ).format(time=details["time"])
    if problem is DateProblem.OTHER_ZONE:
        return _(
            "Times are read in WIB (Western Indonesia Time). Please write the time in WIB, "
            "without WITA or WIT."
        )
    if problem is DateProblem.UNKNOWN_MONTH:
        return _describe_unknown_month(details)
    if problem is DateProblem.BAD_MONTH:
        return _(
            "There is no month {month}. Dates are written day/month/year, for example "
            "15/1/2027 for 15 January 2027."
        ).format(month=details["month"])
    if problem is DateProblem.BAD_DAY:
        return _describe_bad_day(details)
    if problem is DateProblem.MISSING_DAY:
        return _(
            "Which day of {month} {year}? Please write the day too, for example 15 {month} {year}."
        ).format(month=month_label(int(details["month"])), year=details["year"])
    if problem is DateProblem.YEAR_OUT_OF_RANGE:
        return _(
            "The year {year} is too far from now. Please write a year from {first} to {last}."
        ).format(**details)
    if problem is DateProblem.WRONG_WEEKDAY:
        day: date = details["day"]
        return _(
            "{day} {month} {year} is a {weekday}, not a {typed}. Please check the date."
        ).format(
            day=day.day,
            month=month_label(day.month),
            year=day.year,
            weekday=weekday_label(int(details["weekday"])),
            typed=weekday_label(int(details["typed_weekday"])),
        )
    return _("I could not read that as a date. Please write it like {example}.").format(
        example=example
    )


def _describe_unknown_month(details: dict[str, Any]) -> str:
    suggestion = details.get("suggestion")
    if suggestion is not None:
        return _('I do not know the month "{word}". Did you mean {month}?').format(
            word=details["word"], month=month_label(int(suggestion))
        )
    return _(
        'I do not know the month "{word}". Write the month as a name or a number, for '
        "example 15 Januari 2027 or 15/1/2027."
    ).format(word=details["word"])


def _describe_bad_day(details: dict[str, Any]) -> str:
    month = month_label(int(details["month"]))
    if details["year"] is None:
        return _("{month} has no day {day}. Please check the date.").format(
            month=month, day=details["day"]
        )
    return _(
        "{month} {year} has {days} days, so there is no {day} {month} {year}. Please check "
        "the date."
    ).format(month=month, year=details["year"], days=details["days_in_month"], day=details["day"])
