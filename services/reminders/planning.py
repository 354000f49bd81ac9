"""Plan the reminders due now as outbox messages: once each, one message a day per person.

Run it often (every 15 minutes, say) from the scheduler; it is driven only by `now`:
- nothing is planned in the quiet hours (21:00-07:00 WIB by default);
- each reminder (person, stage, slot) is a `PlannedReminder` row with a unique key, so a
  rerun, a restart or a second instance never plans it twice;
- a person's reminders due at the same time go into one outbox message, whose dedup key
  `reminder:<person>:<day>` allows one a day; what comes due later that day waits for the
  next day (while it is still worth sending);
- nobody who blocked the bot, deleted their data, never agreed to data storage or turned
  reminders off gets one.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from models.calendar import PlannedReminder, list_stages, users_without_reminders
from models.outbox import Outbox
from models.users import User
from services.reminders.audience import Notice, find_notices
from services.reminders.slots import due_slots

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date, datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings

logger = logging.getLogger(__name__)

KIND = "reminder"
_CHUNK = 500


def day_key(person_id: int, day: date) -> str:
    """Return the dedup key of a person's reminder message of one day."""
    return f"{KIND}:{person_id}:{day.isoformat()}"


async def plan_reminders(session: AsyncSession, *, now: datetime, settings: Settings) -> int:
    """Write the reminder messages due at `now` into the outbox; return how many were written."""
    local = now.astimezone(settings.zone)
    if settings.is_quiet(local.time()):
        return 0
    stages = await list_stages(session)
    due = {stage.id: due_slots(stage, settings, now) for stage in stages}
    due = {stage_id: slots for stage_id, slots in due.items() if slots}
    if not due:
        return 0
    notices = await find_notices(
        session, stages=stages, due=due, now=now, keep_days=settings.draft_keep_days
    )  # type: ignore[arg-type]
    notices = await _reachable(session, notices)
    notices = await _not_planned_yet(session, notices)
    by_person: dict[int, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_person[notice.person_id].append(notice)
    day = local.date()
    taken = await _with_message_on(session, list(by_person), day)
    people = [person_id for person_id in sorted(by_person) if person_id not in taken]
    written = 0
    for chunk in _chunks(people):
        batch = {person_id: by_person[person_id] for person_id in chunk}
        if await _write_messages(session, day, batch, now):
            written += len(batch)
            continue
        # Another run planned some of them meanwhile: go one person at a time.
        for person_id, notices in batch.items():
            if await _write_messages(session, day, {person_id: notices}, now):
                written += 1
    logger.info("Planned %d reminder messages for %s", written, day.isoformat())
    return written


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


async def _reachable(session: AsyncSession, notices: list[Notice]) -> list[Notice]:
    """Keep notices for people who can and want to get them."""
    people = sorted({notice.person_id for notice in notices})
    reachable: set[int] = set()
    for chunk in _chunks(people):
        result = await session.exec(
            select(User.telegram_id).where(
                col(User.telegram_id).in_(chunk),
                col(User.active).is_(True),
                col(User.consent_at).is_not(None),
            )
        )
        reachable.update(result.all())
    reachable -= await users_without_reminders(session)
    return [notice for notice in notices if notice.person_id in reachable]


async def _not_planned_yet(session: AsyncSession, notices: list[Notice]) -> list[Notice]:
    """Drop notices whose (person, stage, slot) was planned before."""
    keys = {(notice.slot.stage_id, notice.slot.key) for notice in notices}
    planned: set[tuple[int, int, str]] = set()
    for stage_id, slot in keys:
        result = await session.exec(
            select(PlannedReminder.recipient_id).where(
                col(PlannedReminder.stage_id) == stage_id, col(PlannedReminder.slot) == slot
            )
        )
        planned.update((person, stage_id, slot) for person in result.all())
    return [
        notice
        for notice in notices
        if (notice.person_id, notice.slot.stage_id, notice.slot.key) not in planned
    ]


async def _with_message_on(session: AsyncSession, people: list[int], day: date) -> set[int]:
    """Return the people who already have a reminder message for `day`."""
    keys = {day_key(person, day): person for person in people}
    taken: set[int] = set()
    for chunk in _chunks(list(keys)):
        result = await session.exec(
            select(Outbox.dedup_key).where(col(Outbox.dedup_key).in_(chunk))
        )
        taken.update(keys[key] for key in result.all())
    return taken


def _payload(day: date, notices: list[Notice]) -> dict[str, Any]:
    """Return the message payload: one item per (stage, slot), its topics' facts inside."""
    items: dict[tuple[int, str], dict[str, Any]] = {}
    for notice in sorted(notices, key=lambda notice: (notice.slot.due_at, notice.slot.stage_id)):
        slot = notice.slot
        item = items.setdefault(
            (slot.stage_id, slot.key),
            {"stage": slot.stage_id, "slot": slot.key, "kind": slot.kind.value},
        )
        item.setdefault(notice.topic.value, notice.facts)
    return {"day": day.isoformat(), "items": list(items.values())}


async def _write_messages(
    session: AsyncSession, day: date, batch: dict[int, list[Notice]], now: datetime
) -> bool:
    """Write each person's message and its reminders, all or none.

    Returns False when another run planned one of them first.
    """
    try:
        async with session.begin_nested():
            messages = {
                person_id: Outbox(
                    recipient_id=person_id,
                    kind=KIND,
                    payload=_payload(day, notices),
                    dedup_key=day_key(person_id, day),
                    due_at=now,
                )
                for person_id, notices in batch.items()
            }
            session.add_all(messages.values())
            await session.flush()
            session.add_all(
                PlannedReminder(
                    recipient_id=person_id,
                    stage_id=item["stage"],
                    slot=item["slot"],
                    outbox_id=message.id,
                    planned_at=now,
                )
                for person_id, message in messages.items()
                for item in message.payload["items"]
            )
            await session.flush()
    except IntegrityError:
        logger.info("Reminders for %s were planned by another run meanwhile", day.isoformat())
        return False
    return True
