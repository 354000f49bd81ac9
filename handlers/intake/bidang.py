"""Step: the field of development (the seed's three bidang), by button.

Changing the bidang of a proposal whose program belongs to another bidang matches it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_, _
from handlers.intake import flow, matching
from handlers.intake.choice import ChoiceStep, Chosen
from models.enums import Bidang

if TYPE_CHECKING:
    from handlers.context import Context


class BidangChosen(Chosen, prefix="bid"):
    value: Bidang


async def rematch(context: Context) -> bool:
    """Match again when the chosen program is of another bidang; return True if it did."""
    draft = context.draft
    program = next((o for o in draft.match_options if o.code == draft.program_code), None)
    if not draft.title or program is None or program.bidang in (None, draft.bidang):
        return False
    suggestion = await matching.suggest(context, draft)
    context.say(_("The field has changed, so please check the program again."))
    context.update_draft(**matching.match_fields(suggestion), editing=True)
    await flow.goto(context, "program")
    return True


BIDANG = ChoiceStep(
    short="bidang",
    kind=BidangChosen,
    labels={
        Bidang.INFRASTRUKTUR.value: N_("🏗 Infrastructure"),
        Bidang.EKONOMI.value: N_("🌾 Economy"),
        Bidang.SOSIAL_BUDAYA.value: N_("🤝 Social and culture"),
    },
    question=lambda: _(
        "Which field does your proposal belong to?\n\n"
        "🏗 <b>Infrastructure</b>: roads, bridges, drainage, clean water, irrigation, "
        "street lights, public buildings.\n"
        "🌾 <b>Economy</b>: farming, plantations, livestock, fisheries, small businesses "
        "(UMKM), markets, tourism.\n"
        "🤝 <b>Social and culture</b>: health, schools, stunting, social aid, arts, "
        "culture, sport, religion."
    ),
    confirmation=lambda: _("Field: {choice}"),
    preview=lambda label: _("<b>Field:</b> {bidang}").format(bidang=label),
    after=rematch,
)
STEP = BIDANG.step()
