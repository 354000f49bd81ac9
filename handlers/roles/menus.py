"""Each role's command list in Telegram's menu, set per chat when the role changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import SetCommands
from core.i18n import _, use_locale
from models.enums import Role
from services.access import role_of

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


def commands_for(router: Router, role: str, locale: str) -> tuple[tuple[str, str], ...]:
    """Return the (command, description) pairs `role` sees, in `locale`, in menu order."""
    with use_locale(locale):
        return tuple(
            (command.name, _(command.describe))
            for command in router.ordered_commands()
            if command.shown_to(role)
        )


def set_commands(context: Context) -> None:
    """Give the person's chat the command list of the role they hold now."""
    if context.router is None:
        return
    role = role_of(context.user, context.settings.bappeda_admin_ids)
    context.replies.append(
        SetCommands(context.chat_id, commands_for(context.router, role, context.user.language))
    )


def set_official_commands(context: Context) -> None:
    """Refresh an official's command list (residents keep the default one)."""
    if role_of(context.user, context.settings.bappeda_admin_ids) is not Role.WARGA:
        set_commands(context)
