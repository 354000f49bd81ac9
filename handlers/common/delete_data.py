"""/hapusdata: delete the person's personal data after a confirmation; proposals stay."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from core.events import Keyboard
from core.i18n import N_, _
from handlers.callbacks import CallbackData
from handlers.common import menu
from handlers.router import Command
from models.enums import Role
from models.proposals import list_user_proposals
from services.privacy import forget_person

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router


class DeleteAnswer(CallbackData, prefix="hapusdata"):
    answer: Literal["yes", "no"]


async def ask_delete(context: Context) -> None:
    """Say what would be deleted and what would stay, and ask to confirm."""
    proposals = len(await list_user_proposals(context.session, context.user.telegram_id))
    kept = (
        _(
            "Your proposals ({count}) stay, without your name, so they can still be "
            "discussed at the Musrenbang. After this you will no longer get news about them."
        ).format(count=proposals)
        if proposals
        else _("You have not submitted any proposal, so nothing else is kept.")
    )
    lines = [
        _(
            "This deletes your personal data from this bot: your name, Telegram username, "
            "phone number and any unfinished draft."
        ),
        kept,
    ]
    if context.user.role != Role.WARGA:
        lines.append(
            _("Your registration as an official is removed too; you would need a new invite.")
        )
    lines.append(_("Do you want to delete your data?"))
    keyboard = Keyboard.inline_rows(
        [
            [DeleteAnswer(answer="yes").button(_("🗑 Yes, delete my data"))],
            [DeleteAnswer(answer="no").button(_("↩️ No, keep it"))],
        ]
    )
    context.answer_callback()
    context.say("\n\n".join(lines), keyboard)


async def on_confirm_button(context: Context) -> None:
    """Delete the data on "yes"; change nothing on "no"."""
    pressed = context.pressed(DeleteAnswer)
    context.answer_callback()
    if pressed is None or pressed.answer != "yes":
        context.edit(_("All right, nothing was deleted."))
        if not await context.ask_current_step():
            await menu.show_menu(context)
        return
    kept = await forget_person(
        context.session, user=context.user, conversation=context.conversation
    )
    context.edit(
        _(
            "Done. Your name, username, phone number and draft have been deleted.\n\n"
            "Kept without your name: {proposals} proposals and {supports} supports, so "
            "the Musrenbang can still discuss them. Only how many proposals you sent in "
            "each period stays with your Telegram id, for the limit per person.\n\n"
            "If you want to use this bot again, type /start."
        ).format(proposals=kept.proposals, supports=kept.supports)
    )


def register(router: Router) -> None:
    """Add /hapusdata and its confirmation buttons; both work without consent."""
    router.add_command(
        Command(
            "hapusdata",
            ask_delete,
            describe=N_("Delete your personal data (proposals stay, without your name)"),
            needs_consent=False,
        )
    )
    router.add_callback(DeleteAnswer, on_confirm_button, before_consent=True)
