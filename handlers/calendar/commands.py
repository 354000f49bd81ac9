"""Register /jadwal (everyone's schedule, Bappeda's calendar) and /pengingat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_
from handlers.bappeda import schedule, schedule_form
from handlers.calendar import reminder_switch, schedule_view
from handlers.router import Command

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


async def show_jadwal(context: Context) -> None:
    """Show Bappeda the calendar to manage; everyone else their village's schedule."""
    if schedule.is_bappeda(context):
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
    router.add_callback(schedule_view.NAMESPACE, schedule_view.on_button)
    router.add_callback(reminder_switch.NAMESPACE, reminder_switch.on_button)
    router.add_callback(schedule.NAMESPACE, schedule.on_button)
    schedule_form.register(router)
