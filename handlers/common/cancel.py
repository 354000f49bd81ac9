"""/batal: stop the current action after a confirmation, keeping the draft unless discarded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.events import Keyboard
from core.i18n import N_, _
from handlers.callbacks import button, unpack
from handlers.common import menu
from handlers.router import Command

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router

NAMESPACE = "batal"
IDLE = "idle"
INTAKE_PREFIX = "usul."
RESUME_KEY = "resume_step"
DRAFT_DAYS = 7


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
            [button(_("⏸ Stop, keep the draft"), NAMESPACE, "keep")],
            [button(_("🗑 Stop and delete the draft"), NAMESPACE, "discard")],
            [button(_("↩️ Continue filling in"), NAMESPACE, "back")],
        ]
    )
    context.answer_callback()
    context.say(
        _(
            "Do you want to stop? If you keep the draft, it is saved for {days} days and you "
            "can continue it later with /usul."
        ).format(days=DRAFT_DAYS),
        keyboard,
    )


async def on_cancel_button(context: Context) -> None:
    """Carry out the choice made after /batal."""
    _namespace, choice = unpack(context.event.text)
    if context.step == IDLE:
        await _stale(context)
        return
    if choice == "back":
        context.answer_callback()
        context.edit(_("All right, let's continue."))
        await context.ask_current_step()
        return
    if choice == "keep":
        context.update_draft(**{RESUME_KEY: context.step, "saved_at": context.now.isoformat()})
        context.edit(
            _("Stopped. Your draft is kept for {days} days; type /usul to continue it.").format(
                days=DRAFT_DAYS
            )
        )
    elif choice == "discard":
        context.replace_draft({})
        context.edit(_("Stopped, and the draft was deleted."))
    else:
        await _stale(context)
        return
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
    router.add_callback(NAMESPACE, on_cancel_button)
