"""Step: the field of development (the seed's three bidang), by button."""

from core.i18n import N_, _
from handlers.intake.choice import ChoiceStep, Chosen
from models.enums import Bidang


class BidangChosen(Chosen, prefix="bid"):
    value: Bidang


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
)
STEP = BIDANG.step()
