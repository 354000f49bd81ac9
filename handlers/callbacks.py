"""Button data: `namespace:value`, at most Telegram's 64 bytes."""

from __future__ import annotations

from core.events import Button

MAX_CALLBACK_BYTES = 64


def pack(namespace: str, value: str = "") -> str:
    """Join a namespace and a value into callback data, refusing data Telegram would reject."""
    data = f"{namespace}:{value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        msg = f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}"
        raise ValueError(msg)
    return data


def unpack(data: str) -> tuple[str, str]:
    """Split callback data into namespace and value; unknown shapes give an empty namespace."""
    namespace, separator, value = data.partition(":")
    if not separator:
        return "", data
    return namespace, value


def button(text: str, namespace: str, value: str = "") -> Button:
    """Return an inline button carrying packed data."""
    return Button(text=text, data=pack(namespace, value))
