"""Step: what is proposed (free text); then RPJMD matches and similar proposals are found."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.i18n import _
from handlers.context import escape
from handlers.intake import flow
from handlers.intake.inputs import read_text
from handlers.router import Step
from services.drafts import ProgramOption
from services.support import similar_in_desa

if TYPE_CHECKING:
    from handlers.context import Context
    from services.drafts import Draft

MAX_LENGTH = 200
MIN_LENGTH = 5


async def ask(context: Context) -> None:
    """Ask what is proposed."""
    context.say(
        _(
            "What do you propose? Write it in one sentence (at most {limit} characters).\n"
            "<i>Example: Asphalt the 800 m road of Dusun 2 to the rice fields.</i>"
        ).format(limit=MAX_LENGTH)
    )


async def handle(context: Context) -> None:
    """Store the title, look up matching programs and similar proposals, then show them."""
    value = await read_text(context, max_length=MAX_LENGTH, min_length=MIN_LENGTH)
    if value is None:
        return
    suggestion = await context.services.suggest_programs(value)
    similar = await similar_in_desa(
        context.session,
        desa_code=context.draft.desa_code or "",
        title=value,
        program_code=suggestion.options[0].code if suggestion.options else None,
    )
    context.update_draft(
        title=value,
        match_options=[
            ProgramOption.model_validate(option.as_dict()) for option in suggestion.options
        ],
        match_confident=suggestion.confident,
        match_rule=suggestion.verdict.rule if suggestion.verdict else None,
        program_code=None,
        match_score=None,
        match_confirmed=False,
        program_decided=False,
        similar_ids=similar,
    )
    await flow.goto(context, "program")


async def summary(_context: Context, draft: Draft) -> str:
    """Return the preview line of the title."""
    return _("<b>Proposal:</b> {title}").format(title=escape(draft.title or ""))


STEP = Step(flow.step_name("title"), ask, handle)
