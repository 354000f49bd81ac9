"""The main menu: the commands a person can start from a button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from core.events import Keyboard
from core.i18n import N_, _
from handlers.callbacks import CallbackData, in_rows
from handlers.router import Command
from models.enums import Role
from services.access import role_of

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


class MenuChoice(CallbackData, prefix="menu"):
    command: str = Field(pattern=r"^[a-z_]{1,32}$")


def menu_keyboard(router: Router[Context], role: str = Role.WARGA) -> Keyboard:
    """Return one button per command with a menu label shown to `role`, two per row."""
    buttons = [
        MenuChoice(command=command.name).button(_(command.menu_label))
        for command in router.ordered_commands()
        if command.menu_label and command.shown_to(role)
    ]
    return Keyboard.inline_rows(in_rows(buttons))


async def show_menu(context: Context, *, lead: str | None = None) -> None:
    """Send the main menu; `lead` goes first in the same message."""
    question = _("What would you like to do?")
    text = f"{lead}\n\n{question}" if lead else question
    role = role_of(context.user, context.settings.bappeda_admin_ids)
    context.say(text, menu_keyboard(context.router, role))


async def on_menu_button(context: Context) -> None:
    """Run the command behind a menu button."""
    pressed = context.pressed(MenuChoice)
    command = context.router.commands.get(pressed.command) if pressed else None
    if command is None:
        context.answer_callback(_("This button is no longer available."))
        await show_menu(context)
        return
    context.answer_callback()
    await command.handler(context)


async def menu_command(context: Context) -> None:
    """Show the menu on /menu."""
    await show_menu(context)


def register(router: Router) -> None:
    """Add /menu and the menu buttons."""
    router.add_command(Command("menu", menu_command, describe=N_("Show the main menu")))
    router.add_callback(MenuChoice, on_menu_button)
