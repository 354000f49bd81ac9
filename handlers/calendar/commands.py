"""Register /jadwal (everyone's schedule, Bappeda's calendar) and /pengingat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_
from handlers.bappeda import schedule, schedule_form
from handlers.calendar import reminder_switch, schedule_view
from handlers.router import Command
from services.access import is_bappeda

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


async def show_jadwal(context: Context) -> None:
    """Show Bappeda the calendar to manage; everyone else their village's schedule."""
    if is_bappeda(context.user, context.settings.bappeda_admin_ids):
        await schedule.show_calendar(context)
        return
    await schedule_view.show_schedule(context)


def register(router: Router) -> None:
    """Add /jadwal, /pengingat, their buttons and the stage form's steps."""
    router.add_command(
        Command(
            "jadwal",
            show_jadwal,
            describe=N_("Musrenbang schedule and deadlines"),
            aliases=("kalender",),
            menu_label=N_("📅 Schedule"),
        )
    )
    router.add_command(
        Command(
            "pengingat",
            reminder_switch.show_switch,
            describe=N_("Turn reminders before deadlines on or off"),
        )
    )
    schedule_view.register(router)
    reminder_switch.register(router)
    schedule.register(router)
    schedule_form.register(router)
