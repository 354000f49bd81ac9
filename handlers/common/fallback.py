"""Answers for what the bot did not expect: unknown commands, stray text, old buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import AnswerCallback, Event, EventKind, Reply, SendText
from core.i18n import _
from handlers.common import idle, menu

if TYPE_CHECKING:
    from handlers.context import Context


async def unknown_command(context: Context) -> None:
    """Name the unknown command and point to the help."""
    context.say(
        _("I don't know the command /{command}. Type /bantuan to see what I can do.").format(
            command=context.event.command or ""
        )
    )
    if not await context.ask_current_step():
        await menu.show_menu(context)


async def not_understood(context: Context) -> None:
    """Answer a plain message at idle, or tell the person what they can do."""
    if await idle.answer_idle(context):
        return
    context.say(
        _("I did not understand that message. Choose from the menu below, or type /bantuan.")
    )
    await menu.show_menu(context)


async def stale_button(context: Context) -> None:
    """Explain that a button from an old message no longer works, then ask the current step."""
    context.answer_callback(_("This button is no longer active."))
    if await context.ask_current_step():
        return
    await menu.show_menu(context)


def apology_replies(event: Event, text: str) -> list[Reply]:
    """Return the apology for a failed update, answering a pressed button too."""
    replies: list[Reply] = []
    if event.kind is EventKind.CALLBACK and event.callback_id:
        replies.append(AnswerCallback(event.callback_id))
    replies.append(SendText(event.chat_id, text))
    return replies
