"""Register the intake's command, buttons and steps (in the order `spec` declares)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import N_
from handlers.intake import begin, preview, spec, submit
from handlers.router import Command

if TYPE_CHECKING:
    from handlers.router import Router


def register(router: Router) -> None:
    """Add /usul, the draft and next-proposal buttons, every field's step and the preview."""
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
    for step in [*spec.linked_steps(), preview.STEP]:
        router.add_step(step)
