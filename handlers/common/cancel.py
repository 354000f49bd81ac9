"""/batal: stop the current action after a confirmation, keeping the draft unless discarded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from core.events import Keyboard
from core.i18n import N_, _
from handlers.callbacks import CallbackData
from handlers.common import menu
from handlers.router import Command
from services.drafts import Draft

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router

IDLE = "idle"
INTAKE_PREFIX = "usul."


class CancelChoice(CallbackData, prefix="batal"):
    choice: Literal["keep", "discard", "back"]


async def cancel(context: Context) -> None:
    """Ask whether to stop the current action."""
    if context.step == IDLE:
        context.answer_callback()
        context.say(_("There is nothing to cancel right now."))
        await menu.show_menu(context)
        return
    if not context.step.startswith(INTAKE_PREFIX):
        context.answer_callback()
        context.go(IDLE)
        context.say(_("Cancelled."))
        await menu.show_menu(context)
        return
    keyboard = Keyboard.inline_rows(
        [
            [CancelChoice(choice="keep").button(_("⏸ Stop, keep the draft"))],
            [CancelChoice(choice="discard").button(_("🗑 Stop and delete the draft"))],
            [CancelChoice(choice="back").button(_("↩️ Continue filling in"))],
        ]
    )
    context.answer_callback()
    context.say(
        _(
            "Do you want to stop? If you keep the draft, it is saved for {days} days and you "
            "can continue it later with /usul."
        ).format(days=context.settings.draft_keep_days),
        keyboard,
    )


async def on_cancel_button(context: Context) -> None:
    """Carry out the choice made after /batal."""
    pressed = context.pressed(CancelChoice)
    if context.step == IDLE or pressed is None:
        await _stale(context)
        return
    choice = pressed.choice
    if choice == "back":
        context.answer_callback()
        context.edit(_("All right, let's continue."))
        await context.ask_current_step()
        return
    if choice == "keep":
        context.update_draft(resume_step=context.step, saved_at=context.now)
        context.edit(
            _("Stopped. Your draft is kept for {days} days; type /usul to continue it.").format(
                days=context.settings.draft_keep_days
            )
        )
    else:
        context.save_draft(Draft())
        context.edit(_("Stopped, and the draft was deleted."))
    context.answer_callback()
    context.go(IDLE)
    await menu.show_menu(context)


async def _stale(context: Context) -> None:
    context.answer_callback(_("This button is no longer active."))
    await menu.show_menu(context)


def register(router: Router) -> None:
    """Add /batal (also /cancel) and its confirmation buttons."""
    router.add_command(
        Command(
            "batal",
            cancel,
            describe=N_("Stop what you are doing (the draft is kept)"),
            aliases=("cancel",),
            needs_consent=False,
        )
    )
    router.add_callback(CancelChoice, on_cancel_button)
