"""Register the intake's command, buttons and steps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_
from handlers.intake import (
    begin,
    bidang,
    location,
    photos,
    preview,
    problem,
    program,
    quantity_steps,
    region,
    submit,
    title,
    urgency,
)
from handlers.router import Command

if TYPE_CHECKING:
    from handlers.router import Router


def register(router: Router) -> None:
    """Add /usul, the draft and next-proposal buttons, and every intake step."""
    router.add_command(
        Command(
            "usul",
            begin.begin,
            describe=N_("Submit a development proposal"),
            aliases=("usulan", "usulkan"),
            menu_label=N_("📝 Submit a proposal"),
        )
    )
    router.add_callback(begin.DraftChoice, begin.on_draft_button)
    router.add_callback(submit.NextProposal, begin.on_next_button)
    for step in (
        region.KECAMATAN_STEP,
        region.DESA_STEP,
        bidang.STEP,
        title.STEP,
        program.STEP,
        problem.STEP,
        location.STEP,
        quantity_steps.VOLUME_STEP,
        quantity_steps.BENEFICIARIES_STEP,
        urgency.STEP,
        photos.STEP,
        preview.STEP,
    ):
        router.add_step(step)
