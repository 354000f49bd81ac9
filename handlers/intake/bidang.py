"""Step: the field of development (the seed's three bidang), by button."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.events import Keyboard
from bot.i18n import N_, _
from handlers.callbacks import button, unpack
from handlers.intake import flow
from handlers.intake.inputs import ask_for_button
from handlers.router import Step
from models.enums import Bidang

if TYPE_CHECKING:
    from handlers.context import Context

NAMESPACE = "bid"
LABELS = {
    Bidang.INFRASTRUKTUR: N_("🏗 Infrastructure"),
    Bidang.EKONOMI: N_("🌾 Economy"),
    Bidang.SOSIAL_BUDAYA: N_("🤝 Social and culture"),
}


def bidang_label(value: str) -> str:
    """Return the translated label of a bidang value."""
    try:
        return _(LABELS[Bidang(value)])
    except (KeyError, ValueError):
        return value


async def ask(context: Context) -> None:
    """Ask which field the proposal belongs to."""
    keyboard = Keyboard.inline_rows(
        [[button(_(label), NAMESPACE, bidang.value)] for bidang, label in LABELS.items()]
    )
    context.say(
        _(
            "Which field does your proposal belong to?\n\n"
            "🏗 <b>Infrastructure</b>: roads, bridges, drainage, clean water, irrigation, "
            "street lights, public buildings.\n"
            "🌾 <b>Economy</b>: farming, plantations, livestock, fisheries, small businesses "
            "(UMKM), markets, tourism.\n"
            "🤝 <b>Social and culture</b>: health, schools, stunting, social aid, arts, "
            "culture, sport, religion."
        ),
        keyboard,
    )


async def handle(context: Context) -> None:
    """Store the chosen field."""
    namespace, value = unpack(context.event.text)
    if namespace != NAMESPACE or value not in {item.value for item in Bidang}:
        await ask_for_button(context)
        return
    context.answer_callback()
    context.edit(_("Field: {bidang}").format(bidang=bidang_label(value)))
    context.update_draft(bidang=value)
    await flow.advance(context, "bidang")


STEP = Step(flow.step_name("bidang"), ask, handle, frozenset({NAMESPACE}))
