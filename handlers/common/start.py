"""/start: greet, explain in two sentences, ask for consent or show the menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_, _
from handlers.common import consent, menu
from handlers.context import escape
from handlers.roles import accept, menus
from handlers.router import Command

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


async def start(context: Context) -> None:
    """Greet the person; new people are asked for consent, known ones get the menu.

    ``/start TOKEN`` comes from an invite link and opens the invite instead.
    """
    if context.event.text.strip():
        await accept.open_invite(context, context.event.text.strip())
        return
    menus.set_official_commands(context)
    name = escape(context.event.first_name or _("friend"))
    greeting = _(
        "Hello, {name}! 👋 I am the Musrenbang assistant of {regency}.\n\n"
        "Here you can propose development for your desa or kelurahan, and I check it "
        "right away against the programs of the RPJMD. You can then follow your "
        "proposal until it is discussed at the Musrenbang."
    ).format(name=name, regency=escape(context.settings.regency_name))
    if not consent.has_consent(context):
        await consent.ask_consent(context, lead=greeting)
        return
    if context.step != "idle":
        context.say(greeting)
        await context.ask_current_step()
        return
    await menu.show_menu(context, lead=greeting)


def register(router: Router) -> None:
    """Add /start."""
    router.add_command(
        Command("start", start, describe=N_("Start, or show the menu"), needs_consent=False)
    )
