"""Step: how urgent the need is, by button."""

from core.i18n import N_, _
from handlers.intake.choice import ChoiceStep, Chosen
from models.enums import Urgency


class UrgencyChosen(Chosen, prefix="urg"):
    value: Urgency


URGENCY = ChoiceStep(
    short="urgency",
    kind=UrgencyChosen,
    labels={
        Urgency.SANGAT_MENDESAK.value: N_("🔴 Very urgent"),
        Urgency.MENDESAK.value: N_("🟠 Urgent"),
        Urgency.BIASA.value: N_("🟢 Normal"),
    },
    question=lambda: _(
        "How urgent is it?\n"
        "🔴 <b>Very urgent</b>: danger to safety or health, or people are cut off.\n"
        "🟠 <b>Urgent</b>: daily life or income is clearly disturbed.\n"
        "🟢 <b>Normal</b>: it would make things better."
    ),
    confirmation=lambda: _("Urgency: {choice}"),
    preview=lambda label: _("<b>Urgency:</b> {urgency}").format(urgency=label),
)
STEP = URGENCY.step()
