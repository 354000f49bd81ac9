"""Musrenbang calendar: stages with their region scope, and the reminders planned from them.

A stage covers the whole regency (no region), one kecamatan or one desa. Kemendagri codes
nest (`17.07.01.2002` lies in kecamatan `17.07.01`, in kabupaten `17.07`), so a stage covers a
village when its region is the village itself or one of the code's ancestors.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, ForeignKey, String, UniqueConstraint, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models.base import timestamp_field


class StageLevel(StrEnum):
    """The four Musrenbang stages of a season (DESIGN §1)."""

    DESA = "desa"
    KECAMATAN = "kecamatan"
    OPD = "opd"
    KABUPATEN = "kabupaten"


class Stage(SQLModel, table=True):
    """One Musrenbang stage with its intake window and forum date."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    level: StageLevel = Field(sa_type=String(20))
    region_code: str | None = Field(default=None, foreign_key="region.code")
    opens_at: datetime = timestamp_field()
    closes_at: datetime = timestamp_field()
    forum_at: datetime | None = timestamp_field(nullable=True)


class ReminderPreference(SQLModel, table=True):
    """A person's choice about reminders; without a row reminders are on."""

    user_id: int = Field(
        sa_column=Column(
            BigInteger,
            ForeignKey("user.telegram_id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        )
    )
    enabled: bool = Field(default=True)
    changed_at: datetime = timestamp_field()


class PlannedReminder(SQLModel, table=True):
    """One reminder for one person about one stage slot, planned once into an outbox message.

    `slot` names what the reminder is about and the date it counts from, e.g.
    `close-3:2027-01-29` (three days before the close on 29 January): a stage moved to
    another date gets new slots, a rerun of the planner finds the old ones taken.
    """

    __table_args__ = (
        UniqueConstraint("recipient_id", "stage_id", "slot", name="uq_reminder_once"),
    )

    id: int | None = Field(default=None, primary_key=True)
    recipient_id: int = Field(
        sa_column=Column(
            BigInteger,
            ForeignKey("user.telegram_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    stage_id: int = Field(
        sa_column=Column(ForeignKey("stage.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    slot: str = Field(max_length=40)
    outbox_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("outbox.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    planned_at: datetime = timestamp_field()


def region_and_ancestors(region_code: str) -> list[str]:
    """Return the code and every code it lies in: `17.07.01.2002` → itself, `17.07.01`, …."""
    parts = region_code.split(".")
    return [".".join(parts[:length]) for length in range(len(parts), 0, -1)]


def covers(region_code: str) -> ColumnElement[bool]:
    """Return the condition "the stage covers `region_code`"."""
    return or_(
        col(Stage.region_code).is_(None),
        col(Stage.region_code).in_(region_and_ancestors(region_code)),
    )


async def list_stages(session: AsyncSession) -> list[Stage]:
    """Return every stage, in the order they open."""
    result = await session.exec(select(Stage).order_by(col(Stage.opens_at), col(Stage.id)))
    return list(result.all())


async def get_stage(session: AsyncSession, stage_id: int) -> Stage | None:
    """Return one stage by id."""
    return await session.get(Stage, stage_id)


async def stages_covering(session: AsyncSession, region_code: str) -> list[Stage]:
    """Return the stages that cover `region_code`, in the order they open."""
    result = await session.exec(
        select(Stage).where(covers(region_code)).order_by(col(Stage.opens_at), col(Stage.id))
    )
    return list(result.all())


async def stages_within(session: AsyncSession, region_code: str) -> list[Stage]:
    """Return the stages covering `region_code` or any place inside it (e.g. one of its desa)."""
    result = await session.exec(
        select(Stage)
        .where(
            or_(
                covers(region_code),
                col(Stage.region_code).startswith(f"{region_code}."),
            )
        )
        .order_by(col(Stage.opens_at), col(Stage.id))
    )
    return list(result.all())


async def open_stage(
    session: AsyncSession, now: datetime, region_code: str | None = None
) -> Stage | None:
    """Return the open stage (covering `region_code` when given) that closes first."""
    query = select(Stage).where(Stage.opens_at <= now, Stage.closes_at > now)
    if region_code is not None:
        query = query.where(covers(region_code))
    result = await session.exec(query.order_by(col(Stage.closes_at), col(Stage.id)))
    return result.first()


async def next_stage(
    session: AsyncSession, now: datetime, region_code: str | None = None
) -> Stage | None:
    """Return the next stage (covering `region_code` when given) that has not opened yet."""
    query = select(Stage).where(Stage.opens_at > now)
    if region_code is not None:
        query = query.where(covers(region_code))
    result = await session.exec(query.order_by(col(Stage.opens_at), col(Stage.id)))
    return result.first()


async def has_calendar(session: AsyncSession) -> bool:
    """Return whether Bappeda has configured any stage."""
    result = await session.exec(select(Stage.id).limit(1))
    return result.first() is not None


async def reminders_enabled(session: AsyncSession, user_id: int) -> bool:
    """Return whether the person wants reminders (yes unless they turned them off)."""
    preference = await session.get(ReminderPreference, user_id)
    return preference is None or preference.enabled


async def set_reminders_enabled(
    session: AsyncSession, *, user_id: int, enabled: bool, now: datetime
) -> None:
    """Record the person's choice about reminders."""
    preference = await session.get(ReminderPreference, user_id)
    if preference is None:
        session.add(ReminderPreference(user_id=user_id, enabled=enabled, changed_at=now))
        return
    preference.enabled = enabled
    preference.changed_at = now


async def users_without_reminders(session: AsyncSession) -> set[int]:
    """Return the ids of everyone who turned reminders off."""
    result = await session.exec(
        select(ReminderPreference.user_id).where(col(ReminderPreference.enabled).is_(False))
    )
    return set(result.all())
