"""Group chats and channels: no intake, nobody's data; commands get a way to the private chat."""

from __future__ import annotations

from core.events import AnswerCallback, Button, Event, EventKind, Keyboard, Reply, SendText
from core.i18n import _

PRIVATE = "private"
#: What the deep link passes to /start in the private chat.
DEEP_LINK_PAYLOAD = "grup"


def is_private(event: Event) -> bool:
    """Tell whether the event comes from a person's private chat with the bot."""
    return event.chat_type == PRIVATE


def pressed_by_someone_else(event: Event) -> bool:
    """Tell whether a button was pressed by someone other than the person it was shown to.

    In a private chat the chat is the person; a button anywhere else belongs to nobody.
    """
    return event.kind is EventKind.CALLBACK and (
        not is_private(event) or event.user_id != event.chat_id
    )


def private_chat_link(bot_username: str | None) -> str | None:
    """Return the link that opens the private chat with the bot (None when unknown)."""
    if not bot_username:
        return None
    return f"https://t.me/{bot_username}?start={DEEP_LINK_PAYLOAD}"


def group_replies(event: Event, *, bot_username: str | None) -> list[Reply]:
    """Answer an event outside a private chat: a command gets one line and a link, nothing else.

    Nothing is read from or written to anyone's conversation here.
    """
    if event.kind is EventKind.CALLBACK:
        if not event.callback_id:
            return []
        return [AnswerCallback(event.callback_id, _("This button is not for you."))]
    if event.kind is not EventKind.COMMAND:
        return []
    text = _(
        "I only take proposals in a private chat, so your data stays between you and me. "
        "Tap the button below."
    )
    link = private_chat_link(bot_username)
    if link is None:
        return [SendText(event.chat_id, text)]
    keyboard = Keyboard.inline_rows([[Button(_("Open a private chat"), url=link)]])
    return [SendText(event.chat_id, text, keyboard=keyboard)]
