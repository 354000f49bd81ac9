"""/jadwal for residents, lurah and camat: the stages that cover their village, with days left."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from core.events import Keyboard
from core.i18n import _
from handlers.calendar.phrases import area_name, stage_block
from handlers.callbacks import CallbackData, RegionCode, in_rows
from handlers.common import fallback
from models.calendar import reminders_enabled, stages_covering, stages_within
from models.enums import RegionLevel
from models.proposals import Proposal
from models.regions import get_region, list_by_level

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router
    from models.calendar import Stage

# Stages over for longer than this are history, not schedule.
SHOWN_AFTER_END = timedelta(days=30)


class ScheduleOf(CallbackData, prefix="jadwalku"):
    """Show a kecamatan's schedule."""

    code: RegionCode


class AnotherKecamatan(CallbackData, prefix="jadwalkec"):
    """Offer the kecamatan again."""


async def show_schedule(context: Context) -> None:
    """Show the schedule of the person's village, or ask for their kecamatan first."""
    context.answer_callback()
    region_code = await _home_region(context)
    if region_code is None:
        await _ask_kecamatan(context)
        return
    await _show_region(context, region_code, chosen=False)


async def on_another_button(context: Context) -> None:
    """Offer the kecamatan again."""
    context.answer_callback()
    await _ask_kecamatan(context)


async def on_kecamatan_button(context: Context) -> None:
    """Show a chosen kecamatan's schedule."""
    pressed = context.pressed(ScheduleOf)
    region = await get_region(context.session, pressed.code) if pressed is not None else None
    if region is None or region.level != RegionLevel.KECAMATAN:
        await fallback.stale_button(context)
        return
    await _show_region(context, region.code, chosen=True)


async def _home_region(context: Context) -> str | None:
    """Return the person's village: an official's area, else their draft's or last proposal's."""
    user = context.user
    if user.region_code:
        return user.region_code
    draft = context.draft
    if draft.desa_code or draft.kecamatan_code:
        return draft.desa_code or draft.kecamatan_code
    result = await context.session.exec(
        select(Proposal.desa_code)
        .where(Proposal.proposer_id == user.telegram_id)
        .order_by(col(Proposal.created_at).desc())
        .limit(1)
    )
    return result.first()


async def _ask_kecamatan(context: Context) -> None:
    kecamatan = await list_by_level(context.session, RegionLevel.KECAMATAN)
    buttons = [ScheduleOf(code=region.code).button(region.name) for region in kecamatan]
    context.edit(
        _("Which kecamatan do you live in? I will show its Musrenbang schedule."),
        Keyboard.inline_rows(in_rows(buttons)),
    )


def _current(stages: list[Stage], context: Context) -> list[Stage]:
    """Keep the stages still ahead or ended recently."""
    horizon = context.now - SHOWN_AFTER_END
    return [stage for stage in stages if (stage.forum_at or stage.closes_at) >= horizon]


async def _show_region(context: Context, region_code: str, *, chosen: bool) -> None:
    session = context.session
    region = await get_region(session, region_code)
    is_kecamatan = region is not None and region.level == RegionLevel.KECAMATAN
    stages = await (stages_within if is_kecamatan else stages_covering)(session, region_code)
    stages = _current(stages, context)
    place = await area_name(session, region_code)
    if not stages:
        lines = [
            _("Bappeda has not set a Musrenbang schedule for {place} yet.").format(place=place)
        ]
    else:
        lines = [_("📅 <b>Musrenbang schedule for {place}</b>").format(place=place)]
        for stage in stages:
            block = await stage_block(
                session,
                stage,
                now=context.now,
                settings=context.settings,
                locale=context.user.language,
            )
            lines += ["", block]
    lines += ["", await _reminder_line(context)]
    keyboard = None
    if chosen or not context.user.region_code:
        keyboard = Keyboard.inline_rows([[AnotherKecamatan().button(_("🔎 Another kecamatan"))]])
    context.edit("\n".join(lines), keyboard)


async def _reminder_line(context: Context) -> str:
    if await reminders_enabled(context.session, context.user.telegram_id):
        return _("🔔 I remind you before each deadline. Type /pengingat to turn reminders off.")
    return _("🔕 Reminders are off. Type /pengingat to turn them on.")


def register(router: Router) -> None:
    """Add the schedule's kecamatan buttons."""
    router.add_callback(ScheduleOf, on_kecamatan_button)
    router.add_callback(AnotherKecamatan, on_another_button)
