"""The command list runtimes register with Telegram (setMyCommands)."""

from __future__ import annotations

from core.i18n import _, use_locale
from handlers.registry import build_router


def command_menu(locale: str = "id") -> list[tuple[str, str]]:
    """Return (command, description) pairs in `locale`, in menu order."""
    with use_locale(locale):
        return [
            (command.name, _(command.describe)) for command in build_router().ordered_commands()
        ]
