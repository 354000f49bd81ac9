"""/bantuan: what the bot does and the commands that always work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_, _
from handlers.common import consent, menu
from handlers.context import escape
from handlers.router import Command
from services.access import role_of

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


async def show_help(context: Context) -> None:
    """Explain the bot and list the commands."""
    lines = [_("<b>How to use this bot</b>"), ""]
    lines.append(
        _(
            "Press the buttons, or answer my questions by typing. You can stop at any time: "
            "what you have entered is kept as a draft."
        )
    )
    lines.append("")
    role = role_of(context.user, context.settings.bappeda_admin_ids)
    lines.extend(
        f"/{command.name}: {_(command.describe)}"
        for command in context.router.ordered_commands()
        if command.shown_to(role)
    )
    settings = context.settings
    if settings.bappeda_contact:
        lines.append("")
        lines.append(
            _("Need to talk to a person? Bappeda of {regency}: {contact} ({hours}).").format(
                regency=settings.regency_name,
                contact=escape(settings.bappeda_contact),
                hours=escape(settings.bappeda_office_hours),
            )
        )
    context.answer_callback()
    context.say("\n".join(lines))
    if consent.has_consent(context) and not await context.ask_current_step():
        await menu.show_menu(context)


def register(router: Router) -> None:
    """Add /bantuan (also /help)."""
    router.add_command(
        Command(
            "bantuan",
            show_help,
            describe=N_("Help and the list of commands"),
            aliases=("help",),
            menu_label=N_("❓ Help"),
            needs_consent=False,
        )
    )
