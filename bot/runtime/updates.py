"""Bot API update → core Event; shared by the aiogram and PTB adapters.

aiogram and python-telegram-bot both mirror the Bot API's field names (``message.from_user``,
``callback_query.data``, ``message.photo[i].file_id``...), so one reader serves both.
"""

from __future__ import annotations

import re
from typing import Any

from core.events import Event, EventKind
from handlers.common.commands import command_menu

#: Update types both runtimes ask Telegram for.
ALLOWED_UPDATES = ["message", "callback_query"]

#: The menu Telegram shows everybody (Indonesian, the default language).
MENU_LOCALE = "id"

_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?", re.DOTALL)

#: Update fields that carry something the core does not act on, with their sender.
_OTHER_FIELDS = (
    "edited_message",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "inline_query",
    "chosen_inline_result",
    "shipping_query",
    "pre_checkout_query",
    "poll_answer",
    "message_reaction",
)


def menu_commands() -> list[tuple[str, str]]:
    """Return the (command, description) pairs to register with setMyCommands."""
    return command_menu(MENU_LOCALE)


def event_from_update(update: Any, *, bot_username: str | None) -> Event | None:
    """Translate an aiogram or PTB Update; None when it is not for this bot or has no sender.

    Args:
        update: An ``aiogram.types.Update`` or a ``telegram.Update``.
        bot_username: This bot's username, to skip ``/command@otherbot``.
    """
    if update.message is not None:
        return _from_message(update.update_id, update.message, bot_username)
    query = update.callback_query
    if query is not None:
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        return _event(
            update.update_id,
            query.from_user,
            chat_id,
            EventKind.CALLBACK,
            chat_type=query.message.chat.type if query.message is not None else "private",
            text=query.data or "",
            callback_id=query.id,
            message_id=query.message.message_id if query.message is not None else None,
        )
    return _from_other(update)


def _from_message(update_id: int, message: Any, bot_username: str | None) -> Event | None:
    user = message.from_user
    chat = message.chat
    if user is None or chat is None:
        return None
    fields: dict[str, Any]
    if message.text is not None:
        fields = _text_fields(message.text, bot_username)
        if not fields:
            return None
    elif message.location is not None:
        location = message.location
        fields = {
            "kind": EventKind.LOCATION,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    elif message.photo:
        largest = max(
            message.photo, key=lambda size: (size.width * size.height, size.file_size or 0)
        )
        fields = {"kind": EventKind.PHOTO, "file_id": largest.file_id}
    elif message.document is not None:
        document = message.document
        fields = {
            "kind": EventKind.DOCUMENT,
            "file_id": document.file_id,
            "mime_type": document.mime_type,
            "file_name": document.file_name,
        }
    elif message.contact is not None:
        fields = {"kind": EventKind.CONTACT, "phone_number": message.contact.phone_number}
    else:
        fields = {"kind": EventKind.OTHER}
    if fields["kind"] is not EventKind.COMMAND and fields["kind"] is not EventKind.TEXT:
        fields["text"] = message.caption or ""
    return _event(
        update_id,
        user,
        chat.id,
        chat_type=chat.type,
        message_id=message.message_id,
        **fields,
    )


def _text_fields(text: str, bot_username: str | None) -> dict[str, Any]:
    """Return command or text fields; empty when the command is addressed to another bot."""
    match = _COMMAND.fullmatch(text.strip())
    if match is None:
        return {"kind": EventKind.TEXT, "text": text}
    command, addressee, arguments = match.groups()
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return {}
    return {"kind": EventKind.COMMAND, "command": command, "text": (arguments or "").strip()}


def _from_other(update: Any) -> Event | None:
    for name in _OTHER_FIELDS:
        payload = getattr(update, name, None)
        if payload is None:
            continue
        user = getattr(payload, "from_user", None) or getattr(payload, "user", None)
        if user is None:
            return None
        chat = getattr(payload, "chat", None)
        return _event(
            update.update_id,
            user,
            chat.id if chat is not None else user.id,
            EventKind.OTHER,
            chat_type=chat.type if chat is not None else "private",
        )
    return None


def _event(
    update_id: int, user: Any, chat_id: int, kind: EventKind, *, chat_type: Any, **fields: Any
) -> Event:
    return Event(
        update_id=update_id,
        user_id=user.id,
        chat_id=chat_id,
        kind=kind,
        language=user.language_code,
        first_name=user.first_name or "",
        username=user.username,
        chat_type=str(chat_type),
        **fields,
    )
