"""When each reminder of a stage is due, and until when it is still worth sending.

Every reminder goes out at the reminder time (08:00 WIB by default) of its day:
- `close`: N days before the close (7, 3, 1 and 0 by default), while intake is open;
- `closed`: the first reminder time after the close, kept for a few days;
- `forum`: the day before the forum.
A `close` reminder stays due until the next one of the stage (or the close): after a
restart the planner sends the latest, never a series of stale ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date, time
    from zoneinfo import ZoneInfo

    from core.config import Settings
    from models.calendar import Stage

CLOSED_NOTICE_DAYS = 3


class SlotKind(StrEnum):
    """What a reminder is about."""

    CLOSE = "close"
    CLOSED = "closed"
    FORUM = "forum"


@dataclass(frozen=True)
class Slot:
    """One reminder moment of one stage.

    `anchor` is the local date the reminder counts from (the close or forum day), so a stage
    moved to another day gets new slots while a rerun finds the same ones.
    """

    stage_id: int
    kind: SlotKind
    days_before: int
    anchor: date
    due_at: datetime
    expires_at: datetime

    @property
    def key(self) -> str:
        """Return the slot's name, unique per stage: `close-3:2027-01-29`."""
        if self.kind is SlotKind.CLOSED:
            return f"{self.kind}:{self.anchor.isoformat()}"
        return f"{self.kind}-{self.days_before}:{self.anchor.isoformat()}"

    def is_due(self, now: datetime) -> bool:
        """Return whether the reminder should be sent at `now`."""
        return self.due_at <= now < self.expires_at


def stage_slots(stage: Stage, settings: Settings) -> list[Slot]:
    """Return every reminder slot of the stage, earliest first."""
    zone = settings.zone
    slots = _close_slots(stage, settings.reminder_days_before, settings.reminder_time, zone)
    slots.append(_closed_slot(stage, settings.reminder_time, zone))
    forum = _forum_slot(stage, settings.reminder_time, zone)
    if forum is not None:
        slots.append(forum)
    return sorted(slots, key=lambda slot: slot.due_at)


def due_slots(stage: Stage, settings: Settings, now: datetime) -> list[Slot]:
    """Return the stage's slots due at `now`."""
    return [slot for slot in stage_slots(stage, settings) if slot.is_due(now)]


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone)


def _close_slots(stage: Stage, days_before: list[int], clock: time, zone: ZoneInfo) -> list[Slot]:
    anchor = stage.closes_at.astimezone(zone).date()
    moments = []
    for days in sorted(set(days_before), reverse=True):
        due = _at(anchor - timedelta(days=days), clock, zone)
        if stage.opens_at <= due < stage.closes_at:
            moments.append((days, due))
    slots = []
    for index, (days, due) in enumerate(moments):
        expires = moments[index + 1][1] if index + 1 < len(moments) else stage.closes_at
        slots.append(Slot(stage.id or 0, SlotKind.CLOSE, days, anchor, due, expires))
    return slots


def _closed_slot(stage: Stage, clock: time, zone: ZoneInfo) -> Slot:
    closes = stage.closes_at.astimezone(zone)
    day = closes.date() if closes.time() <= clock else closes.date() + timedelta(days=1)
    due = _at(day, clock, zone)
    expires = due + timedelta(days=CLOSED_NOTICE_DAYS)
    return Slot(stage.id or 0, SlotKind.CLOSED, 0, closes.date(), due, expires)


def _forum_slot(stage: Stage, clock: time, zone: ZoneInfo) -> Slot | None:
    if stage.forum_at is None:
        return None
    anchor = stage.forum_at.astimezone(zone).date()
    due = _at(anchor - timedelta(days=1), clock, zone)
    if due >= stage.forum_at:
        return None
    return Slot(stage.id or 0, SlotKind.FORUM, 1, anchor, due, stage.forum_at)
