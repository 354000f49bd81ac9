"""/pengingat: turn reminders off and on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from core.events import Keyboard
from core.i18n import _
from handlers.callbacks import CallbackData
from handlers.common.fallback import stale_button
from models.calendar import reminders_enabled, set_reminders_enabled
from services.reminders.cancelling import cancel_person_reminders

if TYPE_CHECKING:
    from handlers.context import Context
    from handlers.router import Router

ON_WORDS = frozenset({"on", "nyala", "nyalakan", "hidup", "hidupkan", "aktif", "ya"})
OFF_WORDS = frozenset({"off", "mati", "matikan", "stop", "berhenti", "nonaktif", "tidak"})


class SwitchReminders(CallbackData, prefix="pengingat"):
    """Turn reminders on or off."""

    to: Literal["on", "off"]


async def show_switch(context: Context) -> None:
    """Say whether reminders are on, with one button to switch; "/pengingat mati" switches."""
    context.answer_callback()
    word = context.event.text.strip().lower() if context.event.command else ""
    if word in ON_WORDS | OFF_WORDS:
        await _switch(context, enabled=word in ON_WORDS)
        return
    enabled = await reminders_enabled(context.session, context.user.telegram_id)
    context.say(_state_text(enabled), _switch_keyboard(enabled))


async def on_button(context: Context) -> None:
    """Switch reminders as the pressed button says."""
    pressed = context.pressed(SwitchReminders)
    if pressed is None:
        await stale_button(context)
        return
    context.answer_callback()
    await _switch(context, enabled=pressed.to == "on")


async def _switch(context: Context, *, enabled: bool) -> None:
    user_id = context.user.telegram_id
    await set_reminders_enabled(context.session, user_id=user_id, enabled=enabled, now=context.now)
    if not enabled:
        await cancel_person_reminders(context.session, user_id)
    context.edit(_state_text(enabled), _switch_keyboard(enabled))


def _state_text(enabled: bool) -> str:
    if enabled:
        return _(
            "🔔 Reminders are <b>on</b>. Before a Musrenbang deadline I remind you of an "
            "unfinished draft, the day before a forum I tell you that your proposal is on "
            "the agenda, and I tell you when intake has closed: at most one message a day, "
            "never at night."
        )
    return _("🔕 Reminders are <b>off</b>. I will not send you Musrenbang reminders.")


def _switch_keyboard(enabled: bool) -> Keyboard:
    if enabled:
        return Keyboard.inline_rows(
            [[SwitchReminders(to="off").button(_("🔕 Turn reminders off"))]]
        )
    return Keyboard.inline_rows([[SwitchReminders(to="on").button(_("🔔 Turn reminders on"))]])


def register(router: Router) -> None:
    """Add the switch's button."""
    router.add_callback(SwitchReminders, on_button)
