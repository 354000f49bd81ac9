"""The command list runtimes register with Telegram (setMyCommands)."""

from __future__ import annotations

from core.i18n import _, use_locale
from handlers.registry import build_router
from models.enums import Role


def command_menu(locale: str = "id", role: str = Role.WARGA) -> list[tuple[str, str]]:
    """Return (command, description) pairs for `role` in `locale`, in menu order."""
    with use_locale(locale):
        return [
            (command.name, _(command.describe))
            for command in build_router().ordered_commands()
            if command.shown_to(role)
        ]
