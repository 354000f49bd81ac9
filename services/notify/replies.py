"""Replies as JSON payloads (an outbox row holds a reply that way until it is sent)."""

from __future__ import annotations

import base64
from typing import Any

from core.events import (
    AnswerCallback,
    Button,
    EditText,
    Keyboard,
    Reply,
    SendDocument,
    SendPhoto,
    SendText,
)

_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (SendText, EditText, AnswerCallback, SendPhoto, SendDocument)
}


def reply_to_payload(reply: Reply) -> dict[str, Any]:
    """Return the reply as a JSON-ready dict (bytes as base64)."""
    payload: dict[str, Any] = {"type": type(reply).__name__}
    for name in reply.__slots__:  # type: ignore[union-attr]
        value = getattr(reply, name)
        if isinstance(value, Keyboard):
            value = _keyboard_to_json(value)
        elif isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        payload[name] = value
    return payload


def reply_from_payload(payload: dict[str, Any]) -> Reply:
    """Rebuild the reply stored by `reply_to_payload`."""
    fields = dict(payload)
    cls = _TYPES[fields.pop("type")]
    if fields.get("keyboard") is not None:
        fields["keyboard"] = _keyboard_from_json(fields["keyboard"])
    if fields.get("content") is not None:
        fields["content"] = base64.b64decode(fields["content"])
    return cls(**fields)


def reply_chat(reply: Reply, default_chat: int) -> int:
    """Return the chat the reply goes to (a callback answer goes to the chat of the press)."""
    return getattr(reply, "chat_id", default_chat)


def _keyboard_to_json(keyboard: Keyboard) -> dict[str, Any]:
    rows = [
        [
            {
                name: getattr(button, name)
                for name in button.__slots__
                if getattr(button, name) not in (None, False)
            }
            for button in row
        ]
        for row in keyboard.rows
    ]
    return {"rows": rows, "inline": keyboard.inline, "one_time": keyboard.one_time}


def _keyboard_from_json(data: dict[str, Any]) -> Keyboard:
    rows = tuple(tuple(Button(**button) for button in row) for row in data["rows"])
    return Keyboard(rows=rows, inline=data["inline"], one_time=data["one_time"])
