"""When a stage's reminders fall due, and until when each is worth sending."""

from datetime import datetime
from zoneinfo import ZoneInfo

from core.config import load_settings
from models.calendar import Stage, StageLevel
from services.reminders.slots import SlotKind, due_slots, stage_slots

WIB = ZoneInfo("Asia/Jakarta")


def wib(month, day, hour=0, minute=0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=WIB)


def stage(opens, closes, forum=None) -> Stage:
    return Stage(
        id=7,
        name="Musrenbang Kecamatan Lebong Utara 2027",
        level=StageLevel.KECAMATAN,
        region_code="17.07.01",
        opens_at=opens,
        closes_at=closes,
        forum_at=forum,
    )


UTARA = stage(wib(2, 1, 8), wib(2, 5, 16), wib(2, 8, 9))


def test_slots_fall_at_eight_wib_inside_the_intake_period():
    slots = stage_slots(UTARA, load_settings())
    assert [(slot.key, slot.due_at, slot.expires_at) for slot in slots] == [
        ("close-3:2027-02-05", wib(2, 2, 8), wib(2, 4, 8)),
        ("close-1:2027-02-05", wib(2, 4, 8), wib(2, 5, 8)),
        ("close-0:2027-02-05", wib(2, 5, 8), wib(2, 5, 16)),
        ("closed:2027-02-05", wib(2, 6, 8), wib(2, 9, 8)),
        ("forum-1:2027-02-08", wib(2, 7, 8), wib(2, 8, 9)),
    ]


def test_seven_days_before_comes_when_the_stage_is_open_that_long():
    long_stage = stage(wib(1, 4, 8), wib(1, 29, 16))
    keys = [slot.key for slot in stage_slots(long_stage, load_settings())]
    assert keys == [
        "close-7:2027-01-29",
        "close-3:2027-01-29",
        "close-1:2027-01-29",
        "close-0:2027-01-29",
        "closed:2027-01-29",
    ]


def test_a_close_before_eight_has_no_same_day_reminder_and_is_announced_that_morning():
    early = stage(wib(2, 1, 8), wib(2, 5, 7))
    slots = stage_slots(early, load_settings())
    assert [slot.key for slot in slots] == [
        "close-3:2027-02-05",
        "close-1:2027-02-05",
        "closed:2027-02-05",
    ]
    assert slots[1].expires_at == wib(2, 5, 7)
    assert slots[2].due_at == wib(2, 5, 8)


def test_offsets_and_hour_follow_the_settings():
    settings = load_settings(reminder_days_before="2", reminder_time="09:30")
    slots = stage_slots(UTARA, settings)
    assert [(slot.kind, slot.days_before, slot.due_at) for slot in slots[:1]] == [
        (SlotKind.CLOSE, 2, wib(2, 3, 9, 30))
    ]


def test_due_slots_gives_the_latest_reminder_only():
    settings = load_settings()
    assert due_slots(UTARA, settings, wib(2, 2, 7, 59)) == []
    assert [slot.key for slot in due_slots(UTARA, settings, wib(2, 3, 20))] == [
        "close-3:2027-02-05"
    ]
    assert [slot.key for slot in due_slots(UTARA, settings, wib(2, 5, 15))] == [
        "close-0:2027-02-05"
    ]
    assert due_slots(UTARA, settings, wib(2, 5, 16)) == []


def test_moving_the_close_to_another_day_gives_new_slot_names():
    moved = stage(wib(2, 1, 8), wib(2, 6, 16), wib(2, 8, 9))
    keys = {slot.key for slot in stage_slots(moved, load_settings())}
    assert "close-1:2027-02-06" in keys
    assert "close-1:2027-02-05" not in keys
