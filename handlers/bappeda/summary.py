"""/ringkasan: the daily summary on demand, for Bappeda staff only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import SendDocument, SendPhoto
from core.i18n import N_, _
from handlers.router import Command
from models.enums import Role
from services.access import is_bappeda
from services.reports.summary import build_summary

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


async def send_summary(context: Context) -> None:
    """Send the summary text, the chart and the workbook; refuse politely anyone else."""
    if not is_bappeda(context.user, context.settings.bappeda_admin_ids):
        context.say(
            _(
                "Sorry, the summary of all proposals is only for Bappeda staff. To follow "
                "your own proposals, type /usulansaya, or /status with a tracking code."
            )
        )
        await context.ask_current_step()
        return
    summary = await build_summary(
        context.session, until=context.now, settings=context.settings, locale=context.user.language
    )
    for part in summary.parts:
        context.say(part)
    context.replies.append(
        SendPhoto(
            context.chat_id,
            content=summary.chart_png,
            filename=summary.chart_filename,
            caption=summary.chart_caption,
        )
    )
    context.replies.append(
        SendDocument(
            context.chat_id,
            content=summary.workbook_xlsx,
            filename=summary.workbook_filename,
            caption=summary.workbook_caption,
        )
    )
    await context.ask_current_step()


def register(router: Router) -> None:
    """Add /ringkasan (also /summary)."""
    router.add_command(
        Command(
            "ringkasan",
            send_summary,
            describe=N_("Summary of all proposals (Bappeda only)"),
            aliases=("summary",),
            needs_consent=False,
            roles=frozenset({Role.BAPPEDA}),
        )
    )
