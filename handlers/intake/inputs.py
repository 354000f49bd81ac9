"""Checks shared by the steps: wrong kind of message, empty or too long text, stray text."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from core.events import EventKind
from core.i18n import _

if TYPE_CHECKING:
    from handlers.context import Context


def wrong_kind_message(kind: EventKind) -> str:
    """Explain why this kind of message cannot answer a question that needs typed text."""
    if kind is EventKind.PHOTO or kind is EventKind.DOCUMENT:
        return _(
            "Thank you, but photos come later, in the photo step. Right now please type "
            "your answer."
        )
    if kind is EventKind.LOCATION:
        return _(
            "Thank you, but the location comes later, in the location step. Right now please "
            "type your answer."
        )
    if kind is EventKind.CALLBACK:
        return _("That button does not answer this question. Please type your answer.")
    return _("Sorry, I cannot read stickers, voice notes or videos. Please type your answer.")


async def read_text(context: Context, *, max_length: int, min_length: int = 1) -> str | None:
    """Return the typed answer, or say what is wrong, ask again and return None."""
    event = context.event
    if event.kind is not EventKind.TEXT:
        context.answer_callback()
        context.say(wrong_kind_message(event.kind))
        await context.ask_current_step()
        return None
    value = " ".join(event.text.split())
    shown = "".join(char for char in value if not unicodedata.category(char).startswith("C"))
    if len(shown.strip()) < min_length:
        context.say(
            _("The answer is too short. Please write at least {count} characters.").format(
                count=min_length
            )
            if shown.strip()
            else _("The answer is empty. Please type your answer.")
        )
        await context.ask_current_step()
        return None
    if len(value) > max_length:
        context.say(
            _(
                "That is {length} characters; at most {limit} fit here. Please shorten it "
                "and send it again."
            ).format(length=len(value), limit=max_length)
        )
        await context.ask_current_step()
        return None
    return value


async def ask_for_button(context: Context) -> None:
    """Tell someone who typed (or pressed another button) to press one, and ask again."""
    context.answer_callback()
    if context.event.kind in {EventKind.TEXT, EventKind.CALLBACK}:
        context.say(_("Please choose one of the buttons below."))
    else:
        context.say(wrong_kind_message(context.event.kind))
    await context.ask_current_step()
