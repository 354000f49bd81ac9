"""Step: how urgent the need is, by button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.events import Keyboard
from bot.i18n import N_, _
from handlers.callbacks import button, unpack
from handlers.intake import flow
from handlers.intake.inputs import ask_for_button
from handlers.router import Step
from models.enums import Urgency

if TYPE_CHECKING:
    from handlers.context import Context

NAMESPACE = "urg"
LABELS = {
    Urgency.SANGAT_MENDESAK: N_("🔴 Very urgent"),
    Urgency.MENDESAK: N_("🟠 Urgent"),
    Urgency.BIASA: N_("🟢 Normal"),
}


def urgency_label(value: str) -> str:
    """Return the translated label of an urgency value."""
    try:
        return _(LABELS[Urgency(value)])
    except (KeyError, ValueError):
        return value


async def ask(context: Context) -> None:
    """Ask how urgent the need is."""
    keyboard = Keyboard.inline_rows(
        [[button(_(label), NAMESPACE, urgency.value)] for urgency, label in LABELS.items()]
    )
    context.say(
        _(
            "How urgent is it?\n"
            "🔴 <b>Very urgent</b>: danger to safety or health, or people are cut off.\n"
            "🟠 <b>Urgent</b>: daily life or income is clearly disturbed.\n"
            "🟢 <b>Normal</b>: it would make things better."
        ),
        keyboard,
    )


async def handle(context: Context) -> None:
    """Store the urgency."""
    namespace, value = unpack(context.event.text)
    if namespace != NAMESPACE or value not in {item.value for item in Urgency}:
        await ask_for_button(context)
        return
    context.answer_callback()
    context.edit(_("Urgency: {urgency}").format(urgency=urgency_label(value)))
    context.update_draft(urgency=value)
    await flow.advance(context, "urgency")


STEP = Step(flow.step_name("urgency"), ask, handle, frozenset({NAMESPACE}))
