"""Calendar words shared by the schedule views and the reminders: dates, days left, areas."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_, _, ngettext
from handlers.context import escape
from models.calendar import StageLevel
from models.regions import get_region
from services.calendar.display import format_moment

if TYPE_CHECKING:
    from datetime import datetime

    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from models.calendar import Stage

LEVEL_LABELS: dict[StageLevel, str] = {
    StageLevel.DESA: N_("Musrenbang Desa/Kelurahan"),
    StageLevel.KECAMATAN: N_("Musrenbang Kecamatan"),
    StageLevel.OPD: N_("Forum OPD"),
    StageLevel.KABUPATEN: N_("Musrenbang Kabupaten"),
}


def level_label(level: StageLevel | str) -> str:
    """Return the stage level as people call it."""
    return _(LEVEL_LABELS[StageLevel(level)])


def when(moment: datetime, settings: Settings, locale: str) -> str:
    """Return a moment as people read it: "Jumat, 29 Januari 2027, 16.00 WIB"."""
    return format_moment(moment, zone=settings.zone, locale=locale)


def in_days(days: int) -> str:
    """Return "today", "tomorrow" or "in 3 days"."""
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    return ngettext("in {days} day", "in {days} days", days).format(days=days)


async def area_name(session: AsyncSession, region_code: str | None) -> str:
    """Return the area a stage covers, escaped for HTML: a region's name or the whole regency."""
    if region_code is None:
        return _("the whole regency")
    region = await get_region(session, region_code)
    return escape(region.name if region is not None else region_code)


async def stage_title(session: AsyncSession, stage: Stage) -> str:
    """Return the stage's name and area, escaped for HTML."""
    return _("{name} ({area})").format(
        name=escape(stage.name), area=await area_name(session, stage.region_code)
    )


def stage_state(stage: Stage, now: datetime, settings: Settings) -> str:
    """Return where the stage stands at `now`, with the days left to what comes next."""
    today = now.astimezone(settings.zone).date()

    def days_to(moment: datetime) -> int:
        return (moment.astimezone(settings.zone).date() - today).days

    if now < stage.opens_at:
        return _("🗓 Opens {when}.").format(when=in_days(days_to(stage.opens_at)))
    if now < stage.closes_at:
        return _("⏳ Open now; intake closes {when}.").format(
            when=in_days(days_to(stage.closes_at))
        )
    if stage.forum_at is not None and now < stage.forum_at:
        return _("🗣 Intake closed; the forum is {when}.").format(
            when=in_days(days_to(stage.forum_at))
        )
    return _("✅ Finished.")


async def stage_block(
    session: AsyncSession, stage: Stage, *, now: datetime, settings: Settings, locale: str
) -> str:
    """Return the stage's name, area, dates and state, one per line."""
    lines = [
        f"<b>{await stage_title(session, stage)}</b>",
        _("Opens: {when}").format(when=when(stage.opens_at, settings, locale)),
        _("Closes: {when}").format(when=when(stage.closes_at, settings, locale)),
    ]
    if stage.forum_at is not None:
        lines.append(_("Forum: {when}").format(when=when(stage.forum_at, settings, locale)))
    lines.append(stage_state(stage, now, settings))
    return "\n".join(lines)
