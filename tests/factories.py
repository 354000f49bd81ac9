"""Builders of test events that look like what the runtimes produce."""

from __future__ import annotations

import itertools
from typing import Any

from core.events import Event, EventKind

_update_ids = itertools.count(1000)

DEFAULT_CHAT = 5001


def make_event(kind: EventKind = EventKind.TEXT, text: str = "", **fields: Any) -> Event:
    """Return an event from a private chat, with a fresh update id unless one is given."""
    chat_id = fields.pop("chat_id", DEFAULT_CHAT)
    values: dict[str, Any] = {
        "update_id": fields.pop("update_id", next(_update_ids)),
        "user_id": fields.pop("user_id", chat_id),
        "chat_id": chat_id,
        "kind": kind,
        "text": text,
        "language": "id",
        "first_name": "Siti",
    }
    values.update(fields)
    return Event(**values)


def command(name: str, args: str = "", **fields: Any) -> Event:
    """Return a /command event."""
    return make_event(EventKind.COMMAND, args, command=name, **fields)


def text(value: str, **fields: Any) -> Event:
    """Return a text message event."""
    return make_event(EventKind.TEXT, value, **fields)


def press(data: str, *, message_id: int = 1, **fields: Any) -> Event:
    """Return a button press event."""
    callback_id = fields.pop("callback_id", f"cb{next(_update_ids)}")
    return make_event(
        EventKind.CALLBACK, data, callback_id=callback_id, message_id=message_id, **fields
    )
