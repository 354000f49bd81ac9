"""Reminder settings: days before the close, the hour, and the quiet hours."""

from datetime import time

import pytest

from core.config import ConfigError, load_settings


def test_reminder_defaults_follow_the_issue():
    settings = load_settings()
    assert settings.reminder_days_before == [7, 3, 1, 0]
    assert settings.reminder_time == time(8, 0)
    assert (settings.reminder_quiet_start, settings.reminder_quiet_end) == (time(21), time(7))


def test_reminder_days_are_read_as_a_list_and_ordered(monkeypatch):
    monkeypatch.setenv("REMINDER_DAYS_BEFORE", "1, 14,3,3")
    assert load_settings().reminder_days_before == [14, 3, 1]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("REMINDER_DAYS_BEFORE", "7,x", "REMINDER_DAYS_BEFORE: Input should be a valid integer"),
        ("REMINDER_DAYS_BEFORE", "90", "REMINDER_DAYS_BEFORE: must be whole days between 0"),
        ("REMINDER_DAYS_BEFORE", "-1", "REMINDER_DAYS_BEFORE: must be whole days between 0"),
        ("REMINDER_TIME", "22:00", "REMINDER_TIME: must be outside the quiet hours"),
        ("REMINDER_TIME", "06:59", "REMINDER_TIME: must be outside the quiet hours"),
        ("REMINDER_TIME", "pagi", "REMINDER_TIME: Input should be in a valid time format"),
    ],
)
def test_bad_reminder_setting_names_the_variable(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [(time(20, 59), False), (time(21, 0), True), (time(2, 0), True), (time(7, 0), False)],
)
def test_quiet_hours_cross_midnight(moment, quiet):
    assert load_settings().is_quiet(moment) is quiet


def test_quiet_hours_may_also_lie_within_one_day(monkeypatch):
    monkeypatch.setenv("REMINDER_QUIET_START", "12:00")
    monkeypatch.setenv("REMINDER_QUIET_END", "13:00")
    settings = load_settings()
    assert settings.is_quiet(time(12, 30))
    assert not settings.is_quiet(time(22, 0))
