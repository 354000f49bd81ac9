"""/ringkasan: the daily summary on demand, for Bappeda staff only."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from core.events import Reply, SendDocument, SendPhoto, SendText
from core.i18n import N_, _
from handlers.router import Command
from models.enums import Role
from services.access import is_bappeda
from services.reports.summary import Summary, build_daily_summary, build_summary
from services.scheduling.announcements import DAILY_SUMMARY

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from core.config import Settings
    from handlers.context import Context
    from handlers.router import Router
    from models.users import User


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
    context.replies.extend(summary_replies(context.chat_id, summary))
    await context.ask_current_step()


def summary_replies(chat_id: int, summary: Summary) -> list[Reply]:
    """Return the summary as messages: its text parts, the chart and the workbook."""
    return [
        *(SendText(chat_id, part) for part in summary.parts),
        SendPhoto(
            chat_id,
            content=summary.chart_png,
            filename=summary.chart_filename,
            caption=summary.chart_caption,
        ),
        SendDocument(
            chat_id,
            content=summary.workbook_xlsx,
            filename=summary.workbook_filename,
            caption=summary.workbook_caption,
        ),
    ]


async def render_daily_summary(
    payload: dict[str, Any], *, session: AsyncSession, recipient: User, settings: Settings
) -> list[Reply]:
    """Build the morning summary of `payload["day"]` for an admin, in their language."""
    if not is_bappeda(recipient, settings.bappeda_admin_ids):
        return []
    day = date.fromisoformat(payload["day"])
    summary = await build_daily_summary(session, day, settings, recipient.language)
    return summary_replies(recipient.telegram_id, summary)


RENDERERS = {DAILY_SUMMARY: render_daily_summary}


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
